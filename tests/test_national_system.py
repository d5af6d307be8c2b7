"""National migration data system files (issue 18, item 3): the YAML format and its checks,
the store's national_systems table, and `migprofile national add / template / show`.

Everything is about a made-up country, Republic of Testland (XQA, a code in ISO 3166's
user-assigned range). The harmoniser never takes an unknown country from a publisher's file
(only code-defined countries, and aggregates a file registers), so the fixture store is a tiny
WDI ingest to which the made-up country is added through the store's own writer, with the WDI
file's vintage as its provenance. The fixture files hold descriptive text only: no figures.
"""

from __future__ import annotations

import dataclasses
import hashlib
import shutil
import textwrap
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from fixtures import MarkedCatalog, ingested, tiny_wdi_bulk_csv
from migprofile.errors import MigprofileError, ParseError, StoreError, UsageError
from migprofile.national import (
    ACCESS_KINDS,
    BASES,
    PERIODICITIES,
    SOURCE_TYPES,
    TOPICS,
    Access,
    Definitions,
    NationalSource,
    NationalSystem,
    access_label,
    add_national_system,
    basis_label,
    from_json,
    national_system_for,
    parse_national_system,
    periodicity_label,
    template,
    to_json,
    topic_label,
    type_label,
)
from migprofile.national.parse import NationalSystemError
from migprofile.store import Store, writer
from migprofile.wording.i18n import language, use_translations

CODE = "XQA"
NAME = "Republic of Testland"
DB = "migprofile.duckdb"
WDI_CSV_NAME = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_0000001.csv"

GOOD = """\
# The national migration data system of a made-up country (test fixture).
country: XQA
compiled_by: Migration data unit, Testland statistics office
updated: 2024-05-02
notes: Descriptive text only.
sources:
  - name: Population and housing census
    institution: Testland statistics office
    type: Census
    population: Everyone usually resident in the country
    definitions:
      usual_residence: 12 months
      basis: both
    periodicity: every 10 years
    latest_release: 2022-03
    reference_date: 2021-10-01
    topics: [immigration, emigration]
    access:
      kind: open data
      url: https://stats.example.org/census
    known_issues:
      - A change in the definition of usual residence between two rounds left residents
        abroad out of the count.
  - name: Border crossings
    institution: Border police of Testland
    type: border/administrative
    periodicity: monthly
    latest_release: 2024
    topics: [immigration, emigration, return]
    access:
      kind: on_request
      note: Written request to the border police.
  - name: Balance of payments
    institution: Central bank of Testland
    type: central bank
    periodicity: quarterly
    topics: [remittances, labour migration]
    access:
      kind: open_data
      url: http://bank.example.org/bop
"""


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def base_store(module_home, tmp_path_factory) -> Path:
    """A store with the tiny WDI file ingested and the made-up country added."""
    from migprofile.geo import GeoEntry

    raw = tmp_path_factory.mktemp("raw")
    wdi = tiny_wdi_bulk_csv(raw / WDI_CSV_NAME)
    db = tmp_path_factory.mktemp("base") / DB
    ((_name, source, _edition),) = ingested(raw, db=db)
    with Store.open(db) as store:
        vintage = store.known_file(source, sha_of(wdi))
    assert vintage is not None
    with writer(db) as store:
        entry = GeoEntry(geo=CODE, kind="country", name=NAME, iso3=CODE)
        store.add_geo([entry], [], [], vintage.vintage_id)
    return db


@pytest.fixture
def db(base_store, home) -> Path:
    """This test's own copy of the fixture store, in its MIGPROFILE_HOME."""
    target = home / DB
    shutil.copyfile(base_store, target)
    return target


@pytest.fixture
def good_file(tmp_path) -> Path:
    path = tmp_path / "national.yaml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def invoke(*args: str | Path):
    from migprofile.cli import app

    return CliRunner().invoke(app, [str(a) for a in args], env={"COLUMNS": "250"})


# --- the format ---------------------------------------------------------------------------------


def test_a_good_file_is_parsed_into_typed_fields(good_file):
    system = parse_national_system(good_file)
    assert system.country == CODE
    assert system.updated == "2024-05-02"  # dates stay as written, not datetime objects
    census, border, bank = system.sources
    assert census == NationalSource(
        name="Population and housing census",
        institution="Testland statistics office",
        type="census",
        topics=("immigration", "emigration"),
        population="Everyone usually resident in the country",
        definitions=Definitions(usual_residence="12 months", basis="both"),
        periodicity="every_10_years",
        latest_release="2022-03",
        reference_date="2021-10-01",
        access=Access(kind="open_data", url="https://stats.example.org/census"),
        known_issues=(
            "A change in the definition of usual residence between two rounds left residents "
            "abroad out of the count.",
        ),
    )
    # the spellings the format accepts besides the codes
    assert (border.type, bank.type) == ("border_administrative", "central_bank")
    assert bank.topics == ("remittances", "labour_migration")
    assert border.latest_release == "2024" and border.access == Access(
        kind="on_request", note="Written request to the border police."
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        system.country = "MDA"  # type: ignore[misc]


def test_json_round_trip(good_file):
    system = parse_national_system(good_file)
    text = to_json(system)
    assert from_json(text) == system
    assert '"updated": "2024-05-02"' in text and "null" not in text


def test_a_broken_stored_document_names_its_origin():
    with pytest.raises(ParseError, match=r"^stored document: sources\[0\]: missing field 'type'"):
        from_json(
            '{"country": "XQA", "sources": [{"name": "n", "institution": "i", '
            '"topics": ["return"]}]}'
        )
    with pytest.raises(ParseError, match=r"^stored document: not valid JSON"):
        from_json("{")


def _bad(text: str, tmp_path: Path, name: str = "national.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


INVALID = {
    "missing field": (
        _replace(GOOD, "    institution: Border police of Testland\n", ""),
        "national.yaml: sources[1]: missing field 'institution'",
    ),
    "bad date": (
        _replace(GOOD, "latest_release: 2024\n", "latest_release: 2021-13-01\n"),
        "national.yaml: sources[1].latest_release: '2021-13-01' is not a date "
        "(YYYY-MM-DD, YYYY-MM or YYYY)",
    ),
    "bad full date": (
        _replace(GOOD, "updated: 2024-05-02", "updated: 2024-05"),
        "national.yaml: updated: '2024-05' is not a date (YYYY-MM-DD)",
    ),
    "unknown type": (
        _replace(GOOD, "type: Census", "type: cencus"),
        "national.yaml: sources[0].type: 'cencus' is not one of census, survey, register, "
        "border_administrative, consular, central_bank (did you mean census?)",
    ),
    "unknown topic": (
        _replace(GOOD, "[remittances, labour migration]", "[remittances, tourism]"),
        "national.yaml: sources[2].topics[1]: 'tourism' is not one of emigration, immigration, "
        "return, remittances, displacement, labour_migration",
    ),
    "no topic": (
        _replace(GOOD, "[remittances, labour migration]", "[]"),
        "national.yaml: sources[2].topics: empty list: give at least one of emigration",
    ),
    "bad URL": (
        _replace(GOOD, "https://stats.example.org/census", "ftp://stats.example.org/census"),
        "national.yaml: sources[0].access.url: 'ftp://stats.example.org/census' is not an "
        "http(s) URL",
    ),
    "unknown field": (
        _replace(GOOD, "    periodicity: quarterly\n", "    frequency: quarterly\n"),
        "national.yaml: sources[2]: unknown field 'frequency'",
    ),
    "misspelt field": (
        _replace(GOOD, "    institution: Central", "    instituton: Central"),
        "national.yaml: sources[2]: unknown field 'instituton' (did you mean institution?)",
    ),
    "yaml syntax": (
        _replace(GOOD, "notes: Descriptive text only.", "notes: Descriptive text: only."),
        "national.yaml: line 5, column 24: not valid YAML (mapping values are not allowed here)",
    ),
    "duplicate key": (
        _replace(GOOD, "notes: Descriptive", "country: MDA\nnotes: Descriptive"),
        "national.yaml: line 5: the field 'country' is given twice",
    ),
    "alias": (
        _replace(GOOD, "institution: Testland statistics office", "institution: &o Testland")
        .replace("Central bank of Testland", "*o"),
        "national.yaml: line 34: aliases (*o) are not used in this format",
    ),
    "not text": (
        _replace(GOOD, "note: Written request to the border police.", "note: yes"),
        "national.yaml: sources[1].access.note: must be text, not true/false (put it in quotes)",
    ),
    "empty file": ("# nothing filled in yet\n", "national.yaml: empty file"),
    "top level list": (
        "- country: XQA\n",
        "national.yaml: the top level must be a mapping of fields (country, sources, …), not "
        "a list",
    ),
    "same source twice": (
        _replace(GOOD, "name: Balance of payments\n    institution: Central bank of Testland",
                 "name: Border crossings\n    institution: Border police of Testland"),
        "national.yaml: sources[2]: same name and institution as sources[1]",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(INVALID))
def test_each_invalid_file_gives_one_clear_line(case, tmp_path, monkeypatch):
    text, expected = INVALID[case]
    monkeypatch.chdir(tmp_path)  # the file named as the user typed it
    _bad(text, tmp_path)
    with pytest.raises(ParseError) as err:
        parse_national_system("national.yaml")
    message = str(err.value)
    assert message.startswith(expected), message
    assert "\n" not in message


def test_several_problems_are_counted_and_all_kept(tmp_path):
    text = _replace(GOOD, "type: Census", "type: cencus")
    text = _replace(text, "latest_release: 2024\n", "latest_release: soon\n")
    text = _replace(text, "kind: open_data", "kind: public")
    with pytest.raises(NationalSystemError) as err:
        parse_national_system(_bad(text, tmp_path))
    assert str(err.value).endswith("(2 more problems in the file)")
    assert [p.split(":")[0] for p in err.value.problems] == [
        "sources[0].type",
        "sources[1].latest_release",
        "sources[2].access.kind",
    ]


def test_an_unreadable_file_is_one_line(tmp_path):
    missing = tmp_path / "nowhere.yaml"
    with pytest.raises(ParseError, match=r"nowhere\.yaml: cannot read it"):
        parse_national_system(missing)
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("country: XQA\nnotes: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(ParseError, match=r"latin1\.yaml: not UTF-8 text \(byte 23\)"):
        parse_national_system(latin1)


# --- the template -------------------------------------------------------------------------------


def _fill(text: str) -> str:
    text = _replace(text, "    name:\n", "    name: Labour force survey\n")
    text = _replace(text, "    institution:\n", "    institution: Testland statistics office\n")
    text = _replace(text, "    type:\n", "    type: survey\n")
    return _replace(text, "    topics: []\n", "    topics: [emigration, labour_migration]\n")


def test_the_template_is_refused_until_its_required_fields_are_filled(tmp_path):
    text = template(CODE, NAME)
    assert text.startswith(f"# National migration data system of {NAME} ({CODE})\n")
    assert "\ncountry: XQA\n" in text
    for codes in (SOURCE_TYPES, BASES, PERIODICITIES, TOPICS, ACCESS_KINDS):
        assert ", ".join(codes) in text.replace("\n      # ", " ").replace("\n    # ", " ")
    with pytest.raises(NationalSystemError) as err:
        parse_national_system(_bad(text, tmp_path, "t.yaml"))
    assert [p.split(":")[0] for p in err.value.problems] == [
        "sources[0].name",
        "sources[0].institution",
        "sources[0].type",
        "sources[0].topics",
    ]
    system = parse_national_system(_bad(_fill(text), tmp_path, "filled.yaml"))
    assert system == NationalSystem(
        country=CODE,
        sources=(
            NationalSource(
                name="Labour force survey",
                institution="Testland statistics office",
                type="survey",
                topics=("emigration", "labour_migration"),
            ),
        ),
    )


def test_template_fill_add_via_the_cli(db, tmp_path):
    out = tmp_path / "testland.yaml"
    result = invoke("national", "template", CODE, "--out", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == template(CODE, NAME)
    result = invoke("national", "template", "xqa", "--out", out)  # never overwrites
    assert isinstance(result.exception, UsageError)
    assert "exists already" in str(result.exception) and str(out) in str(result.exception)
    assert out.read_text(encoding="utf-8") == template(CODE, NAME)

    result = invoke("national", "add", out)  # as written: refused
    assert isinstance(result.exception, ParseError)
    assert str(result.exception).startswith(f"{out}: sources[0].name: empty")

    out.write_text(_fill(out.read_text(encoding="utf-8")), encoding="utf-8")
    result = invoke("national", "add", out)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"stored: national data system of {NAME}, 1 source"
    with Store.open(db) as store:
        stored = national_system_for(store, CODE)
    assert stored == parse_national_system(out)

    result = invoke("national", "template", CODE)  # to standard output
    assert result.exit_code == 0 and result.output == template(CODE, NAME)


def test_template_refuses_an_aggregate_and_an_unknown_country(db):
    result = invoke("national", "template", "World")
    assert isinstance(result.exception, UsageError)
    assert str(result.exception).startswith("GEO: 'World' is World, not a country")
    result = invoke("national", "template", "Atlantis")
    assert isinstance(result.exception, UsageError)
    assert "Atlantis" in str(result.exception)


# --- the store ----------------------------------------------------------------------------------


def test_add_via_the_cli_stores_the_document_and_reads_it_back(db, good_file):
    result = invoke("national", "add", good_file)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"stored: national data system of {NAME}, 3 sources"
    with Store.open(db) as store:
        row = store.national_system(CODE)
        stored = national_system_for(store, CODE)
        listed = store.national_systems()
        assert national_system_for(store, "MDA") is None
    assert stored == parse_national_system(good_file)
    assert row is not None
    assert (row["geo"], row["file_name"], row["sha256"]) == (
        CODE,
        "national.yaml",
        sha_of(good_file),
    )
    assert [r["geo"] for r in listed] == [CODE]


def test_show_prints_the_sources(db, good_file):
    add_national_system(good_file)
    result = invoke("national", "show", CODE.lower())
    assert result.exit_code == 0, result.output
    text = result.output
    assert f"National migration data system of {NAME}: 3 sources" in text
    for word in (
        "Population and housing census",
        "border or administrative records",
        "every 10 years",
        "2022-03",
        "labour migration",
        "on request",
        "from national.yaml",
        "compiled by Migration data unit",
        "Known issues:",
        "- Population and housing census: A change in the definition",
    ):
        # a narrow terminal wraps table cells: each word of the phrase, in some cell
        assert all(w in text for w in word.split()), word
    result = invoke("national", "show", "MDA")
    assert isinstance(result.exception, UsageError)
    assert "no national data system is stored for" in str(result.exception)


def test_the_country_may_be_a_name_the_store_resolves(db, good_file, tmp_path):
    lower = _bad(_replace(GOOD, "country: XQA", "country: xqa"), tmp_path, "lower.yaml")
    assert add_national_system(lower, db) == (CODE, 3)
    named = _bad(_replace(GOOD, "country: XQA", "country: Republic of Moldova"), tmp_path, "m.yaml")
    assert add_national_system(named, db) == ("MDA", 3)
    with Store.open(db) as store:
        assert [r["geo"] for r in store.national_systems()] == ["MDA", CODE]
        system = national_system_for(store, "MDA")
    assert system is not None and system.country == "MDA"  # the store's id, not the name


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("Atlantis", "national.yaml: country: unknown country or area name 'Atlantis'"),
        ("World", "national.yaml: country: 'World' is World, not a country"),
    ],
)
def test_a_country_the_store_does_not_have_is_refused(country, expected, db, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _bad(_replace(GOOD, "country: XQA", f"country: {country}"), tmp_path)
    before = sha_of(db)
    with pytest.raises(UsageError) as err:
        add_national_system(Path("national.yaml"))
    assert str(err.value).startswith(expected), str(err.value)
    assert sha_of(db) == before


@pytest.mark.parametrize("case", ["bad date", "unknown type", "yaml syntax", "missing field"])
def test_a_failed_add_leaves_the_earlier_document_unchanged(case, db, good_file):
    add_national_system(good_file)
    with Store.open(db) as store:
        before_row = store.national_system(CODE)
    before = sha_of(db)
    good_file.write_text(INVALID[case][0], encoding="utf-8")
    with pytest.raises(MigprofileError):
        add_national_system(good_file)
    assert sha_of(db) == before
    with Store.open(db) as store:
        assert store.national_system(CODE) == before_row
    assert not list(db.parent.glob(DB + ".ingest-*"))


def test_adding_the_same_file_again_writes_nothing(db, good_file):
    add_national_system(good_file)
    before = sha_of(db)
    assert add_national_system(good_file) == (CODE, 3)
    assert sha_of(db) == before


def test_a_newer_file_replaces_the_country_document(db, good_file):
    add_national_system(good_file)
    good_file.write_text(_replace(GOOD, "notes: Descriptive text only.", "notes: Revised."))
    add_national_system(good_file)
    with Store.open(db) as store:
        system = national_system_for(store, CODE)
        assert len(store.national_systems()) == 1
    assert system is not None and system.notes == "Revised."


def test_the_cli_error_is_one_line(db, good_file, cli):
    good_file.write_text(INVALID["bad date"][0], encoding="utf-8")
    result = cli("national", "add", good_file)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert lines == [
        f"error: {good_file}: sources[1].latest_release: '2021-13-01' is not a date "
        "(YYYY-MM-DD, YYYY-MM or YYYY)"
    ]


def test_a_store_without_the_table_reads_as_none(tmp_path):
    con = duckdb.connect()
    try:
        store = Store(con, tmp_path / "old.duckdb")
        assert store.national_system(CODE) is None
        assert store.national_systems() == []
    finally:
        con.close()


def test_an_unreadable_stored_document_is_a_store_error(db):
    with writer(db) as store:
        store.put_national_system(CODE, '{"country": "XQA"}', "old.yaml", None)
    with Store.open(db) as store, pytest.raises(StoreError) as err:
        national_system_for(store, CODE)
    assert "national_systems[XQA]: missing field 'sources'" in str(err.value)


# --- labels -------------------------------------------------------------------------------------


def test_every_code_has_a_translated_label():
    assert type_label("central_bank") == "central bank"
    assert topic_label("labour_migration") == "labour migration"
    assert periodicity_label("every_5_years") == "every 5 years"
    assert access_label("not_available") == "not available"
    assert basis_label("birthplace") == "country of birth"
    use_translations("xx", MarkedCatalog())
    try:
        with language("xx"):
            for label, codes in (
                (type_label, SOURCE_TYPES),
                (topic_label, TOPICS),
                (periodicity_label, PERIODICITIES),
                (access_label, ACCESS_KINDS),
                (basis_label, BASES),
            ):
                for code in codes:
                    text = label(code)
                    assert text.startswith("⟦") and text.endswith("⟧"), (code, text)
            assert type_label("a_newer_code") == "a_newer_code"  # shown as written
            assert template(CODE, NAME).startswith("# ⟦National migration data system")
    finally:
        use_translations("xx", None)


def test_the_docs_example_is_a_valid_file(tmp_path):
    """docs/national-data-system.md's example parses (the doc and the code agree)."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "national-data-system.md").read_text(
        encoding="utf-8"
    )
    example = doc.split("```yaml\n", 1)[1].split("```", 1)[0]
    system = parse_national_system(_bad(textwrap.dedent(example), tmp_path, "example.yaml"))
    assert len(system.sources) >= 3
    assert {s.type for s in system.sources} >= {"census", "survey", "register"}


# --- the profile section ------------------------------------------------------------------------


def test_the_made_up_countrys_profile_renders_the_section(db, good_file, tmp_path):
    """The fixture file's sources, definitions, known issues and the topic neither the national
    sources nor the international estimates cover, in every rendering."""
    import json

    from migprofile.national import add_national_system
    from migprofile.profiles import ProfileBuilder
    from migprofile.render.html import render_html
    from migprofile.render.jsonout import render_json
    from migprofile.render.markdown import render_markdown

    add_national_system(good_file, db=db)
    with Store.open(db) as store:
        profile = ProfileBuilder(store).build(CODE)
    data = profile.national
    assert data is not None
    assert [s.name for s in data.sources] == [
        "Population and housing census", "Border crossings", "Balance of payments",
    ]  # fmt: skip
    census = data.sources[0]
    assert census.type_label == "census" and census.periodicity == "every 10 years"
    assert census.latest_release == "2022-03" and census.reference_date == "2021-10-01"
    assert census.url == "https://stats.example.org/census"
    assert "usual residence: 12 months" in census.definitions
    assert data.uncovered == ["displacement"]  # no national source, no estimate for XQA
    assert data.file_name == good_file.name and data.sha256 == sha_of(good_file)
    md = render_markdown(profile)
    assert "## National data system" in md
    assert "left residents abroad out of the count" in " ".join(md.split())
    assert "cover: displacement." in md
    html = render_html(profile)
    assert 'id="national"' in html and "Border police of Testland" in html
    assert json.loads(render_json(profile))["national"]["sources"][1]["type"] == (
        "border_administrative"
    )


def test_national_help_reads_in_the_environment_language():
    """MIGPROFILE_LANG=uk: `national template --help` is Ukrainian too (command help texts are
    translated when cli_national is imported, which happens before cli.py's language line)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "MIGPROFILE_LANG": "uk", "COLUMNS": "200"}
    out = subprocess.run(
        [sys.executable, "-m", "migprofile.cli", "national", "template", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    with language("uk"):
        from migprofile.wording.i18n import _

        wanted = _("Write an empty, commented national data system file for a country to fill in.")
    assert wanted != "Write an empty, commented national data system file for a country to fill in."
    assert wanted in out, out

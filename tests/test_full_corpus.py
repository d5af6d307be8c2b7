"""The full real corpus, ../shared/data plus ../shared/data-next, ingested together (issue 13).

Every publisher file in both folders is ingested (only the SOURCES.md notes are skipped), a
second run adds nothing, the values the issue names come out of `get`, and the profiles of
Moldova, Georgia and Ukraine show the European Union block, the dead and missing and the
demography, each figure the value `get` returns for it.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest

from conftest import DB_FILE, run_migprofile

pytestmark = pytest.mark.integration

SHARED = Path(__file__).resolve().parents[2] / "shared"
FOLDERS = (SHARED / "data", SHARED / "data-next")


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory) -> Path:
    missing = [str(f) for f in FOLDERS if not f.is_dir()]
    if missing:
        pytest.skip(f"{', '.join(missing)} not present: the full corpus is needed")
    home = tmp_path_factory.mktemp("corpus_home")
    args = [a for f in FOLDERS for a in ("--raw-dir", str(f))]
    first = run_migprofile("ingest", *args, "--offline", home=home, timeout=1200)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    skipped = [line for line in first.stdout.splitlines() if line.startswith("skipped")]
    files = [p for f in FOLDERS for p in f.rglob("*") if p.is_file()]
    assert all(line.rstrip().endswith("no known publisher layout") for line in skipped)
    assert sorted(Path(line.split()[1].rstrip(":")).name for line in skipped) == [
        "SOURCES.md",
        "SOURCES.md",
    ], skipped
    ingested = [line for line in first.stdout.splitlines() if line.startswith("ingested")]
    assert len(ingested) == len(files) - 2
    again = run_migprofile("ingest", *args, "--offline", home=home, timeout=1200)
    assert again.returncode == 0, again.stderr
    assert f"0 ingested, {len(files) - 2} unchanged" in again.stdout
    os.chmod(home / DB_FILE, 0o444)
    return home


def get_json(home: Path, *args: str) -> list[dict]:
    result = run_migprofile("get", *args, "--format", "json", home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "value"),
    [
        (("immigrant_stock", "MDA", "--year", "2024"), 188_207),
        (("emigrant_stock", "MDA", "--year", "2024"), 864_257),
        (("migrant_stock", "ITA", "--partner", "MDA", "--year", "2024"), 218_594),
        (
            ("temporary_protection_beneficiaries", "POL", "--partner", "UKR", "--period",
             "2025-03"),
            992_370,
        ),
        (("asylum_applicants", "DEU", "--partner", "world", "--year", "2024"), 250_615),
        (("births", "MDA", "--year", "2023"), 32_986),
    ],
)  # fmt: skip
def test_the_values_the_issue_names(corpus_home, args, value):
    rows = get_json(corpus_home, *args)
    assert [r["value"] for r in rows] == [value], rows


def test_births_equal_the_wpp_cell(corpus_home):
    """Independently of the parser: Moldova's (M49 498) births in 2023 in births.txt, × 1000."""
    path = SHARED / "data-next" / "wpp2024" / "births.txt"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    col = rows[0].index("2023")
    (row,) = [r for r in rows[1:] if r[0] == "498"]
    (got,) = get_json(corpus_home, "births", "MDA", "--year", "2023")
    assert got["value"] == pytest.approx(float(row[col]) * 1000)


@pytest.fixture(scope="module")
def corpus_profiles(corpus_home):
    out = corpus_home.parent / "profiles"
    result = run_migprofile(
        "build", "MDA", "GEO", "UKR", "--format", "json", "--out", str(out), home=corpus_home,
        timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {g: json.loads((out / f"{g}.json").read_text(encoding="utf-8")) for g in
            ("MDA", "GEO", "UKR")}  # fmt: skip


@pytest.mark.parametrize("geo", ["MDA", "GEO", "UKR"])
def test_profiles_show_europe_dead_and_missing_and_demography(corpus_home, corpus_profiles, geo):
    profile = corpus_profiles[geo]
    sections = {s["id"]: s for s in profile["sections"]}
    assert {"europe", "demography"} <= sections.keys()
    europe = {f["indicator"] for f in sections["europe"]["figures"]}
    assert {"asylum_applicants_from", "emigrant_stock_in_eu"} <= europe
    demography = {f["indicator"] for f in sections["demography"]["figures"]}
    assert {"births", "deaths", "natural_increase"} <= demography
    if geo == "UKR":
        assert "temporary_protection_from" in europe
    checked = 0
    for sid in ("europe", "dead_missing", "demography"):
        for f in sections.get(sid, {}).get("figures", []):
            args = [f["indicator"], geo, "--year", str(f["year"])]
            if f.get("period") and f["period"] != "mid-year":
                args += ["--period", f["period"]]
            rows = [r for r in get_json(corpus_home, *args) if r["sex"] == f.get("sex", "total")]
            assert [r["value"] for r in rows] == [f["value"]], (sid, f)
            checked += 1
    assert checked >= 5


def test_moldova_income_group_line(corpus_profiles):
    """OGHIST: upper-middle income FY2022–FY2026 (the CLASS file classifies FY2023)."""
    mda = corpus_profiles["MDA"]
    assert (mda["income_group"], mda["income_since"], mda["income_latest"]) == (
        "UM",
        "FY2022",
        "FY2026",
    )


def test_born_in_moldova_living_in_the_eu_is_the_members_sum(corpus_home):
    """The EU block's stock: the 2024 migrant stock born in Moldova in each EU member state
    (country_converter's EU27 class, read here from its own table), summed by this test."""
    import country_converter

    import migprofile

    table = Path(country_converter.__file__).parent / "country_data.tsv"
    with table.open(encoding="utf-8", newline="") as fh:
        members = [r["ISO3"] for r in csv.DictReader(fh, delimiter="\t") if r["EU27"] == "EU27"]
    assert len(members) == 27
    with migprofile.open_store(corpus_home / DB_FILE) as store:
        cells = [
            r["value"]
            for geo in members
            for r in migprofile.get(
                "migrant_stock", geo, partner="MDA", year=2024, store=store
            ).to_pylist()
            if r["sex"] == "total"
        ]
        total = migprofile.get("emigrant_stock_in_eu", "MDA", year=2024, store=store).to_pylist()
    assert [r["value"] for r in total if r["sex"] == "total"] == [sum(cells)]
    assert f"sum over {len(cells)} of the 27 members" in total[0]["note"]

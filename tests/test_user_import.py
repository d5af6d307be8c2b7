"""`migprofile import`: a user's own tidy CSV as a source, with computed totals, provenance,
errors that name the option or the line, and idempotent re-imports."""

from __future__ import annotations

from pathlib import Path

import pytest

import fixtures as fx
import migprofile
from migprofile.errors import ParseError, UsageError
from migprofile.geo import build_harmoniser
from migprofile.indicators import BY_ID, observations
from migprofile.ingest import import_file
from migprofile.sources import ImportSpec, parse_user_file

SOURCE_ID = "import:gmdac-extract"


def spec(**overrides) -> ImportSpec:
    fields = {
        "indicator": "migrant_stock",
        "geo_col": "to",
        "value_col": "v",
        "year_col": "t",
        "partner_col": "from",
        "sex_col": "sex",
        "unit": "persons",
        "source_name": "GMDAC extract",
        "edition": "2020",
    }
    fields.update(overrides)
    return ImportSpec(**fields)


def write_csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def imported(module_home, tmp_path_factory):
    """The tidy bilateral CSV imported once into a fresh store: (csv path, db path, result)."""
    path = fx.tidy_bilateral_csv(tmp_path_factory.mktemp("user"))
    db = tmp_path_factory.mktemp("db") / "s.duckdb"
    result = import_file(path, spec(), db=db)
    return path, db, result


@pytest.fixture(scope="module")
def store(imported):
    s = migprofile.open_store(imported[1])
    yield s
    s.close()


def test_import_result(imported):
    _, _, (source_id, edition, n_rows, note) = imported
    assert (source_id, edition) == (SOURCE_ID, "2020")
    # 11 lines by sex + 6 computed totals (one per destination, origin and year)
    assert n_rows == 17
    assert note == "file gives male and female only: total = male + female (computed on import)"


def test_totals_are_male_plus_female_with_a_note(store):
    got = observations(
        store, "migrant_stock", "ITA", partner="MDA", year=2020, sex="all"
    ).to_pylist()
    by_sex = {r["sex"]: r for r in got}
    assert {s: r["value"] for s, r in by_sex.items()} == {
        "total": 130.0,
        "male": 40.0,
        "female": 90.0,
    }
    total = by_sex["total"]
    assert total["note"].startswith("total = male + female, computed by migprofile")
    assert "(lines 4,5;" in total["note"]
    assert (total["row"], total["col"], total["sheet"]) == (4, "v", None)
    assert (by_sex["female"]["row"], by_sex["female"]["note"]) == (5, "")
    assert (total["source"], total["edition"], total["unit"]) == (SOURCE_ID, "2020", "persons")
    assert total["file_name"] == "bilateral_stocks_by_sex.csv"
    default = observations(store, "migrant_stock", "ITA", partner="MDA").to_pylist()
    assert [(r["year"], r["sex"], r["value"]) for r in default] == [
        (2015, "total", 100.0),
        (2020, "total", 130.0),
    ]


def test_total_from_one_sex_says_so(store):
    got = observations(store, "migrant_stock", "UKR", partner="MDA", year=2020).to_pylist()
    assert [r["value"] for r in got] == [25.0]
    assert "a sex absent from the file counts as 0" in got[0]["note"]
    assert "(lines 8;" in got[0]["note"]


def test_unknown_origin_is_other(store):
    got = observations(store, "migrant_stock", "MDA", partner="other", year=2020).to_pylist()
    assert [(r["partner"], r["value"]) for r in got] == [("other", 11.0)]
    partners = observations(store, "migrant_stock", "MDA", year=2020).to_pylist()
    assert {r["partner"]: r["value"] for r in partners} == {"UKR": 24.0, "other": 11.0}


def test_emigrant_stock_sums_over_destinations(store):
    got = observations(store, "emigrant_stock", "MDA", year=2020).to_pylist()
    assert len(got) == 1
    r = got[0]
    assert (r["value"], r["note"], r["source"]) == (
        505.0,  # ITA 130 + RUS 350 + UKR 25
        "sum over 3 destination countries",
        SOURCE_ID,
    )
    assert (r["sheet"], r["row"], r["col"]) == (None, None, None)
    male = observations(store, "emigrant_stock", "MDA", year=2020, sex="male").to_pylist()
    assert [(m["value"], m["note"]) for m in male] == [(240.0, "sum over 2 destination countries")]
    series = observations(store, "emigrant_stock", "MDA").to_pylist()
    assert [(x["year"], x["value"]) for x in series] == [(2015, 100.0), (2020, 505.0)]
    ukr = observations(store, "emigrant_stock", "UKR", year=2020).to_pylist()
    assert [x["value"] for x in ukr] == [24.0]


def test_vintage_provenance(store):
    report = [r for r in store.sources_report().to_pylist() if r["source"] == SOURCE_ID]
    assert len(report) == 1
    v = report[0]
    assert (v["edition"], v["file_name"], v["rows"], v["layout"]) == (
        "2020",
        "bilateral_stocks_by_sex.csv",
        17,
        "user-import",
    )
    assert "columns: geo=to value=v year=t partner=from sex=sex" in v["note"]
    assert "total = male + female" in v["note"]
    kind = store.con.execute("SELECT kind FROM sources WHERE source = ?", [SOURCE_ID]).fetchall()
    assert kind == [("user",)]


def test_reimport_same_file_adds_nothing(imported):
    path, db, _ = imported
    again = import_file(path, spec(), db=db)
    assert again == (SOURCE_ID, "2020", 0, "")
    with migprofile.open_store(db) as s:
        n = s.con.execute("SELECT count(*) FROM vintages WHERE source = ?", [SOURCE_ID]).fetchall()
    assert n == [(1,)]


@pytest.mark.parametrize(
    ("override", "option", "column"),
    [
        ({"geo_col": "destination"}, "--geo-col", "destination"),
        ({"value_col": "value"}, "--value-col", "value"),
        ({"sex_col": "gender"}, "--sex-col", "gender"),
        ({"partner_col": "origin"}, "--partner-col", "origin"),
    ],
)
def test_bad_column_name_names_the_option(tmp_path, module_home, override, option, column):
    path = fx.tidy_bilateral_csv(tmp_path)
    db = tmp_path / "s.duckdb"
    with pytest.raises(UsageError) as exc:
        import_file(path, spec(**override), db=db)
    msg = str(exc.value)
    assert msg.startswith(f"{option}: no column {column!r}")
    assert "columns: to, from, t, sex, v" in msg
    assert not db.exists()


def test_unknown_indicator_is_a_usage_error(tmp_path, module_home):
    path = fx.tidy_bilateral_csv(tmp_path)
    with pytest.raises(UsageError, match="--indicator: 'migrants'"):
        import_file(
            path, spec(indicator="migrants"), db=tmp_path / "s.duckdb", known_indicators=BY_ID
        )


def test_text_in_value_column_names_the_line(tmp_path, module_home):
    path = write_csv(
        tmp_path / "bad.csv",
        "to,from,t,sex,v\nITA,MDA,2020,Male,40\nITA,MDA,2020,Female,about 90\n",
    )
    with pytest.raises(ParseError) as exc:
        import_file(path, spec(), db=tmp_path / "s.duckdb")
    assert exc.value.row == 3
    msg = str(exc.value)
    assert msg.startswith(f"{path}, row 3: ")
    assert "'about 90'" in msg and "column 'v'" in msg
    assert not (tmp_path / "s.duckdb").exists()


def test_unknown_country_names_the_line_and_column(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv", "to,from,t,sex,v\nITA,MDA,2020,Male,40\nITA,Atlantis,2020,Male,9\n"
    )
    with pytest.raises(ParseError) as exc:
        parse_user_file(path, spec(), build_harmoniser())
    assert exc.value.row == 3
    assert "'Atlantis'" in str(exc.value) and "column 'from'" in str(exc.value)


def test_bad_sex_word_names_the_line(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv", "to,from,t,sex,v\nITA,MDA,2020,Male,40\nITA,MDA,2020,x,9\n"
    )
    with pytest.raises(ParseError, match="sex 'x' is not male, female or total") as exc:
        parse_user_file(path, spec(), build_harmoniser())
    assert exc.value.row == 3


def test_sex_words_of_national_files(tmp_path):
    """A Russian or Romanian national file says 'мужчины' / 'Femei' / 'Всего', not 'male'."""
    path = write_csv(
        tmp_path / "ru.csv",
        "to,from,t,sex,v\nITA,MDA,2020,Мужчины,40\nITA,MDA,2020,Femei,50\nITA,MDA,2020,Всего,90\n",
    )
    table, _note = parse_user_file(path, spec(), build_harmoniser())
    pairs = zip(table.column("sex").to_pylist(), table.column("value").to_pylist(), strict=True)
    assert sorted(pairs) == [
        ("female", 50.0),
        ("male", 40.0),
        ("total", 90.0),
    ]


def test_bad_cell_error_in_the_users_language(tmp_path):
    """The one error line, prefix included, reads in the language the user chose."""
    from migprofile.wording.i18n import language

    path = write_csv(
        tmp_path / "bad.csv", "to,from,t,sex,v\nITA,MDA,2020,Male,40\nITA,MDA,2020,x,9\n"
    )
    with language("ru"), pytest.raises(ParseError) as exc:
        parse_user_file(path, spec(), build_harmoniser())
    message = str(exc.value)
    assert message.startswith(f"{path}, строка 3: ")
    assert "'x'" in message and "is not" not in message


def test_duplicate_lines_are_an_error(tmp_path):
    path = write_csv(
        tmp_path / "dup.csv",
        "to,from,t,sex,v\nITA,MDA,2020,Male,40\nRUS,MDA,2020,Male,1\nItaly,MDA,2020,Male,41\n",
    )
    with pytest.raises(ParseError, match="duplicate rows for ITA/MDA 2020 male at lines 2, 4"):
        parse_user_file(path, spec(), build_harmoniser())


def test_names_and_m49_codes_in_geo_columns(tmp_path):
    path = write_csv(
        tmp_path / "names.csv",
        "to,from,t,sex,v\n"
        "Russian Federation,Republic of Moldova*,2020,Total,350\n"
        "008,498,2020,Total,7\n",
    )
    table, note = parse_user_file(path, spec(), build_harmoniser())
    got = [(r["geo"], r["partner"], r["sex"], r["value"], r["row"]) for r in table.to_pylist()]
    assert got == [("RUS", "MDA", "total", 350.0, 2), ("ALB", "MDA", "total", 7.0, 3)]
    assert note == ""  # totals given: nothing computed


def test_line_numbers_count_blank_lines(tmp_path):
    path = write_csv(
        tmp_path / "blank.csv",
        "to,from,t,sex,v\nITA,MDA,2020,Male,40\n\nITA,MDA,2020,Female,about 90\n",
    )
    with pytest.raises(ParseError) as exc:
        parse_user_file(path, spec(), build_harmoniser())
    assert exc.value.row == 4  # the physical line of 'about 90'


def test_the_error_line_reads_in_the_environment_language(tmp_path):
    """MIGPROFILE_LANG=ro: the whole error line is Romanian, its 'error:' label included
    (the label once sat inside an f-string, where the catalogs never saw it)."""
    import os
    import subprocess
    import sys

    bad = tmp_path / "notes.csv"
    bad.write_text("Titlu\n\n", encoding="utf-8")
    env = {**os.environ, "MIGPROFILE_LANG": "ro", "MIGPROFILE_HOME": str(tmp_path / "home")}
    args = ["--indicator", "migrant_stock", "--geo-col", "c", "--value-col", "v"]
    args += ["--year-col", "t", "--source-name", "X", "--licence", "CC-BY", "--edition", "1"]
    run = subprocess.run(
        [sys.executable, "-m", "migprofile.cli", "import", str(bad), *args],
        capture_output=True,
        text=True,
        env=env,
    )
    assert run.returncode == 1
    line = run.stderr.strip().splitlines()[-1]
    assert line.startswith(f"eroare: {bad}: "), line
    assert "Traceback" not in run.stderr and "error" not in line.replace(str(bad), ""), line

"""Issue 18 acceptance: a national statistics office's figure (317,900 Moldovans working abroad,
2009) imported as an indicator of the user's own, from a semicolon-separated Windows-1251 CSV
and from an xlsx, shown beside UN DESA's emigrant stock in the HTML, PDF, Markdown and JSON
profiles with its source, while the UN DESA series stays exactly as it was.

The store is the session's ingest of ../shared/data (skipped with a reason without it); the
user's files are written here, in the layouts such offices publish (a title row above a
Russian header, a space as thousands separator)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import DB_FILE, copy_store

VALUE = "317 900"  # as the office writes it: a space groups the thousands
EXPECTED = 317900.0
TITLE = "Labour migrants abroad"
SOURCE = "National Bureau of Statistics of the Republic of Moldova, Labour Force Survey"


def _import_args(path: Path, *extra: str) -> list[str]:
    return [
        "import", str(path), "--indicator", "labour_migrants_abroad",
        "--geo-col", "Страна", "--year-col", "Год", "--value-col", "Численность",
        "--unit", "persons", "--title", TITLE,
        "--definition", "Persons aged 15 and over working or looking for work abroad",
        "--concept", "emigrant_stock", "--source-name", SOURCE,
        "--licence", "not stated by the publisher", "--edition", "2009", *extra,
    ]  # fmt: skip


def _cp1251_csv(path: Path) -> Path:
    text = f"Страна;Год;Численность\r\nРеспублика Молдова;2009;{VALUE}\r\n"
    path.write_bytes(text.encode("cp1251"))
    return path


def _xlsx(path: Path) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Трудовые мигранты"
    ws.append(["Таблица 1. Трудовые мигранты за рубежом"])
    ws.append([])
    ws.append(["Страна", "Год", "Численность"])
    ws.append(["Республика Молдова", 2009, EXPECTED])
    wb.save(path)
    return path


@pytest.fixture(scope="module", params=["csv", "xlsx"])
def imported(request, shared_ingest, run_cli, tmp_path_factory):
    """(home, the import's result, emigrant_stock MDA as get gave it before the import)."""
    home = tmp_path_factory.mktemp(f"national_{request.param}")
    copy_store(shared_ingest.db, home / DB_FILE)
    before = run_cli("get", "emigrant_stock", "MDA", "--format", "json", home=home)
    assert before.returncode == 0, before.stderr
    folder = tmp_path_factory.mktemp(f"nso_{request.param}")
    path = (
        _cp1251_csv(folder / "labour_migrants.csv")
        if request.param == "csv"
        else _xlsx(folder / "labour_migrants.xlsx")
    )
    result = run_cli(*_import_args(path), home=home)
    return home, result, json.loads(before.stdout)


@pytest.fixture(scope="module")
def built(imported, run_cli, tmp_path_factory) -> dict[str, Path]:
    home = imported[0]
    out = tmp_path_factory.mktemp("national_out")
    result = run_cli("build", "MDA", "--format", "html,pdf,md,json", "--out", out, home=home,
                     timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {ext: out / f"MDA.{ext}" for ext in ("html", "pdf", "md", "json")}


def test_import_succeeds_and_says_where_it_goes(imported):
    _, result, _ = imported
    assert result.returncode == 0, result.stderr
    assert "imported 1 rows" in result.stdout
    assert "shown beside emigrant_stock" in result.stdout


def test_get_reads_the_users_indicator_with_its_provenance(imported, run_cli):
    home = imported[0]
    got = run_cli("get", "labour_migrants_abroad", "MDA", "--format", "json", home=home)
    assert got.returncode == 0, got.stderr
    (row,) = json.loads(got.stdout)
    assert (row["year"], row["value"], row["edition"]) == (2009, EXPECTED, "2009")
    assert row["source"].startswith("import:national-bureau-of-statistics")
    assert len(row["sha256"]) == 64
    import migprofile

    with migprofile.open_store(home / DB_FILE) as store:
        mine = [r for r in store.source_rows() if r["source"] == row["source"]]
    assert mine and mine[0]["licence"] == "not stated by the publisher"
    assert mine[0]["title"] == SOURCE


def test_indicators_lists_it(imported, run_cli):
    listed = run_cli("indicators", home=imported[0])
    assert listed.returncode == 0, listed.stderr
    assert "labour_migrants_abroad" in listed.stdout and "emigrant_stock" in listed.stdout


def test_the_un_desa_series_is_unchanged(imported, run_cli):
    home, _, before = imported
    after = run_cli("get", "emigrant_stock", "MDA", "--format", "json", home=home)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == before
    assert not [r for r in before if r["year"] == 2009]


def test_json_profile_shows_it_beside_the_emigrant_stock(built, imported, run_cli):
    home = imported[0]
    profile = json.loads(built["json"].read_text(encoding="utf-8"))
    (n,) = profile["national"]["figures"]
    assert n["figure"]["value"] == EXPECTED and n["figure"]["year"] == 2009
    assert n["figure"]["citation"].startswith(SOURCE)
    assert n["concept"] == "emigrant_stock"
    # no 2009 in the international series: the estimates around it, no gap across years
    assert n["same_year"] is None and n["gap_pct"] is None
    assert n["before"]["year"] < 2009 < n["after"]["year"]
    series = json.loads(
        run_cli("get", "emigrant_stock", "MDA", "--format", "json", home=home).stdout
    )
    by_year = {r["year"]: r["value"] for r in series if r["sex"] == "total"}
    assert n["before"]["value"] == by_year[n["before"]["year"]]
    assert n["after"]["value"] == by_year[n["after"]["year"]]
    # never inside the series: the emigration chart's points are the UN DESA ones
    emig = next(s for s in profile["sections"] if s["id"] == "emigration")
    points = emig["series"]["emigrant_stock"]["points"]
    assert {p["year"] for p in points} == set(by_year)
    assert all(p["indicator"] == "emigrant_stock" for p in points)


def test_html_markdown_and_pdf_show_it_with_its_source(built):
    html = built["html"].read_text(encoding="utf-8")
    md = built["md"].read_text(encoding="utf-8")
    pdf = subprocess.run(
        ["pdftotext", "-layout", str(built["pdf"]), "-"], capture_output=True, text=True,
        check=False,
    ).stdout  # fmt: skip
    for text in (html, md, " ".join(pdf.split())):
        assert "National data system" in text
        assert "317,900" in text
        assert TITLE in text
        assert "Emigrant stock" in text
    assert SOURCE in html and SOURCE in md
    assert "no gap computed across different years" in md


def test_importing_into_a_standard_id_keeps_the_series(shared_store_copy, run_cli, tmp_path):
    """A country-pair row imported as migrant_stock stays a source of its own."""
    home = shared_store_copy.parent
    before = run_cli("get", "emigrant_stock", "MDA", "--format", "json", home=home)
    pair = tmp_path / "pair.csv"
    pair.write_text("to,from,year,value\nRussian Federation,Republic of Moldova,2009,317900\n")
    result = run_cli(
        "import", pair, "--indicator", "migrant_stock", "--geo-col", "to", "--partner-col",
        "from", "--year-col", "year", "--value-col", "value", "--unit", "persons",
        "--source-name", "NBS", "--licence", "CC BY 4.0", "--edition", "2009", home=home,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "kept apart as source import:nbs" in result.stdout
    after = run_cli("get", "emigrant_stock", "MDA", "--format", "json", home=home)
    assert json.loads(after.stdout) == json.loads(before.stdout)
    own = run_cli("get", "migrant_stock", "RUS", "--partner", "MDA", "--source", "import:nbs",
                  "--format", "json", home=home)  # fmt: skip
    assert [r["value"] for r in json.loads(own.stdout)] == [EXPECTED]


@pytest.mark.parametrize(
    ("drop", "message"),
    [
        ("--licence", "--licence: required"),
        ("--source-name", "--source-name: required"),
        ("--edition", "--edition: required"),
    ],
)
def test_provenance_options_are_required(drop, message, tmp_path, cli):
    path = _cp1251_csv(tmp_path / "f.csv")
    args = _import_args(path)
    i = args.index(drop)
    del args[i : i + 2]
    result = cli(*args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--indicator": "labour migrants"}, "--indicator: 'labour migrants'"),
        ({"--concept": "emigrants"}, "--concept: 'emigrants' is not a catalogue id"),
        ({"--indicator": "emigrant_stock"}, "is a standard indicator"),
    ],
)
def test_bad_indicator_options_are_one_line(change, message, tmp_path, cli):
    path = _cp1251_csv(tmp_path / "f.csv")
    args = _import_args(path)
    for option, value in change.items():
        args[args.index(option) + 1] = value
    result = cli(*args)
    assert result.returncode == 1, result.stdout
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_id_without_title_says_how_to_create_it(tmp_path, cli):
    path = _cp1251_csv(tmp_path / "f.csv")
    args = _import_args(path)
    i = args.index("--title")
    del args[i : i + 2]
    i = args.index("--definition")
    del args[i : i + 2]
    i = args.index("--concept")
    del args[i : i + 2]
    result = cli(*args)
    assert result.returncode == 1
    assert "give --title" in result.stderr


def test_portal_shows_the_section_and_the_users_indicator(imported):
    import io
    import zipfile

    from fastapi.testclient import TestClient

    from migprofile.web import create_app

    home = imported[0]
    with TestClient(create_app(home / DB_FILE)) as client:
        listed = client.get("/api/indicators").json()
        mine = [i for i in listed if i["id"] == "labour_migrants_abroad"]
        assert mine and mine[0]["title"] == TITLE
        data = client.get("/api/indicators/labour_migrants_abroad/data?geo=MDA").json()
        rows = data["rows"] if isinstance(data, dict) else data
        assert [r["value"] for r in rows] == [EXPECTED]
        page = client.get("/country/MDA")
        assert page.status_code == 200
        assert "National data system" in page.text and "317,900" in page.text
        assert "labour_migrants_abroad" in client.get("/indicators").text
        z = zipfile.ZipFile(io.BytesIO(client.get("/download/MDA.zip").content))
        csv_text = z.read("data.csv").decode("utf-8")
        assert "labour_migrants_abroad" in csv_text and "317900" in csv_text
        profile = json.loads(z.read("profile.json"))
        assert profile["national"]["figures"][0]["figure"]["value"] == EXPECTED
        readme = z.read("README.md").decode("utf-8")
        assert SOURCE in readme and "not stated by the publisher" in readme

"""A file must end where its layout ends (issue 11, item 2): cut files are refused, naming the
file and the last line read, whatever the byte at which they were cut.

Fixtures are built here in each publisher's layout; the real files are cut in
benchmarks/reliability.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import fixtures as fx
from migprofile.errors import MigprofileError
from migprofile.ingest import harmoniser_for, recognise
from migprofile.sources import REGISTRY
from source_cases import m49_overview
from test_rpw import write_databank


def parse(path: Path):
    match = recognise(path, list(REGISTRY))
    assert match is not None, f"{path.name} not recognised"
    return match.source.parse(match, harmoniser_for(None))


def cut(path: Path, keep: int, name: str | None = None) -> Path:
    out = path.with_name(name or "cut_" + path.name)
    out.write_bytes(path.read_bytes()[:keep])
    return out


def last_line_start(data: bytes) -> int:
    return data.rstrip(b"\r\n").rfind(b"\n") + 1


def test_wdi_bulk_csv_cut_mid_number_is_refused(tmp_path):
    path = fx.wdi_bulk_csv(tmp_path / "a")
    data = path.read_bytes()
    whole = parse(path).table
    assert whole.num_rows > 0
    assert parse(cut(path, len(data) - 1)).table.equals(whole)  # only the LF of CRLF gone
    for keep in (len(data) - 3, len(data) - 30, len(data) // 2):
        bad = cut(path, keep, path.name)  # same name: companions still found
        with pytest.raises(MigprofileError, match=r"cut short") as exc:
            parse(bad)
        assert bad.name in str(exc.value) and "row " in str(exc.value)
        bad.write_bytes(data)


def test_wdi_bulk_csv_cut_at_a_line_break_is_refused_by_its_last_row(tmp_path):
    path = fx.wdi_bulk_csv(tmp_path / "a")
    data = path.read_bytes()
    path.write_bytes(data[: last_line_start(data)])  # the Zimbabwe row gone, ends with CRLF
    with pytest.raises(MigprofileError, match=r"ends with 'WLD'.*'ZWE'.*cut short"):
        parse(path)


def test_wdi_bulk_excel_without_its_last_economy_is_refused(tmp_path):
    assert parse(fx.wdi_bulk_xls(tmp_path / "a.xls")).table.num_rows > 0
    path = fx.wdi_bulk_xls(tmp_path / "b.xls", complete=False)
    with pytest.raises(MigprofileError, match=r"sheet 'Data'.*ends with 'WLD'.*'ZWE'.*cut short"):
        parse(path)


def test_wdi_long_csv_cut_mid_line_is_refused(tmp_path):
    path = fx.wdi_long_csv(tmp_path / "SP.POP.TOTL.csv", code="SP.POP.TOTL")
    data = path.read_bytes()
    parse(path)
    with pytest.raises(MigprofileError, match=r"ends mid-line.*cut short"):
        parse(cut(path, len(data) - 2))


def test_datahub_gdp_cut_inside_its_last_number_is_refused(tmp_path):
    # datahub writes no final line break, so the cut is seen by the value's size
    rows = [
        "Country Name,Country Code,Year,Value",
        "Moldova,MDA,2022,14510000000.5",
        "Zimbabwe,ZWE,2022,27366627153.095413",
        "Zimbabwe,ZWE,2023,26538273498.84614",
    ]
    path = tmp_path / "datahub_gdp.csv"
    path.write_text("\n".join(rows), encoding="utf-8")
    assert parse(path).table.num_rows == 3
    with pytest.raises(MigprofileError, match=r"last value '2653827'.*cut short"):
        parse(cut(path, len(path.read_bytes()) - 10, "gdp_cut.csv"))
    # a whole line gone: the table no longer ends with Zimbabwe... unless Zimbabwe is still
    # last; with Moldova last it is refused
    path.write_text("\n".join(rows[:2]), encoding="utf-8")
    with pytest.raises(MigprofileError, match=r"ends with 'MDA'.*'ZWE'"):
        parse(path)


def test_gmdac_extract_cut_mid_number_is_refused(tmp_path):
    path = tmp_path / "gdiviz_stocks.csv"
    path.write_text("to,from,t,sex,v\nMDA,XXX,2020,Male,1234.0\nMDA,XXX,2020,Female,5678.0\n")
    assert parse(path).table.num_rows == 3  # male, female and their total
    with pytest.raises(MigprofileError, match=r"ends mid-line.*'MDA,XXX,2020,Female,56'"):
        parse(cut(path, len(path.read_bytes()) - 5, "gdiviz_cut.csv"))


def test_unhcr_population_cut_mid_line_is_refused(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text(
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers\n"
        "2024,Ukraine,UKR,UKR,Rep. of Moldova,MDA,MDA,135486,10\n"
    )
    parse(path)
    with pytest.raises(MigprofileError, match=r"row 2: the file ends mid-line"):
        parse(cut(path, len(path.read_bytes()) - 4, "population_cut.csv"))


@pytest.mark.parametrize("drop", ["Last Updated", "Data from database"])
def test_databank_without_its_footer_is_refused(tmp_path, drop):
    footer = tuple(
        line
        for line in (
            "Data from database: Remittance Prices Worldwide (Corridors)",
            "Last Updated: 12/07/2020",
        )
        if not line.startswith(drop)
    )
    path = write_databank(tmp_path / "c_Data.csv", footer=footer)
    with pytest.raises(MigprofileError, match=rf"no '{drop}:' line at the end.*cut short"):
        parse(path)


def test_databank_cut_inside_its_footer_is_refused(tmp_path):
    path = write_databank(tmp_path / "c_Data.csv")
    data = path.read_bytes()
    assert parse(path).table.num_rows > 0
    with pytest.raises(MigprofileError, match=r"cut short"):
        parse(cut(path, data.rindex(b"/2020"), "c2_Data.csv"))


def test_m49_overview_without_its_last_area_is_refused(tmp_path):
    path = m49_overview(tmp_path)
    parse(path)
    data = path.read_bytes()
    path.write_bytes(data[: last_line_start(data)])
    with pytest.raises(MigprofileError, match=r"ends with 'ARM'.*'WLF'"):
        parse(path)


def test_nul_bytes_in_a_csv_are_refused(tmp_path):
    """A zeroed block (or NULs inside a name) is a corrupted file, never stored text."""
    path = fx.wdi_long_csv(tmp_path / "SP.POP.TOTL.csv", code="SP.POP.TOTL")
    data = path.read_bytes()
    at = data.index(b"Moldova") + 3
    path.write_bytes(data[:at] + b"\x00" * 8 + data[at:])
    with pytest.raises(MigprofileError, match=r"row \d+: NUL bytes in the text"):
        parse(path)


def test_nul_bytes_in_a_tidy_extract_are_refused(tmp_path):
    path = tmp_path / "gdiviz_stocks.csv"
    path.write_bytes(b"to,from,t,sex,v\nMD\x00\x00,UKR,2020,Male,12.0\nMDA,XXX,2020,Female,5.0\n")
    with pytest.raises(MigprofileError, match=r"row 2: NUL bytes"):
        parse(path)


def test_indicator_metadata_with_only_its_header_is_refused(tmp_path):
    path = tmp_path / "Metadata_Indicator_API_SP.POP.TOTL_DS2_en_csv_v2_1.csv"
    path.write_bytes(b'"INDICATOR_CODE","INDICATOR_NAME","SOURCE_NOTE","SOURCE_ORGANIZATION",\r\n')
    with pytest.raises(MigprofileError, match=r"no indicator row below the header"):
        parse(path)


def test_unhcr_country_lookup_cut_before_its_last_row_is_refused(tmp_path):
    from test_unhcr import COUNTRIES_FIELDS, COUNTRIES_ROWS, write_csv

    path = write_csv(tmp_path / "unhcr_refugees_pkg_countries.csv",
                     [COUNTRIES_FIELDS, *COUNTRIES_ROWS[:-1]])  # fmt: skip
    with pytest.raises(MigprofileError, match=r"ends with 'XXX'.*'ZWE'"):
        parse(path)


def test_a_file_rewritten_while_it_is_read_is_refused_or_read_whole(tmp_path, monkeypatch):
    """Two versions of the same length written over each other while ingest reads: the bytes
    parsed are always one whole version (both reads agree, and the file stays unchanged for
    the quiet time after), or the file is refused."""
    import threading

    from migprofile.sources.base import LIMITS, read_limited

    monkeypatch.setattr(LIMITS, "quiet_seconds", 0.2)
    path = tmp_path / "big.csv"
    a, b = b"a" * 4_000_000, b"b" * 4_000_000
    path.write_bytes(a)
    stop = threading.Event()

    def rewrite() -> None:
        while not stop.is_set():
            for version in (b, a):
                with path.open("r+b") as fh:
                    for i in range(0, len(version), 500_000):
                        fh.write(version[i : i + 500_000])

    t = threading.Thread(target=rewrite)
    t.start()
    try:
        outcomes = set()
        for _ in range(5):
            try:
                data = read_limited(path)
            except MigprofileError as exc:
                assert "changed while being read" in str(exc)
                outcomes.add("refused")
            else:
                assert data in (a, b), "a torn read was returned"
                outcomes.add("whole")
    finally:
        stop.set()
        t.join()
    assert outcomes == {"refused"}  # the writer never pauses for the quiet time
    assert read_limited(path) in (a, b)  # once the writer has stopped, read whole


def test_gmdac_extract_cut_at_a_line_break_is_refused(tmp_path):
    """Cut at a line break, the last pair would keep its males only (total = males)."""
    path = tmp_path / "gdiviz_stocks.csv"
    path.write_text("to,from,t,sex,v\nMDA,XXX,2020,Male,1234.0\nMDA,XXX,2020,Female,5678.0\n")
    parse(path)
    data = path.read_bytes()
    path.write_bytes(data[: last_line_start(data)])
    with pytest.raises(MigprofileError, match=r"ends with 'MDA,XXX,2020,Male,1234.0'.*cut short"):
        parse(path)

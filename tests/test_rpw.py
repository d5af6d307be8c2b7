"""Remittance Prices Worldwide: the DataBank corridor export and the provider-level workbook.

Fixtures are built by code in the publisher's layouts with made-up values; the integration tests
at the end read the real DataBank export in ../shared/data/rpw.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

import migprofile
from fixtures import DATABANK_ID_COLUMNS, one, parse_with, rows
from migprofile.errors import ParseError
from migprofile.geo import build_harmoniser
from migprofile.indicators import observations
from migprofile.ingest import ingest, recognise
from migprofile.sources import REGISTRY
from migprofile.sources.rpw._common import parse_quarter
from migprofile.sources.rpw.rpw_corridors import RpwCorridors
from migprofile.sources.rpw.rpw_providers import RpwProviders, firm_slug, instrument_class

QUARTERS = ["2019Q3", "2020Q1", "2020Q2", "2020Q3"]
DATABANK_HEADER = [*DATABANK_ID_COLUMNS, *[f"{q} [YR{q}]" for q in QUARTERS]]
SERIES = ["Average Total Cost to remit in corridor", "ATCR.CORR"]


def databank_rows():
    return [
        ["Russian Federation", "RUS", *SERIES, "Armenia", "ARM", "1.5", "1.25", "..", "2"],
        ["Russian Federation", "RUS", *SERIES, "Azerbaijan", "AZE", "..", "..", "..", "0.75"],
        ["Russian Federation", "RUS", *SERIES, "Albania", "ALB", "..", "..", "..", ".."],
        ["Austria", "AUT", *SERIES, "Kosovo", "KSV", "7", "6.5", "6", ".."],
    ]


def write_databank(
    path: Path,
    rows=None,
    *,
    header=None,
    footer=(
        "Data from database: Remittance Prices Worldwide (Corridors)",
        "Last Updated: 12/07/2020",
    ),
    above=(),
) -> Path:
    header = header or DATABANK_HEADER
    width = len(header)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        for line in above:
            w.writerow([line] + [""] * (width - 1))
        w.writerow(header)
        for row in databank_rows() if rows is None else rows:
            w.writerow(row)
        if footer:
            for _ in range(3):
                w.writerow([""] * width)
            for line in footer:
                w.writerow([line] + [""] * (width - 1))
    return path


def parse(source, path: Path):
    return parse_with(source, path)[0]


# --- DataBank corridor export ------------------------------------------------------------------


def test_databank_quarters_annual_means_and_provenance(tmp_path):
    path = write_databank(tmp_path / "rpw_corridors_Data.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    pf = parse(RpwCorridors(), path)
    t = pf.table
    assert pf.edition == "2020-12-07" and pf.edition_order == "2020-12-07"
    q3 = one(t, geo="ARM", partner="RUS", period="2020Q3")
    assert q3["value"] == 2.0 and q3["year"] == 2020 and q3["unit"] == "%"
    assert q3["indicator"] == "remittance_cost_corridor_pct"
    assert (q3["sheet"], q3["row"], q3["col"]) == (None, 2, "2020Q3 [YR2020Q3]")
    annual = one(t, geo="ARM", partner="RUS", year=2020, period="")
    assert annual["value"] == pytest.approx((1.25 + 2) / 2)
    assert annual["note"] == "mean of 2 quarters (2020Q1, 2020Q3)"
    assert annual["row"] == 2 and annual["col"] == "2020Q1 [YR2020Q1]"
    one_q = one(t, geo="ARM", partner="RUS", year=2019, period="")
    assert one_q["value"] == 1.5 and one_q["note"] == "mean of 1 quarter (2019Q3)"
    # '..' cells are skipped; a corridor with nothing surveyed gives no rows at all
    assert not rows(t, geo="ALB")
    assert not rows(t, geo="ARM", period="2020Q2")
    assert one(t, geo="AZE", partner="RUS", period="")["value"] == 0.75
    # Kosovo's RPW code KSV is the ISO code XKX, and the note says so
    assert one(t, geo="XKX", partner="AUT", year=2020, period="")["value"] == pytest.approx(6.25)
    assert "KSV read as XKX" in pf.note
    assert "Remittance Prices Worldwide (Corridors)" in pf.note
    assert [(i.indicator, i.name) for i in pf.indicators] == [
        ("remittance_cost_corridor_pct", "Average Total Cost to remit in corridor")
    ]
    assert len(t) == (3 + 2) + (1 + 1) + (3 + 2)  # quarters + years: ARM, AZE, XKX


def test_databank_recognised_by_content_whatever_the_name(tmp_path):
    path = write_databank(tmp_path / "36d1ed87-9a2d_Data.csv")
    match = recognise(path, list(REGISTRY))
    assert match is not None and match.source.id == "rpw_corridors"
    assert match.layout == "rpw-databank-csv"
    assert RpwCorridors().claims_name(Path("rpw_corridors_databank_Data.csv"))
    assert not RpwCorridors().claims_name(path)


def test_databank_header_variants_are_accepted(tmp_path):
    header = [
        "Sending Country Name",
        "SENDING COUNTRY CODE",
        "Series Name",
        "Series  Code",
        "Receiving Country Name",
        "Receiving Country Code",
        *QUARTERS,  # no '[YR...]' suffix
    ]
    path = write_databank(tmp_path / "x_Data.csv", header=header)
    t = parse(RpwCorridors(), path).table
    assert one(t, geo="ARM", partner="RUS", period="2020Q3")["value"] == 2.0
    assert one(t, geo="ARM", partner="RUS", period="2020Q3")["col"] == "2020Q3"


def test_databank_header_moved_down_keeps_line_numbers(tmp_path):
    path = write_databank(tmp_path / "x_Data.csv", above=("Remittance Prices Worldwide", ""))
    t = parse(RpwCorridors(), path).table
    assert one(t, geo="ARM", partner="RUS", period="2020Q3")["row"] == 4


def test_databank_header_gone_is_an_error_when_the_name_claims_it(tmp_path):
    header = ["From", "From code", "Series Name", "Series Code", "To", "To code", *QUARTERS]
    path = write_databank(tmp_path / "rpw_corridors_Data.csv", header=header)
    with pytest.raises(ParseError, match="content does not match"):
        recognise(path, list(REGISTRY))


def test_databank_without_quarter_columns_is_not_recognised(tmp_path):
    header = [*DATABANK_HEADER[:6], "2019 [YR2019]", "2020 [YR2020]", "x", "y"]
    other = write_databank(tmp_path / "x_Data.csv", header=header)
    assert recognise(other, list(REGISTRY)) is None  # some other DataBank export
    named = write_databank(tmp_path / "rpw_corridors_Data.csv", header=header)
    with pytest.raises(ParseError, match="content does not match"):
        recognise(named, list(REGISTRY))


def test_databank_text_in_a_value_cell_names_line_and_column(tmp_path):
    rows = databank_rows()
    rows[1][8] = "n.a. (see note)"
    path = write_databank(tmp_path / "x_Data.csv", rows)
    with pytest.raises(ParseError) as err:
        parse(RpwCorridors(), path)
    assert err.value.row == 3
    assert "2020Q2 [YR2020Q2]" in str(err.value) and "n.a. (see note)" in str(err.value)
    assert "x_Data.csv" in str(err.value)


def test_databank_unknown_code_is_an_error_naming_the_line(tmp_path):
    rows = databank_rows()
    rows[2][4:6] = ["Atlantis", "ATL"]
    path = write_databank(tmp_path / "x_Data.csv", rows)
    with pytest.raises(
        ParseError, match="unknown receiving country code 'ATL' \\(Atlantis\\)"
    ) as e:
        parse(RpwCorridors(), path)
    assert e.value.row == 4


def test_databank_unknown_code_with_a_known_name_is_read_by_name_and_noted(tmp_path):
    rows = databank_rows()
    rows[0][5] = "ARX"
    pf = parse(RpwCorridors(), write_databank(tmp_path / "x_Data.csv", rows))
    assert one(pf.table, geo="ARM", partner="RUS", period="2020Q3")["value"] == 2.0
    assert "code ARX (Armenia) not ISO3: read by name as ARM" in pf.note


def test_databank_other_series_are_skipped_with_a_note(tmp_path):
    rows = databank_rows()
    rows.append(
        ["Russian Federation", "RUS", "Something else", "XYZ.CORR", "Armenia", "ARM", *"1234"]
    )
    pf = parse(RpwCorridors(), write_databank(tmp_path / "x_Data.csv", rows))
    assert pf.skipped_rows == 1 and "XYZ.CORR (1 rows)" in pf.note
    assert one(pf.table, geo="ARM", partner="RUS", period="2020Q3")["value"] == 2.0
    only_other = [r for r in rows if r[3] == "XYZ.CORR"]
    with pytest.raises(ParseError, match=r"no values of a known series.*XYZ\.CORR"):
        parse(RpwCorridors(), write_databank(tmp_path / "y_Data.csv", only_other))


def test_databank_edition_dates(tmp_path):
    db = "Data from database: Remittance Prices Worldwide (Corridors)"
    cases = {
        (db, "Last Updated: 03/04/2021"): ("2021-03-04", "2021-03-04"),  # US month/day/year
        (db, "Last Updated: 25/12/2020"): ("2020-12-25", "2020-12-25"),  # only day/month possible
    }
    for n, (footer, (edition, order)) in enumerate(cases.items()):
        pf = parse(RpwCorridors(), write_databank(tmp_path / f"{n}_Data.csv", footer=footer))
        assert (pf.edition, pf.edition_order) == (edition, order)
    assert "2020-12-07" < "2021-03-04"  # ISO dates sort as editions
    bad = write_databank(tmp_path / "bad_Data.csv", footer=(db, "Last Updated: 13/13/2020"))
    with pytest.raises(ParseError, match="not a date"):
        parse(RpwCorridors(), bad)


def test_databank_rows_after_the_footer_are_an_error(tmp_path):
    path = write_databank(tmp_path / "x_Data.csv")
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(databank_rows()[0])
    with pytest.raises(ParseError, match="after the footer"):
        parse(RpwCorridors(), path)


def test_databank_excel_download(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(DATABANK_HEADER)
    for row in databank_rows():
        ws.append([to_cell(c) for c in row])
    ws.append([])
    ws.append(["Data from database: Remittance Prices Worldwide (Corridors)"])
    ws.append(["Last Updated: 12/07/2020"])
    wb.create_sheet("Definition and Source").append(["Code", "Indicator Name"])
    path = tmp_path / "Data_Extract_From_Remittance_Prices_Worldwide.xlsx"
    wb.save(path)
    match = recognise(path, list(REGISTRY))
    assert match is not None and match.source.id == "rpw_corridors"
    pf = match.source.parse(match, build_harmoniser())
    q3 = one(pf.table, geo="ARM", partner="RUS", period="2020Q3")
    assert (q3["value"], q3["sheet"], q3["row"], q3["col"]) == (2.0, "Data", 2, "J")
    assert pf.edition == "2020-12-07"


def to_cell(text):
    try:
        return float(text)
    except ValueError:
        return text


# --- provider-level workbook -------------------------------------------------------------------

POST_HEADER = [
    "id", "period", "source_code", "source_name", "source_region", "destination_code",
    "destination_name", "firm", "firm_type", "payment instrument", "access point",
    "speed actual", "cc1 lcu amount", "cc1 lcu fee", "cc1 fx margin", "cc1 total cost %",
    "cc2 lcu amount", "cc2 lcu fee", "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx",
    "transparent", "Standard Note", "receiving network coverage", "pickup location",
    "pickup method", "date", "corridor",
]  # fmt: skip
CC1 = "P"  # column letters of 'cc1 total cost %' and 'cc2 total cost %' above
CC2 = "T"


def post_row(
    period, src, dst, firm, firm_type, instrument, access, pickup, cc1, cc2, transparent="yes"
):
    names = {"RUS": "Russian Federation", "ARM": "Armenia", "USA": "United States", "MEX": "Mexico"}
    return [
        1, period, src, names.get(src, src), "..", dst, names.get(dst, dst), firm, firm_type,
        instrument, access, "Same day", 20000, 100, 1.0, cc1, 50000, 200, 1.0, cc2, 400,
        transparent, "", "Nationwide", "", pickup, "14/Jul/2023", src + dst,
    ]  # fmt: skip


def post_rows():
    ru_am = ("2023_3Q", "RUS", "ARM")
    mto = "Money Transfer Operator"
    return [
        post_row(*ru_am, "Bank A", "Bank", "Bank account", "Branch", "Cash", 2.0, 1.0),
        post_row(*ru_am, "Fast MTO", mto, "Bank account,Debit card", "Online", "Bank account",
                 1.0, 0.5),
        post_row(*ru_am, "Fast MTO", mto, "Cash", "Agent", "Cash", 3.0, 2.0),
        # text number as in the 2024 rows; cc2 blank
        post_row(*ru_am, "Post RU", "Post office", "Cash", "Branch", "Cash", "9.00", None),
        # not transparent: left out of every mean
        post_row(*ru_am, "Opaque", "Bank", "Cash", "Branch", "Cash", 0.5, 0.5, transparent="no"),
        post_row("2023_1Q", "RUS", "ARM", "Bank A", "Bank", "Mobile money", "Mobile app",
                 "Mobile money", 4.0, 3.0),
        post_row("2023_3Q", "USA", "MEX", "Wallet Co", "Mobile operator", "E-wallet",
                 "Mobile app", "Mobile money", 5.0, 4.0),
        post_row("2023_3Q", "RUS", "XKX", "Bank A", "Credit union", "Carrier pigeon", "Online",
                 "Bank account", 6.0, 5.0),
    ]  # fmt: skip


LEGACY_HEADER = [
    "id", "period", "source_code", "source_name", "destination_code", "destination_name",
    "firm", "firm_type", "product", "sending location", "coverage", "pick-up method",
    "cc1 total cost %", "cc2 total cost %", "transparent", "note1", "note2",
]  # fmt: skip


def write_provider_workbook(path: Path, rows=None, legacy=None, header=None) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "Terms of Use"
    wb.active["B28"] = "REFERENCES"
    legend = wb.create_sheet("Legend")
    legend.append(["Field", "Definition"])
    legend.append(["cc(X) total cost %", "Total cost of the transaction in percent"])
    wb.create_sheet("Countries").append(["Countries"])
    if legacy is not None:
        old = wb.create_sheet("Dataset (up to Q1 2016)")
        old.append(LEGACY_HEADER)
        for row in legacy:
            old.append(row)
    ws = wb.create_sheet("Dataset (from Q2 2016)")
    ws.append(header or POST_HEADER)
    for row in post_rows() if rows is None else rows:
        ws.append(row)
    wb.save(path)
    return path


def test_provider_workbook_corridor_means_and_breakdowns(tmp_path):
    path = write_provider_workbook(tmp_path / "rpw_dataset_2011_2023_q3.xlsx")
    match = recognise(path, list(REGISTRY))
    assert match is not None and match.source.id == "rpw_providers"
    assert match.context["sheets"] == ["Dataset (from Q2 2016)"]
    pf = match.source.parse(match, build_harmoniser())
    t = pf.table
    assert (pf.edition, pf.edition_order) == ("2023Q3", "2023Q3")
    sheet = "Dataset (from Q2 2016)"

    q3 = one(t, indicator="remittance_cost_corridor_pct", geo="ARM", partner="RUS", period="2023Q3")
    assert q3["value"] == pytest.approx((2 + 1 + 3 + 9) / 4)  # non-transparent 0.5 left out
    assert q3["year"] == 2023 and q3["unit"] == "%"
    assert (q3["sheet"], q3["row"], q3["col"]) == (sheet, 2, CC1)
    assert q3["note"] == "mean of 4 services from 3 providers (rows 2–5)"
    q3_500 = one(t, indicator="remittance_cost_corridor_500_pct", geo="ARM", partner="RUS",
                 period="2023Q3")  # fmt: skip
    assert q3_500["value"] == pytest.approx((1 + 0.5 + 2) / 3) and q3_500["col"] == CC2

    annual = one(t, indicator="remittance_cost_corridor_pct", geo="ARM", partner="RUS", period="")
    assert annual["value"] == pytest.approx((3.75 + 4.0) / 2)
    assert annual["note"] == "mean of 2 quarters (2023Q1, 2023Q3); 5 services in all"

    def value(indicator, period="2023Q3", geo="ARM"):
        return one(t, indicator=indicator, geo=geo, partner="RUS" if geo != "MEX" else "USA",
                   period=period)["value"]  # fmt: skip

    # digital-only: account/card sent online, paid into an account; cash: any cash or counter
    assert value("rpw_cost_200_digital_pct") == 1.0
    assert value("rpw_cost_200_cash_pct") == pytest.approx((2 + 3 + 9) / 3)
    assert value("rpw_cost_500_digital_pct") == 0.5
    assert value("rpw_cost_500_cash_pct") == pytest.approx((1 + 2) / 2)
    assert value("rpw_cost_200_digital_pct", period="2023Q1") == 4.0
    assert value("rpw_cost_200_digital_pct", geo="MEX") == 5.0
    assert value("rpw_cost_500_digital_pct", geo="MEX") == 4.0
    # by type of firm
    assert value("rpw_cost_200_firm_bank_pct") == 2.0
    assert value("rpw_cost_200_firm_mto_pct") == 2.0
    assert value("rpw_cost_200_firm_post_pct") == 9.0
    assert value("rpw_cost_200_firm_mno_pct", geo="MEX") == 5.0
    assert value("rpw_cost_200_firm_other_pct", geo="XKX") == 6.0
    mto = one(t, indicator="rpw_cost_200_firm_mto_pct", geo="ARM", period="2023Q3")
    assert mto["note"] == "mean of 2 services from 1 provider (rows 3–4)"
    # an unclassifiable instrument is in the overall mean but in neither class, and is named
    assert value("remittance_cost_corridor_pct", geo="XKX") == 6.0
    assert not rows(t, indicator="rpw_cost_200_cash_pct", geo="XKX")
    assert "carrier pigeon" in pf.note and "Credit union" in pf.note
    assert "1 non-transparent services" in pf.note
    ids = set(t.column("indicator").to_pylist())
    assert ids == {
        "remittance_cost_corridor_pct",
        "remittance_cost_corridor_500_pct",
        "rpw_cost_200_digital_pct",
        "rpw_cost_200_cash_pct",
        "rpw_cost_500_digital_pct",
        "rpw_cost_500_cash_pct",
        "rpw_cost_200_firm_bank_pct",
        "rpw_cost_200_firm_mto_pct",
        "rpw_cost_200_firm_post_pct",
        "rpw_cost_200_firm_mno_pct",
        "rpw_cost_200_firm_other_pct",
    }
    assert {i.indicator for i in pf.indicators} >= ids


def test_provider_workbook_legacy_sheet_is_read_too(tmp_path):
    legacy = [
        [1, "2011_1Q", "RUS", "Russia", "ARM", "Armenia", "Bank A", "Bank", "Account to Account",
         "Internet", "Nationwide", "Bank account", 3.0, 2.0, "yes", "", ""],
        [2, "2011_1Q", "RUS", "Russia", "ARM", "Armenia", "MTO B", "Money Transfer Operator",
         "Cash to Cash", "Not available", "Nationwide", "Cash", 5.0, 4.0, "yes", "", ""],
    ]  # fmt: skip
    path = write_provider_workbook(tmp_path / "rpw_dataset_2011_2023_q3.xlsx", legacy=legacy)
    pf = parse(RpwProviders(), path)
    t = pf.table
    q1 = one(t, indicator="remittance_cost_corridor_pct", geo="ARM", period="2011Q1")
    assert q1["value"] == 4.0 and q1["sheet"] == "Dataset (up to Q1 2016)" and q1["col"] == "M"
    assert one(t, indicator="rpw_cost_200_digital_pct", geo="ARM", period="2011Q1")["value"] == 3.0
    assert one(t, indicator="rpw_cost_200_cash_pct", geo="ARM", period="2011Q1")["value"] == 5.0
    assert one(t, indicator="remittance_cost_corridor_500_pct", geo="ARM", year=2011,
               period="")["value"] == 3.0  # fmt: skip


def test_provider_csv_and_edition_from_data(tmp_path):
    path = tmp_path / "rpw_extract.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(POST_HEADER)
        for row in post_rows()[:3]:
            w.writerow(row)
    pf = parse(RpwProviders(), path)
    q3 = one(pf.table, indicator="remittance_cost_corridor_pct", geo="ARM", period="2023Q3")
    assert q3["value"] == 2.0 and q3["sheet"] is None and q3["col"] == "cc1 total cost %"
    assert pf.edition == "2023Q3" and "latest quarter" in pf.note


def test_provider_text_in_a_cost_cell_names_sheet_row_and_column(tmp_path):
    rows = post_rows()
    rows[2][15] = "about 3"
    path = write_provider_workbook(tmp_path / "rpw_dataset_2011_2023_q3.xlsx", rows)
    with pytest.raises(ParseError) as err:
        parse(RpwProviders(), path)
    assert err.value.sheet == "Dataset (from Q2 2016)" and err.value.row == 4
    assert "cc1 total cost %" in str(err.value) and "P4" in str(err.value)


def test_provider_bad_period_and_unknown_code(tmp_path):
    rows = post_rows()
    rows[1][1] = "third quarter"
    path = write_provider_workbook(tmp_path / "rpw_dataset_2011_2023_q3.xlsx", rows)
    with pytest.raises(ParseError, match="'third quarter' is not a quarter") as err:
        parse(RpwProviders(), path)
    assert err.value.row == 3
    rows = post_rows()
    rows[3][5:7] = ["QQQ", "Nowhere Land"]
    path = write_provider_workbook(tmp_path / "rpw_dataset_2011_2023_q3b.xlsx", rows)
    with pytest.raises(ParseError, match=r"unknown receiving .*'QQQ' \(Nowhere Land\)") as err:
        parse(RpwProviders(), path)
    assert err.value.row == 5


def test_provider_workbook_without_cost_column_is_an_error_by_name(tmp_path):
    header = [h for h in POST_HEADER if h != "cc1 total cost %"]
    rows = [r[:15] + r[16:] for r in post_rows()]
    path = write_provider_workbook(tmp_path / "rpw_dataset_2011_2023_q3.xlsx", rows, header=header)
    with pytest.raises(ParseError, match="content does not match"):
        recognise(path, list(REGISTRY))


def test_both_layouts_end_to_end_through_the_store(tmp_path, home):
    raw = tmp_path / "raw"
    raw.mkdir()
    write_databank(raw / "rpw_corridors_Data.csv")
    write_provider_workbook(raw / "rpw_dataset_2011_2023_q3.xlsx")
    report = ingest(raw_dir=raw, offline=True)
    assert sorted(r[1:3] for r in report.ingested) == [
        ("rpw_corridors", "2020-12-07"),
        ("rpw_providers", "2023Q3"),
    ]
    store = migprofile.open_store()
    try:
        got = observations(store, "remittance_cost_corridor_pct", "ARM", partner="RUS", year=2020)
        assert got.column("value").to_pylist() == [pytest.approx(1.625)]
        assert got.column("source").to_pylist() == ["rpw_corridors"]
        q3 = observations(
            store, "remittance_cost_corridor_pct", "Armenia", partner="RUS", period="2020Q3"
        )
        assert q3.column("value").to_pylist() == [2.0]
        assert q3.column("row").to_pylist() == [2]
        assert q3.column("col").to_pylist() == ["2020Q3 [YR2020Q3]"]
        got = observations(
            store, "remittance_cost_corridor_500_pct", "ARM", partner="RUS", period="2023Q3"
        )
        assert got.column("value").to_pylist() == [pytest.approx(3.5 / 3)]
        assert got.column("edition").to_pylist() == ["2023Q3"]
        assert got.column("sheet").to_pylist() == ["Dataset (from Q2 2016)"]
        got = observations(
            store,
            "remittance_cost_corridor_pct",
            "ARM",
            partner="RUS",
            year=2023,
            source="rpw_providers",
        )
        assert got.column("value").to_pylist() == [pytest.approx((3.75 + 4.0) / 2)]
    finally:
        store.close()


def test_classification_helpers():
    assert instrument_class("Bank account", "Online", "Bank account") == ("digital", [])
    assert instrument_class("Credit Card,Debit card", "Mobile app", "Mobile money")[0] == "digital"
    assert instrument_class("Cash,Mobile money", "Online", "Bank account")[0] == "cash"
    assert instrument_class("Bank account", "Branch", "Bank account")[0] == "cash"
    assert instrument_class("Account to Cash", "Not available", "")[0] == "cash"
    assert instrument_class("", "n/a", "") == (None, [])
    assert instrument_class("Bank account", "Telepathy", "Bank account") == (None, ["telepathy"])
    assert [
        firm_slug(x) for x in ("Bank", "Post Office", "MTO", "Mobile operator", "Bank/MTO")
    ] == [
        "bank",
        "post",
        "mto",
        "mno",
        "other",
    ]
    assert firm_slug("") is None
    assert parse_quarter("2016_2Q") == (2016, 2)
    assert parse_quarter("2020Q3 [YR2020Q3]") == (2020, 3)
    assert parse_quarter("Q1 2011") == (2011, 1)
    assert parse_quarter("2020") is None and parse_quarter(2020) is None


# --- the real DataBank export ------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_store(tmp_path_factory, shared_data):
    folder = shared_data / "rpw"
    if not (folder / "rpw_corridors_databank_Data.csv").is_file():
        pytest.skip("rpw_corridors_databank_Data.csv not in ../shared/data/rpw")
    home = tmp_path_factory.mktemp("home")
    mp = pytest.MonkeyPatch()
    mp.setenv("MIGPROFILE_HOME", str(home))
    mp.delenv("MIGPROFILE_RAW_DIR", raising=False)
    try:
        report = ingest(["rpw_corridors"], raw_dir=folder, offline=True)
        assert [r[1:3] for r in report.ingested] == [("rpw_corridors", "2020-12-07")]
        store = migprofile.open_store()
        yield store
        store.close()
    finally:
        mp.undo()


def real_rows(shared_data) -> list[list[str]]:
    path = shared_data / "rpw" / "rpw_corridors_databank_Data.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_real_armenia_from_russia(real_store, shared_data):
    rows = real_rows(shared_data)
    header = rows[0]
    rec = next(r for r in rows if len(r) > 5 and r[1] == "RUS" and r[5] == "ARM")
    values = [
        float(v) for h, v in zip(header, rec, strict=True) if h.startswith("2020Q") and v != ".."
    ]
    assert values
    got = observations(real_store, "remittance_cost_corridor_pct", "ARM", partner="RUS", year=2020)
    assert got.column("value").to_pylist() == [pytest.approx(sum(values) / len(values))]
    assert got.column("source").to_pylist() == ["rpw_corridors"]
    q3 = observations(
        real_store, "remittance_cost_corridor_pct", "ARM", partner="RUS", period="2020Q3"
    )
    assert q3.column("value").to_pylist() == [2.0]
    line = rows.index(rec) + 1
    assert q3.column("row").to_pylist() == [line]
    assert q3.column("col").to_pylist() == ["2020Q3 [YR2020Q3]"]


@pytest.mark.parametrize(("geo", "expected"), [("AZE", 0.997), ("BLR", 1.598)])
def test_real_russia_corridors_2020q3(real_store, geo, expected):
    got = observations(
        real_store, "remittance_cost_corridor_pct", geo, partner="RUS", period="2020Q3"
    )
    assert got.column("value").to_pylist() == [pytest.approx(expected, abs=5e-4)]


def test_real_every_corridor_with_a_value_is_stored(real_store, shared_data):
    rows = real_rows(shared_data)
    quarter_cols = [j for j, h in enumerate(rows[0]) if "[YR" in h]
    alias = {"KSV": "XKX"}
    expected = {
        (alias.get(r[5], r[5]), alias.get(r[1], r[1]))
        for r in rows[1:]
        if len(r) > 5 and r[3] == "ATCR.CORR" and any(r[j] not in ("..", "") for j in quarter_cols)
    }
    stored = real_store.query(
        "SELECT DISTINCT geo, partner FROM observations WHERE indicator = ? AND period <> ''",
        ["remittance_cost_corridor_pct"],
    )
    assert set(zip(stored.column("geo").to_pylist(), stored.column("partner").to_pylist(),
                   strict=True)) == expected  # fmt: skip
    assert ("XKX", "AUT") in expected

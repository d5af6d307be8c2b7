"""World Bank country classifications: CLASS.xlsx and the income-group history OGHIST.xlsx,
stored as per-geo attributes dated by fiscal year, and read back for "... since FY2022".

Workbooks are built here in the World Bank's layouts (sheet names, header rows, title and
threshold rows, footnotes) with made-up classifications; the real files in
../shared/data-next/wb_country_meta are checked at the end (integration, skipped when absent).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fixtures import recognise_and_parse, write_xlsx
from migprofile.errors import ParseError
from migprofile.sources import REGISTRY
from migprofile.sources.wb_income_groups import (
    by_fiscal_year,
    fiscal_year,
    fiscal_year_keys,
    income_group_keys,
    income_group_since,
    income_history,
)

CLASS_HEADER = [
    "Economy", "Code", "Region", "Income group", "Lending category", "Other (EMU or HIPC)",
]  # fmt: skip
# Made-up classifications, sorted by code as the World Bank lists them.
CLASS_ROWS = [
    ["Austria", "AUT", "Europe & Central Asia", "High income", "", "EMU"],
    ["Moldova", "MDA", "Europe & Central Asia", "Upper middle income", "IBRD", ""],
    ["Russian Federation", "RUS", "Europe & Central Asia", "Upper middle income", "IBRD", ""],
    ["Venezuela, RB", "VEN", "Latin America & Caribbean", "", "IBRD", ""],
    ["Zimbabwe", "ZWE", "Sub-Saharan Africa", "Lower middle income", "Blend", ""],
]
CLASS_NOTES = [
    ["Notes"],
    [
        "This table classifies all World Bank member countries (189), and all other economies "
        "with populations of more than 30,000. For operational and analytical purposes, "
        "economies are divided among income groups according to 2022 gross national income "
        "(GNI) per capita, calculated using the World Bank Atlas method."
    ],
    [],
    [
        "Note: The term country, used interchangeably with economy, does not imply political "
        "independence. Income classifications set on 1 July 2022 remain in effect until 1 July "
        "2023. Venezuela has been temporarily unclassified since July 2021."
    ],
]
GROUPS = [
    ["GroupCode", "GroupName", "CountryCode", "CountryName"],
    ["ECS", "Europe & Central Asia", "MDA", "Moldova"],
]


def class_workbook(folder: Path, *, name="CLASS.xlsx", rows=None, notes=None) -> Path:
    """CLASS.xlsx: 'List of economies' (header in row 1), 'Groups', 'Notes'."""
    return write_xlsx(
        folder / name,
        {
            "List of economies": [CLASS_HEADER, *(CLASS_ROWS if rows is None else rows)],
            "Groups": GROUPS,
            "Notes": CLASS_NOTES if notes is None else notes,
        },
    )


HISTORY_FYS = ["FY19", "FY20", "FY21", "FY22", "FY23", "FY24", "FY25", "FY26"]
# (code, name, one code per fiscal year FY19..FY26); '' = blank cell. Made up, except that the
# runs mirror the real ones of MDA (UM from FY22) and RUS (UM to FY24, then H).
HISTORY_ROWS = [
    ["MDA", "Moldova", "LM", "LM", "LM", "UM", "UM", "UM", "UM", "UM"],
    ["RUS", "Russian Federation", "UM", "UM", "UM", "UM", "UM", "UM", "H", "H"],
    ["VEN", "Venezuela, RB", "UM", "UM", "UM", "", "", "", "", ""],
    ["XKX", "Kosovo", "..", "..", "LM", "UM", "UM", "UM", "UM", "UM"],
    ["YEM", "Yemen, Rep.", "LM*", "L", "L", "L", "L", "L", "L", "L"],
    ["ZWE", "Zimbabwe", "LM", "LM", "LM", "LM", "LM", "LM", "LM", "LM"],
]


def oghist_workbook(folder: Path, *, name="OGHIST_2025_10_07.xlsx", rows=None) -> Path:
    """OGHIST.xlsx: a stale 'Parameters' sheet, 'Thresholds' (which also has a fiscal-year
    row, labelled in column A), and 'Country Analytical History' (titles in column B, the
    fiscal-year row 5, calendar years, four threshold rows, then one row per economy)."""
    n = len(HISTORY_FYS)
    history = [
        [None, "World Bank Analytical Classifications"],
        [None, "(presented in World Development Indicators)"],
        [None, "GNI per capita in US$ (Atlas methodology)"],
        [],
        [None, "Bank's fiscal year:", *HISTORY_FYS],
        [None, "Data for calendar year :", *range(2017, 2017 + n)],
        [None, "Low income (L)", *["<= 1,045"] * n],
        [None, "Lower middle income (LM)", *["1,046-4,125"] * n],
        [None, "Upper middle income (UM)", *["4,126-12,745"] * n],
        [None, "High income (H)", *["> 12,745"] * n],
        [],
        *(HISTORY_ROWS if rows is None else rows),
        [],
        [None, "* At this time, there were two Yemens; combined they would have been LM."],
        [],
        ["CSK", "Czechoslovakia (former)", *[".."] * n],
        [],
        [None, "Note: Income classifications are set each year on July 1."],
    ]
    return write_xlsx(
        folder / name,
        {
            "Parameters": [["Label", "Value"], ["Fiscal Yeay", "FY21"]],
            "Thresholds": [
                ["World Bank GNI per capita Operational Guidelines & Analytical Classifications"],
                ["Bank's fiscal year:", *HISTORY_FYS],
            ],
            "Country Analytical History": history,
        },
    )


def attributes(parsed) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for geo, key, value in parsed.geo_attributes:
        assert (geo, key) not in out, (geo, key)
        out[(geo, key)] = value
    return out


# -- CLASS ----------------------------------------------------------------------------------


def test_class_layout_edition_and_attributes(tmp_path):
    match, _, parsed = recognise_and_parse(class_workbook(tmp_path))
    assert (match.source.id, parsed.layout) == ("wb_income_groups", "wb-class-xlsx")
    assert (parsed.edition, parsed.edition_order) == ("FY2023", "2022-07-01")
    assert parsed.table.num_rows == 0  # categories: attributes, never observations
    got = attributes(parsed)
    assert got[("MDA", "wb_class_income_group_FY2023")] == "UM"
    assert got[("MDA", "wb_region_FY2023")] == "Europe & Central Asia"
    assert got[("MDA", "wb_lending_category_FY2023")] == "IBRD"
    assert got[("AUT", "wb_class_income_group_FY2023")] == "H"
    assert got[("AUT", "wb_other_group_FY2023")] == "EMU"
    assert ("AUT", "wb_lending_category_FY2023") not in got  # blank: no lending category
    assert got[("ZWE", "wb_class_income_group_FY2023")] == "LM"
    assert got[("VEN", "wb_class_income_group_FY2023")] == ""  # unclassified
    assert len(parsed.geo_attributes) == 5 + 5 + 4 + 1  # groups, regions, lending, other
    assert parsed.note == (
        "CLASS FY2023 (classifications set on 1 July 2022); the Notes also say the groups "
        "follow 2022 GNI, which would be FY2024: the dates decide: income group, region and "
        "lending category of 5 economies"
    )


def test_class_fiscal_year_from_the_notes_or_the_file_name(tmp_path):
    notes = [
        ["Notes"],
        ["Income classifications set on 1 July 2024 remain in effect until 1 July 2025."],
    ]
    _, _, parsed = recognise_and_parse(class_workbook(tmp_path / "a", notes=notes))
    assert (parsed.edition, parsed.edition_order) == ("FY2025", "2024-07-01")
    assert ("MDA", "wb_class_income_group_FY2025") in attributes(parsed)
    undated = [["Notes"], ["Geographic classifications in this table cover all income levels."]]
    _, _, parsed = recognise_and_parse(
        class_workbook(tmp_path / "b", name="CLASS_FY2024.xlsx", notes=undated)
    )
    assert parsed.edition == "FY2024" and "fiscal year from the file name" in parsed.note
    with pytest.raises(ParseError, match="no fiscal year") as err:
        recognise_and_parse(class_workbook(tmp_path / "c", notes=undated))
    assert err.value.sheet == "Notes"


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        (3, "Middle income", "income group 'Middle income' is not one of"),
        (4, "IFC", "lending category 'IFC' is not IBRD, IDA or Blend (column E)"),
        (1, "QQQ", "economy code 'QQQ' (Moldova) is not a country"),
    ],
)
def test_class_bad_cells_name_sheet_and_row(tmp_path, column, cell, message):
    rows = [list(r) for r in CLASS_ROWS]
    rows[1][column] = cell
    with pytest.raises(ParseError, match=re.escape(message)) as err:
        recognise_and_parse(class_workbook(tmp_path, rows=rows))
    assert (err.value.sheet, err.value.row) == ("List of economies", 3)


def test_class_aggregate_rows_are_left_out(tmp_path):
    rows = [*CLASS_ROWS, [], ["World", "WLD", "", "", "", ""]]  # older editions list these
    _, _, parsed = recognise_and_parse(class_workbook(tmp_path, rows=rows))
    assert "left out (aggregates or former economies): WLD" in parsed.note
    assert not [a for a in parsed.geo_attributes if a[0] == "world"]


# -- OGHIST ---------------------------------------------------------------------------------


def test_history_layout_edition_and_attributes(tmp_path):
    match, _, parsed = recognise_and_parse(oghist_workbook(tmp_path))
    assert (match.layout, match.context["sheet"]) == (
        "wb-oghist-xlsx",
        "Country Analytical History",
    )
    assert (parsed.edition, parsed.edition_order) == ("FY2026", "2025-07-01")
    assert parsed.table.num_rows == 0
    got = attributes(parsed)
    assert [got[("MDA", f"wb_income_group_FY{y}")] for y in range(2019, 2027)] == [
        "LM", "LM", "LM", "UM", "UM", "UM", "UM", "UM",
    ]  # fmt: skip
    assert got[("RUS", "wb_income_group_FY2024")] == "UM"
    assert got[("VEN", "wb_income_group_FY2022")] == ""  # blank: not classified
    assert got[("XKX", "wb_income_group_FY2019")] == ""  # '..': no data
    assert got[("YEM", "wb_income_group_FY2019")] == "LM"  # footnote mark dropped
    assert len(parsed.geo_attributes) == len(HISTORY_ROWS) * len(HISTORY_FYS)
    assert parsed.note == (
        "income group history FY2019-FY2026 of 6 economies; edition is the latest fiscal year "
        "(classifications set on 1 July 2025); file name dated 2025-10-07; former economies "
        "without a geo entry left out: CSK; footnoted code stored without its mark: YEM (LM*) "
        "FY2019"
    )


def test_history_unknown_code_names_sheet_row_and_column(tmp_path):
    rows = [list(r) for r in HISTORY_ROWS]
    rows[1][6] = "UMC"  # RUS, FY23 (column G)
    with pytest.raises(
        ParseError, match=r"'UMC' is not L, LM, UM, H or '\.\.' \(column G, FY2023\)"
    ) as err:
        recognise_and_parse(oghist_workbook(tmp_path, rows=rows))
    assert (err.value.sheet, err.value.row) == ("Country Analytical History", 13)


def test_history_unknown_economy_is_an_error(tmp_path):
    rows = [*HISTORY_ROWS, ["QQQ", "Atlantis", *["H"] * len(HISTORY_FYS)]]
    with pytest.raises(ParseError, match="'QQQ' \\(Atlantis\\)") as err:
        recognise_and_parse(oghist_workbook(tmp_path, rows=rows))
    assert err.value.row == 18


def test_named_like_class_but_not_a_workbook(tmp_path):
    from migprofile.ingest import recognise

    bad = tmp_path / "CLASS.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ParseError, match="named like a World Bank country and lending groups"):
        recognise(bad, REGISTRY)


# -- reading back ---------------------------------------------------------------------------


def test_fiscal_years():
    assert [fiscal_year(t) for t in ("FY89", "FY00", "FY26", "FY2023", "fy 24")] == [
        1989, 2000, 2026, 2023, 2024,
    ]  # fmt: skip
    with pytest.raises(ValueError):
        fiscal_year("2023")
    assert fiscal_year_keys(last=1990) == ("wb_income_group_FY1989", "wb_income_group_FY1990")


def test_income_group_since():
    mda = {"FY2019": "LM", "FY2020": "LM", "FY2021": "LM", "FY2022": "UM", "FY2023": "UM",
           "FY2024": "UM", "FY2025": "UM", "FY2026": "UM"}  # fmt: skip
    assert income_group_since(mda) == ("UM", "FY2022")
    assert income_group_since({"FY24": "UM", "FY25": "H", "FY26": "H"}) == ("H", "FY2025")
    assert income_group_since({"FY2026": "L"}) == ("L", "FY2026")
    # a year missing from the history ends the run: nothing is assumed about it
    assert income_group_since({"FY2020": "UM", "FY2022": "UM", "FY2023": "UM"}) == (
        "UM",
        "FY2022",
    )
    # not classified in the latest year: '' since the first unclassified year
    assert income_group_since({"FY2021": "UM", "FY2022": "", "FY2023": ""}) == ("", "FY2022")
    with pytest.raises(ValueError):
        income_group_since({})


def test_income_history_prefers_the_history_over_class():
    rows = [
        ("VEN", "wb_income_group_FY2023", ""),
        ("VEN", "wb_class_income_group_FY2023", "LM"),  # a CLASS copy that disagrees
        ("MDA", "wb_income_group_FY2026", "UM"),
        ("MDA", "wb_class_income_group_FY2027", "UM"),  # a CLASS newer than the history
        ("MDA", "wb_region_FY2023", "Europe & Central Asia"),
    ]
    assert income_history(rows) == {
        "VEN": {"FY2023": ""},
        "MDA": {"FY2026": "UM", "FY2027": "UM"},
    }
    assert by_fiscal_year(rows, "wb_region") == {"MDA": {"FY2023": "Europe & Central Asia"}}


def test_through_the_store(tmp_path, home):
    import migprofile
    from migprofile.ingest import ingest

    raw = tmp_path / "raw"
    class_workbook(raw)
    oghist_workbook(raw)
    report = ingest(raw_dir=raw, offline=True)
    assert sorted((Path(p).name, s, e, n) for p, s, e, n in report.ingested) == [
        ("CLASS.xlsx", "wb_income_groups", "FY2023", 0),
        ("OGHIST_2025_10_07.xlsx", "wb_income_groups", "FY2026", 0),
    ]
    store = migprofile.open_store()
    try:
        history = income_history(store.geo_attributes(*income_group_keys(last=2026)))
        assert income_group_since(history["MDA"]) == ("UM", "FY2022")
        assert income_group_since(history["RUS"]) == ("H", "FY2025")
        assert history["RUS"]["FY2024"] == "UM"
        assert income_group_since(history["VEN"]) == ("", "FY2022")
        region = by_fiscal_year(store.geo_attributes("wb_region_FY2023"), "wb_region")
        assert region["MDA"] == {"FY2023": "Europe & Central Asia"}
    finally:
        store.close()


# -- the real files -------------------------------------------------------------------------

WB_META = Path(__file__).resolve().parents[2] / "shared" / "data-next" / "wb_country_meta"


@pytest.mark.integration
def test_real_class_and_history():
    from openpyxl import load_workbook

    if not WB_META.is_dir():
        pytest.skip(f"{WB_META} not present: the real CLASS and OGHIST files are there")
    _, _, history = recognise_and_parse(WB_META / "OGHIST_2025_10_07.xlsx")
    _, _, klass = recognise_and_parse(WB_META / "class-country.xlsx")
    assert (history.edition, klass.edition) == ("FY2026", "FY2023")
    merged = income_history([*history.geo_attributes, *klass.geo_attributes])
    assert [merged["MDA"][f"FY{y}"] for y in range(2023, 2027)] == ["UM"] * 4
    assert income_group_since(merged["MDA"]) == ("UM", "FY2022")
    assert merged["RUS"]["FY2024"] == "UM"
    assert income_group_since(merged["RUS"]) == ("H", "FY2025")
    assert income_group_since(merged["VEN"]) == ("", "FY2022")  # history beats the CLASS copy
    # CLASS is the FY2023 classification: read both with openpyxl, independently of the parser
    wb = load_workbook(WB_META / "OGHIST_2025_10_07.xlsx", read_only=True)
    rows = [list(r) for r in wb["Country Analytical History"].iter_rows(values_only=True)]
    wb.close()
    fy23 = rows[4].index("FY23")
    oghist_fy23 = {r[0]: r[fy23] for r in rows[11:] if r[0]}
    wb = load_workbook(WB_META / "class-country.xlsx", read_only=True)
    economies = [list(r) for r in wb["List of economies"].iter_rows(values_only=True)][1:]
    wb.close()
    code = {"Low income": "L", "Lower middle income": "LM", "Upper middle income": "UM",
            "High income": "H"}  # fmt: skip
    differ = [r[1] for r in economies if oghist_fy23.get(r[1]) != code.get(r[3])]
    assert differ == ["VEN"]  # 217 of 218 agree
    stored = attributes(klass)
    for r in economies:
        assert stored[(r[1], "wb_class_income_group_FY2023")] == code[r[3]], r[1]
    assert len({g for g, _, _ in klass.geo_attributes}) == len(economies) == 218

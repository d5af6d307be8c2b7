"""One contract case per registered source: its fixture, what it parses to, how to break it.

`tests/test_source_contract.py` runs the same checks over every source in the registry, with
the case registered here under the source's id. A new source adds one entry to CASES (and its
builder, if fixtures.py has none): the contract test fails for a source without one.

Every fixture is built by code in the publisher's own layout and file naming, with invented
values; `expected` rows are cells of that fixture (value and provenance), checked as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fixtures import (
    DATABANK_ID_COLUMNS,
    IDMC_HEADER,
    tidy_bilateral_csv,
    tiny_wdi_bulk_csv,
    undesa_destination_2020,
    undesa_origin_stacked,
    write_csv_rows,
    write_xlsx,
)


@dataclass(frozen=True)
class SourceCase:
    build: Callable[[Path], Path]  # writes the fixture into a folder; returns the file
    rows: int  # tidy rows the fixture parses to
    expected: tuple[dict, ...]  # rows that must be among them (the columns given must match)
    rename: tuple[str, str]  # a header cell, and a new name that breaks the layout
    cut_in: str | None = None  # CSV: text of the data row the truncated copy stops half-way in
    edition: str = ""  # the edition the file states
    check: Callable | None = None  # extra checks on (ParsedFile, Harmoniser)
    extra: dict = field(default_factory=dict)


def _matrix(sheet: str, title: str, corner: str, name: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        return write_xlsx(
            folder / name,
            {
                sheet: [
                    [title],
                    [corner, "Moldova", "Russian Federation", "World"],
                    ["Moldova", 0.0, 160.5, 160.5],
                    ["Russian Federation", 532.25, 0.0, 532.25],
                    ["World", 532.25, 160.5, 692.75],
                    [],
                    ["Notes:"],
                    ["Invented figures for a test."],
                ]
            },
        )

    return build


def knomad_flows(folder: Path) -> Path:
    return write_xlsx(
        folder / "remittance_inflows_brief_38_june_2023_3.xlsx",
        {
            "Inward remittance flows": [
                ["Remittance inflows (US$ million)", 2021.0, "2022e"],
                ["Moldova", 1900.25, 2036.5],
                ["Ukraine", 18000.0, 0.0],
                ["Low-and Middle-Income Countries", 600000.0, 650000.0],
                ["World", 700000.0, 800000.0],
                [],
                [],
                ["Date: June 2023"],
            ]
        },
    )


DATABANK_HEADER = [
    *DATABANK_ID_COLUMNS,
    "2020Q1 [YR2020Q1]",
    "2020Q3 [YR2020Q3]",
]
ATCR = ["Average Total Cost to remit in corridor", "ATCR.CORR"]


def rpw_databank(folder: Path) -> Path:
    width = len(DATABANK_HEADER)
    return write_csv_rows(
        folder / "rpw_corridors_databank_Data.csv",
        [
            DATABANK_HEADER,
            ["Russian Federation", "RUS", *ATCR, "Armenia", "ARM", "1.5", "2.5"],
            ["Austria", "AUT", *ATCR, "Kosovo", "KSV", "7", ".."],
            *[[""] * width] * 3,
            ["Data from database: Remittance Prices Worldwide (Corridors)"],
            ["Last Updated: 12/07/2020"],
        ],
        bom=True,
    )


PROVIDER_HEADER = [
    "period",
    "source_code",
    "source_name",
    "destination_code",
    "destination_name",
    "firm",
    "firm_type",
    "payment instrument",
    "access point",
    "pickup method",
    "cc1 total cost %",
    "cc2 total cost %",
    "transparent",
]


def rpw_providers(folder: Path) -> Path:
    ru_am = ["2023_3Q", "RUS", "Russian Federation", "ARM", "Armenia"]
    return write_xlsx(
        folder / "rpw_dataset_2011_2023_q3.xlsx",
        {
            "Terms of Use": [["Terms of use"]],
            "Dataset (from Q2 2016)": [
                PROVIDER_HEADER,
                [*ru_am, "Bank A", "Bank", "Cash", "Branch", "Cash", 2.0, 1.5, "yes"],
                [
                    *ru_am,
                    "Wallet Co",
                    "Money Transfer Operator",
                    "Mobile money",
                    "Online",
                    "Bank account",
                    1.0,
                    0.5,
                    "yes",
                ],
            ],
        },
    )


def idmc_csv(folder: Path) -> Path:
    return write_csv_rows(
        folder / "IDMC_GIDD_Internal_Displacement_2023-05-16.csv",
        [
            IDMC_HEADER,
            ["GEO", "Georgia", "2022", "250000", "249876", "", "", "510", "512", "", ""],
            ["UKR", "Ukraine", "2022", "4100000", "4099123", "9900000", "9899765", "", "", "", ""],
        ],
    )


UNHCR_API_FIELDS = [
    "year",
    "coo_name",
    "coo",
    "coo_iso",
    "coa_name",
    "coa",
    "coa_iso",
    "refugees",
    "asylum_seekers",
    "returned_refugees",
    "idps",
    "returned_idps",
    "stateless",
    "ooc",
    "oip",
    "hst",
]


def unhcr_population(folder: Path) -> Path:
    zeros = ["0.0"] * 7
    return write_csv_rows(
        folder / "unhcr_refugees_pkg_population.csv",
        [
            UNHCR_API_FIELDS,
            [
                "2022",
                "Ukraine",
                "UKR",
                "UKR",
                "Rep. of Moldova",
                "MDA",
                "MDA",
                "90000.0",
                "300.0",
                *zeros,
            ],
            ["2023", "Ukraine", "UKR", "UKR", "Poland", "POL", "POL", "950000.0", "0.0", *zeros],
        ],
    )


M49_HEADER = [
    "Global Code",
    "Global Name",
    "Region Code",
    "Region Name",
    "Sub-region Code",
    "Sub-region Name",
    "Intermediate Region Code",
    "Intermediate Region Name",
    "Country or Area",
    "M49 Code",
    "ISO-alpha2 Code",
    "ISO-alpha3 Code",
    "Least Developed Countries (LDC)",
    "Land Locked Developing Countries (LLDC)",
    "Small Island Developing States (SIDS)",
]


def m49_overview(folder: Path) -> Path:
    return write_csv_rows(
        folder / "UNSD_M49_overview_en.csv",
        [
            M49_HEADER,
            [
                "001",
                "World",
                "150",
                "Europe",
                "151",
                "Eastern Europe",
                "",
                "",
                "Republic of Moldova",
                "498",
                "MD",
                "MDA",
                "",
                "x",
                "",
            ],
            [
                "001",
                "World",
                "142",
                "Asia",
                "145",
                "Western Asia",
                "",
                "",
                "Armenia",
                "051",
                "AM",
                "ARM",
                "",
                "x",
                "",
            ],
            # UNSD lists areas by region: Oceania, Polynesia, Wallis and Futuna Islands last.
            [
                "001",
                "World",
                "009",
                "Oceania",
                "061",
                "Polynesia",
                "",
                "",
                "Wallis and Futuna Islands",
                "876",
                "WF",
                "WLF",
                "",
                "",
                "",
            ],
        ],
        bom=True,
    )


def _m49_memberships(parsed, harmoniser) -> None:
    added = set(harmoniser.new_members)
    assert {("lldc", "MDA"), ("lldc", "ARM"), ("western-asia", "ARM")} <= added
    assert ("eastern-europe", "MDA") in added


CASES: dict[str, SourceCase] = {
    "undesa_ims_destination": SourceCase(
        build=undesa_destination_2020,
        rows=343,
        expected=(
            {
                "indicator": "immigrant_stock",
                "geo": "world",
                "year": 1990,
                "sex": "total",
                "value": 9000.0,
                "sheet": "Table 1",
                "row": 12,
                "col": "F",
            },
        ),
        rename=("Location code", "Location"),
        edition="2020",
    ),
    "undesa_ims_origin": SourceCase(
        build=undesa_origin_stacked,
        rows=183,
        expected=(
            {
                "indicator": "migrant_stock",
                "geo": "world",
                "partner": "world",
                "year": 1990,
                "sex": "total",
                "value": 9000.0,
                "sheet": "Table 1",
                "row": 12,
                "col": "H",
            },
        ),
        rename=("Location code of origin", "Location of origin"),
        edition="2020",
    ),
    "gmdac_gdiviz": SourceCase(
        build=lambda folder: tidy_bilateral_csv(
            folder / "gdiviz_undesa_ims2020_bilateral_stocks_by_sex.csv"
        ),
        rows=17,
        expected=(
            {
                "indicator": "migrant_stock",
                "geo": "ITA",
                "partner": "MDA",
                "year": 2015,
                "sex": "male",
                "value": 30.0,
                "row": 2,
                "col": "v",
            },
            {
                "indicator": "migrant_stock",
                "geo": "RUS",
                "partner": "MDA",
                "year": 2020,
                "sex": "female",
                "value": 150.0,
            },
        ),
        rename=("sex", "gender"),
        cut_in="RUS,MDA,2020,Male",
        edition="2020",
    ),
    "wdi": SourceCase(
        build=lambda folder: tiny_wdi_bulk_csv(
            folder / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_1.csv"
        ),
        rows=4,
        expected=(
            {
                "indicator": "wdi:BX.TRF.PWKR.CD.DT",
                "geo": "MDA",
                "year": 2020,
                "value": 1_850_000_000.0,
                "unit": "current US$",
                "row": 6,
                "col": "2020",
            },
            {"indicator": "wdi:BX.TRF.PWKR.CD.DT", "geo": "RUS", "year": 2021, "value": 8.2e9},
        ),
        rename=("Indicator Code", "Indicator Id"),
        cut_in='"Russian Federation","RUS"',
        edition="2023-05-10",
    ),
    "wb_bilateral_remittances": SourceCase(
        build=_matrix(
            "Bilateral_Remittances_2017",
            "Bilateral Remittance Estimates for 2017 using Migrant Stocks, Host Country Incomes, "
            "and Origin Country Incomes (millions of US$)",
            "receiving (across) / sending (down)",
            "bilateralremittancematrix2017-Apr2018.xlsx",
        ),
        rows=7,
        expected=(
            {
                "indicator": "remittances_bilateral_usd",
                "geo": "MDA",
                "partner": "RUS",
                "year": 2017,
                "value": 532.25e6,
                "unit": "US$",
                "sheet": "Bilateral_Remittances_2017",
                "row": 4,
                "col": "B",
            },
            {
                "indicator": "remittances_bilateral_usd",
                "geo": "world",
                "partner": "MDA",
                "year": 2017,
                "value": 160.5e6,
            },
        ),
        rename=("receiving (across) / sending (down)", "countries"),
        edition="2017",
    ),
    "wb_bilateral_migration": SourceCase(
        build=_matrix(
            "Bilateral_Migration_2017",
            "Bilateral Estimates of Migrant Stocks in 2017",
            "destination (across) / origin (down)",
            "bilateralmigrationmatrix20170_Apr2018.xlsx",
        ),
        rows=7,
        expected=(
            {
                "indicator": "migrant_stock",
                "geo": "RUS",
                "partner": "MDA",
                "year": 2017,
                "value": 160.5,
                "unit": "persons",
                "row": 3,
                "col": "C",
            },
        ),
        rename=("destination (across) / origin (down)", "countries"),
        edition="2017",
    ),
    "knomad_remittance_flows": SourceCase(
        build=knomad_flows,
        rows=7,
        expected=(
            {
                "indicator": "remittances_inflow_knomad_usd",
                "geo": "MDA",
                "year": 2021,
                "value": 1900.25e6,
                "sheet": "Inward remittance flows",
                "row": 2,
                "col": "B",
            },
            {
                "indicator": "remittances_inflow_knomad_usd",
                "geo": "MDA",
                "year": 2022,
                "value": 2036.5e6,
                "note": "estimate (2022e)",
            },
            {
                "indicator": "remittances_inflow_knomad_usd",
                "geo": "wb-lmy",
                "year": 2021,
                "value": 600000e6,
            },
        ),
        rename=("Remittance inflows (US$ million)", "Inflows"),
        edition="2023-06",
    ),
    "rpw_corridors": SourceCase(
        build=rpw_databank,
        rows=5,
        expected=(
            {
                "indicator": "remittance_cost_corridor_pct",
                "geo": "ARM",
                "partner": "RUS",
                "year": 2020,
                "period": "2020Q3",
                "value": 2.5,
                "row": 2,
                "col": "2020Q3 [YR2020Q3]",
            },
            {
                "indicator": "remittance_cost_corridor_pct",
                "geo": "ARM",
                "partner": "RUS",
                "year": 2020,
                "period": "",
                "value": 2.0,
            },
            {
                "indicator": "remittance_cost_corridor_pct",
                "geo": "XKX",
                "partner": "AUT",
                "period": "2020Q1",
                "value": 7.0,
            },
        ),
        rename=("Series Code", "Series Id"),
        cut_in="Austria,AUT",
        edition="2020-12-07",
    ),
    "rpw_providers": SourceCase(
        build=rpw_providers,
        rows=16,
        expected=(
            {
                "indicator": "remittance_cost_corridor_pct",
                "geo": "ARM",
                "partner": "RUS",
                "period": "2023Q3",
                "value": 1.5,
                "sheet": "Dataset (from Q2 2016)",
                "row": 2,
                "col": "K",
            },
            {"indicator": "rpw_cost_200_cash_pct", "geo": "ARM", "period": "2023Q3", "value": 2.0},
            {
                "indicator": "rpw_cost_200_digital_pct",
                "geo": "ARM",
                "period": "2023Q3",
                "value": 1.0,
            },
            {
                "indicator": "remittance_cost_corridor_500_pct",
                "geo": "ARM",
                "period": "",
                "year": 2023,
                "value": 1.0,
            },
        ),
        rename=("cc1 total cost %", "cost"),
        edition="2023Q3",
    ),
    "idmc": SourceCase(
        build=idmc_csv,
        rows=8,
        expected=(
            {
                "indicator": "idps_conflict_stock",
                "geo": "GEO",
                "year": 2022,
                "value": 250000.0,
                "unit": "persons",
                "row": 2,
                "col": "Conflict Stock Displacement",
            },
            {
                "indicator": "new_displacements_conflict_raw",
                "geo": "UKR",
                "year": 2022,
                "value": 9899765.0,
                "unit": "movements",
            },
        ),
        rename=("ISO3", "Code"),
        cut_in="UKR,Ukraine",
        edition="2023-05-16",
    ),
    "unhcr": SourceCase(
        build=unhcr_population,
        rows=4,  # POL's asylum-seekers 0.0 is UNHCR's figure (refugees and asylum-seekers' zeros)
        expected=(
            {
                "indicator": "refugees",
                "geo": "MDA",
                "partner": "UKR",
                "year": 2022,
                "value": 90000.0,
                "row": 2,
                "col": "refugees",
                "note": "",
            },
            {
                "indicator": "asylum_seekers",
                "geo": "MDA",
                "partner": "UKR",
                "year": 2022,
                "value": 300.0,
            },
            {
                "indicator": "refugees",
                "geo": "POL",
                "partner": "UKR",
                "year": 2023,
                "value": 950000.0,
                "period": "mid-year",
                "note": "mid-year figures",
            },
            {
                "indicator": "asylum_seekers",
                "geo": "POL",
                "partner": "UKR",
                "year": 2023,
                "value": 0.0,
                "period": "mid-year",
            },
        ),
        rename=("coa_iso", "coa_code"),
        cut_in="2023,Ukraine",
        edition="2023 (mid-year)",
    ),
    "m49": SourceCase(
        build=m49_overview,
        rows=0,
        expected=(),
        rename=("ISO-alpha3 Code", "ISO3"),
        cut_in="Armenia",
        edition="undated",
        check=_m49_memberships,
    ),
}

# IOM Missing Migrants (issue 13): the builders live beside the source's own tests.
from test_iom_mmp import STAMPED, gdidata_csv, mmp_csv  # noqa: E402

CASES["iom_missing_migrants"] = SourceCase(
    build=lambda folder: mmp_csv(folder / STAMPED),
    rows=56,
    expected=(
        {"indicator": "dead_and_missing", "geo": "world", "partner": "world", "year": 2022,
         "value": 16.0, "row": None, "col": "Total Number of Dead and Missing",
         "note": "sum over 6 incidents; 1 with a blank total taken as dead + missing"},
        {"indicator": "dead_and_missing", "geo": "mmp-region-mediterranean", "partner": "MDA",
         "year": 2022, "value": 8.0},
    ),
    rename=("Total Number of Dead and Missing", "Total"),
    cut_in="2022.MMP0004",
    edition="2024-01-15",
)  # fmt: skip
CASES["gdidata_iom_mmp"] = SourceCase(
    build=lambda folder: gdidata_csv(folder / "gdidata_iom_mmp.csv"),
    rows=24,
    expected=(
        {"indicator": "dead_and_missing", "geo": "LBY", "partner": "MDA", "year": 2022,
         "value": 5.0, "col": "dead"},
    ),
    rename=("dead", "deaths"),
    cut_in="2022-02-20",
    edition="2022-03-01",
)  # fmt: skip

# Eurostat (issue 13)
# --- Eurostat (sources/eurostat): one case per dataset, each in one of Eurostat's layouts -----
# (paste into tests/source_cases.py; write_csv_rows writes CRLF as SDMX-CSV 1.0 downloads have)

_ESTAT_1 = ["DATAFLOW", "LAST UPDATE", "freq"]
_ESTAT_TAIL = ["TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"]


def eurostat_asylum_sdmx1(folder: Path) -> Path:
    flow, updated = "ESTAT:MIGR_ASYAPPCTZA(1.0)", "03/03/25 23:00:00"
    return write_csv_rows(
        folder / "estat_migr_asyappctza.csv",
        [
            [*_ESTAT_1, "citizen", "sex", "unit", "age", "asyl_app", "geo", *_ESTAT_TAIL],
            [
                flow,
                updated,
                "A",
                "TOTAL",
                "T",
                "PER",
                "TOTAL",
                "ASY_APP",
                "DE",
                "2024",
                "250000",
                "",
                "",
            ],
            [flow, updated, "A", "MD", "T", "PER", "TOTAL", "ASY_APP", "EL", "2024", "15", "p", ""],
            [flow, updated, "A", "MD", "T", "PER", "Y14-17", "ASY_APP", "EL", "2024", "5", "", ""],
        ],
    )


def eurostat_tp_tsv(folder: Path) -> Path:
    path = folder / "estat_migr_asytpsm.tsv"
    path.write_text(
        "freq,unit,citizen,sex,age,geo\\TIME_PERIOD\t2025-02 \t2025-03 \n"
        "M,PER,UA,T,TOTAL,PL\t990000 \t992000 p\n"
        "M,PER,UA,T,TOTAL,MD\t: \t61000 \n",
        encoding="utf-8",
        newline="",
    )
    return path


def eurostat_permits_labels(folder: Path) -> Path:
    flow, updated = "ESTAT:TPS00170(1.0)", "03/03/25 11:00:00"
    return write_csv_rows(
        folder / "estat_tps00170.csv",
        [
            [*_ESTAT_1, "reason", "citizen", "duration", "unit", "geo", *_ESTAT_TAIL],
            [flow, updated, "Annual", "Total", "Total", "Total", "Person", "Austria", "2023",
             "62890", "", ""],
            [flow, updated, "Annual", "Total", "Total", "Total", "Person",
             "European Union - 27 countries (from 2020)", "2023", "3700000", "e", ""],
        ],
    )  # fmt: skip


def eurostat_population_sdmx2(folder: Path) -> Path:
    flow = "ESTAT:MIGR_POP1CTZ(1.0)"
    return write_csv_rows(
        folder / "estat_migr_pop1ctz.csv",
        [
            [
                "STRUCTURE",
                "STRUCTURE_ID",
                "freq",
                "citizen",
                "age",
                "unit",
                "sex",
                "geo",
                *_ESTAT_TAIL,
            ],
            ["dataflow", flow, "A", "MD", "TOTAL", "NR", "T", "IT", "2024", "110000", "", ""],
            ["dataflow", flow, "A", "NAT", "TOTAL", "NR", "T", "IT", "2024", "53800000", "", ""],
        ],
    )


def eurostat_immigration_sdmx2_labels(folder: Path) -> Path:
    flow = "ESTAT:MIGR_IMM1CTZ(1.0)"
    name = "Immigration by age group, sex and citizenship"

    def row(agedef, agedef_label, value):
        return ["dataflow", flow, name, "A", "Annual", "MD", "Moldova", agedef, agedef_label,
                "TOTAL", "Total", "NR", "Number", "T", "Total", "RO", "Romania", "2023", "",
                value, "", "", "", "", ""]  # fmt: skip

    return write_csv_rows(
        folder / "estat_migr_imm1ctz.csv",
        [
            ["STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "freq", "Time frequency", "citizen",
             "Country of citizenship", "agedef", "Age definition", "age", "Age class", "unit",
             "Unit of measure", "sex", "Sex", "geo", "Geopolitical entity (reporting)",
             "TIME_PERIOD", "Time", "OBS_VALUE", "Observation value", "OBS_FLAG",
             "Observation status (Flag) V2 structure", "CONF_STATUS",
             "Confidentiality status (flag)"],
            row("REACH", "Age reached during the year", "5201"),
            row("COMPLET", "Age in completed years", "5200"),
        ],
    )  # fmt: skip


def gdidata_asyapp(folder: Path) -> Path:
    return write_csv_rows(
        folder / "gdidata_eu_asyapp.csv",
        [
            ["geo", "t", "nat", "sex", "n"],
            ["DEU", "2024.0", "MDA", "female", "40.0"],
            ["DEU", "2024.0", "MDA", "male", "60.0"],
            ["EU27", "2024.0", "STL", "male", "300.0"],
        ],
    )


CASES["eurostat_asylum_applicants"] = SourceCase(
    build=eurostat_asylum_sdmx1,
    rows=2,  # the age class is not stored
    expected=(
        {"geo": "DEU", "partner": "world", "year": 2024, "value": 250000, "row": 2},
        {"geo": "GRC", "partner": "MDA", "value": 15, "note": "provisional (p)", "row": 3},
    ),
    rename=("OBS_VALUE", "VALUE"),
    cut_in="ASY_APP,EL,2024,15",
    edition="2025-03-03",
)
CASES["eurostat_temporary_protection"] = SourceCase(
    build=eurostat_tp_tsv,
    rows=3,  # ':' is not stored
    expected=(
        {
            "geo": "POL",
            "partner": "UKR",
            "year": 2025,
            "period": "2025-03",
            "value": 992000,
            "note": "provisional (p)",
            "row": 2,
            "col": "2025-03",
        },
        {"geo": "MDA", "period": "2025-03", "value": 61000, "row": 3},
    ),
    rename=("geo\\TIME_PERIOD", "geo\\PERIOD"),
    cut_in="M,PER,UA,T,TOTAL,MD",
    edition="2025-03",
)
CASES["eurostat_first_permits"] = SourceCase(
    build=eurostat_permits_labels,
    rows=2,
    expected=(
        {
            "indicator": "first_residence_permits",
            "geo": "AUT",
            "partner": "world",
            "year": 2023,
            "value": 62890,
            "row": 2,
        },
        {"geo": "eu27_2020", "value": 3700000, "note": "estimated (e)", "row": 3},
    ),
    rename=("TIME_PERIOD", "PERIOD"),
    cut_in="European Union - 27",
    edition="2025-03-03",
)
CASES["eurostat_population_citizenship"] = SourceCase(
    build=eurostat_population_sdmx2,
    rows=2,
    expected=(
        {"geo": "ITA", "partner": "MDA", "year": 2024, "value": 110000, "row": 2},
        {"geo": "ITA", "partner": "ITA", "value": 53800000, "row": 3},  # NAT: own citizens
    ),
    rename=("citizen", "nationality"),
    cut_in="NAT,TOTAL",
    edition="2024",  # no date inside: the latest period
)
CASES["eurostat_immigration_citizenship"] = SourceCase(
    build=eurostat_immigration_sdmx2_labels,
    rows=1,  # REACH kept, COMPLET (the same people) not
    expected=({"geo": "ROU", "partner": "MDA", "year": 2023, "value": 5201, "row": 2},),
    rename=("agedef", "age_definition"),
    cut_in="COMPLET",
    edition="2023",
)
CASES["gdidata_eu_asyapp"] = SourceCase(
    build=gdidata_asyapp,
    rows=5,  # female, male, their total; male STL and its total
    expected=(
        {"geo": "DEU", "partner": "MDA", "sex": "total", "value": 100, "row": 2},
        {"geo": "eu27_2020", "partner": "stateless", "sex": "male", "value": 300, "row": 4},
    ),
    rename=("nat", "citizenship"),
    cut_in="EU27,2024.0,STL",
    edition="2024",
)


# UN DESA 2024 through IOM GMDAC's gdidata extract (issue 13)
from fixtures_undesa2024 import gdidata_undesa_stocks_csv  # noqa: E402

CASES["gdidata_undesa_stocks"] = SourceCase(
    build=gdidata_undesa_stocks_csv,
    rows=30,
    expected=(
        {"indicator": "migrant_stock", "geo": "ITA", "partner": "MDA", "year": 2024,
         "period": "mid-year", "sex": "female", "value": 145668.0, "unit": "persons",
         "row": 10, "col": "n", "note": "type of data: B R"},
        {"indicator": "migrant_stock", "geo": "ITA", "partner": "MDA", "year": 2024,
         "sex": "total", "value": 218594.0, "row": 10,
         "note": "total = female + male, computed by migprofile (lines 10,11); type of data: B R"},
        {"geo": "DEU", "partner": "other", "year": 2024, "sex": "total", "value": 500.0},
    ),
    rename=("from", "origin"),
    cut_in="ITA,2024,MDA,female",
    edition="2024",
)  # fmt: skip


# IOM gdidata's IDMC flows and the World Bank income groups (issue 13)
from test_gdidata_idmc import gdidata_flows_csv  # noqa: E402
from test_wb_income import class_workbook  # noqa: E402


def _wb_income_attributes(parsed, harmoniser) -> None:
    assert {
        ("MDA", "wb_class_income_group_FY2023", "UM"),
        ("MDA", "wb_region_FY2023", "Europe & Central Asia"),
        ("MDA", "wb_lending_category_FY2023", "IBRD"),
    } <= set(parsed.geo_attributes)


CASES["wb_income_groups"] = SourceCase(
    build=class_workbook, rows=0, expected=(), rename=("Income group", "Income"),
    edition="FY2023", check=_wb_income_attributes,
)  # fmt: skip
CASES["gdidata_idmc"] = SourceCase(
    build=gdidata_flows_csv,
    rows=11,
    expected=(
        {"indicator": "new_displacements_conflict_raw", "geo": "AFG", "year": 2022,
         "value": 32424.0, "unit": "movements", "row": 3, "col": "n"},
        {"indicator": "new_displacements_disaster_raw", "geo": "AFG", "year": 2022,
         "value": 71909.0, "row": 4,
         "note": "sum of the extract's 2 hazard rows (lines 4,5: drought, flood), computed by "
                 "migprofile"},
        {"indicator": "idmc:new_displacements_disaster_flood", "geo": "GEO", "year": 2022,
         "value": 1200.0},
        {"indicator": "new_displacements_conflict_raw", "geo": "MDA", "value": 0.0},
    ),
    rename=("cause", "hazard"),
    cut_in="UKR,2023,conflict",
    edition="2024",
)  # fmt: skip


# UN World Population Prospects 2024 (issue 13)
def wpp_misc1dt(folder: Path) -> Path:
    """The wpp2024 package's misc1dt as CSV: comma, LF, Wallis and Futuna (876) 2023 last."""
    header = "country_code,year,births,cbr,cdr,deaths,PopChange,growthrate,cnmr,NatChangeRT"
    rows = [
        "900,2023,132000.125,16.3,7.6,61000.5,70000.25,0.9,0,8.7",
        "498,2023,32.986,10.755,13.606,41.73,-27.308,-0.89,-6.055,-2.851",
        "876,2023,0.098,8.579,7.779,0.088,-0.101,-0.888,-9.41,0.8",
    ]
    path = folder / "wpp2024_misc1dt.csv"
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode())
    return path


CASES["wpp"] = SourceCase(
    build=wpp_misc1dt,
    rows=24,
    expected=(
        {"indicator": "births", "geo": "MDA", "year": 2023, "value": 32_986.0,
         "unit": "persons", "row": 3, "col": "births"},
        {"indicator": "wpp:cbr", "geo": "world", "year": 2023, "value": 16.3},
    ),
    rename=("country_code", "code"),
    cut_in="876,2023",
    edition="2024",
)  # fmt: skip

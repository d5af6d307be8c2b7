"""Eurostat migration statistics (asylum applicants, temporary protection, first permits,
population and immigration by citizenship) and IOM GMDAC's gdidata extract of the asylum table.

Fixtures are built here in Eurostat's three download layouts (SDMX-CSV 1.0 with codes or
labels, SDMX-CSV 2.0 with or without label columns, bulk TSV) with made-up values; the real
files in ../shared/data-next are checked at the end (integration, skipped when absent).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import fixtures as fx
from migprofile.errors import MigprofileError, ParseError
from migprofile.ingest import recognise
from migprofile.sources import REGISTRY

DATA_NEXT = Path(__file__).resolve().parents[2] / "shared" / "data-next"
EUROSTAT = DATA_NEXT / "eurostat"
GDIDATA = DATA_NEXT / "iom_gdidata" / "gdidata_eu_asyapp.csv"

ASY_1 = "ESTAT:MIGR_ASYAPPCTZA(1.0)"
UPDATED = "03/03/25 23:00:00"


def write(path: Path, records: list[list], *, newline: str = "\n") -> Path:
    """A CSV as Eurostat writes it (minimal quoting; LF, or CRLF for SDMX-CSV 1.0)."""
    return fx.write_csv_rows(path, records, newline=newline)


def write_tsv(path: Path, lines: list[str]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="")
    return path


def parse(path: Path):
    """Recognised among all registered sources, as ingest does: (source id, ParsedFile, h)."""
    match, h, parsed = fx.recognise_and_parse(path)
    return match.source.id, parsed, h


def rows(parsed, **where) -> list[dict]:
    return fx.rows(parsed.table, **where)


def one(parsed, **where) -> dict:
    return fx.one(parsed.table, **where)


# --- fixtures in Eurostat's layouts -------------------------------------------------------------

ASY_1_HEADER = ["DATAFLOW", "LAST UPDATE", "freq", "citizen", "sex", "unit", "age", "asyl_app",
                "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"]  # fmt: skip


def asylum_sdmx1_codes(folder: Path, extra: list[list] | None = None) -> Path:
    """SDMX-CSV 1.0 with codes, as the API gives `format=SDMX-CSV` (CRLF line ends)."""
    body = [
        ["A", "TOTAL", "T", "PER", "TOTAL", "ASY_APP", "EL", "2023", "64000", ""],
        ["A", "AF", "F", "PER", "TOTAL", "ASY_APP", "EL", "2023", "3005", "p"],
        ["A", "AF", "M", "PER", "TOTAL", "ASY_APP", "EL", "2023", "9000", ""],
        ["A", "AF", "UNK", "PER", "TOTAL", "ASY_APP", "EL", "2023", "5", ""],
        ["A", "AF", "T", "PER", "Y14-17", "ASY_APP", "EL", "2023", "800", ""],
        ["A", "AF", "T", "PER", "TOTAL", "NASY_APP", "EL", "2023", "11000", ""],
        ["A", "UA", "T", "PER", "TOTAL", "ASY_APP", "UK", "2019", "200", "e"],
        ["A", "XK", "T", "PER", "TOTAL", "ASY_APP", "DE", "2024", "1500", ""],
        ["A", "STLS", "T", "PER", "TOTAL", "ASY_APP", "DE", "2024", "2500", ""],
        ["A", "UNK", "T", "PER", "TOTAL", "ASY_APP", "DE", "2024", "700", ""],
        ["A", "SY", "T", "PER", "TOTAL", "ASY_APP", "DE", "2024", "", ""],
        ["A", "IQ", "T", "PER", "TOTAL", "ASY_APP", "DE", "2024", "15", "c"],
        ["A", "IR", "T", "PER", "TOTAL", "ASY_APP", "DE", "2024", "35", "", "C"],
        ["A", "EXT_EU27_2020", "T", "PER", "TOTAL", "ASY_APP", "EU27_2020", "2024", "996000", "e"],
        ["A", "TOTAL", "T", "PER", "TOTAL", "ASY_APP", "XK", "2024", "0", ""],
        *(extra or []),
    ]
    records = [ASY_1_HEADER]
    for r in body:
        r = r + [""] * (11 - len(r))
        records.append([ASY_1, UPDATED, *r])
    return write(folder / "estat_migr_asyappctza.csv", records, newline="\r\n")


PERMITS_HEADER = ["DATAFLOW", "LAST UPDATE", "freq", "reason", "citizen", "duration", "unit",
                  "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"]  # fmt: skip


def permits_sdmx1_labels(folder: Path) -> Path:
    """TPS00170 as the data browser's SDMX-CSV 1.0 with labels for the dimensions."""
    flow, updated = "ESTAT:TPS00170(1.0)", "03/03/25 11:00:00"
    body = [
        ["Annual", "Total", "Total", "Total", "Person", "Austria", "2012", "37816", "", ""],
        ["Annual", "Total", "Total", "Total", "Person", "Greece", "2023", "50100", "p", ""],
        ["Annual", "Family reasons", "Total", "Total", "Person", "Greece", "2023", "9000", "", ""],
        ["Annual", "Total", "Total", "Total", "Person",
         "European Union - 27 countries (from 2020)", "2023", "3700000", "e", ""],
        ["Annual", "Total", "Total", "Total", "Person", "Kosovo*", "2023", "40", "u", ""],
    ]  # fmt: skip
    return write(
        folder / "natix_migration_permits_issued.csv",
        [PERMITS_HEADER, *([flow, updated, *r] for r in body)],
        newline="\r\n",
    )


def permits_sdmx1_codes(folder: Path) -> Path:
    flow = "ESTAT:MIGR_RESFIRST(1.0)"
    body = [
        ["A", "TOTAL", "MA", "TOTAL", "PER", "ES", "2023", "51000", "", ""],
        ["A", "FAM", "MA", "TOTAL", "PER", "ES", "2023", "20000", "", ""],
        ["A", "EDUC", "MA", "TOTAL", "PER", "ES", "2023", "4000", "", ""],
        ["A", "OCC", "MA", "TOTAL", "PER", "ES", "2023", "21000", "b", ""],
        ["A", "OCC_HSKL", "MA", "TOTAL", "PER", "ES", "2023", "700", "", ""],
        ["A", "OTH", "MA", "TOTAL", "PER", "ES", "2023", "6000", "", ""],
        ["A", "TOTAL", "MA", "12M_OVER", "PER", "ES", "2023", "30000", "", ""],
    ]
    return write(
        folder / "estat_migr_resfirst.csv",
        [PERMITS_HEADER, *([flow, "14/05/25 11:00:00", *r] for r in body)],
        newline="\r\n",
    )


ASY_2_LABELS_HEADER = [
    "STRUCTURE", "STRUCTURE_ID", "STRUCTURE_NAME", "freq", "Time frequency", "citizen",
    "Country of citizenship", "sex", "Sex", "unit", "Unit of measure", "age", "Age class",
    "asyl_app", "Applicant type", "geo", "Geopolitical entity (reporting)", "TIME_PERIOD",
    "Time", "OBS_VALUE", "Observation value", "OBS_FLAG", "Observation status (Flag) V2 structure",
    "CONF_STATUS", "Confidentiality status (flag)",
]  # fmt: skip
ASY_NAME = "Asylum applicants by type, citizenship, age and sex - annual aggregated data"


def asylum_sdmx2_labels(folder: Path, name: str = "asylum_applicants_2025-04-15.csv") -> Path:
    """SDMX-CSV 2.0 with a label column after each code column (the data browser's)."""

    def row(ctz, ctz_label, geo, geo_label, year, value, flag="", flag_label=""):
        return ["dataflow", ASY_1, ASY_NAME, "A", "Annual", ctz, ctz_label, "T", "Total", "PER",
                "Person", "TOTAL", "Total", "ASY_APP", "Asylum applicant", geo, geo_label, year,
                "", value, "", flag, flag_label, "", ""]  # fmt: skip

    return write(
        folder / name,
        [
            ASY_2_LABELS_HEADER,
            row("TOTAL", "Total", "DE", "Germany", "2024", "250000"),
            row("UA", "Ukraine", "DE", "Germany", "2024", "1100"),
            row("TOTAL", "Total", "EL", "Greece", "2024", "70000", "p", "provisional"),
        ],
    )


TP_2_HEADER = ["STRUCTURE", "STRUCTURE_ID", "freq", "unit", "citizen", "sex", "age", "geo",
               "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG", "CONF_STATUS"]  # fmt: skip


def tp_sdmx2_codes(folder: Path) -> Path:
    """SDMX-CSV 2.0 without labels, monthly."""
    flow = "ESTAT:MIGR_ASYTPSM(1.0)"
    body = [
        ["M", "PER", "UA", "T", "TOTAL", "PL", "2025-02", "990000", "", ""],
        ["M", "PER", "UA", "T", "TOTAL", "PL", "2025-03", "992000", "d", ""],
        ["M", "PER", "UA", "F", "TOTAL", "PL", "2025-03", "600000", "", ""],
        ["M", "PER", "UA", "T", "Y_LT18", "PL", "2025-03", "300000", "", ""],
        ["M", "PER", "UA", "T", "TOTAL", "CZ", "2025-03", "", "", ""],
    ]
    return write(
        folder / "estat_migr_asytpsm.csv", [TP_2_HEADER, *(["dataflow", flow, *r] for r in body)]
    )


def tp_tsv(folder: Path) -> Path:
    """The bulk TSV: codes joined by commas, a period per column, value and flag per cell."""
    return write_tsv(
        folder / "migr_asytpsm.tsv",
        [
            "freq,unit,citizen,sex,age,geo\\TIME_PERIOD\t2025-01 \t2025-02 \t2025-03 ",
            "M,PER,UA,T,TOTAL,CZ\t380000 \t385000 p\t: ",
            "M,PER,UA,T,TOTAL,UK\t: c\t1200 \t1250 bp",
            "M,PER,UA,M,TOTAL,XK\t: \t10 \t12 ",
        ],
    )


def population_tsv(folder: Path) -> Path:
    """migr_pop1ctz as bulk TSV (annual, the same dimensions as migr_asytpsm)."""
    return write_tsv(
        folder / "estat_migr_pop1ctz.tsv",
        [
            "freq,citizen,age,unit,sex,geo\\TIME_PERIOD\t2023 \t2024 ",
            "A,NAT,TOTAL,NR,T,LV\t1500000 \t1490000 ",
            "A,FOR,TOTAL,NR,T,LV\t260000 \t265000 e",
            "A,RNC,TOTAL,NR,T,LV\t180000 \t175000 ",
            "A,EU27_2020_FOR,TOTAL,NR,T,LV\t20000 \t21000 ",
            "A,MD,Y15-19,NR,T,LV\t100 \t110 ",
        ],
    )


def immigration_tsv(folder: Path) -> Path:
    return write_tsv(
        folder / "migr_imm1ctz.tsv",
        [
            "freq,citizen,agedef,age,unit,sex,geo\\TIME_PERIOD\t2022 \t2023 ",
            "A,MD,COMPLET,TOTAL,NR,T,RO\t5000 \t5200 ",
            "A,MD,REACH,TOTAL,NR,T,RO\t5000 \t5201 ",
            "A,NAT,REACH,TOTAL,NR,F,RO\t40000 \t42000 ",
        ],
    )


def gdidata_csv(folder: Path) -> Path:
    return write(
        folder / "gdidata_eu_asyapp.csv",
        [
            ["geo", "t", "nat", "sex", "n"],
            ["AUT", "2011.0", "AFG", "female", "835.0"],
            ["AUT", "2011.0", "AFG", "male", "2795.0"],
            ["AUT", "2011.0", "AFG", "unknown", "5.0"],
            ["AUT", "2011.0", "OOO", "male", "20.0"],
            ["EU27", "2024.0", "STL", "female", "100.0"],
            ["EU27", "2024.0", "STL", "male", "300.0"],
        ],
    )


# --- recognition ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "source_id", "layout", "edition"),
    [
        (asylum_sdmx1_codes, "eurostat_asylum_applicants", "eurostat-sdmx-csv-1.0", "2025-03-03"),
        (permits_sdmx1_labels, "eurostat_first_permits", "eurostat-sdmx-csv-1.0", "2025-03-03"),
        (permits_sdmx1_codes, "eurostat_first_permits", "eurostat-sdmx-csv-1.0", "2025-05-14"),
        (asylum_sdmx2_labels, "eurostat_asylum_applicants", "eurostat-sdmx-csv-2.0", "2025-04-15"),
        (tp_sdmx2_codes, "eurostat_temporary_protection", "eurostat-sdmx-csv-2.0", "2025-03"),
        (tp_tsv, "eurostat_temporary_protection", "eurostat-tsv", "2025-03"),
        (population_tsv, "eurostat_population_citizenship", "eurostat-tsv", "2024"),
        (immigration_tsv, "eurostat_immigration_citizenship", "eurostat-tsv", "2023"),
        (gdidata_csv, "gdidata_eu_asyapp", "gdidata-eu-asyapp-csv", "2024"),
    ],
)
def test_each_layout_is_read_by_its_dataset(tmp_path, build, source_id, layout, edition):
    """Recognised by the dataset it holds, in its layout; dated by LAST UPDATE (SDMX-CSV 1.0),
    else a date in the file name, else the latest period in the file (the extract: its latest
    year)."""
    source, parsed, _ = parse(build(tmp_path))
    assert (source, parsed.layout, parsed.edition, parsed.edition_order) == (
        source_id, layout, edition, edition
    )  # fmt: skip


def test_content_decides_not_the_file_name(tmp_path):
    """A temporary-protection download named like the asylum table is still read as what its
    STRUCTURE_ID says; a TSV's dataset is told by its dimensions and periods."""
    path = tp_sdmx2_codes(tmp_path)
    renamed = path.rename(tmp_path / "migr_asyappctza_download.csv")
    assert parse(renamed)[0] == "eurostat_temporary_protection"
    tsv = population_tsv(tmp_path / "b")
    assert parse(tsv.rename(tsv.with_name("migr_asytpsm.tsv")))[0] == (
        "eurostat_population_citizenship"
    )


def test_another_eurostat_dataset_is_not_claimed(tmp_path):
    """SDMX-CSV of a dataset no source reads (asylum decisions) is left to other sources."""
    path = write(
        tmp_path / "estat_migr_asydcfsta.csv",
        [[*ASY_1_HEADER[:9], "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"],
         ["ESTAT:MIGR_ASYDCFSTA(1.0)", UPDATED, "A", "AF", "T", "PER", "TOTAL", "TOTAL", "DE",
          "2024", "100", ""]],
    )  # fmt: skip
    assert recognise(path, list(REGISTRY)) is None


def test_every_fed_id_is_a_catalogue_indicator():
    """The lead adds these ids to the catalogue (fails only until they are there)."""
    from migprofile.indicators.catalogue import BY_ID

    fed = {i for s in REGISTRY if s.id.startswith(("eurostat_", "gdidata_")) for i in s.feeds}
    assert fed and fed <= set(BY_ID), sorted(fed - set(BY_ID))


def test_gdidata_is_a_derived_copy_of_the_official_table():
    sources = {s.id: s for s in REGISTRY}
    official, extract = sources["eurostat_asylum_applicants"], sources["gdidata_eu_asyapp"]
    assert extract.dataset == official.id and extract.preference > official.preference
    assert official.downloads[0].url == (
        "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data/MIGR_ASYAPPCTZA/"
        "?format=SDMX-CSV"
    )


# --- SDMX-CSV 1.0 ------------------------------------------------------------------------------


def test_sdmx_csv_1_codes(tmp_path):
    _, parsed, h = parse(asylum_sdmx1_codes(tmp_path))
    one(parsed, geo="GRC", partner="world", year=2023, sex="total", value=64000)
    r = one(parsed, geo="GRC", partner="AFG", sex="female")
    assert (r["value"], r["note"], r["row"], r["col"]) == (3005, "provisional (p)", 3, "OBS_VALUE")
    assert (r["indicator"], r["period"], r["age"], r["unit"]) == (
        "asylum_applicants", "", "total", "persons"
    )  # fmt: skip
    one(parsed, geo="GRC", partner="AFG", sex="male", value=9000)
    first = one(parsed, indicator="eurostat:asy_app_first_time")
    assert (first["geo"], first["partner"], first["value"]) == ("GRC", "AFG", 11000)
    assert one(parsed, geo="GBR", partner="UKR")["note"] == "estimated (e)"  # UK = GBR
    one(parsed, geo="DEU", partner="XKX", value=1500)  # XK = Kosovo
    one(parsed, geo="DEU", partner="stateless", value=2500)
    one(parsed, geo="DEU", partner="other", value=700)
    one(parsed, geo="XKX", partner="world", value=0)  # a published zero is kept
    eu = one(parsed, geo="eu27_2020")
    assert eu["partner"] == "eurostat-ext_eu27_2020" and eu["value"] == 996000
    assert h.entries["eu27_2020"].name == "European Union (27 countries from 2020)"
    assert h.entries["eu27_2020"].kind == "aggregate"
    assert h.entries["stateless"].name == "Stateless"
    # Not stored: sex UNK, age class, blank value, confidential (flag c, CONF_STATUS C).
    assert not rows(parsed, geo="DEU", partner="SYR")
    assert not rows(parsed, partner="IRQ") and not rows(parsed, partner="IRN")
    assert len(parsed.table) == 10
    assert "1 age other than TOTAL" in parsed.note and "2 confidential" in parsed.note
    assert "1 sex unknown (UNK)" in parsed.note


def test_sdmx_csv_1_labels(tmp_path):
    _, parsed, h = parse(permits_sdmx1_labels(tmp_path))
    assert "labels" in parsed.note
    one(parsed, geo="AUT", partner="world", year=2012, value=37816, row=2)
    assert one(parsed, geo="GRC", indicator="first_residence_permits")["note"] == (
        "provisional (p)"
    )
    one(parsed, geo="GRC", indicator="first_residence_permits_family", value=9000)
    one(parsed, geo="eu27_2020", value=3700000)
    assert one(parsed, geo="XKX")["note"] == "low reliability (u)"
    assert "eu27_2020" in h.entries


def test_first_permits_reasons_and_duration(tmp_path):
    _, parsed, _ = parse(permits_sdmx1_codes(tmp_path))
    got = {r["indicator"]: r["value"] for r in rows(parsed, geo="ESP", partner="MAR")}
    assert got == {
        "first_residence_permits": 51000,
        "first_residence_permits_family": 20000,
        "first_residence_permits_education": 4000,
        "first_residence_permits_remunerated": 21000,
        "first_residence_permits_other": 6000,
        "eurostat:resfirst_occ_hskl": 700,
    }  # duration 12M_OVER skipped: only TOTAL kept
    assert "1 duration other than TOTAL" in parsed.note


# --- SDMX-CSV 2.0 ------------------------------------------------------------------------------


def test_sdmx_csv_2_with_labels_edition_from_the_file_name(tmp_path):
    _, parsed, _ = parse(asylum_sdmx2_labels(tmp_path))
    assert "date in the file name" in parsed.note
    one(parsed, geo="DEU", partner="world", year=2024, value=250000)
    one(parsed, geo="DEU", partner="UKR", value=1100)
    assert one(parsed, geo="GRC")["note"] == "provisional (p)"


def test_sdmx_csv_2_without_labels_edition_is_the_latest_period(tmp_path):
    _, parsed, _ = parse(tp_sdmx2_codes(tmp_path))
    assert "edition is the latest period in the file" in parsed.note
    r = one(parsed, geo="POL", partner="UKR", sex="total", period="2025-03")
    assert (r["year"], r["value"], r["note"]) == (
        2025,
        992000,
        "definition differs (see metadata) (d)",
    )
    one(parsed, geo="POL", period="2025-02", value=990000)
    one(parsed, geo="POL", sex="female", value=600000)
    assert not rows(parsed, geo="CZE")  # blank value
    assert len(parsed.table) == 3


def test_latest_period_edition_without_a_date_in_the_name(tmp_path):
    _, parsed, _ = parse(asylum_sdmx2_labels(tmp_path, "natix_asylum_applicants_total.csv"))
    assert parsed.edition == "2024"


# --- bulk TSV ----------------------------------------------------------------------------------


def test_tsv_values_flags_and_missing(tmp_path):
    _, parsed, _ = parse(tp_tsv(tmp_path))
    one(parsed, geo="CZE", period="2025-01", value=380000, col="2025-01", row=2)
    assert one(parsed, geo="CZE", period="2025-02")["note"] == "provisional (p)"
    assert not rows(parsed, geo="CZE", period="2025-03")  # ':'
    assert not rows(parsed, geo="GBR", period="2025-01")  # ': c'
    r = one(parsed, geo="GBR", period="2025-03")
    assert (r["value"], r["note"]) == (1250, "break in time series (b); provisional (p)")
    one(parsed, geo="XKX", sex="male", period="2025-03", value=12)
    assert len(parsed.table) == 6


def test_population_reporting_country_and_groups(tmp_path):
    _, parsed, h = parse(population_tsv(tmp_path))
    one(parsed, geo="LVA", partner="LVA", year=2024, value=1490000)  # NAT: own citizens
    assert one(parsed, partner="eurostat-for", year=2024)["note"] == "estimated (e)"
    one(parsed, partner="eurostat-rnc", year=2023, value=180000)
    one(parsed, partner="eurostat-eu27_2020_for", year=2024, value=21000)
    assert not rows(parsed, partner="MDA")  # an age class only
    assert h.entries["eurostat-rnc"].name == "Recognised non-citizens"
    assert "1 January" in parsed.note


def test_immigration_keeps_one_age_definition(tmp_path):
    _, parsed, _ = parse(immigration_tsv(tmp_path))
    assert one(parsed, partner="MDA", year=2023)["value"] == 5201  # REACH, not COMPLET
    one(parsed, geo="ROU", partner="ROU", sex="female", year=2022, value=40000)
    assert "agedef REACH kept" in parsed.note and "agedef COMPLET" in parsed.note


# --- gdidata -------------------------------------------------------------------------------------


def test_gdidata_extract(tmp_path):
    _, parsed, h = parse(gdidata_csv(tmp_path))
    one(parsed, geo="AUT", partner="AFG", year=2011, sex="female", value=835, row=2, col="n")
    total = one(parsed, geo="AUT", partner="AFG", year=2011, sex="total")
    assert total["value"] == 835 + 2795 + 5 and "computed by migprofile" in total["note"]
    one(parsed, geo="AUT", partner="other", sex="total", value=20)  # OOO
    one(parsed, geo="eu27_2020", partner="stateless", year=2024, sex="total", value=400)
    assert not rows(parsed, partner="world")
    assert "eu27_2020" in h.entries


def test_gdidata_unknown_code(tmp_path):
    path = gdidata_csv(tmp_path)
    path.write_text(path.read_text().replace("OOO", "XYZ"))
    with pytest.raises(ParseError, match=r"row 5: nat code 'XYZ' is not an ISO3"):
        parse(path)


# --- errors --------------------------------------------------------------------------------------


def test_unknown_code_names_file_row_and_column(tmp_path):
    bad = ["A", "ZZ", "T", "PER", "TOTAL", "ASY_APP", "DE", "2024", "10", ""]
    path = asylum_sdmx1_codes(tmp_path, extra=[bad])
    with pytest.raises(ParseError) as err:
        parse(path)
    text = str(err.value)
    assert path.name in text and "row 17" in text and "'ZZ'" in text and "column citizen" in text
    assert "\n" not in text


def test_unknown_geo_code_and_label(tmp_path):
    bad = ["A", "AF", "T", "PER", "TOTAL", "ASY_APP", "EU99", "2024", "10", ""]
    with pytest.raises(ParseError, match=r"row 17: geo code 'EU99'.*\(column geo\)"):
        parse(asylum_sdmx1_codes(tmp_path, extra=[bad]))
    path = permits_sdmx1_labels(tmp_path / "b")
    path.write_text(path.read_text().replace("Austria", "Austrialand"))
    with pytest.raises(ParseError, match=r"row 2: unknown country or area name 'Austrialand'"):
        parse(path)


def test_unknown_applicant_type_and_frequency(tmp_path):
    bad = ["A", "AF", "T", "PER", "TOTAL", "XASY_APP", "DE", "2024", "10", ""]
    with pytest.raises(ParseError, match=r"row 17: asyl_app 'XASY_APP' is not one of the codes"):
        parse(asylum_sdmx1_codes(tmp_path, extra=[bad]))
    bad = ["Q", "AF", "T", "PER", "TOTAL", "ASY_APP", "DE", "2024", "10", ""]
    with pytest.raises(ParseError, match=r"row 17: freq 'Q'"):
        parse(asylum_sdmx1_codes(tmp_path / "b", extra=[bad]))


def test_a_cut_file_is_refused(tmp_path):
    for build in (asylum_sdmx1_codes, tp_tsv, asylum_sdmx2_labels, gdidata_csv):
        path = build(tmp_path / build.__name__)
        data = path.read_bytes()
        path.write_bytes(data[: len(data) - 4])  # mid-way through the last number
        with pytest.raises(MigprofileError, match=r"cut short") as err:
            parse(path)
        assert path.name in str(err.value) and "row " in str(err.value)


def test_a_renamed_header_cell_is_one_clear_error(tmp_path):
    path = asylum_sdmx1_codes(tmp_path)
    path.write_text(path.read_text().replace("OBS_VALUE", "VALUE", 1))
    with pytest.raises(ParseError, match=r"row 1: no column OBS_VALUE"):
        parse(path)
    path = tp_sdmx2_codes(tmp_path / "b")
    path.write_text(path.read_text().replace(",sex,", ",gender,", 1))
    with pytest.raises(ParseError, match=r"row 1: no sex column"):
        parse(path)


def test_two_datasets_joined_are_refused(tmp_path):
    path = asylum_sdmx1_codes(tmp_path)
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write(
            "ESTAT:MIGR_ASYTPSM(1.0),03/03/25 23:00:00,A,AF,T,PER,TOTAL,ASY_APP,DE,2024,1,,\r\n"
        )
    with pytest.raises(ParseError, match=r"row 17: DATAFLOW 'ESTAT:MIGR_ASYTPSM\(1.0\)' is not"):
        parse(path)


def test_ingest_round_trip(tmp_path, home):
    """Several Eurostat files and the extract in one folder: each stored under its source."""
    from migprofile.ingest import ingest

    raw = tmp_path / "raw"
    asylum_sdmx1_codes(raw)
    permits_sdmx1_labels(raw)
    tp_tsv(raw)
    gdidata_csv(raw)
    assert fx.ingested(raw) == [
        ("estat_migr_asyappctza.csv", "eurostat_asylum_applicants", "2025-03-03"),
        ("gdidata_eu_asyapp.csv", "gdidata_eu_asyapp", "2024"),
        ("migr_asytpsm.tsv", "eurostat_temporary_protection", "2025-03"),
        ("natix_migration_permits_issued.csv", "eurostat_first_permits", "2025-03-03"),
    ]
    again = ingest(raw_dir=raw, offline=True)
    assert again.ingested == [] and len(again.unchanged) == 4


# --- the real files ------------------------------------------------------------------------------


def _csv_value(path: Path, **where: str) -> float:
    """The one OBS_VALUE of the rows whose named columns hold the given codes (an independent
    reading of the file with the csv module)."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        hits = [r for r in csv.DictReader(fh) if all(r[k] == v for k, v in where.items())]
    assert len(hits) == 1, f"{len(hits)} rows for {where}"
    return float(hits[0]["OBS_VALUE"])


def _real(name: str) -> Path:
    path = EUROSTAT / name
    if not path.is_file():
        pytest.skip(f"{path} not present (the real Eurostat files of ../shared/data-next)")
    return path


@pytest.mark.integration
def test_real_asylum_applicants():
    path = _real("natix_asylum_applicants_total.csv")
    source, parsed, _ = parse(path)
    assert source == "eurostat_asylum_applicants" and parsed.edition == "2024"
    expected = _csv_value(path, geo="DE", TIME_PERIOD="2024", citizen="TOTAL", sex="T",
                          age="TOTAL", asyl_app="ASY_APP", unit="PER")  # fmt: skip
    assert expected == 250_615
    r = one(parsed, geo="DEU", partner="world", year=2024, sex="total")
    assert r["value"] == expected and r["indicator"] == "asylum_applicants"
    with path.open(newline="", encoding="utf-8-sig") as fh:
        stored = sum(1 for rec in csv.DictReader(fh) if rec["OBS_VALUE"].strip())
    assert len(parsed.table) == stored  # every published value, nothing else
    one(parsed, geo="GRC", partner="UKR", year=2024)  # EL read as Greece
    assert rows(parsed, geo="GBR")  # UK read as the United Kingdom


@pytest.mark.integration
def test_real_temporary_protection():
    path = _real("natix_temporary_protection_beneficiaries_monthly.csv")
    source, parsed, _ = parse(path)
    assert source == "eurostat_temporary_protection" and parsed.edition == "2025-03"
    expected = _csv_value(path, geo="PL", TIME_PERIOD="2025-03", citizen="UA", sex="T",
                          age="TOTAL")  # fmt: skip
    assert expected == 992_370
    r = one(parsed, geo="POL", partner="UKR", period="2025-03", sex="total")
    assert (r["year"], r["value"]) == (2025, expected)
    assert {x["period"][:4] for x in parsed.table.to_pylist()} >= {"2022", "2025"}


@pytest.mark.integration
def test_real_first_permits_summary():
    path = _real("natix_migration_permits_issued.csv")
    source, parsed, _ = parse(path)
    assert source == "eurostat_first_permits" and parsed.edition == "2025-03-03"
    assert one(parsed, geo="AUT", year=2012)["value"] == _csv_value(
        path, geo="Austria", TIME_PERIOD="2012"
    )
    eu = _csv_value(path, geo="European Union - 27 countries (from 2020)", TIME_PERIOD="2023")
    assert one(parsed, geo="eu27_2020", year=2023)["value"] == eu
    with path.open(newline="", encoding="utf-8-sig") as fh:
        assert len(parsed.table) == sum(1 for rec in csv.DictReader(fh) if rec["OBS_VALUE"])


@pytest.mark.integration
def test_real_gdidata_extract():
    if not GDIDATA.is_file():
        pytest.skip(f"{GDIDATA} not present (the gdidata extracts of ../shared/data-next)")
    source, parsed, _ = parse(GDIDATA)
    assert source == "gdidata_eu_asyapp" and parsed.edition == "2024"
    with GDIDATA.open(newline="") as fh:
        cells = [r for r in csv.DictReader(fh) if r["geo"] == "DEU" and r["t"] == "2024.0"]
    ukr = sum(float(r["n"]) for r in cells if r["nat"] == "UKR")
    assert one(parsed, geo="DEU", partner="UKR", year=2024, sex="total")["value"] == ukr
    female = next(float(r["n"]) for r in cells if r["nat"] == "AFG" and r["sex"] == "female")
    assert one(parsed, geo="DEU", partner="AFG", year=2024, sex="female")["value"] == female


@pytest.mark.integration
def test_real_official_table_wins_over_the_extract(tmp_path, home):
    """Both files carry the 2024 edition of migr_asyappctza: a query takes the official cell
    where both have one (Poland/Ukraine: 6,980, the extract 6,975) and the extract's where
    only it has one (Germany/Afghanistan, by sex)."""
    import migprofile
    from migprofile.indicators import observations

    official = _real("natix_asylum_applicants_total.csv")
    if not GDIDATA.is_file():
        pytest.skip(f"{GDIDATA} not present (the gdidata extracts of ../shared/data-next)")
    got = fx.ingested(tmp_path / "raw", link=(official, GDIDATA))
    assert {e for _, _, e in got} == {"2024"}
    store = migprofile.open_store()
    try:

        def got(geo: str, partner: str, **kw) -> list[tuple]:
            found = observations(store, "asylum_applicants", geo, partner=partner, year=2024, **kw)
            return [(r["value"], r["source"]) for r in found.to_pylist()]

        assert got("POL", "UKR") == [(6980, "eurostat_asylum_applicants")]
        assert got("DEU", "world") == [(250_615, "eurostat_asylum_applicants")]
        ((value, source),) = got("DEU", "AFG", sex="female")
        assert source == "gdidata_eu_asyapp" and value > 0
    finally:
        store.close()

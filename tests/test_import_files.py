"""`migprofile import` with the files people have: a national office's semicolon CSV in
Windows-1251, the same table in a workbook under a title row, Central European names in
Windows-1250, a BOM, tabs and pipes, decimal commas, the years across, and the files that are
not what their suffix says. Each case is built here in the layout users have; each asserts the
values, geos, years and the cell each came from, or the one error line."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlwt

import migprofile
from migprofile.errors import ParseError, UsageError
from migprofile.geo import build_harmoniser
from migprofile.ingest import import_file
from migprofile.sources import ImportSpec, parse_user_file

# A national statistics office's figure: Moldovans working abroad in 2009.
RU_HEADER = ["Страна", "Год", "Численность"]
RU_ROWS = [["Республика Молдова", 2009, "317 900"]]


@pytest.fixture(scope="module")
def h():
    return build_harmoniser()


def ru_spec(**overrides) -> ImportSpec:
    fields = dict(
        indicator="emigrant_stock",
        geo_col="Страна",
        value_col="Численность",
        year_col="Год",
        unit="persons",
        source_name="NBS Moldova",
    )
    fields.update(overrides)
    return ImportSpec(**fields)


def write(path: Path, lines: list[str], encoding: str = "utf-8", end: str = "\r\n") -> Path:
    path.write_bytes(end.join(lines).encode(encoding) + end.encode(encoding))
    return path


def cells(table) -> list[tuple]:
    return [
        (r["geo"], r["year"], r["value"], r["sheet"], r["row"], r["col"]) for r in table.to_pylist()
    ]


def failure(path: Path, spec: ImportSpec, h, kind=ParseError) -> str:
    with pytest.raises(kind) as err:
        parse_user_file(path, spec, h)
    message = str(err.value)
    assert "\n" not in message
    return message


# --- a semicolon CSV in Windows-1251 ----------------------------------------------------------


def test_semicolon_cp1251_csv_with_a_russian_header(tmp_path, h):
    path = write(
        tmp_path / "emigranty.csv",
        [
            "Страна;Год;Численность",
            "Республика Молдова;2009;317 900",
            "Молдова;2010;311\u00a0000",  # NBSP, as Excel writes thousands in Russian
            "Молдова;2011;305 400",
            "Молдова;2012;300'100",
            "Молдова;2013;299000",
        ],
        encoding="cp1251",
    )
    table, note = parse_user_file(path, ru_spec(), h)
    assert cells(table) == [
        ("MDA", 2009, 317900.0, None, 2, "Численность"),
        ("MDA", 2010, 311000.0, None, 3, "Численность"),
        ("MDA", 2011, 305400.0, None, 4, "Численность"),
        ("MDA", 2012, 300100.0, None, 5, "Численность"),
        ("MDA", 2013, 299000.0, None, 6, "Численность"),
    ]
    assert note == (
        "read as windows-1251 (detected), separator ';' (detected); "
        "decimal ',' (the convention of ';' files)"
    )


def test_encoding_and_separator_given(tmp_path, h):
    path = write(tmp_path / "e.csv", [";".join(RU_HEADER), "Молдова;2009;317.900"], "cp1251")
    table, note = parse_user_file(path, ru_spec(encoding="windows-1251", sep=";", decimal=","), h)
    assert cells(table) == [("MDA", 2009, 317900.0, None, 2, "Численность")]
    assert note == (
        "read as windows-1251 (--encoding), separator ';' (--sep); decimal ',' (--decimal)"
    )


def test_ambiguous_thousands_or_decimal_comma_is_an_error(tmp_path, h):
    path = write(tmp_path / "a.csv", [";".join(RU_HEADER), "Республика Молдова;2009;317,900"])
    assert failure(path, ru_spec(), h) == (
        f"{path}, row 2: '317,900' in column 'Численность' reads as 317900 with a decimal point "
        "and as 317.9 with a decimal comma, and no other value tells which: pass --decimal ',' "
        "or --decimal '.'"
    )
    table, note = parse_user_file(path, ru_spec(decimal="."), h)
    assert cells(table) == [("MDA", 2009, 317900.0, None, 2, "Численность")]
    assert note.endswith("decimal '.' (--decimal)")


def test_another_cell_decides_the_decimal_mark(tmp_path, h):
    path = write(
        tmp_path / "d.csv",
        ["geo;year;pct", "MDA;2009;12,5", "ROU;2009;0,5", "UKR;2009;1,250", "ITA;2009;3"],
    )
    spec = ImportSpec("remittances_received_pct_gdp", "geo", "pct", "year", unit="%")
    table, note = parse_user_file(path, spec, h)
    assert [(g, y, v, r) for g, y, v, _s, r, _c in cells(table)] == [
        ("MDA", 2009, 12.5, 2),
        ("ROU", 2009, 0.5, 3),
        ("UKR", 2009, 1.25, 4),  # '1,250' read with the comma '12,5' shows
        ("ITA", 2009, 3.0, 5),
    ]
    assert note.endswith("decimal ',' (detected: '12,5' on line 2)")


def test_mixed_decimal_marks_are_an_error(tmp_path, h):
    path = write(tmp_path / "m.csv", ["geo;year;pct", "MDA;2009;12.5", "ROU;2009;0,5"])
    spec = ImportSpec("remittances_received_pct_gdp", "geo", "pct", "year", unit="%")
    assert failure(path, spec, h) == (
        f"{path}, row 3: the values mix decimal marks: '12.5' (line 2, column 'pct') and '0,5' "
        "(line 3, column 'pct'): pass --decimal '.' or --decimal ','"
    )
    assert failure(path, ImportSpec(**{**spec.__dict__, "decimal": ","}), h) == (
        f"{path}, row 2: '12.5' is not a number with the decimal mark ',' (--decimal) "
        "(column 'pct')"
    )


def test_ragged_rows_name_the_line(tmp_path, h):
    path = write(tmp_path / "r.csv", [";".join(RU_HEADER), "Молдова;2009;1", "Молдова;2010;2;3"])
    assert failure(path, ru_spec(), h) == (
        f"{path}, row 3: 4 cells, but the header (line 1) has 3 (separator ';'): check --sep, "
        "or quote cells that hold the separator"
    )
    header_only = write(tmp_path / "h.csv", ["a;b;c", "MDA;2009;1;x", "ROU;2009;2;y"])
    assert failure(header_only, ImportSpec("emigrant_stock", "a", "c", "b"), h) == (
        f"{header_only}, row 2: 4 cells, but the header (line 1) has 3 (separator ';'): check "
        "--sep, or quote cells that hold the separator"
    )


# --- the same table in workbooks -----------------------------------------------------------------


def ru_workbook(path: Path) -> Path:
    """Two sheets: a notes sheet first, then the table under a title row and a blank row."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Пояснения"
    notes["A1"] = "Данные НБС"
    data = wb.create_sheet("Данные")
    data["A1"] = "Таблица 1. Эмигранты, работающие за рубежом"
    data.append([])
    data.append(RU_HEADER)
    data.append(["Республика Молдова", 2009, 317900])
    data.append(["Молдова", 2010, "311 000"])  # a number stored as text
    data.append(["Источник: НБС"])  # a note below the table
    wb.save(path)
    return path


def test_xlsx_with_a_title_row_and_a_second_sheet(tmp_path, h):
    path = ru_workbook(tmp_path / "emigranty.xlsx")
    for sheet in ("Данные", "2"):
        table, note = parse_user_file(path, ru_spec(sheet=sheet), h)
        assert cells(table) == [
            ("MDA", 2009, 317900.0, "Данные", 4, "C"),
            ("MDA", 2010, 311000.0, "Данные", 5, "C"),
        ]
        assert note == (
            "sheet 'Данные' (2 of 2); header on row 3; one-cell notes below the table skipped "
            "(row 6)"
        )


def test_unknown_sheet_lists_the_sheets(tmp_path, h):
    path = ru_workbook(tmp_path / "emigranty.xlsx")
    assert failure(path, ru_spec(sheet="Data"), h, UsageError) == (
        f"--sheet: no sheet 'Data' in {path} (sheets: 'Пояснения', 'Данные')"
    )
    assert failure(path, ru_spec(sheet="3"), h, UsageError).startswith("--sheet: no sheet '3'")


def test_first_sheet_by_default(tmp_path, h):
    path = ru_workbook(tmp_path / "emigranty.xlsx")
    assert failure(path, ru_spec(), h, ParseError) == (
        f"{path}, sheet 'Пояснения': no header: no row has two or more cells"
    )


def test_xls_workbook(tmp_path, h):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Лист1")
    sheet.write(0, 0, "Таблица 1")
    for j, name in enumerate(RU_HEADER):
        sheet.write(2, j + 1, name)  # the table starts in column B
    sheet.write(3, 1, "Республика Молдова")
    sheet.write(3, 2, 2009)
    sheet.write(3, 3, 317900)
    path = tmp_path / "emigranty.xls"
    book.save(str(path))
    table, note = parse_user_file(path, ru_spec(), h)
    assert cells(table) == [("MDA", 2009, 317900.0, "Лист1", 4, "D")]
    assert note == "sheet 'Лист1'; header on row 3"


def test_workbook_cell_errors_name_sheet_row_and_column(tmp_path, h):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Country", "Year", "Persons"])
    ws.append(["Moldova", 2009, "about 300"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    spec = ImportSpec("emigrant_stock", "Country", "Persons", "Year")
    assert failure(path, spec, h) == (
        f"{path}, sheet 'Data', row 2: text 'about 300' where a number was expected "
        "(column 'Persons' (C))"
    )


# --- other encodings and separators --------------------------------------------------------------


def test_cp1250_central_european_names(tmp_path, h):
    path = write(
        tmp_path / "remitente.csv",
        [
            "Ţara;An;Valoare",
            "Republica Moldova;2009;12,5",
            "România;2009;0,5",
            "Česko;2009;1,25",
            "Magyarország;2010;3",
        ],
        encoding="cp1250",
    )
    spec = ImportSpec("remittances_received_pct_gdp", "Ţara", "Valoare", "An", unit="%")
    table, note = parse_user_file(path, spec, h)
    assert cells(table) == [
        ("MDA", 2009, 12.5, None, 2, "Valoare"),
        ("ROU", 2009, 0.5, None, 3, "Valoare"),
        ("CZE", 2009, 1.25, None, 4, "Valoare"),
        ("HUN", 2010, 3.0, None, 5, "Valoare"),
    ]
    assert note == (
        "read as windows-1250 (detected), separator ';' (detected); "
        "decimal ',' (detected: '12,5' on line 2)"
    )


def test_undecidable_encoding_asks_for_it(tmp_path, h):
    # one all-non-ASCII word and one mixed word: neither Cyrillic nor Latin text wins
    path = tmp_path / "x.csv"
    path.write_bytes(b"geo;year;v\n\xc0\xc1;2009;1\n\xc0A;2010;2\n")
    spec = ImportSpec("emigrant_stock", "geo", "v", "year")
    assert failure(path, spec, h) == (
        f"{path}: not UTF-8 text, and windows-1251 (Cyrillic) and windows-1250 (Central "
        "European) read it equally well: pass --encoding (e.g. --encoding windows-1251)"
    )


def test_unknown_encoding_names_the_option(tmp_path, h):
    path = write(tmp_path / "e.csv", [";".join(RU_HEADER), "Молдова;2009;1"])
    assert failure(path, ru_spec(encoding="cp-klingon"), h, UsageError) == (
        "--encoding: 'cp-klingon' is not an encoding Python knows (e.g. utf-8, windows-1251, "
        "windows-1250)"
    )


def test_wrong_encoding_given_names_the_line(tmp_path, h):
    path = write(tmp_path / "e.csv", [";".join(RU_HEADER), "Молдова;2009;1"], "cp1251")
    message = failure(path, ru_spec(encoding="utf-8"), h)
    assert message.startswith(f"{path}, row 1: not UTF-8 text (byte 0 cannot be decoded)")
    assert message.endswith(": check --encoding")


def test_utf8_with_bom(tmp_path, h):
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffcountry,year,persons\nRepublic of Moldova,2009,317\u202f900\n".encode())
    table, note = parse_user_file(
        path, ImportSpec("emigrant_stock", "country", "persons", "year"), h
    )
    assert cells(table) == [("MDA", 2009, 317900.0, None, 2, "persons")]
    assert note == "read as UTF-8 with BOM (detected), separator ',' (detected)"


@pytest.mark.parametrize(
    ("sep", "given", "named"),
    [
        ("\t", None, "tab (detected)"),
        ("\t", "tab", "tab (--sep)"),
        ("\t", "\\t", "tab (--sep)"),
        ("|", None, "'|' (detected)"),
        ("|", "|", "'|' (--sep)"),
    ],
)
def test_tab_and_pipe_separators(tmp_path, h, sep, given, named):
    path = write(
        tmp_path / "t.txt",
        [sep.join(["country", "year", "persons"]), sep.join(["Moldova", "2009", "317 900"])],
    )
    spec = ImportSpec("emigrant_stock", "country", "persons", "year", sep=given)
    table, note = parse_user_file(path, spec, h)
    assert cells(table) == [("MDA", 2009, 317900.0, None, 2, "persons")]
    assert note == f"read as UTF-8 (detected), separator {named}"


def test_bad_separator_option(tmp_path, h):
    path = write(tmp_path / "t.csv", ["a,b", "MDA,1"])
    assert failure(path, ImportSpec("x", "a", "b", "c", sep=":"), h, UsageError) == (
        "--sep: ':' is not one of ',' ';' '|' 'tab'"
    )


# --- years across --------------------------------------------------------------------------------


def test_wide_csv_years_across(tmp_path, h):
    path = write(
        tmp_path / "wide.csv",
        [
            "Страна;2009;2010.0; 2011 ;Примечание",
            "Республика Молдова;317 900;;305 400;оценка",
            "Италия;1 000;1 100;1 200;",
        ],
        encoding="cp1251",
    )
    spec = ImportSpec("emigrant_stock", "Страна", unit="persons", years_across=True)
    table, note = parse_user_file(path, spec, h)
    assert cells(table) == [
        ("MDA", 2009, 317900.0, None, 2, "2009"),
        ("MDA", 2011, 305400.0, None, 2, "2011"),  # the empty 2010 cell: no value, not 0
        ("ITA", 2009, 1000.0, None, 3, "2009"),
        ("ITA", 2010, 1100.0, None, 3, "2010.0"),
        ("ITA", 2011, 1200.0, None, 3, "2011"),
    ]
    assert note.startswith("read as windows-1251 (detected), separator ';' (detected)")


def test_wide_xlsx_years_across_names_each_cell(tmp_path, h):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Table"
    ws["A1"] = "Emigrants by country of destination"
    ws.append(["Country", "Sex", 2009, 2010, "2011"])
    ws.append(["Italy", "Male", 100, None, 120])
    ws.append(["Italy", "Female", 200, 210, 220])
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    spec = ImportSpec(
        "migrant_stock", "Country", partner_col=None, sex_col="Sex", years_across=True
    )
    table, note = parse_user_file(path, spec, h)
    got = [
        (r["geo"], r["year"], r["sex"], r["value"], r["row"], r["col"]) for r in table.to_pylist()
    ]
    assert got[:5] == [
        ("ITA", 2009, "male", 100.0, 3, "C"),
        ("ITA", 2011, "male", 120.0, 3, "E"),
        ("ITA", 2009, "female", 200.0, 4, "C"),
        ("ITA", 2010, "female", 210.0, 4, "D"),
        ("ITA", 2011, "female", 220.0, 4, "E"),
    ]
    totals = {r["year"]: (r["value"], r["col"], r["sheet"]) for r in table.to_pylist()[5:]}
    # 2010 has no male cell: absent counts as 0, as for a long file
    assert totals == {2009: (300.0, "C", "Table"), 2010: (210.0, "D", "Table"),
                      2011: (340.0, "E", "Table")}  # fmt: skip
    assert table.to_pylist()[5]["note"].startswith(
        "total = male + female, computed by migprofile (rows 3,4;"
    )
    assert note == (
        "sheet 'Table'; header on row 2; "
        "file gives male and female only: total = male + female (computed on import)"
    )


def test_wide_without_year_columns(tmp_path, h):
    path = write(tmp_path / "w.csv", ["country;persons;note", "Moldova;1;x"])
    spec = ImportSpec("emigrant_stock", "country", years_across=True)
    assert failure(path, spec, h) == (
        f"{path}: --years-across: no column header is a year (columns: country, persons, note)"
    )


def test_layout_options_are_checked(tmp_path, h):
    path = write(tmp_path / "w.csv", ["country;2009", "Moldova;1"])
    assert failure(
        path, ImportSpec("emigrant_stock", "country", "2009", "year"), h, UsageError
    ) == (f"--year-col: no column 'year' in {path} (columns: country, 2009)")
    assert (
        failure(
            path,
            ImportSpec("emigrant_stock", "country", year_col="x", years_across=True),
            h,
            UsageError,
        )
        == "--year-col: not used with --years-across (the years are the columns)"
    )
    assert failure(path, ImportSpec("emigrant_stock", "country", "2009"), h, UsageError) == (
        "--year-col: name the column with the year (or pass --years-across when each year is "
        "a column)"
    )
    assert failure(
        path, ImportSpec("emigrant_stock", "country", sheet="2", years_across=True), h, UsageError
    ) == (f"--sheet: only for workbooks ({path} is not .xlsx, .xls or .ods)")


# --- files that are not what their suffix says ----------------------------------------------------


def test_workbook_named_csv(tmp_path, h):
    path = tmp_path / "emigranty.csv"
    path.write_bytes(ru_workbook(tmp_path / "book.xlsx").read_bytes())
    assert failure(path, ru_spec(), h) == (
        f"{path}: not CSV text: the file is a zip archive (an .xlsx or .ods workbook?) named "
        ".csv; give it its own suffix"
    )


def test_binary_file_named_csv(tmp_path, h):
    path = tmp_path / "data.csv"
    path.write_bytes(bytes(range(256)) * 8)
    message = failure(path, ru_spec(), h)
    assert message == (
        f"{path}: not CSV text: the file holds binary data (a spreadsheet, an archive?)"
    )


def test_xlsx_that_is_not_a_zip(tmp_path, h):
    text = write(tmp_path / "table.xlsx", [";".join(RU_HEADER), "Молдова;2009;1"])
    assert failure(text, ru_spec(), h) == (
        f"{text}: not a .xlsx workbook: such a file is a zip archive, and this one is text (a "
        "CSV or web page named .xlsx?)"
    )
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(range(256)))
    assert failure(damaged, ru_spec(), h) == (
        f"{damaged}: not a .xlsx workbook: such a file is a zip archive, and this one is not (a "
        "damaged or renamed file?)"
    )


# --- end to end: into a store --------------------------------------------------------------------


def stored(db: Path, source: str) -> list[tuple]:
    """The store's observations of one source, each with the cell it came from."""
    with migprofile.open_store(db) as store:
        return store.con.execute(
            'SELECT geo, year, value, sheet, "row", col FROM observations '
            "JOIN vintages USING (vintage_id) WHERE source = ? ORDER BY year",
            [source],
        ).fetchall()


def test_import_cp1251_csv_end_to_end(tmp_path, module_home):
    rows = [";".join(RU_HEADER), "Республика Молдова;2009;317 900"]
    path = write(tmp_path / "emigranty.csv", rows, "cp1251")
    db = tmp_path / "s.duckdb"
    source, edition, n_rows, note = import_file(path, ru_spec(edition="2010"), db=db)
    assert (source, edition, n_rows) == ("import:nbs-moldova", "2010", 1)
    assert note.startswith("read as windows-1251 (detected)")
    assert stored(db, source) == [("MDA", 2009, 317900.0, None, 2, "Численность")]


def test_import_wide_xlsx_end_to_end(tmp_path, module_home):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Emigrants"
    ws["A1"] = "Table 2. Labour emigrants"
    ws.append(["Country", 2009, 2010, 2011])
    ws.append(["Республика Молдова", 317900, None, 305400])
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    db = tmp_path / "s.duckdb"
    spec = ImportSpec(
        "emigrant_stock", "Country", unit="persons", source_name="NBS wide", edition="2012",
        years_across=True,
    )  # fmt: skip
    source, edition, n_rows, _note = import_file(path, spec, db=db)
    assert (source, edition, n_rows) == ("import:nbs-wide", "2012", 2)
    assert stored(db, source) == [
        ("MDA", 2009, 317900.0, "Emigrants", 3, "B"),
        ("MDA", 2011, 305400.0, "Emigrants", 3, "D"),
    ]


# --- what the careful reading and the other formats keep --------------------------------------


def test_quoted_line_break_and_notes_keep_true_lines(tmp_path, h):
    path = write(
        tmp_path / "q.csv",
        [
            "Table 1. Emigrants",
            "",
            "country;year;persons;comment",
            'Moldova;2009;317 900;"estimate,\r\nrevised"',
            "Romania;2009;12 000;",
            "Source: national offices;;;",
            "Note: provisional",
        ],
    )
    spec = ImportSpec("emigrant_stock", "country", "persons", "year")
    table, note = parse_user_file(path, spec, h)
    assert cells(table) == [
        ("MDA", 2009, 317900.0, None, 4, "persons"),
        ("ROU", 2009, 12000.0, None, 6, "persons"),  # the quoted line break is line 5
    ]
    assert note == (
        "read as UTF-8 (detected), separator ';' (detected); header on line 3; one-cell notes "
        "below the table skipped (lines 7-8); decimal ',' (the convention of ';' files)"
    )


def test_parquet_text_numbers_follow_the_same_rules(tmp_path, h):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "p.parquet"
    pq.write_table(
        pa.table({"geo": ["MDA", "498", "ROU"], "year": [2009, 2010, 2009],
                  "v": ["12,5", "0,5", None]}),
        path,
    )  # fmt: skip
    spec = ImportSpec("remittances_received_pct_gdp", "geo", "v", "year", unit="%")
    table, note = parse_user_file(path, spec, h)
    assert cells(table) == [
        ("MDA", 2009, 12.5, None, 2, "v"),
        ("MDA", 2010, 0.5, None, 3, "v"),
        ("ROU", 2009, None, None, 4, "v"),
    ]
    assert note == "decimal ',' (detected: '12,5' on line 2)"

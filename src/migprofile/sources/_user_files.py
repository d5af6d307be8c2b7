"""Reading the files people have, for `migprofile import`: a national office's CSV with
semicolons in Windows-1251, a workbook with a title above its header, a table with the years
across. What this module decides it decides the same way every time and says so (`Cells.notes`),
and what it cannot decide it refuses with one line naming the option that settles it:

* **format**: by suffix (.parquet; .xlsx .xlsm .xlsb .xls .ods; anything else is text), checked
  against the content (a workbook named .csv, or a ".xlsx" that is no zip, is refused);
* **encoding** (--encoding): UTF-8 (with or without BOM) when the bytes decode as UTF-8, UTF-16
  with a BOM; else Windows-1251 or Windows-1250 by which reads as words (Cyrillic words are all
  non-ASCII letters, Central European words mix ASCII letters and diacritics); else refused;
* **separator** (--sep): among , ; tab | the one that splits the first lines (title lines of one
  cell aside) into one same number > 1 of cells, quotes respected; fewest title lines, then most
  cells, wins; a tie is refused;
* **header**: the first row with two or more cells; one-cell title rows above it and one-cell
  notes below the table are skipped and noted;
* **decimal mark** (--decimal): decided over all the value cells together (see `read_numbers`).
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError, UsageError
from migprofile.sources.base import (
    MISSING_MARKERS,
    check_no_nul,
    column_letter,
    native_call,
    read_bytes,
    to_year,
)
from migprofile.wording.i18n import _, pgettext

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
SEPARATORS = (",", ";", "\t", "|")  # the order ties are reported in
SEPARATOR_WORDS = {
    ",": ",", "comma": ",", ";": ";", "semicolon": ";", "|": "|", "pipe": "|",
    "tab": "\t", "\\t": "\t", "\t": "\t",
}  # fmt: skip
DECIMAL_WORDS = {".": ".", "point": ".", "dot": ".", ",": ",", "comma": ","}
SAMPLE_RECORDS = 50  # lines the separator is detected on

_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls)
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"\x1f\x8b": "a gzip archive",
    b"\x89PNG": "a PNG image",
    b"PAR1": "a Parquet file",
}
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Cells:
    """A user's table as read, before any column is interpreted.

    `text[j]` holds column j's cells as text (None where empty); `numbers[j]`, where the file
    typed cells as numbers (a workbook's, a Parquet column's), those numbers (None elsewhere);
    `rows` each record's line (text, Parquet) or Excel row number (workbook), as a user finds it.
    """

    path: Path
    names: list[str]
    text: list[pa.Array]
    numbers: list[pa.Array | None]
    rows: pa.Array
    letters: list[str] | None = None  # a workbook's column letters
    sheet: str | None = None
    separator: str | None = None  # a text file's
    notes: list[str] = field(default_factory=list)
    decimal_default: str = "."
    decimal_default_why: str = ""
    plain: bool = False  # a UTF-8 comma CSV or Parquet: its note need say nothing of reading

    @property
    def is_workbook(self) -> bool:
        return self.letters is not None

    def label(self, j: int) -> str:
        """Column j as messages name it: 'Численность' (C) in a workbook, 'v' in a CSV."""
        if self.letters is not None:
            return f"{self.names[j]!r} ({self.letters[j]})"
        return repr(self.names[j])

    def cell_col(self, j: int) -> str:
        """Column j as provenance names it: the Excel letter, else the header."""
        return self.letters[j] if self.letters is not None else self.names[j]

    def listing(self) -> str:
        return ", ".join(n for n in self.names if n)


# --- options ------------------------------------------------------------------------------------


def separator_option(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    sep = SEPARATOR_WORDS.get(value if value in ("\t",) else value.strip().lower())
    if sep is None:
        raise UsageError(
            _("--sep: {value} is not one of ',' ';' '|' 'tab'").format(value=repr(value))
        )
    return sep


def decimal_option(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    mark = DECIMAL_WORDS.get(value.strip().lower())
    if mark is None:
        raise UsageError(_("--decimal: {value} is not '.' or ','").format(value=repr(value)))
    return mark


def encoding_option(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    try:
        return codecs.lookup(value.strip()).name
    except LookupError:
        raise UsageError(
            _(
                "--encoding: {value} is not an encoding Python knows (e.g. utf-8, "
                "windows-1251, windows-1250)"
            ).format(value=repr(value))
        ) from None


def encoding_name(codec: str) -> str:
    """Python's codec name as people write it: cp1251 → windows-1251, utf-8 → UTF-8."""
    if codec.startswith("cp125"):
        return "windows-" + codec[2:]
    return codec.upper() if codec.startswith("utf") else codec


def separator_name(sep: str) -> str:
    return "tab" if sep == "\t" else repr(sep)


# --- reading ------------------------------------------------------------------------------------


def read_cells(
    path: Path,
    *,
    sheet: str | None = None,
    sep: str | None = None,
    encoding: str | None = None,
    user_file: bool = True,
) -> Cells:
    """The file's cells; the format by suffix, checked against the content. Errors name the
    import options (--encoding, --sep) only for a `user_file`."""
    if not path.exists():
        raise UsageError(f"FILE: {path} does not exist")
    suffix = path.suffix.lower()
    sep_char = separator_option(sep)
    codec = encoding_option(encoding)
    if suffix in WORKBOOK_SUFFIXES or suffix == ".parquet":
        for option, given in (("--sep", sep_char), ("--encoding", codec)):
            if given is not None:
                raise UsageError(
                    _("{option}: only for CSV files ({path} is a {kind} file)").format(
                        option=option, path=path, kind=suffix
                    )
                )
    if suffix not in WORKBOOK_SUFFIXES and sheet not in (None, ""):
        raise UsageError(
            _("--sheet: only for workbooks ({path} is not .xlsx, .xls or .ods)").format(path=path)
        )
    raw = read_bytes(path)  # one read: what is hashed is what is parsed
    if suffix == ".parquet":
        return _read_parquet(path, raw)
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, raw, sheet)
    return _read_text(path, raw, sep_char, codec, user_file)


def _read_parquet(path: Path, raw: bytes) -> Cells:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(raw))
    except (pa.ArrowInvalid, OSError) as exc:
        raise ParseError(path, f"cannot read as Parquet: {exc}") from None
    texts: list[pa.Array] = []
    numbers: list[pa.Array | None] = []
    for name in table.column_names:
        column = table.column(name).combine_chunks()
        if pa.types.is_dictionary(column.type):
            column = column.dictionary_decode()
        kind = column.type
        if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
            numbers.append(pc.cast(column, pa.float64()))
            text = pc.cast(column, pa.string())
        else:
            numbers.append(None)
            text = column if pa.types.is_string(kind) else pc.cast(column, pa.string())
        texts.append(_nulls_for_blanks(text))
    rows = pa.array(range(2, table.num_rows + 2), pa.int32())  # as a CSV's lines
    cells = Cells(path, list(table.column_names), texts, numbers, rows, plain=True)
    return _drop_blank_records(cells)


def _nulls_for_blanks(text: pa.Array) -> pa.Array:
    blank = pc.equal(pc.utf8_trim_whitespace(text), "")
    return pc.if_else(pc.fill_null(blank, False), pa.scalar(None, pa.string()), text)


def _drop_blank_records(cells: Cells) -> Cells:
    """Records with no cell at all (a Parquet file's empty rows): dropped, lines kept true."""
    blank = None
    for text, number in zip(cells.text, cells.numbers, strict=True):
        empty = pc.is_null(text)
        if number is not None:
            empty = pc.and_(empty, pc.is_null(number))
        blank = empty if blank is None else pc.and_(blank, empty)
    if blank is None or not pc.any(blank).as_py():
        return cells
    keep = pc.invert(blank)
    cells.text = [t.filter(keep) for t in cells.text]
    cells.numbers = [None if n is None else n.filter(keep) for n in cells.numbers]
    cells.rows = cells.rows.filter(keep)
    return cells


# --- text files -----------------------------------------------------------------------------------


def _refuse_binary(path: Path, raw: bytes) -> None:
    """A workbook or another binary file under a text suffix: one line, never its bytes."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # UTF-16 text (Excel's "Unicode text"): NUL bytes in every other place
    suffix = path.suffix or _("no suffix")
    if raw.startswith(_ZIP):
        kind = _("a zip archive (an .xlsx or .ods workbook?)")
    elif raw.startswith(_OLE):
        kind = _("an Excel 97-2003 workbook (.xls)")
    else:
        kind = next((w for magic, w in _BINARY_MAGIC.items() if raw.startswith(magic)), "")
    if kind:
        raise ParseError(
            path,
            _("not CSV text: the file is {kind} named {suffix}; give it its own suffix").format(
                kind=kind, suffix=suffix
            ),
        )
    head = raw[:1024]
    controls = sum((b < 0x20 and b not in b"\t\n\r\f") or b == 0x7F for b in head)
    if controls > len(head) // 10:  # a zeroed block in a text is refused below, by its line
        raise ParseError(
            path,
            _("not CSV text: the file holds binary data (a spreadsheet, an archive?)"),
        )


def decode_text(
    path: Path, raw: bytes, codec: str | None, user_file: bool = True
) -> tuple[str, str, bool]:
    """The text, how it was read ('windows-1251 (detected)') and whether that was plain
    UTF-8 without a BOM, found by decoding (what a note need not mention)."""
    if codec is not None:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError as exc:
            reason = _("not {encoding} text (byte {offset} cannot be decoded)").format(
                encoding=encoding_name(codec), offset=exc.start
            )
            if user_file:
                reason += ": " + _("check --encoding")
            raise ParseError(path, reason, row=raw.count(b"\n", 0, exc.start) + 1) from None
        how = _("{encoding} (--encoding)").format(encoding=encoding_name(codec))
        plain = codec == "utf-8" and not text.startswith("\ufeff")
        return text.removeprefix("\ufeff"), how, plain
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = raw.decode("utf-16").removeprefix("\ufeff")
            return text, _("UTF-16 (detected: BOM)"), False
        except UnicodeDecodeError:
            pass  # not UTF-16 after all: the NUL check below refuses it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if text.startswith("\ufeff"):
            return text[1:], _("UTF-8 with BOM (detected)"), False
        return text, _("UTF-8 (detected)"), True
    check_no_nul(path, raw)
    chosen = cyrillic_or_central_european(raw)
    if chosen is None:
        raise ParseError(
            path,
            _(
                "not UTF-8 text, and windows-1251 (Cyrillic) and windows-1250 (Central "
                "European) read it equally well: pass --encoding (e.g. --encoding windows-1251)"
            ),
        )
    how = _("{encoding} (detected)").format(encoding=encoding_name(chosen))
    return raw.decode(chosen), how, False


def cyrillic_or_central_european(raw: bytes) -> str | None:
    """cp1251 or cp1250 for bytes that are not UTF-8, None when the text does not tell.

    Read as cp1251, a Cyrillic text's words are all Cyrillic letters; a Central European
    text's words mix ASCII letters with its diacritics (ă, ş, ł, ő read as г, є, і, х). The
    majority of the words with a non-ASCII letter decides; a codec that cannot decode the
    bytes is never chosen."""
    as_cyrillic = raw.decode("cp1251", errors="replace")
    pure = mixed = 0
    for word in _WORD.findall(as_cyrillic):
        if word.isascii():
            continue
        if any(c.isascii() for c in word):
            mixed += 1
        else:
            pure += 1
    chosen = "cp1251" if pure > mixed else "cp1250" if mixed > pure else None
    if chosen is None:
        # no word tells (the non-ASCII bytes are dashes or spaces): fine when both read alike
        try:
            same = raw.decode("cp1251") == raw.decode("cp1250")
        except UnicodeDecodeError:
            same = False
        return "cp1251" if same else None
    try:
        raw.decode(chosen)
    except UnicodeDecodeError:
        return None
    return chosen


def _read_text(
    path: Path, raw: bytes, sep: str | None, codec: str | None, user_file: bool
) -> Cells:
    _refuse_binary(path, raw)
    text, how_read, plain_text = decode_text(path, raw, codec, user_file)
    check_no_nul(path, text)
    text = text.rstrip("\x1a")  # DOS end-of-file marker of old exports
    bad = _CONTROL.search(text)
    if bad:
        raise ParseError(
            path,
            _("not CSV text: control character U+{code} (a binary file?)").format(
                code=f"{ord(bad.group()):04X}"
            ),
            row=text.count("\n", 0, bad.start()) + 1,
        )
    sep_given = sep is not None
    if sep is None:
        sep = detect_separator(path, text)
        sep_how = _("{sep} (detected)").format(sep=separator_name(sep))
    else:
        sep_how = _("{sep} (--sep)").format(sep=separator_name(sep))
    cells = _fast_cells(path, text, sep)
    if cells is None:  # the careful reading, which names the line at fault
        try:
            records = list(_records(text, sep))
        except csv.Error as exc:
            raise ParseError(path, _("not readable as CSV ({reason})").format(reason=exc)) from None
        cells = _cells_from_records(path, records, separator=sep)
    cells.separator = sep
    if sep == ";":
        cells.decimal_default = ","
        cells.decimal_default_why = _("the convention of ';' files")
    cells.plain = plain_text and sep == "," and not sep_given
    if not cells.plain:
        cells.notes.insert(
            0, _("read as {encoding}, separator {sep}").format(encoding=how_read, sep=sep_how)
        )
    return cells


def _fast_cells(path: Path, text: str, sep: str) -> Cells | None:
    """The cells read by Arrow's CSV reader (a few times faster than the csv module), or None
    when the file needs the careful reading: uneven rows, notes of one cell, quoted line breaks
    or lone CR line ends (where Arrow's row numbers would not be the file's lines)."""
    import pyarrow.csv as pacsv

    try:
        header_at, header = next((n, r) for n, r in _records(text, sep) if _filled(r) >= 2)
    except (StopIteration, csv.Error):
        return None
    start = 0
    for _i in range(header_at - 1):
        start = text.index("\n", start) + 1
    rest = text[start:]
    if rest.count("\r") != rest.count("\r\n"):
        return None
    body = rest[rest.find("\n") + 1 :] if "\n" in rest else ""
    lines = body.count("\n") + (1 if body and not body.endswith("\n") else 0)
    names = [f"c{j}" for j in range(len(header))]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(rest.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, ignore_empty_lines=False, newlines_in_values=True
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, OSError):
        return None
    if table.num_rows != lines:
        return None
    texts = [_nulls_for_blanks(table.column(c).combine_chunks()) for c in names]
    rows = pa.array(range(header_at + 1, header_at + 1 + lines), pa.int32())
    cells = Cells(path, [h.strip() for h in header], texts, [None] * len(names), rows)
    if header_at > 1:
        cells.notes.append(_("header on {where} {n}").format(where=line_word(False), n=header_at))
    filled = pa.repeat(pa.scalar(0, pa.int64()), lines)
    for t in texts:
        filled = pc.add(filled, pc.cast(pc.is_valid(t), pa.int64()))
    counts = filled.to_numpy()
    end = lines
    while end and counts[end - 1] <= 1:
        end -= 1
    if end < lines:
        noted = [header_at + 1 + i for i in range(end, lines) if counts[i]]
        if noted:
            _note_skipped(cells.notes, noted, workbook=False)
        keep = pc.less(pa.array(range(lines), pa.int64()), end)
        cells.text = [t.filter(keep) for t in cells.text]
        cells.rows = cells.rows.filter(keep)
    return _drop_blank_records(cells)


def line_word(workbook: bool, many: bool = False) -> str:
    """How a position in the file is named: a text file has lines, a sheet has rows."""
    if workbook:
        return pgettext("in a file", "rows") if many else pgettext("in a file", "row")
    return pgettext("in a file", "lines") if many else pgettext("in a file", "line")


def _note_skipped(notes: list[str], lines: list[int], *, workbook: bool) -> None:
    """The one-cell notes below a table, skipped: said in the note by their lines."""
    first, last = lines[0], lines[-1]
    span = str(first) if first == last else f"{first}-{last}"
    notes.append(
        _("one-cell notes below the table skipped ({where} {span})").format(
            where=line_word(workbook, many=first != last), span=span
        )
    )


def _records(text: str, sep: str) -> Iterable[tuple[int, list[str]]]:
    """(first line, cells) of every record; blank lines give no record but keep lines true."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    line = 1
    for record in reader:
        if record:
            yield line, record
        line = reader.line_num + 1


def _filled(cells: Sequence[Any]) -> int:
    return sum(1 for c in cells if _cell_text(c) is not None)


def detect_separator(path: Path, text: str) -> str:
    """The separator among , ; tab | that splits the first lines evenly (see the module doc)."""
    found: list[tuple[int, int, str]] = []  # (title lines skipped, cells, separator)
    fallback: list[tuple[int, int, str]] = []  # (lines agreeing with the header, cells, sep)
    for sep in SEPARATORS:
        try:
            records = list(itertools.islice(_records(text, sep), SAMPLE_RECORDS))
        except csv.Error:
            continue
        sample = [r for _line, r in records if _filled(r)]
        skipped = 0
        while sample and len(sample[0]) < 2:
            sample.pop(0)
            skipped += 1
        if not sample:
            continue
        widths = [len(r) for r in sample if len(r) > 1]  # one-cell lines: notes, titles
        if all(w == widths[0] for w in widths):
            found.append((skipped, -widths[0], sep))
        else:
            fallback.append((-sum(w == widths[0] for w in widths), -widths[0], sep))
    if found:
        found.sort()
        best = found[0]
        ties = [s for k, n, s in found if (k, n) == best[:2]]
        if len(ties) > 1:
            raise ParseError(
                path,
                _(
                    "cannot tell the separator: {seps} each split every line into {n} cells: "
                    "pass --sep"
                ).format(seps=" and ".join(separator_name(s) for s in ties), n=-best[1]),
            )
        return best[2]
    if fallback:  # no separator splits evenly: the likeliest one names the uneven line
        return sorted(fallback)[0][2]
    raise ParseError(
        path,
        _("no separator (',' ';' tab '|') splits the header into cells: pass --sep"),
    )


# --- workbooks ------------------------------------------------------------------------------------


def _read_workbook(path: Path, raw: bytes, sheet: str | None) -> Cells:
    suffix = path.suffix.lower()
    if not raw.startswith(_ZIP) and not (suffix == ".xls" and raw.startswith(_OLE)):
        expected = (
            _("an Excel 97-2003 (OLE) file or a zip archive")
            if suffix == ".xls"
            else _("a zip archive")
        )
        if _looks_like_text(raw):
            found = _("text (a CSV or web page named {suffix}?)").format(suffix=suffix)
        else:
            found = _("not (a damaged or renamed file?)")
        raise ParseError(
            path,
            _("not a {suffix} workbook: such a file is {expected}, and this one is {found}").format(
                suffix=suffix, expected=expected, found=found
            ),
        )
    from python_calamine import CalamineWorkbook

    workbook = native_call(
        path,
        _("not a readable workbook"),
        lambda: CalamineWorkbook.from_filelike(io.BytesIO(raw)),
    )
    sheets = list(workbook.sheet_names)
    name = _choose_sheet(path, sheets, sheet)
    grid = native_call(
        path,
        _("cannot read sheet"),
        lambda: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False),
        sheet=name,
    )
    records = [(i + 1, row) for i, row in enumerate(grid) if _filled(row)]
    cells = _cells_from_records(path, records, sheet=name, workbook=True)
    where = _("sheet {sheet}").format(sheet=repr(name))
    if len(sheets) > 1:
        where += " " + _("({n} of {count})").format(n=sheets.index(name) + 1, count=len(sheets))
    cells.notes.insert(0, where)
    return cells


def _looks_like_text(raw: bytes) -> bool:
    head = raw[:4096]
    return bool(head) and b"\x00" not in head and not _CONTROL.search(head.decode("latin-1"))


def _choose_sheet(path: Path, sheets: list[str], wanted: str | None) -> str:
    if not sheets:
        raise ParseError(path, _("the workbook has no sheets"))
    if wanted is None or wanted == "":
        return sheets[0]
    if wanted in sheets:
        return wanted
    folded = [s for s in sheets if s.strip().casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    if wanted.strip().isdigit() and 1 <= int(wanted) <= len(sheets):
        return sheets[int(wanted) - 1]
    raise UsageError(
        _("--sheet: no sheet {sheet} in {path} (sheets: {sheets})").format(
            sheet=repr(wanted), path=path, sheets=", ".join(repr(s) for s in sheets)
        )
    )


# --- records into columns -------------------------------------------------------------------------


def _cell_text(cell: Any) -> str | None:
    """A cell as text, None when empty: a workbook's 2009.0 is '2009' (a year, an M49 code)."""
    if cell is None:
        return None
    if isinstance(cell, str):
        return cell if cell.strip() else None
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        if math.isfinite(cell) and cell.is_integer():
            return str(int(cell))
        return repr(cell)
    if isinstance(cell, datetime | date | time):
        return cell.isoformat()
    if isinstance(cell, timedelta):
        return str(cell)
    return str(cell)


def _cell_number(cell: Any) -> float | None:
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return None
    return float(cell)


def _cells_from_records(
    path: Path,
    records: list[tuple[int, list[Any]]],
    *,
    separator: str | None = None,
    sheet: str | None = None,
    workbook: bool = False,
) -> Cells:
    """Header = the first record with two or more cells; one-cell records above it (titles)
    and after the last full record (notes) are skipped, and the note says so."""
    notes: list[str] = []
    where = line_word(workbook)
    start = next((i for i, (_n, r) in enumerate(records) if _filled(r) >= 2), None)
    if start is None:
        # one message per word: "no {where}" cannot be declined in every language
        problem = (
            _("no header: no row has two or more cells")
            if workbook
            else _("no header: no line has two or more cells")
        )
        raise ParseError(path, problem, sheet=sheet)
    header_at, header = records[start]
    if header_at > 1:  # title rows (or blank ones) above it
        notes.append(_("header on {where} {n}").format(where=where, n=header_at))
    body = records[start + 1 :]
    end = len(body)
    while end and _filled(body[end - 1][1]) <= 1:
        end -= 1
    noted = [at for at, record in body[end:] if _filled(record)]
    if noted:
        _note_skipped(notes, noted, workbook=workbook)
    body = body[:end]
    width = len(header)
    if workbook:  # trailing columns with neither a header nor a value are not columns
        used = [j for j in range(width) if _cell_text(header[j]) is not None]
        used += [j for _n, r in body for j in range(len(r)) if _cell_text(r[j]) is not None]
        width = max(used) + 1 if used else width
    names = [(_cell_text(c) or "").strip() for c in header[:width]]
    columns: list[list[str | None]] = [[] for _j in range(width)]
    numbers: list[list[float | None]] = [[] for _j in range(width)]
    rows: list[int] = []
    for at, record in body:
        if not _filled(record):
            continue
        if len(record) != len(header):
            raise ParseError(
                path,
                _(
                    "{found} cells, but the header ({where} {header}) has {expected} "
                    "(separator {sep}): check --sep, or quote cells that hold the separator"
                ).format(
                    found=len(record),
                    where=where,
                    header=header_at,
                    expected=len(header),
                    sep=separator_name(separator or ","),
                ),
                row=at,
            )
        rows.append(at)
        for j in range(width):
            cell = record[j]
            columns[j].append(_cell_text(cell))
            if workbook:
                numbers[j].append(_cell_number(cell))
    number_arrays: list[pa.Array | None] = [
        pa.array(n, pa.float64()) if workbook and any(v is not None for v in n) else None
        for n in numbers
    ]
    return Cells(
        path=path,
        names=names,
        text=[pa.array(c, pa.string()) for c in columns],
        numbers=number_arrays,
        rows=pa.array(rows, pa.int32()),
        letters=[column_letter(j) for j in range(width)] if workbook else None,
        sheet=sheet,
        notes=notes,
    )


# --- numbers --------------------------------------------------------------------------------------

_SEP_DOT = "[ \u00a0\u202f',]"  # thousands separators when the decimal mark is '.'
_SEP_COMMA = "[ \u00a0\u202f'.]"  # ... and when it is ','
_DOT_NUMBER = re.compile(
    rf"[+-]?(?:(?:[1-9]\d{{0,2}}(?P<s>{_SEP_DOT})\d{{3}}(?:(?P=s)\d{{3}})*|\d+)(?:\.\d*)?|\.\d+)"
    r"(?:[eE][+-]?\d+)?",
    re.ASCII,
)
_COMMA_NUMBER = re.compile(
    rf"[+-]?(?:(?:[1-9]\d{{0,2}}(?P<s>{_SEP_COMMA})\d{{3}}(?:(?P=s)\d{{3}})*|\d+)(?:,\d*)?|,\d+)",
    re.ASCII,
)
_NOT_A_NUMBER = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\s*\([a-z0-9]{1,3}\)$|\*+$", re.IGNORECASE)  # '12 (a)', '12*'
_MISSING = {m.lower() for m in MISSING_MARKERS} | {"null"}


def number_readings(text: str) -> tuple[float | None, float | None] | None:
    """A text cell's value with '.' and with ',' as the decimal mark (None where the cell is
    not a number that way); None for a missing-value marker ('', '..', 'n/a')."""
    text = text.strip()
    if text.lower() in _MISSING:
        return None
    text = _FOOTNOTE.sub("", text).strip()
    if _NOT_A_NUMBER.fullmatch(text):
        value = float(text)  # refused later as not finite, naming the line
        return value, value
    dot = comma = None
    if _DOT_NUMBER.fullmatch(text):
        dot = float(re.sub(_SEP_DOT, "", text))
    if _COMMA_NUMBER.fullmatch(text):
        comma = float(re.sub(_SEP_COMMA, "", text).replace(",", "."))
    return dot, comma


@dataclass
class Decimal:
    mark: str
    how: str  # for the note: '(--decimal)', "(detected: '12,5' on line 3)", ...
    stated: bool  # whether the note should say it (some cell needed it, or it was given)


def read_numbers(
    cells: Cells,
    text: pa.Array,
    numbers: pa.Array | None,
    rows: pa.Array,
    cols: pa.Array,
    decimal: str | None,
) -> tuple[pa.Array, Decimal]:
    """The value cells as float64 (null where empty or a missing marker).

    Cells the file typed as numbers are taken as they are. Text cells are read with the
    decimal mark given (--decimal), else the one the cells show: '12,5', '0,5' or
    '1.234,5' can only mean a decimal comma, '12.5' or '1,234,567' only a decimal point; cells
    showing both are refused, and so is a cell such as '317,900' that reads two ways when no
    cell shows the mark. With nothing to decide ('317 900', '317900'), both marks read the
    same and the file's convention is named (',' for ';' files, else '.').
    """
    if numbers is not None:  # the text of a typed number is not read again
        text = pc.if_else(pc.is_null(numbers), text, pa.scalar(None, pa.string()))
    trimmed = pc.utf8_trim_whitespace(text)
    plain = pc.fill_null(pc.match_substring_regex(trimmed, r"^[+-]?[0-9]+$"), False)
    ints = pc.cast(pc.if_else(plain, trimmed, pa.scalar(None, pa.string())), pa.float64())
    rest = pc.if_else(plain, pa.scalar(None, pa.string()), trimmed)
    distinct = pc.unique(rest.drop_null()).to_pylist()
    readings = [number_readings(v) for v in distinct]

    def where(value: str) -> tuple[int, str]:
        i = pc.index(rest, value).as_py()
        return rows[i].as_py(), cols[i].as_py()

    if decimal is None:
        dots = next((v for v, r in zip(distinct, readings, strict=True) if _only(r, 0)), None)
        commas = next((v for v, r in zip(distinct, readings, strict=True) if _only(r, 1)), None)
        position = line_word(cells.is_workbook)
        if dots is not None and commas is not None:
            (line_a, col_a), (line_b, col_b) = where(dots), where(commas)
            if line_b < line_a:  # named in file order
                dots, commas = commas, dots
                (line_a, col_a), (line_b, col_b) = (line_b, col_b), (line_a, col_a)
            raise ParseError(
                cells.path,
                _(
                    "the values mix decimal marks: {a} ({where} {line_a}, column {col_a}) and "
                    "{b} ({where} {line_b}, column {col_b}): pass --decimal '.' or --decimal ','"
                ).format(
                    a=repr(dots),
                    b=repr(commas),
                    where=position,
                    line_a=line_a,
                    col_a=column_label(cells, col_a),
                    line_b=line_b,
                    col_b=column_label(cells, col_b),
                ),
                sheet=cells.sheet,
                row=line_b,
            )
        shown = dots if dots is not None else commas
        if shown is not None:
            line, _col = where(shown)
            chosen = Decimal(
                "." if dots is not None else ",",
                _("detected: {cell} on {where} {line}").format(
                    cell=repr(shown), where=position, line=line
                ),
                True,
            )
        else:
            ambiguous = next(
                (
                    (v, r)
                    for v, r in zip(distinct, readings, strict=True)
                    if r is not None and r[0] is not None and r[1] is not None and not _same(r)
                ),
                None,
            )
            if ambiguous is not None:
                cell, (as_dot, as_comma) = ambiguous
                line, col = where(cell)
                raise ParseError(
                    cells.path,
                    _(
                        "{cell} in column {col} reads as {dot} with a decimal point and as "
                        "{comma} with a decimal comma, and no other value tells which: pass "
                        "--decimal ',' or --decimal '.'"
                    ).format(
                        cell=repr(cell),
                        col=column_label(cells, col),
                        dot=_plain(as_dot),
                        comma=_plain(as_comma),
                    ),
                    sheet=cells.sheet,
                    row=line,
                )
            chosen = Decimal(
                cells.decimal_default, cells.decimal_default_why, bool(cells.decimal_default_why)
            )
    else:
        chosen = Decimal(decimal, "--decimal", True)
    which = 0 if chosen.mark == "." else 1
    values: list[float | None] = []
    for v, r in zip(distinct, readings, strict=True):
        if r is None:
            values.append(None)
            continue
        value = r[which]
        if value is None:
            line, col = where(v)
            if r[1 - which] is None:
                reason = _("text {cell} where a number was expected").format(cell=repr(v))
            else:
                reason = _("{cell} is not a number with the decimal mark {mark} ({how})").format(
                    cell=repr(v), mark=repr(chosen.mark), how=chosen.how
                )
            raise ParseError(
                cells.path,
                f"{reason} (column {column_label(cells, col)})",
                sheet=cells.sheet,
                row=line,
            )
        values.append(value)
    positions = pc.index_in(rest, pa.array(distinct, pa.string()))
    looked_up = pc.take(pa.array(values, pa.float64()), positions)
    out = pc.coalesce(ints, looked_up)
    if numbers is not None:
        out = pc.coalesce(numbers, out)
    return out, chosen


def _only(reading: tuple[float | None, float | None] | None, which: int) -> bool:
    return reading is not None and reading[which] is not None and reading[1 - which] is None


def _same(reading: tuple[float | None, float | None]) -> bool:
    a, b = reading
    return a == b or (a is not None and b is not None and math.isnan(a) and math.isnan(b))


def _plain(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def column_label(cells: Cells, col: str) -> str:
    """A provenance col ('C' or a header) as messages name the column."""
    if cells.letters is not None and col in cells.letters:
        return cells.label(cells.letters.index(col))
    return repr(col)


# --- years across ---------------------------------------------------------------------------------

_YEAR_FLOAT = re.compile(r"\s*((?:19|20)\d\d)\.0+\s*")


def header_year(name: str) -> int | None:
    """A wide table's year header: '2009', ' 2010 ', '2009.0' (Excel's), '2022e'."""
    year = to_year(name)
    if year is None:
        m = _YEAR_FLOAT.fullmatch(name)
        year = int(m.group(1)) if m else None
    return year

"""The one CSV writer: every CSV migprofile emits (the API, a profile zip's `data.csv`,
`migprofile get --format csv`, `diff`, exports) is written here.

Standard library only, so any layer may use it.

Format (RFC 4180):
- fields are separated by `,`; every record, the header included, ends with CR LF (`\\r\\n`);
- a field that holds a CR, a LF, a double quote or the separator is enclosed in double quotes,
  a double quote inside it doubled;
- `None` is the empty field.

CSV injection (OWASP's rules): a spreadsheet evaluates a cell that begins with `=`, `+`, `-`
or `@`, and also one that begins with a tab, CR or LF, or with one of those after leading
spaces, or with the full-width forms `＝ ＋ － ＠`. Such a **text** cell is written with a
leading apostrophe (`'=1+1`), which spreadsheets show and never evaluate.

The decision is made by the value's Python type, never by its text: `int`, `float`,
`decimal.Decimal` and `bool` values are numbers and are written as they are, so `-12.5` in a
numeric column stays the number -12.5. Every other value (`str`, dates, anything else) is text:
it is turned into `str` and neutralised as above. A caller that holds numbers as strings should
convert them first, or they will be neutralised like any other text.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import IO, Any

SEPARATOR = ","
LINE_END = "\r\n"
CHUNK = 500
# what a spreadsheet reads as the start of a formula (or a way to smuggle one in)
TRIGGERS = frozenset("=+-@\t\r\n" + "\uff1d\uff0b\uff0d\uff20")  # ＝ ＋ － ＠ (full width)
_NEEDS_QUOTES = re.compile('["\r\n' + re.escape(SEPARATOR) + "]")
_NUMBER_TYPES = (int, float, decimal.Decimal)

Row = Mapping[str, Any] | Sequence[Any]


def is_number(value: Any) -> bool:
    """A value the writer treats as a number (written as is, never neutralised)."""
    return isinstance(value, _NUMBER_TYPES)  # bool is an int


def neutralise(text: str) -> str:
    """`text` with a leading `'` when a spreadsheet would evaluate it."""
    first = text[:1]
    if first in TRIGGERS or text.lstrip()[:1] in TRIGGERS:
        return "'" + text
    return text


def cell(value: Any) -> str:
    """One value as the text of its cell (before quoting)."""
    if value is None:
        return ""
    if is_number(value):
        return str(value)
    return neutralise(str(value))


def field(value: Any) -> str:
    """One value as a CSV field: neutralised, then quoted when it must be."""
    if value is None:
        return ""
    if isinstance(value, _NUMBER_TYPES):
        return str(value)  # digits, sign, point, exponent: never needs quotes
    text = neutralise(str(value))
    if _NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def record(values: Iterable[Any]) -> str:
    """One CSV record, with its CR LF."""
    return SEPARATOR.join(field(v) for v in values) + LINE_END


def _values(row: Row, fieldnames: Sequence[str]) -> Iterable[Any]:
    if isinstance(row, Mapping):
        return (row.get(k) for k in fieldnames)  # extra keys ignored, missing ones empty
    return row


def chunks(fieldnames: Sequence[str], rows: Iterable[Row], chunk: int = CHUNK) -> Iterator[str]:
    """The header, then the rows, as CSV text `chunk` records at a time (for streaming).

    A row is a mapping (read by `fieldnames`; other keys ignored) or a sequence of values."""
    parts = [record(fieldnames)]
    for item in rows:
        parts.append(record(_values(item, fieldnames)))
        if len(parts) >= chunk:
            yield "".join(parts)
            parts = []
    if parts:
        yield "".join(parts)


def text(fieldnames: Sequence[str], rows: Iterable[Row]) -> str:
    """The header and the rows as one CSV text."""
    return "".join(chunks(fieldnames, rows))


def write(stream: IO[str], fieldnames: Sequence[str], rows: Iterable[Row]) -> None:
    """The header and the rows written to a text stream (e.g. `sys.stdout`)."""
    for part in chunks(fieldnames, rows):
        stream.write(part)

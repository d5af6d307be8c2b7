"""The one CSV writer (issue 11, item 8): RFC 4180 records, CSV injection neutralised."""

from __future__ import annotations

import csv
import io

from migprofile.wording import csvout

HOSTILE = [
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\r=1+1",
    "\n=1+1",
    "\t=1+1",
    " =1+1",
    "  \t=cmd",
    "\uff1d1+1",  # ＝
    "\uff0b1",
    "\uff0d1",
    "\uff20x",
    'say "hi", then =1',
    "line\nbreak",
    "cr\rinside",
    "a,b",
    '"',
    "",
    "plain",
]
TRIGGERS = tuple("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")


def test_hostile_text_round_trips_neutralised():
    text = csvout.text(["v", "n"], [{"v": v, "n": 1} for v in HOSTILE])
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["v", "n"]
    assert len(rows) == len(HOSTILE) + 1
    for original, (value, n) in zip(HOSTILE, rows[1:], strict=True):
        assert n == "1"
        assert not value.startswith(TRIGGERS), value
        assert not value.lstrip().startswith(TRIGGERS), value
        assert value in (original, "'" + original)
        if original.lstrip()[:1] in TRIGGERS or original[:1] in TRIGGERS:
            assert value == "'" + original


def test_records_end_crlf_and_fields_quoted():
    assert csvout.record(["a", "b"]) == "a,b\r\n"
    assert csvout.record(['x"y', "a,b", "l\nm", "c\rd"]) == '"x""y","a,b","l\nm","c\rd"\r\n'
    assert csvout.record([None, ""]) == ",\r\n"


def test_numbers_stay_numbers():
    assert csvout.record([-12.5, -3, 0, 1e-7, True]) == "-12.5,-3,0,1e-07,True\r\n"
    # the same text as a string is text, and neutralised
    assert csvout.record(["-12.5"]) == "'-12.5\r\n"


def test_mappings_sequences_and_chunks():
    rows = [{"a": i, "b": f"={i}", "extra": "x"} for i in range(1203)]
    parts = list(csvout.chunks(["a", "b"], rows, chunk=500))
    assert len(parts) == 3
    assert "".join(parts) == csvout.text(["a", "b"], rows)
    assert csvout.text(["a", "b"], [(1, "=2")]) == "a,b\r\n1,'=2\r\n"
    out = io.StringIO()
    csvout.write(out, ["a"], [{"a": "@x"}, {}])
    assert out.getvalue() == "a\r\n'@x\r\n\r\n"

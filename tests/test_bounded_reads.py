"""Bounded work on hostile inputs: files read once within a size limit (and hashed from the
same bytes), zip members expanded lazily within a size and ratio cap, CSV fields over the csv
module's limit, and native-reader failures (calamine's Rust panic included) all end as one
ParseError naming the file, quickly and in little memory.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from fixtures import (
    WDI_COST_ROWS,
    parse_with,
    truncate,
    wdi_bulk_csv_texts,
    wdi_bulk_xls,
    wdi_long_csv,
)
from migprofile.errors import ParseError
from migprofile.sources import REGISTRY, base
from migprofile.sources.base import FilePeek, TooLarge, native_call, read_csv

WDI = next(s for s in REGISTRY if s.id == "wdi")
REAL = Path(__file__).resolve().parents[2] / "shared" / "data"
WDI_ZIP_NAME = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_5455555.zip"


# -- read once, hash what you parse ---------------------------------------------------------------


def test_peek_reads_once_and_hashes_those_bytes(tmp_path):
    path = wdi_long_csv(tmp_path / "ONE_wdi_SP.POP.TOTL.csv")
    original = path.read_bytes()
    peek = FilePeek(path)
    assert peek.data == original
    assert peek.sha256 == hashlib.sha256(original).hexdigest()
    match = WDI.recognise(path, peek)
    assert match is not None
    match.context["peek"] = peek
    # The file is rewritten between recognising and parsing: the parse sees the bytes hashed.
    path.write_text(original.decode().replace("2400000.0", "1.0"), encoding="utf-8")
    from migprofile.geo import build_harmoniser

    table = WDI.parse(match, build_harmoniser()).table
    values = {(r["geo"], r["year"]): r["value"] for r in table.to_pylist()}
    assert values[("MDA", 2023)] == 2400000.0
    assert peek.sha256 == hashlib.sha256(original).hexdigest()


def test_file_over_size_limit(tmp_path):
    path = wdi_long_csv(tmp_path / "ONE_wdi_SP.POP.TOTL.csv")
    with pytest.raises(TooLarge, match=r"ONE_wdi_SP\.POP\.TOTL\.csv: file larger than the 100"):
        _ = FilePeek(path, max_bytes=100).data


def test_size_limit_from_limits(tmp_path, monkeypatch):
    path = wdi_long_csv(tmp_path / "ONE_wdi_SP.POP.TOTL.csv")
    monkeypatch.setattr(base.LIMITS, "max_file_bytes", 50)
    with pytest.raises(ParseError, match="MIGPROFILE_MAX_FILE_BYTES"):
        parse_with(WDI, path)


# -- zip bombs ------------------------------------------------------------------------------------


def _claim_size(data: bytes, size: int) -> bytes:
    """The zip with every member's uncompressed size (local and central headers) set to `size`."""
    out = bytearray(data)
    at = 0
    while (at := out.find(b"PK\x03\x04", at)) >= 0:
        out[at + 22 : at + 26] = struct.pack("<I", size)
        at += 4
    at = 0
    while (at := out.find(b"PK\x01\x02", at)) >= 0:
        out[at + 24 : at + 28] = struct.pack("<I", size)
        at += 4
    return bytes(out)


def _wdi_zip(extra: bytes = b"") -> bytes:
    texts = wdi_bulk_csv_texts(rows=WDI_COST_ROWS)
    data_name = next(iter(texts))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(data_name, texts[data_name].encode("utf-8") + extra)
    return buf.getvalue()


def test_zip_member_claiming_1gb_refused_quickly(tmp_path):
    path = tmp_path / WDI_ZIP_NAME
    path.write_bytes(_claim_size(_wdi_zip(), 1_000_000_000))
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(TooLarge) as exc:
        parse_with(WDI, path)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert WDI_ZIP_NAME in str(exc.value) and "1,000.0 MB" in str(exc.value)
    assert elapsed < 2 and peak < 50e6


def test_zip_bomb_by_ratio_refused(tmp_path, monkeypatch):
    """A member of 48 MB of zeros (about 50 kB compressed): refused by its ratio, unexpanded."""
    path = tmp_path / WDI_ZIP_NAME
    path.write_bytes(_wdi_zip(b"0" * 48_000_000))
    tracemalloc.start()
    with pytest.raises(TooLarge, match=r"compressed [\d,]+ to 1 .*zip bomb"):
        parse_with(WDI, path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 30e6


def test_zip_member_over_size_cap(tmp_path, monkeypatch):
    """The cap is configurable: a member over it is refused, however well it compresses."""
    monkeypatch.setattr(base.LIMITS, "max_member_bytes", 4096)
    path = tmp_path / WDI_ZIP_NAME
    path.write_bytes(_wdi_zip(b"\n" * 10_000))
    with pytest.raises(TooLarge, match=r"expands to [\d,]+ bytes, over the 4,096 bytes limit"):
        parse_with(WDI, path)


def test_zip_peek_reads_members_lazily(tmp_path):
    path = tmp_path / WDI_ZIP_NAME
    path.write_bytes(_wdi_zip())
    peek = FilePeek(path)
    assert '"Data Source","World Development Indicators"' in peek.head_text()
    assert len(peek.head_text()) <= 4096 + 1


def test_good_wdi_zip_still_parses(tmp_path):
    path = tmp_path / WDI_ZIP_NAME
    path.write_bytes(_wdi_zip())
    parsed, _ = parse_with(WDI, path)
    assert parsed.table.num_rows > 0


# -- CSV fields over the csv module's limit -------------------------------------------------------


def test_csv_field_over_limit_is_one_parse_error(tmp_path):
    path = tmp_path / "ONE_wdi_SP.POP.TOTL.csv"
    wdi_long_csv(path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '2020,MDA,"' + "x" * 140_000 + '",SP.POP.TOTL,1,Population, total\n')
    with pytest.raises(ParseError) as exc:
        parse_with(WDI, path)
    message = str(exc.value)
    assert path.name in message and "a field longer than 131,072 characters" in message
    assert "row 9" in message


def test_read_csv_field_limit_names_line(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1," + "y" * 200_000 + "\n", encoding="utf-8")
    with pytest.raises(ParseError, match=r"x\.csv, row 2: a field longer than"):
        read_csv(path)


# -- native readers: truncated workbooks and panics -----------------------------------------------


def test_truncated_xls_is_a_parse_error(tmp_path):
    from migprofile.ingest import recognise

    path = truncate(wdi_bulk_xls(tmp_path))
    with pytest.raises(ParseError) as exc:
        recognise(path, list(REGISTRY))
    assert path.name in str(exc.value) and "not a readable Excel workbook" in str(exc.value)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_truncated_real_xls(tmp_path, fraction):
    real = REAL / "worldbank_wdi" / "API_SM.POP.NETM_DS2_en_excel_v2_782.xls"
    if not real.exists():
        pytest.skip(f"real WDI .xls not present at {real}")
    path = tmp_path / real.name
    shutil.copyfile(real, path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * fraction)])
    from migprofile.ingest import recognise

    try:
        match = recognise(path, list(REGISTRY))
        assert match is not None
        from migprofile.geo import build_harmoniser

        match.source.parse(match, build_harmoniser())
    except ParseError as exc:
        assert path.name in str(exc)
    # Anything else (a PanicException included) fails the test by escaping.


class FakePanic(BaseException):
    """What pyo3 raises for a Rust panic: not an Exception."""


def test_native_panic_becomes_parse_error(tmp_path):
    def boom():
        raise FakePanic("called `Result::unwrap()` on an `Err` value")

    with pytest.raises(ParseError, match=r"f\.xls, sheet 'Data': cannot read sheet \(FakePanic"):
        native_call(tmp_path / "f.xls", "cannot read sheet", boom, sheet="Data")


def test_keyboard_interrupt_is_not_swallowed(tmp_path):
    def stop():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        native_call(tmp_path / "f.xls", "x", stop)


def test_panicking_workbook_reported(tmp_path, monkeypatch):
    """A panic while opening the workbook: workbook_error set, no exception escapes."""
    path = wdi_bulk_xls(tmp_path)
    from python_calamine import CalamineWorkbook

    def panic(_):
        raise FakePanic("index out of bounds")

    monkeypatch.setattr(CalamineWorkbook, "from_filelike", staticmethod(panic))
    peek = FilePeek(path)
    assert peek.workbook() is None
    assert "FakePanic" in (peek.workbook_error or "")
    assert WDI.recognise(path, peek) is None

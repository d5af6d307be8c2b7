"""The news checker against an independent, adversarial wire corpus (tests/news_wire_corpus.py).

The corpus and its key were written without reading the checker's code, so the metrics here
measure how it reads press texts it was not tuned on. Run with `-s` to see every miss."""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

import pytest

from news_wire_corpus import ITEMS, KINDS, VERDICTS, Claim, WireItem

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parent / "shared"
CHECKED = {"consistent", "differs", "other year", "different definition"}
WRONG = {"differs", "other year"}

FOLDERS = (SHARED / "data", SHARED / "data-next")

pytestmark = pytest.mark.skipif(
    not all(f.is_dir() for f in FOLDERS),
    reason="../shared/data or ../shared/data-next absent: the wire key reads the full corpus",
)


@pytest.fixture(scope="module")
def full_store(tmp_path_factory):
    """A store over the full corpus (data plus data-next), which the key's values come from.

    Ingested here (several minutes); MIGPROFILE_WIRE_STORE=PATH copies an already ingested
    full store instead (read only, e.g. /tmp/full/migprofile.duckdb)."""
    import migprofile
    from conftest import DB_FILE, copy_store, run_migprofile

    home = tmp_path_factory.mktemp("wire_home")
    given = os.environ.get("MIGPROFILE_WIRE_STORE")
    if given:
        copy_store(Path(given), home / DB_FILE)
    else:
        args = [a for f in FOLDERS for a in ("--raw-dir", str(f))]
        result = run_migprofile("ingest", *args, "--offline", home=home, timeout=1500)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MIGPROFILE_HOME", str(home))
        mp.delenv("MIGPROFILE_RAW_DIR", raising=False)
        store = migprofile.open_store()
        yield store
        store.close()


def span_position(item: WireItem, span: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of span in the item's text."""
    pos = -1
    for _ in range(nth + 1):
        pos = item.text.find(span, pos + 1)
        if pos < 0:
            raise ValueError(f"{item.id}: span {span!r} (nth={nth}) not in text")
    return pos, pos + len(span)


def verdict_at(verdicts: list, start: int, end: int):
    """The verdict whose figure overlaps [start, end) most (None when none does)."""
    best, best_overlap = None, 0
    for v in verdicts:
        overlap = min(end, v.figure.end) - max(start, v.figure.start)
        if overlap > best_overlap:
            best, best_overlap = v, overlap
    return best


def claim_right(claim: Claim, v) -> bool:
    if v is None or v.verdict != claim.verdict:
        return False
    if claim.verdict in CHECKED:
        return (v.indicator, v.geo, v.partner) == (claim.indicator, claim.geo, claim.partner)
    return True


def run_corpus(store) -> dict:
    from migprofile.news.model import NewsItem
    from migprofile.news.service import check_items

    rows, misses, noise_rows = [], [], []
    for item in ITEMS:
        checked = check_items(store, [NewsItem(item.title, item.text, origin="wire:" + item.id)])
        verdicts = checked[0].verdicts
        for c in item.claims:
            start, end = span_position(item, c.span, c.nth)
            v = verdict_at(verdicts, start, end)
            ok = claim_right(c, v)
            row = {
                "item": item.id,
                "lang": item.lang,
                "span": c.span,
                "key": [c.verdict, c.indicator, c.geo, c.partner, c.year],
                "got": None
                if v is None
                else [v.verdict, v.indicator, v.geo, v.partner, v.data_year, v.figure.year],
                "explanation": "" if v is None else v.explanation,
                "right": ok,
            }
            rows.append(row)
            if not ok:
                misses.append(row)
        for span in item.noise:
            start, end = span_position(item, span)
            v = verdict_at(verdicts, start, end)
            noise_rows.append(
                {
                    "item": item.id,
                    "span": span,
                    "got": None if v is None else [v.verdict, v.indicator, v.geo, v.partner],
                }
            )

    def share(num: int, den: int) -> float:
        return num / den if den else math.nan

    wrong_key = [r for r in rows if r["key"][0] in WRONG]
    consistent_key = [r for r in rows if r["key"][0] == "consistent"]
    metrics = {
        "claims": len(rows),
        "accuracy": share(sum(r["right"] for r in rows), len(rows)),
        "caught": share(
            sum(bool(r["got"]) and r["got"][0] in WRONG for r in wrong_key), len(wrong_key)
        ),
        "flagged_wrong": share(
            sum(bool(r["got"]) and r["got"][0] in WRONG for r in consistent_key),
            len(consistent_key),
        ),
        "noise": share(sum(r["got"] is not None for r in noise_rows), len(noise_rows)),
        "noise_spans": len(noise_rows),
    }
    for lang in ("en", "ru"):
        sub = [r for r in rows if r["lang"] == lang]
        metrics[f"accuracy_{lang}"] = share(sum(r["right"] for r in sub), len(sub))
    return {
        "metrics": metrics,
        "misses": misses,
        "noise_hits": [n for n in noise_rows if n["got"]],
        "rows": rows,
    }


def print_report(report: dict) -> None:
    m = report["metrics"]
    print("\nwire corpus metrics")
    for k, v in m.items():
        print(f"  {k:<14} {v:.3f}" if isinstance(v, float) else f"  {k:<14} {v}")
    print(f"misses ({len(report['misses'])}):")
    for r in report["misses"]:
        print(
            f"  [{r['item']}] {r['span']!r} key={r['key']} got={r['got']}\n      {r['explanation']}"
        )
    print(f"noise spans with a verdict ({len(report['noise_hits'])}):")
    for n in report["noise_hits"]:
        print(f"  [{n['item']}] {n['span']!r} got={n['got']}")


@pytest.fixture(scope="module")
def report(full_store) -> dict:
    rep = run_corpus(full_store)
    print_report(rep)
    out = os.environ.get("MIGPROFILE_NEWS_REPORT")
    if out:
        Path(out).write_text(json.dumps(rep, ensure_ascii=False, indent=1), encoding="utf-8")
    return rep


def test_wire_corpus_metrics(report):
    m = report["metrics"]
    assert m["accuracy"] >= 0.9, m
    assert m["caught"] >= 0.9, m
    assert m["flagged_wrong"] <= 0.02, m
    assert m["noise"] <= 0.02, m


# --- the key's own soundness -------------------------------------------------------------

_WORDS = {
    # English number words as journalists write them (value, or share in %)
    "half a million": 5e5,
    "a million": 1e6,
    "one million": 1e6,
    "one and a half million": 1.5e6,
    "one in five": 20.0,
    "one in four": 25.0,
    "one in three": 100 / 3,
    "a quarter": 25.0,
    "a third": 100 / 3,
    "half": 50.0,
    # Russian
    "полтора миллиона": 1.5e6,
    "полмиллиона": 5e5,
    "каждый пятый": 20.0,
    "каждый четвертый": 25.0,
    "каждый четвёртый": 25.0,
    "каждый третий": 100 / 3,
    "треть": 100 / 3,
    "четверть": 25.0,
    "четверти": 25.0,
    "трети": 100 / 3,
}
_SCALE = {
    "million": 1e6,
    "billion": 1e9,
    "thousand": 1e3,
    "млн": 1e6,
    "миллиона": 1e6,
    "миллионов": 1e6,
    "миллион": 1e6,
    "млрд": 1e9,
    "миллиарда": 1e9,
    "тыс": 1e3,
    "тысяч": 1e3,
}


_LOWER_BOUND = re.compile(r"(?:more than|over|above|более|свыше|больше)\s*$", re.IGNORECASE)


_UPPER_BOUND = re.compile(r"(?:almost|nearly|just under|почти|около)\s*$", re.IGNORECASE)


def stated_value(span: str) -> float:
    """The value a span states (the key's reading of it, independent of the checker's)."""
    low = span.lower().strip()
    for words, value in sorted(_WORDS.items(), key=lambda kv: -len(kv[0])):
        if words in low:
            return value
    m = re.search(r"[-\u2212]?\d[\d\s,\u00a0]*(?:[.,]\d+)?", low)
    assert m, span
    raw = m.group(0).replace("\u2212", "-").replace("\u00a0", " ").strip()
    if re.fullmatch(r"-?\d{1,3}(?:[ ,]\d{3})+", raw):  # 861,077 / 861 077
        value = float(re.sub(r"[ ,]", "", raw))
    else:
        value = float(raw.replace(" ", "").replace(",", "."))
    rest = low[m.end() :]
    for word, scale in _SCALE.items():
        if re.match(rf"\s*{word}", rest):
            value *= scale
            break
    if "minus" in low or "минус" in low:
        value = -abs(value)
    return value


def test_wire_key_is_well_formed(full_store):
    from migprofile.indicators import BY_ID, observations

    assert len(ITEMS) >= 40
    assert sum(i.lang == "ru" for i in ITEMS) >= 12
    assert len({i.id for i in ITEMS}) == len(ITEMS)
    kinds: dict[str, int] = {}
    for item in ITEMS:
        assert item.lang in ("en", "ru")
        assert item.kinds <= KINDS, item.id
        for k in item.kinds:
            kinds[k] = kinds.get(k, 0) + 1
        for c in item.claims:
            span_position(item, c.span, c.nth)
            assert c.verdict in VERDICTS, (item.id, c)
            if c.indicator is not None:
                assert c.indicator in BY_ID, (item.id, c.indicator)
        for span in item.noise:
            span_position(item, span)
    assert all(kinds.get(k, 0) >= 3 for k in KINDS), kinds

    bad = []
    for item in ITEMS:
        for c in item.claims:
            if c.verdict == "different definition":
                continue
            assert c.indicator and c.geo and c.year, (item.id, c)
            table = observations(full_store, c.indicator, c.geo, partner=c.partner)
            values = {
                int(y): float(v)
                for y, v in zip(
                    table.column("year").to_pylist(), table.column("value").to_pylist(), strict=True
                )
                if v is not None
            }
            data = values.get(c.year)
            stated = stated_value(c.span)
            near = {y for y, v in values.items() if abs(stated - v) <= 0.05 * abs(v)}
            if c.verdict == "no data":  # the stated year is not in the series
                if data is not None:
                    bad.append((item.id, c.span, "no data but the year is there", c.year, data))
                continue
            if c.verdict == "differs":  # the year is there, the value is not near it
                if data is None or c.year in near:
                    bad.append((item.id, c.span, stated, c.year, data))
                continue
            if c.verdict == "other year":  # another year's value
                if data is None or c.year in near or not near:
                    bad.append((item.id, c.span, stated, c.year, data))
                continue
            start, _ = span_position(item, c.span, c.nth)
            before = item.text[max(0, start - 14) : start]
            if data is None:
                ok = False
            elif _LOWER_BOUND.search(before):  # "more than 1.2 million": at least
                ok = data >= stated * 0.95
            elif _UPPER_BOUND.search(before):  # "almost one in three": a little under
                ok = stated * 0.9 <= data <= stated * 1.05
            else:
                ok = abs(stated - data) <= 0.05 * abs(data)
            if not ok:
                bad.append((item.id, c.span, stated, c.year, data))
    assert not bad, bad

"""The news pipeline: read items, tag them, extract the figures they quote, check each figure
against the store — and, for `news add`, keep the result (re-adding an item is a no-op)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from migprofile.news.attribution import (
    Attribution,
    attribute,
    clauses,
    english_mentions,
    mark_lists,
)
from migprofile.news.model import CheckedItem, GeoMention, NewsItem, QuotedFigure, Tag
from migprofile.store import Store, writer


def read_items(sources: list[str], fetcher: Callable | None = None) -> list[NewsItem]:
    """Items from files, folders (every file in them) and URLs, in order, duplicates dropped."""
    from migprofile.news.parse import parse_source

    items: list[NewsItem] = []
    seen: set[str] = set()
    for src in sources:
        path = Path(src)
        paths = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [src]
        for p in paths:
            for item in parse_source(str(p), fetcher=fetcher):
                if item.item_id not in seen:
                    seen.add(item.item_id)
                    items.append(item)
    return items


def check_items(store: Store, items: list[NewsItem]) -> list[CheckedItem]:
    """Tags, figures and verdicts for each item; nothing is stored. Russian items are read with
    `news.russian`; every figure's country (or pair) is the one governing it in its clause
    (`news.attribution`)."""
    from migprofile.news.check import check_item
    from migprofile.news.figures import extract_figures
    from migprofile.news.russian import extract_figures_ru, geo_mentions_ru, is_russian
    from migprofile.news.tagging import Tagger

    tagger = Tagger.from_store(store)
    out = []
    for item in items:
        tags = tagger.tag(item)
        russian = is_russian(item.text)
        figures = extract_figures_ru(item.text) if russian else extract_figures(item.text)
        if not russian:
            _keep_signs(item.text, figures)

        def mentions_of(sentence: str, russian: bool = russian) -> list[GeoMention]:
            if russian:
                return mark_lists(geo_mentions_ru(sentence), sentence)
            return english_mentions(tagger, sentence)

        if russian:
            tags = _russian_tags(item, geo_mentions_ru) + tags
        countries = {t.value for t in tags if t.kind == "geo" and not t.ambiguous}
        item_geo = next(iter(countries)) if len(countries) == 1 else None
        attributions = attribute_figures(item.text, figures, mentions_of, item_geo)
        for f, a in zip(figures, attributions, strict=True):
            f.geo = a.geo or f.geo
            if a.is_pair:
                f.partner = a.origin
        verdicts = check_item(store, item, tags, figures, attributions=attributions)
        out.append(CheckedItem(item, tags, figures, verdicts))
    return out


_MINUS_BEFORE = re.compile(r"(?:\bminus|\bnegative|[-\u2212\u2013])\s*$", re.IGNORECASE)


def _keep_signs(text: str, figures: list[QuotedFigure]) -> None:
    """ "minus 10,000", "negative 5,000", "−9,999": the value is negative (the English
    extractor reads the number alone)."""
    for f in figures:
        before = text[max(0, f.start - 12) : f.start]
        if (
            f.value > 0
            and _MINUS_BEFORE.search(before)
            and not re.search(r"\d\s*[-\u2013]\s*$", before)
        ):
            f.value = -f.value


def attribute_figures(
    text: str,
    figures: list[QuotedFigure],
    mentions_of: Callable[[str], list[GeoMention]],
    item_geo: str | None,
) -> list[Attribution]:
    """One Attribution per figure, each read within its own sentence."""
    groups: dict[tuple[int, str], list[int]] = {}
    for n, f in enumerate(figures):
        sentence = f.sentence or ""
        start = text.rfind(sentence, 0, f.start + len(sentence)) if sentence else -1
        start = start if start <= f.start else -1
        if start < 0 or start + len(sentence) < f.end:
            sentence, start = text[f.start : f.end], f.start
        groups.setdefault((start, sentence), []).append(n)
    out: list[Attribution | None] = [None] * len(figures)
    for (start, sentence), ns in groups.items():
        before = text[max(0, start - 400) : start].rstrip()
        cut = max(before.rfind(". ", 0, len(before) - 1), before.rfind("\n", 0, len(before) - 1))
        for n in ns:
            figures[n].context = before[cut + 1 :].strip() if before else ""
        offsets = [(figures[n].start - start, figures[n].end - start) for n in ns]
        _years_by_clause(sentence, offsets, [figures[n] for n in ns])
        for n, a in zip(ns, attribute(offsets, mentions_of(sentence), sentence, item_geo),
                        strict=True):  # fmt: skip
            out[n] = a
    return [a or Attribution() for a in out]


_YEAR = re.compile(r"(?<![\d.,])(?:19[5-9]\d|20[0-4]\d)(?![\d%])")


def _years_by_clause(
    sentence: str, offsets: list[tuple[int, int]], figures: list[QuotedFigure]
) -> None:
    """A figure's year is the one its own clause states ("fell to 2.5 million in 2023;
    1,159,443 ... lived abroad in 2020"), else the sentence's as the extractor read it."""
    spans = clauses(sentence)
    for f, (a, b) in zip(figures, offsets, strict=True):
        for c_start, c_end in spans:
            if c_start <= a < c_end:
                years = [
                    (abs(m.start() - a), int(m.group(0)))
                    for m in _YEAR.finditer(sentence, c_start, c_end)
                    if not a <= m.start() < b
                ]
                if not years:  # else the nearest year before it in the sentence
                    years = [(a - m.start(), int(m.group(0)))
                             for m in _YEAR.finditer(sentence, 0, a)]  # fmt: skip
                if years and not f.period:
                    f.year = min(years)[1]
                break


def _russian_tags(item: NewsItem, mentions: Callable[[str], list[GeoMention]]) -> list[Tag]:
    """Country tags of a Russian item: every country its sentences name (the English tagger
    does not read Russian)."""
    found: dict[str, list[str]] = {}
    for m in mentions(f"{item.title}\n\n{item.text}"):
        found.setdefault(m.geo, []).append(m.text)
    return [
        Tag("geo", geo, list(dict.fromkeys(words)), note="Russian") for geo, words in found.items()
    ]


def add_news(
    sources: list[str], *, db: Path | None = None, fetcher: Callable | None = None
) -> tuple[int, int]:
    """Store new items with their tags and checked figures: (added, already known)."""
    from migprofile import open_store

    items = read_items(sources, fetcher)
    with open_store(db) as store:
        known = store.known_news([i.item_id for i in items])
        new = [i for i in items if i.item_id not in known]
        checked = check_items(store, new) if new else []
    if checked:
        with writer(db) as store:
            store.add_news(checked)
    return len(checked), len(items) - len(checked)

"""The news pipeline: read items, tag them, extract the figures they quote, check each figure
against the store — and, for `news add`, keep the result (re-adding an item is a no-op)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from migprofile.news.model import CheckedItem, NewsItem
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
    """Tags, figures and verdicts for each item; nothing is stored."""
    from migprofile.news.check import check_item
    from migprofile.news.figures import extract_figures
    from migprofile.news.tagging import Tagger

    tagger = Tagger.from_store(store)
    out = []
    for item in items:
        tags = tagger.tag(item)
        countries = [t.value for t in tags if t.kind == "geo" and not t.ambiguous]

        def about(sentence: str, _tags=countries) -> str | None:
            found = [t.value for t in tagger.tag(NewsItem("", sentence, "")) if t.kind == "geo"]
            return found[0] if found else (_tags[0] if len(_tags) == 1 else None)

        figures = extract_figures(item.text, geo_of_sentence=about)
        verdicts = check_item(store, item, tags, figures)
        out.append(CheckedItem(item, tags, figures, verdicts))
    return out


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

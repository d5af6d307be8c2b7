"""The news tables: items, their tags and the figures they quote, checked against the store."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from migprofile.store.writes import WritesMixin

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def origin_name(origin: str | None) -> str:
    """Where an item came from as anyone may see it: a URL as it is, a file by its name only
    (a local path would tell readers how the adder's folders are laid out)."""
    text = str(origin or "").strip()
    if not text or _URL.match(text):
        return text
    return PureWindowsPath(PurePosixPath(text).name).name


class NewsMixin(WritesMixin):
    def known_news(self, item_ids: list[str]) -> set[str]:
        if not item_ids or not self._has_table("news_items"):
            return set()
        placeholders = ", ".join("?" * len(item_ids))
        rows = self._rows(
            f"SELECT item_id FROM news_items WHERE item_id IN ({placeholders})", item_ids
        )
        return {r[0] for r in rows}

    def add_news(self, checked: Iterable[Any]) -> None:
        """Items with their tags and checked figures (news.model.CheckedItem), new ones only."""
        for c in checked:
            item = c.item
            origin = origin_name(item.origin)  # a file's name, never its folders
            self._exec(
                "INSERT OR IGNORE INTO news_items VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [item.item_id, item.title, item.text, item.date, origin, item.url],
            )
            self._insert_rows(
                "news_tags",
                ["item_id", "kind", "value", "evidence", "ambiguous", "note"],
                [(item.item_id, t.kind, t.value, "; ".join(t.evidence), t.ambiguous, t.note)
                 for t in c.tags],
            )  # fmt: skip
            self._insert_rows(
                "news_figures",
                ["item_id", "idx", "text", "value", "unit", "counts", "qualifier", "year", "geo",
                 "sentence", "verdict", "indicator", "data_value", "data_year", "source",
                 "edition", "sha256", "cell", "difference_pct", "explanation", "partner"],
                [(item.item_id, i, v.figure.text, v.figure.value, v.figure.unit, v.figure.counts,
                  v.figure.qualifier, v.figure.year, v.geo or v.figure.geo, v.figure.sentence,
                  v.verdict, v.indicator, v.data_value, v.data_year, v.source, v.edition,
                  v.sha256, v.cell, v.difference_pct, v.explanation, v.partner)
                 for i, v in enumerate(c.verdicts)],
            )  # fmt: skip

    def news(self, geo: str | None = None, theme: str | None = None, limit: int = 50) -> list[dict]:
        """Latest items, optionally those tagged with a geo (or a member of it) or a theme."""
        if not self._has_table("news_items"):
            return []
        where, args = [], []
        if geo:
            where.append(
                "item_id IN (SELECT item_id FROM news_tags WHERE kind = 'geo' AND (value = ? "
                "OR value IN (SELECT member FROM geo_members WHERE group_geo = ?)))"
            )
            args += [geo, geo]
        if theme:
            where.append(
                "item_id IN (SELECT item_id FROM news_tags WHERE kind = 'theme' AND value = ?)"
            )
            args.append(theme)
        sql = "SELECT * FROM news_items" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY coalesce(date, '') DESC, added_at DESC LIMIT ?"
        items = self.query(sql, [*args, int(limit)]).to_pylist()
        ids = [i["item_id"] for i in items]
        if not ids:
            return []
        placeholders = ", ".join("?" * len(ids))
        tags = self.query(f"SELECT * FROM news_tags WHERE item_id IN ({placeholders})", ids)
        figures = self.query(
            f"SELECT * FROM news_figures WHERE item_id IN ({placeholders}) ORDER BY idx", ids
        )
        # items stored before names-only origins may still hold a local path: never shown
        by_id = {
            i["item_id"]: dict(i, origin=origin_name(i.get("origin")), tags=[], figures=[])
            for i in items
        }
        for t in tags.to_pylist():
            by_id[t["item_id"]]["tags"].append(t)
        for f in figures.to_pylist():
            by_id[f["item_id"]]["figures"].append(f)
        return [by_id[i] for i in ids]

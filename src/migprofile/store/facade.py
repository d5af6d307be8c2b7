"""`Store`: the connection with every group of queries (reads, editions, news, writes,
national data systems, the resolved table)."""

from __future__ import annotations

from migprofile.store.editions import EditionsMixin
from migprofile.store.national import NationalMixin
from migprofile.store.news import NewsMixin
from migprofile.store.reads import ReadsMixin
from migprofile.store.resolved import ResolvedMixin


class Store(ReadsMixin, EditionsMixin, NewsMixin, NationalMixin, ResolvedMixin):
    """A connection (or cursor) on the store plus the queries every face needs."""

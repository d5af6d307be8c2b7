"""The resolved table (issue 15, "fast reads"): what the default read of a plain indicator
returns, written at ingest; reads give the same rows from it as resolving at read time, and a
table that no longer matches its store is never used."""

from __future__ import annotations

import fixtures as fx
from migprofile.indicators import query as resolved
from migprofile.indicators.query import query_for
from migprofile.store import Store, writer
from migprofile.store.writer import BEFORE_COMMIT


def _sorted(table) -> list[dict]:
    return sorted(
        table.to_pylist(),
        key=lambda r: (r["geo"], r["partner"], r["sex"], r["year"], r["period"], r["age"] or ""),
    )


def _both(store: Store, indicator: str, **kwargs) -> tuple[list[dict], list[dict]]:
    """The rows resolved at read time, and the rows the resolved table gives."""
    kwargs = {"partner": None, "year": None, "sex": "total", "source": None, "edition": None,
              **kwargs}  # fmt: skip
    sql, args = query_for(indicator, **kwargs)
    fast = resolved.resolved_sql(store, indicator, **kwargs)
    assert fast is not None, f"{indicator}: the resolved table was not used"
    return _sorted(store.query(sql, args)), _sorted(store.query(*fast))


def test_the_full_corpus_reads_the_same_from_the_table(shared_store_path):
    """Every plain indicator, for countries, aggregates and a list, both sexes and one year:
    the table gives exactly the rows (values, editions, cells) resolving at read time gives."""
    with Store.open(shared_store_path) as store:
        assert resolved.resolved_current(store), "the CLI ingest did not write a current table"
        compared = 0
        for indicator, ind in resolved.plain_indicators().items():
            for geo in ("MDA", "UKR", "KAZ", "ITA", "world", ("KAZ", "KGZ", "TJK")):
                for sex, year in (("total", None), ("all", 2020)):
                    slow, fast = _both(store, indicator, geo=geo, sex=sex, year=year)
                    assert slow == fast, (indicator, geo, sex, year)
                    compared += len(slow)
            if ind.bilateral:
                slow, fast = _both(store, indicator, geo="ITA", partner=("MDA", "UKR"))
                assert slow == fast, (indicator, "ITA", "MDA,UKR")
        assert compared > 1000


def test_ingest_writes_a_current_table_and_get_reads_it(tmp_path, home):
    raw = tmp_path / "raw"
    fx.undesa_destination_2020(raw / "dest.xlsx")
    fx.ingested(raw)
    with Store.open() as store:
        assert store.resolved_key() is not None and resolved.resolved_current(store)
        slow, fast = _both(store, "immigrant_stock", geo="MDA", sex="all")
        assert slow and slow == fast


def test_a_stale_table_is_never_read(tmp_path, home):
    """A write by a process that never imported the indicators (no hook): the table stays as
    it was, its key no longer matches, and reads resolve at read time with the new rows."""
    import migprofile

    raw = tmp_path / "raw"
    fx.undesa_destination_2020(raw / "dest.xlsx")
    fx.ingested(raw)
    hooks = BEFORE_COMMIT[:]
    BEFORE_COMMIT.clear()
    try:
        with writer() as store:
            store._exec("DELETE FROM observations WHERE geo = 'MDA'")
    finally:
        BEFORE_COMMIT.extend(hooks)
    common = {"partner": None, "year": None, "sex": "total", "source": None, "edition": None}
    with Store.open() as store:
        assert store.resolved_key() is not None
        assert not resolved.resolved_current(store)
        assert resolved.resolved_sql(store, "immigrant_stock", geo="MDA", **common) is None
        assert migprofile.get("immigrant_stock", "MDA", store=store).num_rows == 0
    with writer():  # the next write (hook registered again) brings the table up to date
        pass
    with Store.open() as store:
        assert resolved.resolved_current(store)


def test_reads_that_choose_an_edition_or_a_period_resolve_at_read_time(tmp_path, home):
    raw = tmp_path / "raw"
    fx.undesa_destination_2020(raw / "dest.xlsx")
    fx.ingested(raw)
    common = {"geo": "MDA", "partner": None, "year": None, "sex": "total"}
    with Store.open() as store:
        assert resolved.resolved_sql(store, "immigrant_stock", source="undesa_ims_destination",
                                     edition=None, **common) is None  # fmt: skip
        assert resolved.resolved_sql(store, "immigrant_stock", source=None, edition="2020",
                                     **common) is None  # fmt: skip
        assert resolved.resolved_sql(store, "immigrant_stock", source=None, edition=None,
                                     period="2020Q3", **common) is None  # fmt: skip


def test_the_hook_is_registered_with_the_writer():
    assert resolved.materialise_resolved in BEFORE_COMMIT

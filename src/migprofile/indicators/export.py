"""The resolved view as Parquet: for every catalogue indicator, the rows `get` returns (one
edition per series, catalogue ids, the winning source and edition, the derivation), plus the
catalogue itself, so anyone can rebuild a profile's figures with any Parquet engine.

The raw tables (observations, vintages, sources, geo) come from `Store.export_parquet`; this
module adds `resolved.parquet` and `catalogue.parquet` beside them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from migprofile.indicators.catalogue import CATALOGUE
from migprofile.indicators.query import query_for

if TYPE_CHECKING:
    from migprofile.store import Store


def export_resolved(store: Store, out_dir: Path) -> list[Path]:
    """Write resolved.parquet (every indicator's resolved rows, every sex, annual and
    sub-annual periods) and catalogue.parquet; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = []
    for ind in CATALOGUE:
        sql, args = query_for(
            ind.id, geo=None, partner=None, year=None, sex="all", source=None, edition=None,
            period="all",
        )  # fmt: skip
        t = store.query(sql, args)
        if t.num_rows == 0:
            continue
        t = t.select([c for c in t.column_names if c != "vintage_id"])
        n = t.num_rows
        t = t.append_column("derivation", pa.array([ind.derivation or ""] * n, pa.string()))
        t = t.append_column("modelled", pa.array([ind.modelled] * n, pa.bool_()))
        tables.append(t.cast(_common_schema(t.schema)))
    resolved = out_dir / "resolved.parquet"
    if tables:
        pq.write_table(pa.concat_tables(tables, promote_options="default"), resolved)
    else:
        pq.write_table(pa.table({"indicator": pa.array([], pa.string())}), resolved)
    catalogue = out_dir / "catalogue.parquet"
    pq.write_table(
        pa.Table.from_pylist(
            [
                {
                    "id": i.id,
                    "title": i.title,
                    "unit": i.unit,
                    "definition": i.definition,
                    "sources": list(i.sources),
                    "derivation": i.derivation or "",
                    "derived_from": i.derived_from or "",
                    "formula": i.formula or "",
                    "components": list(i.components),
                    "bilateral": i.bilateral,
                    "additive": i.additive,
                    "modelled": i.modelled,
                    "sdg": i.sdg or "",
                }
                for i in CATALOGUE
            ]
        ),
        catalogue,
    )
    return [resolved, catalogue]


def _common_schema(schema: pa.Schema) -> pa.Schema:
    """Nulls-only columns (a derivation without cells) typed like the others."""
    types = {"sheet": pa.string(), "row": pa.int64(), "col": pa.string(), "note": pa.string()}
    return pa.schema(
        [pa.field(f.name, types.get(f.name, f.type)) if pa.types.is_null(f.type) or
         f.name in types else f for f in schema]
    )  # fmt: skip

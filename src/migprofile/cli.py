"""The `migprofile` command: a thin Typer face over the library."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from migprofile.errors import MigprofileError

app = typer.Typer(
    help="Migration data profiles from official open data (UN DESA, World Bank, KNOMAD, "
    "IDMC, UNHCR).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
geo_app = typer.Typer(help="Countries, areas and aggregates.", no_args_is_help=True)
app.add_typer(geo_app, name="geo")
out = Console(soft_wrap=True)
err = Console(stderr=True)


def _add_row(table: Table, *cells: str) -> None:
    """Cells hold publishers' and users' text: never let it be read as Rich markup."""
    table.add_row(*(escape(str(c)) for c in cells))


def _wide() -> Console:
    """Tables stay readable when stdout is not a terminal (CI logs, pipes)."""
    return Console(width=max(out.width, 160), soft_wrap=True)


def main() -> None:
    try:
        app()
    except MigprofileError as exc:  # a damaged store too: the store maps it to StoreError
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        sys.exit(1)


class _Progress:
    """Rich progress bars for ingest stages, one task per stage."""

    def __init__(self):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.bar = Progress(
            TextColumn("{task.description:<10}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[label]}", markup=False),
            console=err,
            transient=False,
        )
        self.tasks: dict[str, int] = {}

    def __call__(self, stage: str, done: int, total: int | None, label: str) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(stage, total=total, label="")
        self.bar.update(self.tasks[stage], completed=done, total=total, label=label[:50])


RawDir = Annotated[
    Path | None,
    typer.Option(
        "--raw-dir",
        help="Folder (searched recursively) of publisher files you already have "
        "[env: MIGPROFILE_RAW_DIR].",
    ),
]


@app.command()
def ingest(
    sources: Annotated[
        list[str] | None, typer.Argument(help="Source ids; all when omitted.")
    ] = None,
    raw_dir: RawDir = None,
    offline: Annotated[
        bool, typer.Option(help="Never download; use --raw-dir and the cache.")
    ] = False,
) -> None:
    """Find (or download) publisher files, parse them and store them in one transaction."""
    from migprofile.ingest import ingest as run

    progress = _Progress()
    with progress.bar:
        report = run(sources or None, raw_dir=raw_dir, offline=offline, progress=progress)
    for path, source, edition, rows in report.ingested:
        out.print(
            f"[green]ingested[/]  {escape(f'{source} {edition}  {rows:>7} rows  {path}')}",
            highlight=False,
        )
    for path, source, edition in report.unchanged:
        out.print(
            f"[dim]unchanged[/] {escape(f'{source} {edition}  {path}')} (same sha256)",
            highlight=False,
        )
    for path, reason in report.skipped:
        out.print(f"[yellow]skipped[/]   {escape(f'{path}: {reason}')}", highlight=False)
    out.print(
        f"{len(report.ingested)} ingested, {len(report.unchanged)} unchanged, "
        f"{len(report.skipped)} skipped",
        highlight=False,
    )
    if not (report.ingested or report.unchanged or report.skipped):
        out.print("no files found: point --raw-dir at your files, or drop --offline to download")


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A tidy CSV or Parquet file.")],
    indicator: Annotated[
        str, typer.Option(help="Catalogue id the values measure, e.g. migrant_stock.")
    ],
    geo_col: Annotated[str, typer.Option(help="Column with the country (ISO3, M49 or name).")],
    value_col: Annotated[str, typer.Option(help="Column with the values.")],
    year_col: Annotated[str, typer.Option(help="Column with the year.")],
    partner_col: Annotated[
        str | None, typer.Option(help="Bilateral partner column (origin).")
    ] = None,
    sex_col: Annotated[str | None, typer.Option(help="Column with male/female/total.")] = None,
    unit: Annotated[str, typer.Option(help="Unit of the values, e.g. persons.")] = "",
    source_name: Annotated[str, typer.Option(help="Who published it; goes into provenance.")] = "",
    edition: Annotated[str | None, typer.Option(help="Edition label (default: file date).")] = None,
) -> None:
    """Import a user's own tidy file as a source with provenance."""
    from migprofile.indicators import BY_ID
    from migprofile.ingest import import_file as run
    from migprofile.user_import import ImportSpec

    spec = ImportSpec(
        indicator=indicator, geo_col=geo_col, value_col=value_col, year_col=year_col,
        partner_col=partner_col, sex_col=sex_col, unit=unit, source_name=source_name,
        edition=edition,
    )  # fmt: skip
    source, ed, rows, note = run(file, spec, known_indicators=BY_ID)
    if rows == 0:
        out.print(f"unchanged: {file} was already imported as {source} {ed}", markup=False)
    else:
        out.print(f"[green]imported[/] {rows} rows as {escape(f'{source} {ed}')}", highlight=False)
    if note:
        out.print(note, markup=False, highlight=False)


@app.command()
def sources() -> None:
    """Sources, editions and files (sha256, bytes, ingested at, rows)."""
    from migprofile import open_store

    with open_store() as store:
        rows = store.sources_report().to_pylist()
    table = Table("source", "edition", "file", "bytes", "ingested at", "rows", "layout")
    table.add_column("sha256", no_wrap=True, min_width=64)
    for r in rows:
        _add_row(table,
            r["source"], r["edition"], r["file_name"], f"{r['bytes']:,}",
            str(r["ingested_at"])[:19], f"{r['rows']:,}", r["layout"] or "", r["sha256"],
        )  # fmt: skip
    Console(width=max(out.width, 240)).print(table)


@app.command()
def get(
    indicator: Annotated[
        str, typer.Argument(help="Catalogue id (immigrant_stock) or source code (wdi:SP.POP.TOTL).")
    ],
    geo: Annotated[str, typer.Argument(help="ISO3, M49, aggregate id or name.")],
    partner: Annotated[str | None, typer.Option(help="Bilateral partner (origin).")] = None,
    year: Annotated[int | None, typer.Option(help="One year.")] = None,
    sex: Annotated[str, typer.Option(help="total, male, female or all.")] = "total",
    period: Annotated[
        str | None, typer.Option(help="A quarter such as 2020Q3, or 'all'; default annual.")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only this source id.")] = None,
    edition: Annotated[str | None, typer.Option(help="This edition instead of the latest.")] = None,
    format: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Values of an indicator for a country or aggregate, each with its provenance."""
    from migprofile import open_store
    from migprofile.errors import UsageError
    from migprofile.indicators import observations

    if format not in ("table", "csv", "json"):
        raise UsageError(f"--format: {format!r} is not one of table, csv, json")
    with open_store() as store:
        rows = observations(
            store,
            indicator,
            geo,
            partner=partner,
            year=year,
            sex=sex,
            source=source,
            edition=edition,
            period=period,
        ).to_pylist()
    if not rows:
        err.print(f"no data for {indicator} {geo}" + (f" in {year}" if year else ""), markup=False)
        raise typer.Exit(2)
    fields = ["indicator", "geo", "partner", "year", "period", "sex", "value", "unit", "source",
              "edition", "sha256", "file_name", "sheet", "row", "col", "note"]  # fmt: skip
    if format == "json":
        print(json.dumps([{k: r[k] for k in fields} for r in rows], indent=2, ensure_ascii=False))
    elif format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    else:
        table = Table("geo", "partner", "year", "sex", "value", "unit", "source", "edition", "cell")
        show_notes = any(r["note"] and (r["sheet"] or r["row"] is not None) for r in rows)
        if show_notes:
            table.add_column("note")
        for r in rows:
            if r["sheet"]:
                cell = f"{r['sheet']}!{r['col']}{r['row']}"
            elif r["row"] is not None:
                cell = f"line {r['row']}"
            else:
                cell = r["note"] or ""
            value = "" if r["value"] is None else f"{r['value']:,.10g}"
            when = f"{r['year']}" + (f" {r['period']}" if r["period"] else "")
            extra = [r["note"] or ""] if show_notes else []
            _add_row(table, r["geo"], r["partner"], when, r["sex"], value, r["unit"] or "",
                          r["source"], r["edition"], cell, *extra)  # fmt: skip
        _wide().print(table)


@app.command()
def diff(
    source: Annotated[str, typer.Option(help="Source id, e.g. undesa_ims_destination.")],
    from_edition: Annotated[
        str | None, typer.Option("--from", help="Older edition (default: second latest).")
    ] = None,
    to_edition: Annotated[
        str | None, typer.Option("--to", help="Newer edition (default: latest).")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many of the largest changes to list.")] = 20,
    aggregates: Annotated[
        bool, typer.Option(help="List changes of regions and groups too, not only countries.")
    ] = False,
    format: Annotated[str, typer.Option("--format", help="table or csv (csv: every row).")] = (
        "table"
    ),
) -> None:
    """Values that changed, appeared or disappeared between two editions of a source."""
    from migprofile import open_store
    from migprofile.errors import UsageError

    if format not in ("table", "csv"):
        raise UsageError(f"--format: {format!r} is not one of table, csv")
    with open_store() as store:
        old, new = store.edition_pair(source, from_edition, to_edition)
        rows = store.diff(source, old, new).to_pylist()
    changed = [r for r in rows if r["status"] != "unchanged"]
    if format == "csv":
        fields = ["status", "indicator", "geo", "geo_name", "partner", "year", "period", "sex",
                  "old_value", "new_value", "change", "change_pct", "new_sheet", "new_row",
                  "new_col"]  # fmt: skip
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(changed)
        return
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["indicator"], {}).setdefault(r["status"], 0)
        counts[r["indicator"]][r["status"]] += 1
    summary = Table(
        "indicator", "changed", "appeared", "disappeared", "unchanged",
        title=f"{source}: edition {old} → {new}",
    )  # fmt: skip
    for ind, c in sorted(counts.items()):
        _add_row(summary, ind, *(f"{c.get(k, 0):,}" for k in
                               ("changed", "appeared", "disappeared", "unchanged")))  # fmt: skip
    _wide().print(summary)
    top = Table("indicator", "geo", "name", "partner", "year", "sex", "old", "new", "change",
                "change %", title=f"largest changes (top {limit})")  # fmt: skip
    listed = [
        r
        for r in changed
        if r["status"] == "changed" and (aggregates or r["geo_kind"] == "country")
    ]
    if not rows:
        err.print(
            f"{source} editions {old} and {new} share no indicator: nothing to compare",
            markup=False,
        )
    for r in listed[:limit]:
        _add_row(top,
            r["indicator"], r["geo"], r["geo_name"] or "", r["partner"], str(r["year"]),
            r["sex"], _num(r["old_value"]), _num(r["new_value"]), _num(r["change"]),
            "" if r["change_pct"] is None else f"{r['change_pct']:+.1f}",
        )  # fmt: skip
    _wide().print(top)


@app.command()
def compare(
    indicator_a: Annotated[str, typer.Argument(help="First indicator (id or id@source).")],
    indicator_b: Annotated[str, typer.Argument(help="Second indicator (id or id@source).")],
    geo: Annotated[str | None, typer.Argument(help="One country or aggregate; all if omitted.")] = (
        None
    ),
    partner: Annotated[str | None, typer.Option(help="Bilateral partner.")] = None,
    year: Annotated[int | None, typer.Option(help="One year.")] = None,
    source_a: Annotated[str | None, typer.Option(help="Source of the first indicator.")] = None,
    source_b: Annotated[str | None, typer.Option(help="Source of the second indicator.")] = None,
    max_year_gap: Annotated[
        int, typer.Option(help="Pair with the nearest year of B within this many years.")
    ] = 0,
    format: Annotated[str, typer.Option("--format", help="table or csv.")] = "table",
) -> None:
    """Line up two indicators that measure the same thing and report the gap between them."""
    import statistics

    from migprofile import open_store
    from migprofile.errors import UsageError
    from migprofile.indicators import compare as compare_indicators

    if format not in ("table", "csv"):
        raise UsageError(f"--format: {format!r} is not one of table, csv")
    with open_store() as store:
        rows = compare_indicators(
            store, indicator_a, indicator_b, geo, partner=partner, year=year,
            source_a=source_a, source_b=source_b, max_year_gap=max_year_gap,
        ).to_pylist()  # fmt: skip
    if not rows:
        err.print("no value where both indicators have data for the same geo and year")
        raise typer.Exit(2)
    if format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
        return
    table = Table("geo", "name", "partner", "year", indicator_a, indicator_b, "gap", "gap %")
    for r in rows:
        when = str(r["year"]) + (f" / {r['year_b']}" if r["year_b"] != r["year"] else "")
        gap = r["gap"]
        if gap is not None and abs(gap) <= 1e-9 * max(abs(r["value_a"]), 1.0):
            gap = 0.0  # float noise from unit conversion (US$ million x 1e6)
        _add_row(table,
            r["geo"], r["geo_name"] or "", r["partner"], when, _num(r["value_a"]),
            _num(r["value_b"]), _num(gap),
            "" if r["gap_pct"] is None else f"{r['gap_pct']:+.1f}",
        )  # fmt: skip
    _wide().print(table)
    gaps = [abs(r["gap_pct"]) for r in rows if r["gap_pct"] is not None]
    first = rows[0]
    out.print(
        f"{len(rows)} values compared: {indicator_a} ({first['source_a']} {first['edition_a']}) "
        f"vs {indicator_b} ({first['source_b']} {first['edition_b']}); "
        + (f"median absolute gap {statistics.median(gaps):.1f}%" if gaps else ""),
        markup=False,
        highlight=False,
    )


def _num(value) -> str:
    return "" if value is None else f"{value:,.10g}"


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Interface to bind (a proxy in front for public use).")
    ] = ("127.0.0.1"),
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the read-only web API over the store (OpenAPI docs at /api/docs)."""
    import uvicorn

    from migprofile.web import create_app

    uvicorn.run(create_app(), host=host, port=port, proxy_headers=True, server_header=False)


news_app = typer.Typer(help="Press releases tied to countries and themes, figures checked.")
app.add_typer(news_app, name="news")


def _fetch_url(url: str) -> tuple[bytes, str]:
    import httpx

    if not url.startswith(("http://", "https://")):
        from migprofile.errors import UsageError

        raise UsageError(f"FILE: {url!r} is neither a file nor an http(s) URL")
    resp = httpx.get(url, timeout=30, follow_redirects=True)
    resp.raise_for_status()
    return resp.content, resp.headers.get("content-type", "")


@news_app.command("add")
def news_add(
    sources: Annotated[
        list[str], typer.Argument(help="Text, HTML or RSS/Atom files, folders, URLs.")
    ],
) -> None:
    """Add items to the store: tagged, figures checked; re-adding an item adds nothing."""
    from migprofile.news.service import add_news

    added, known = add_news(sources, fetcher=_fetch_url)
    out.print(f"{added} items added, {known} already known", markup=False)


@news_app.command("check")
def news_check(
    sources: Annotated[list[str], typer.Argument(help="Text, HTML or RSS/Atom files or URLs.")],
    format: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Tag items and check the figures they quote against the data, without storing."""
    from migprofile import open_store
    from migprofile.errors import UsageError
    from migprofile.news.service import check_items, read_items

    if format not in ("table", "json"):
        raise UsageError(f"--format: {format!r} is not one of table, json")
    items = read_items(sources, fetcher=_fetch_url)
    with open_store() as store:
        checked = check_items(store, items)
    if format == "json":
        print(json.dumps([c.to_dict() for c in checked], ensure_ascii=False, indent=1))
        return
    table = Table("item", "countries", "themes", "figure", "indicator", "data", "verdict")
    for c in checked:
        geos = ", ".join(t.value + ("?" if t.ambiguous else "") for t in c.tags if t.kind == "geo")
        themes = ", ".join(t.value for t in c.tags if t.kind == "theme")
        if not c.verdicts:
            _add_row(table, c.item.title[:60], geos, themes, "", "", "", "")
        for n, v in enumerate(c.verdicts):
            data = ""
            if v.data_value is not None:
                data = f"{_num(v.data_value)} ({v.data_year}, {v.source} {v.edition})"
            _add_row(
                table, c.item.title[:60] if n == 0 else "", geos if n == 0 else "",
                themes if n == 0 else "", v.figure.text, v.indicator or "", data,
                v.verdict + (f" ({v.difference_pct:+.1f}%)" if v.difference_pct is not None
                             and v.verdict == "differs" else ""),
            )  # fmt: skip
    _wide().print(table)


@news_app.command("list")
def news_list(
    geo: Annotated[str | None, typer.Option(help="Country or region.")] = None,
    theme: Annotated[str | None, typer.Option(help="Theme id, e.g. remittances.")] = None,
    limit: Annotated[int, typer.Option(help="How many items.")] = 20,
) -> None:
    """Stored news items, latest first."""
    from migprofile import open_store

    with open_store() as store:
        geo_id = store.resolve_geo(geo, parameter="--geo") if geo else None
        items = store.news(geo_id, theme, limit)
    table = Table("date", "title", "countries", "themes", "figures checked")
    for i in items:
        _add_row(
            table, i["date"] or "", i["title"][:70],
            ", ".join(t["value"] for t in i["tags"] if t["kind"] == "geo"),
            ", ".join(t["value"] for t in i["tags"] if t["kind"] == "theme"),
            ", ".join(f"{f['text']}: {f['verdict']}" for f in i["figures"])[:80],
        )  # fmt: skip
    _wide().print(table)


@app.command("export-site")
def export_site(
    out_dir: Annotated[Path, typer.Argument(help="Folder for the static site.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Also export every profile's PDF.")] = False,
) -> None:
    """Write every page, download and a static JSON copy of the API, for hosting as files."""
    from migprofile.web.export import export_site as run

    with err.status("exporting the site…") as status:
        count = run(out_dir, include_pdf=pdf, progress=lambda msg: status.update(msg[:80]))
    out.print(f"{count} files written to {out_dir}", markup=False)


@app.command("export-parquet")
def export_parquet(directory: Annotated[Path, typer.Argument(help="Output folder.")]) -> None:
    """Observations, vintages, sources and geo as Parquet files any engine reads."""
    from migprofile import open_store

    with open_store() as store:
        for path in store.export_parquet(directory):
            out.print(f"wrote {path}", markup=False, highlight=False)


indicators_app = typer.Typer(
    help="The indicator catalogue.", invoke_without_command=True, no_args_is_help=False
)
app.add_typer(indicators_app, name="indicators")


@indicators_app.callback()
def indicators(ctx: typer.Context) -> None:
    """List the catalogue's indicators (`indicators show ID` for one)."""
    if ctx.invoked_subcommand is not None:
        return
    from migprofile.indicators import CATALOGUE

    table = Table("id", "title", "unit", "SDG", "sources")
    for ind in CATALOGUE:
        _add_row(table, ind.id, ind.title, ind.unit, ind.sdg or "", ", ".join(ind.sources))
    _wide().print(table)


@indicators_app.command("show")
def indicators_show(indicator_id: Annotated[str, typer.Argument(help="Catalogue id.")]) -> None:
    """Definition, unit, SDG code, sources and derivation of one indicator."""
    from migprofile.indicators import lookup

    ind = lookup(indicator_id)
    lines = [
        (ind.id, "bold"),
        (ind.title, ""),
        (f"unit: {ind.unit}", ""),
        (f"SDG: {ind.sdg}" if ind.sdg else "SDG: –", ""),
        (f"definition: {ind.definition}", ""),
        ("sources (preferred first): " + (", ".join(ind.sources) or "derived"), ""),
        ("stored as: " + ", ".join(ind.codes), ""),
    ]
    if ind.derivation in ("origin_total", "destination_total"):
        side = "origin" if ind.derivation == "origin_total" else "destination"
        lines.append((f"derived: {ind.derived_from} summed by {side}", ""))
    elif ind.derivation == "formula":
        lines.append((f"derived: {ind.formula} with a = {ind.components[0]}, "
                      f"b = {ind.components[1]}", ""))  # fmt: skip
    if ind.modelled:
        lines.append(("modelled estimate, not an observation", ""))
    for text, style in lines:
        out.print(text, style=style or None, markup=False, highlight=False)


@app.command()
def build(
    geos: Annotated[list[str] | None, typer.Argument(help="Countries or region ids.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Every country with any data.")] = False,
    regions: Annotated[
        bool, typer.Option(help="With --all: also the region groupings, world, M49/SDG regions.")
    ] = False,
    format: Annotated[str, typer.Option("--format", help="html,pdf,md,json")] = "html",
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("profiles"),
) -> None:
    """Build migration data profiles (HTML, PDF, Markdown, JSON) for countries and regions."""
    from migprofile import open_store
    from migprofile.errors import UsageError
    from migprofile.publish import countries_with_data, parse_formats, publish, region_ids

    formats = parse_formats(format)
    with open_store() as store:
        targets = [store.resolve_geo(g) for g in geos or []]
        if all_:
            targets += countries_with_data(store)
            if regions:
                targets += region_ids(store)
        elif regions:
            targets += region_ids(store)
        if not targets:
            raise UsageError("GEO: name countries or regions, or use --all")
        targets = list(dict.fromkeys(targets))
        progress = _Progress()
        with progress.bar:
            written = publish(
                store, targets, formats, out_dir,
                progress=lambda n, total, geo: progress("build", n, total, geo),
            )  # fmt: skip
    out.print(f"{len(targets)} profiles, {len(written)} files in {out_dir}", markup=False)


@geo_app.command("resolve")
def geo_resolve(
    names: Annotated[list[str], typer.Argument(help="Names or codes to harmonise.")],
) -> None:
    """Harmonise your own list of country names to ISO3 codes."""
    from migprofile.errors import UnknownGeoError
    from migprofile.geo import build_harmoniser

    h = build_harmoniser()
    failed = 0
    for name in names:
        try:
            geo = h.country_by_iso3(name) or h.resolve_name(name)
            print(f"{name}\t{geo}\t{h.name_of(geo)}")
        except UnknownGeoError as exc:
            failed += 1
            err.print(f"{name}\t?\t{exc}", markup=False, highlight=False)
    if failed:
        raise typer.Exit(1)


if __name__ == "__main__":
    main()

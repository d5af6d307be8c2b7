"""The `migprofile` command: a thin Typer face over the library.

Every word it prints (help, table headers, summaries, errors) goes through the wording
layer's ``_()`` / ``ngettext``; numbers in tables through ``wording.labels``. Help texts are
translated when the module is imported, in the language active then (MIGPROFILE_LANG).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

# every write the CLI makes (ingest, import, flows build) rebuilds the resolved table before
# it commits: importing the module registers that with the store's writer
import migprofile.indicators.query  # noqa: F401
from migprofile.cli_national import national_app
from migprofile.errors import MigprofileError, UsageError
from migprofile.outfile import write_whole
from migprofile.wording import _, csvout, ngettext
from migprofile.wording.i18n import use_environment_language
from migprofile.wording.labels import (
    cell_ref,
    change_pct_cell,
    count_cell,
    data_note,
    full_cell,
    verdict_label,
)

# MIGPROFILE_LANG=ru: the command's own messages and help in Russian (profiles: --lang)
use_environment_language()

app = typer.Typer(
    help=_(
        "Migration data profiles from official open data (UN DESA, World Bank, KNOMAD, "
        "IDMC, UNHCR)."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
geo_app = typer.Typer(help=_("Countries, areas and aggregates."), no_args_is_help=True)
app.add_typer(geo_app, name="geo")
out = Console(soft_wrap=True)
err = Console(stderr=True)


def _add_row(table: Table, *cells: str) -> None:
    """Cells hold publishers' and users' text: never let it be read as Rich markup."""
    table.add_row(*(escape(str(c)) for c in cells))


def _wide() -> Console:
    """Tables stay readable when stdout is not a terminal (CI logs, pipes)."""
    return Console(width=max(out.width, 160), soft_wrap=True)


def _status(word: str, style: str) -> str:
    """'[green]ingested[/]  ': a status word in its colour, padded so the lines align."""
    return f"[{style}]{escape(word)}[/]" + " " * max(1, 10 - len(word))


def _rows(n: int) -> str:
    # English keeps 'rows' for every count, as before; catalogs give each language its forms.
    return ngettext("{n} rows", "{n} rows", n)


def main() -> None:
    try:
        app()
    except MigprofileError as exc:  # a damaged store too: the store maps it to StoreError
        label = _("error:")
        err.print(
            f"[bold red]{escape(label)}[/] {escape(str(exc))}",
            highlight=False,
            soft_wrap=True,
        )
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
    list[Path] | None,
    typer.Option(
        "--raw-dir",
        help=_(
            "Folder (searched recursively) of publisher files you already have; give it "
            "again for more folders [env: MIGPROFILE_RAW_DIR, folders separated by ':']."
        ),
    ),
]


@app.command(
    help=_("Find (or download) publisher files, parse them and store them in one transaction.")
)
def ingest(
    sources: Annotated[
        list[str] | None, typer.Argument(help=_("Source ids; all when omitted."))
    ] = None,
    raw_dir: RawDir = None,
    offline: Annotated[
        bool, typer.Option(help=_("Never download; use --raw-dir and the cache."))
    ] = False,
    strict: Annotated[
        bool,
        typer.Option(
            help=_(
                "All or nothing: the first file that fails stops the ingest and nothing is "
                "stored (by default the other files are stored and the failed ones listed)."
            )
        ),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            metavar="SECONDS",
            help=_("How long to wait for another ingest of the same store to finish."),
        ),
    ] = 600.0,
) -> None:
    from migprofile.ingest import IngestFailed
    from migprofile.ingest import ingest as run

    def waiting(timeout: float) -> None:
        err.print(
            _("waiting for another ingest to finish… (up to {seconds} s)").format(
                seconds=f"{timeout:g}"
            ),
            markup=False,
            highlight=False,
        )

    progress = _Progress()
    failure: IngestFailed | None = None
    with progress.bar:
        try:
            report = run(
                sources or None,
                raw_dir=raw_dir,
                offline=offline,
                progress=progress,
                strict=strict,
                lock_timeout=wait,
                on_wait=waiting,
            )
        except IngestFailed as exc:
            failure, report = exc, exc.report
    for path, source, edition, rows in report.ingested:
        line = _("{source} {edition}  {rows}  {path}").format(
            source=source, edition=edition, rows=_rows(rows).format(n=f"{rows:>7}"), path=path
        )
        out.print(_status(_("ingested"), "green") + escape(line), highlight=False)
    for path, source, edition in report.unchanged:
        line = _("{source} {edition}  {path} (same sha256)").format(
            source=source, edition=edition, path=path
        )
        out.print(_status(_("unchanged"), "dim") + escape(line), highlight=False)
    for path, reason in report.skipped:
        line = _("{path}: {reason}").format(path=path, reason=reason)
        out.print(_status(_("skipped"), "yellow") + escape(line), highlight=False)
    for path, reason in report.failed:
        line = _("{path}: {reason}").format(path=path, reason=reason)
        out.print(_status(_("failed"), "red") + escape(line), highlight=False)
    n_in, n_same, n_skip = len(report.ingested), len(report.unchanged), len(report.skipped)
    summary = _("{ingested}, {unchanged}, {skipped}").format(
        ingested=ngettext("{n} ingested", "{n} ingested", n_in).format(n=n_in),
        unchanged=ngettext("{n} unchanged", "{n} unchanged", n_same).format(n=n_same),
        skipped=ngettext("{n} skipped", "{n} skipped", n_skip).format(n=n_skip),
    )
    if report.failed:
        n_bad = len(report.failed)
        summary = _("{summary}, {failed}").format(
            summary=summary, failed=ngettext("{n} failed", "{n} failed", n_bad).format(n=n_bad)
        )
    out.print(summary, markup=False, highlight=False)
    if failure is not None:
        raise failure  # one `error:` line naming the failed file(s); exit 1
    if not (report.ingested or report.unchanged or report.skipped):
        out.print(
            _("no files found: point --raw-dir at your files, or drop --offline to download"),
            markup=False,
        )


@app.command("import", help=_("Import a user's own file as a source with provenance."))
def import_file(
    file: Annotated[
        Path, typer.Argument(help=_("A CSV (any separator), Excel (xlsx/xls) or Parquet file."))
    ],
    indicator: Annotated[
        str,
        typer.Option(
            help=_(
                "Catalogue id the values measure (e.g. migrant_stock), or an id of your own "
                "with --title (e.g. labour_migrants_abroad)."
            )
        ),
    ],
    geo_col: Annotated[str, typer.Option(help=_("Column with the country (ISO3, M49 or name)."))],
    value_col: Annotated[
        str | None, typer.Option(help=_("Column with the values (not with --years-across)."))
    ] = None,
    year_col: Annotated[
        str | None, typer.Option(help=_("Column with the year (not with --years-across)."))
    ] = None,
    partner_col: Annotated[
        str | None, typer.Option(help=_("Bilateral partner column (origin)."))
    ] = None,
    sex_col: Annotated[str | None, typer.Option(help=_("Column with male/female/total."))] = None,
    unit: Annotated[str, typer.Option(help=_("Unit of the values, e.g. persons."))] = "",
    source_name: Annotated[
        str | None, typer.Option(help=_("Who published it (required); goes into provenance."))
    ] = None,
    licence: Annotated[
        str | None,
        typer.Option(help=_("The licence the data is published under (required), as stated.")),
    ] = None,
    edition: Annotated[
        str | None, typer.Option(help=_("Edition or release of the data (required)."))
    ] = None,
    title: Annotated[
        str | None, typer.Option(help=_("Title of a new indicator of your own."))
    ] = None,
    definition: Annotated[
        str | None, typer.Option(help=_("Definition of a new indicator of your own."))
    ] = None,
    concept: Annotated[
        str | None,
        typer.Option(
            help=_(
                "The standard indicator yours measures by another definition (e.g. "
                "emigrant_stock): shown beside it, never inside its series."
            )
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option(help=_("Excel sheet, by name or number (default: the first)."))
    ] = None,
    sep: Annotated[
        str | None, typer.Option(help=_("CSV separator: , ; tab or | (default: detected)."))
    ] = None,
    decimal: Annotated[
        str | None, typer.Option(help=_("Decimal mark: . or , (default: detected)."))
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(help=_("Text encoding, e.g. utf-8, windows-1251 (default: detected).")),
    ] = None,
    years_across: Annotated[
        bool, typer.Option("--years-across", help=_("Years are columns (a wide table)."))
    ] = False,
) -> None:
    from migprofile.indicators import BY_ID
    from migprofile.ingest import NewIndicator
    from migprofile.ingest import import_file as run
    from migprofile.sources import ImportSpec

    for option, given in (
        ("--source-name", source_name), ("--licence", licence), ("--edition", edition),
    ):  # fmt: skip
        if not (given or "").strip():
            raise UsageError(
                _(
                    "{option}: required — provenance records who published the file, under "
                    "which licence and which edition"
                ).format(option=option)
            )
    if title is None and (definition or concept):
        raise UsageError(_("--definition and --concept describe a new indicator: give --title"))
    new = (
        NewIndicator(title=title, unit=unit, definition=definition or "", concept=concept or "")
        if title is not None
        else None
    )
    spec = ImportSpec(
        indicator=indicator, geo_col=geo_col, value_col=value_col, year_col=year_col,
        partner_col=partner_col, sex_col=sex_col, unit=unit, source_name=source_name or "",
        edition=edition, sheet=sheet, sep=sep, decimal=decimal, encoding=encoding,
        years_across=years_across,
    )  # fmt: skip
    source, ed, rows, note = run(
        file, spec, known_indicators=BY_ID, new_indicator=new, licence=licence
    )
    if rows == 0:
        out.print(
            _("unchanged: {file} was already imported as {source} {edition}").format(
                file=file, source=source, edition=ed
            ),
            markup=False,
        )
    else:
        line = _("{rows} as {source} {edition}").format(
            rows=_rows(rows).format(n=rows), source=source, edition=ed
        )
        word = _("imported")
        out.print(f"[green]{escape(word)}[/] {escape(line)}", highlight=False)
    if new is not None and new.concept:
        out.print(
            _("{indicator} is shown beside {concept} in profiles, never inside its series").format(
                indicator=indicator, concept=new.concept
            ),
            markup=False,
        )
    elif indicator in BY_ID:
        out.print(
            _(
                "kept apart as source {source}: the default series of {indicator} stays the "
                "publishers'; read it with --source {source}, or import it as an indicator of "
                "your own beside it (--indicator ID --title ... --concept {indicator})"
            ).format(source=source, indicator=indicator),
            markup=False,
        )
    if note:
        out.print(note, markup=False, highlight=False)


@app.command(help=_("Sources, editions and files (sha256, bytes, ingested at, rows)."))
def sources() -> None:
    from migprofile import open_store

    with open_store() as store:
        rows = store.sources_report().to_pylist()
    table = Table(_("source"), _("edition"), _("file"), _("bytes"), _("ingested at"), _("rows"),
                  _("layout"))  # fmt: skip
    table.add_column(_("sha256"), no_wrap=True, min_width=64)
    for r in rows:
        _add_row(table,
            r["source"], r["edition"], r["file_name"], count_cell(r["bytes"]),
            str(r["ingested_at"])[:19], count_cell(r["rows"]), r["layout"] or "", r["sha256"],
        )  # fmt: skip
    Console(width=max(out.width, 240)).print(table)


def _bad_format(value: str, choices: str):
    from migprofile.errors import UsageError

    return UsageError(
        _("--format: {value} is not one of {choices}").format(value=repr(value), choices=choices)
    )


GET_FORMATS = ("table", "csv", "json", "xlsx")
GET_SHAPES = ("long", "wide")


@app.command(
    help=_(
        "Values of an indicator for one or several countries or aggregates, each with its "
        "provenance."
    )
)
def get(
    indicator: Annotated[
        str,
        typer.Argument(help=_("Catalogue id (immigrant_stock) or source code (wdi:SP.POP.TOTL).")),
    ],
    geo: Annotated[
        list[str],
        typer.Argument(
            help=_(
                "ISO3, M49, aggregate id or name; several in a row (KAZ KGZ TJK). In a list, "
                "a region stands for its member countries followed by its own total."
            )
        ),
    ],
    partner: Annotated[
        list[str] | None, typer.Option(help=_("Bilateral partner (origin); may be repeated."))
    ] = None,
    year: Annotated[int | None, typer.Option(help=_("One year."))] = None,
    from_: Annotated[int | None, typer.Option("--from", help=_("First year."))] = None,
    to: Annotated[int | None, typer.Option("--to", help=_("Last year."))] = None,
    sex: Annotated[str, typer.Option(help=_("total, male, female or all."))] = "total",
    period: Annotated[
        str | None, typer.Option(help=_("A quarter such as 2020Q3, or 'all'; default annual."))
    ] = None,
    source: Annotated[str | None, typer.Option(help=_("Only this source id."))] = None,
    edition: Annotated[
        str | None, typer.Option(help=_("This edition instead of the latest."))
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help=_("table, csv, json or xlsx (xlsx needs --out)."))
    ] = "table",
    shape: Annotated[
        str,
        typer.Option(
            "--shape", help=_("long (a row per value) or wide (a row per series, years across).")
        ),
    ] = "long",
    out_file: Annotated[
        Path | None, typer.Option("--out", help=_("Write to this file instead of the screen."))
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(
            help=_(
                "Estimated flows only: diff-zero, diff-return, rates-dennett, demographic "
                "(default) or demographic-independent."
            )
        ),
    ] = None,
) -> None:
    from migprofile import __version__, open_store
    from migprofile.errors import UsageError
    from migprofile.indicators import lookup, observations
    from migprofile.indicators.catalogue import method_variant

    indicator = method_variant(indicator, method)
    from migprofile.indicators.tables import (
        LONG_FIELDS,
        GeoNames,
        about_lines,
        citation_lines,
        named_rows,
        public_row,
        wide_table,
        workbook_sheets,
    )
    from migprofile.wording import xlsxout
    from migprofile.wording.i18n import current_language

    if format not in GET_FORMATS:
        raise _bad_format(format, ", ".join(GET_FORMATS))
    if shape not in GET_SHAPES:
        raise UsageError(
            _("--shape: {value} is not one of {choices}").format(
                value=repr(shape), choices=", ".join(GET_SHAPES)
            )
        )
    if format == "xlsx" and out_file is None:
        raise UsageError(_("--format xlsx: needs --out FILE (a workbook is not for the screen)"))
    if format == "table" and out_file is not None:
        raise UsageError(_("--out: for csv, json or xlsx; a table is for the screen"))
    if from_ is not None and to is not None and from_ > to:
        raise UsageError(_("--from ({first}) is after --to ({last})").format(first=from_, last=to))
    several = len(geo) > 1
    partners = partner or []
    with open_store() as store:
        rows = observations(
            store,
            indicator,
            geo if several else geo[0],
            partner=partners if len(partners) > 1 else (partners[0] if partners else None),
            year=year,
            sex=sex,
            source=source,
            edition=edition,
            period=period,
        ).to_pylist()
        rows = [
            r
            for r in rows
            if (from_ is None or (r["year"] is not None and r["year"] >= from_))
            and (to is None or (r["year"] is not None and r["year"] <= to))
        ]
        names = GeoNames({g["geo"]: g for g in store.geo_rows()}, current_language())
        rows = list(named_rows(rows, names))
        citations = citation_lines(store, rows) if format == "xlsx" else []
    if not rows:
        when = _(" in {year}").format(year=year) if year else ""
        err.print(
            _("no data for {indicator} {geo}").format(indicator=indicator, geo=", ".join(geo))
            + when,
            markup=False,
        )
        raise typer.Exit(2)
    fields = ["indicator", "geo", "name", "partner", "partner_name", "year", "period", "sex",
              "value", "unit", "source", "edition", "sha256", "file_name", "sheet", "row", "col",
              "note"]  # fmt: skip
    if format == "xlsx" and out_file is not None:
        query = " ".join(["migprofile", "get", indicator, *geo] + [
            f"--{k} {v}" for k, v in (("partner", ",".join(partners)), ("year", year),
                                      ("from", from_), ("to", to), ("sex", sex),
                                      ("period", period), ("source", source),
                                      ("edition", edition), ("shape", shape))
            if v not in (None, "")
        ])  # fmt: skip
        long_rows = [public_row(r, LONG_FIELDS) for r in rows]
        about = about_lines(
            indicator=lookup(indicator).id,
            title=lookup(indicator).display_title(),
            query=query,
            built_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            version=f"migprofile {__version__}",
            rows=len(long_rows),
            citations=citations,
        )
        xlsxout.write(str(out_file), workbook_sheets(long_rows, shape=shape, about=about))
        err.print(_("wrote {path}").format(path=out_file), markup=False)
        return
    stream = out_file.open("w", encoding="utf-8", newline="") if out_file else sys.stdout
    try:
        if shape == "wide":
            columns, lines = wide_table(public_row(r, LONG_FIELDS) for r in rows)
            if format == "json":
                from migprofile.indicators.tables import wide_years

                years = wide_years(columns)
                body = {"years": years,
                        "rows": [{k: v for k, v in line.items() if k not in years}
                                 for line in lines]}  # fmt: skip
                print(json.dumps(body, indent=2, ensure_ascii=False), file=stream)
            elif format == "csv":
                csvout.write(stream, columns, lines)
            else:
                heads = _wide_headers()
                table = Table(*(heads.get(c, c) for c in columns))
                for line in lines:
                    _add_row(table, *(
                        full_cell(line[c]) if isinstance(line.get(c), int | float)
                        else (line.get(c) or "")
                        for c in columns
                    ))  # fmt: skip
                _wide().print(table)
            return
        if format == "json":
            print(
                json.dumps([{k: r[k] for k in fields} for r in rows], indent=2, ensure_ascii=False),
                file=stream,
            )
        elif format == "csv":
            csvout.write(stream, fields, rows)
        else:
            _long_table(rows, names_column=several)
    finally:
        if out_file:
            stream.close()


def _wide_headers() -> dict[str, str]:
    """The wide table's fixed columns as a terminal shows them (the years are years)."""
    return {
        "name": _("name"),
        "geo": _("geo"),
        "partner_name": _("partner name"),
        "partner": _("partner"),
        "sex": _("sex"),
        "age": _("age"),
        "unit": _("unit"),
        "source": _("source"),
        "edition": _("edition"),
    }


def _long_table(rows: list[dict], *, names_column: bool) -> None:
    """`get`'s long rows as a terminal table (a name column when several geos were asked)."""
    head = [_("geo"), *([_("name")] if names_column else []), _("partner"), _("year"),
            _("sex"), _("value"), _("unit"), _("source"), _("edition"), _("cell")]  # fmt: skip
    table = Table(*head)
    show_notes = any(r["note"] and (r["sheet"] or r["row"] is not None) for r in rows)
    if show_notes:
        table.add_column(_("note"))
    for r in rows:
        cell = cell_ref(r["sheet"], r["col"], r["row"], r["note"])
        value = full_cell(r["value"])
        when = f"{r['year']}" + (f" {r['period']}" if r["period"] else "")
        extra = [data_note(r["note"])] if show_notes else []
        name = [r["name"]] if names_column else []
        _add_row(table, r["geo"], *name, r["partner"], when, r["sex"], value, r["unit"] or "",
                 r["source"], r["edition"], cell, *extra)  # fmt: skip
    _wide().print(table)


@app.command(
    help=_("Values that changed, appeared or disappeared between two editions of a source.")
)
def diff(
    source: Annotated[str, typer.Option(help=_("Source id, e.g. undesa_ims_destination."))],
    from_edition: Annotated[
        str | None, typer.Option("--from", help=_("Older edition (default: second latest)."))
    ] = None,
    to_edition: Annotated[
        str | None, typer.Option("--to", help=_("Newer edition (default: latest)."))
    ] = None,
    limit: Annotated[int, typer.Option(help=_("How many of the largest changes to list."))] = 20,
    aggregates: Annotated[
        bool,
        typer.Option(help=_("List changes of regions and groups too, not only countries.")),
    ] = False,
    format: Annotated[
        str, typer.Option("--format", help=_("table or csv (csv: every row)."))
    ] = "table",
) -> None:
    from migprofile import open_store

    if format not in ("table", "csv"):
        raise _bad_format(format, "table, csv")
    with open_store() as store:
        old, new = store.edition_pair(source, from_edition, to_edition)
        rows = store.diff(source, old, new).to_pylist()
    changed = [r for r in rows if r["status"] != "unchanged"]
    if format == "csv":
        fields = ["status", "indicator", "geo", "geo_name", "partner", "year", "period", "sex",
                  "old_value", "new_value", "change", "change_pct", "new_sheet", "new_row",
                  "new_col"]  # fmt: skip
        csvout.write(sys.stdout, fields, changed)
        return
    counts: dict[str, dict[str, int]] = {}
    for r in rows:
        counts.setdefault(r["indicator"], {}).setdefault(r["status"], 0)
        counts[r["indicator"]][r["status"]] += 1
    summary = Table(
        _("indicator"), _("changed"), _("appeared"), _("disappeared"), _("unchanged"),
        title=_("{source}: edition {old} → {new}").format(source=source, old=old, new=new),
    )  # fmt: skip
    for ind, c in sorted(counts.items()):
        _add_row(summary, ind, *(count_cell(c.get(k, 0)) for k in
                               ("changed", "appeared", "disappeared", "unchanged")))  # fmt: skip
    _wide().print(summary)
    top = Table(_("indicator"), _("geo"), _("name"), _("partner"), _("year"), _("sex"), _("old"),
                _("new"), _("change"), _("change %"),
                title=_("largest changes (top {limit})").format(limit=limit))  # fmt: skip
    listed = [
        r
        for r in changed
        if r["status"] == "changed" and (aggregates or r["geo_kind"] == "country")
    ]
    if not rows:
        err.print(
            _("{source} editions {old} and {new} share no indicator: nothing to compare").format(
                source=source, old=old, new=new
            ),
            markup=False,
        )
    for r in listed[:limit]:
        _add_row(top,
            r["indicator"], r["geo"], r["geo_name"] or "", r["partner"], str(r["year"]),
            r["sex"], full_cell(r["old_value"]), full_cell(r["new_value"]), full_cell(r["change"]),
            change_pct_cell(r["change_pct"]),
        )  # fmt: skip
    _wide().print(top)


@app.command(
    help=_("Line up two indicators that measure the same thing and report the gap between them.")
)
def compare(
    indicator_a: Annotated[str, typer.Argument(help=_("First indicator (id or id@source)."))],
    indicator_b: Annotated[str, typer.Argument(help=_("Second indicator (id or id@source)."))],
    geo: Annotated[
        str | None, typer.Argument(help=_("One country or aggregate; all if omitted."))
    ] = None,
    partner: Annotated[str | None, typer.Option(help=_("Bilateral partner."))] = None,
    year: Annotated[int | None, typer.Option(help=_("One year."))] = None,
    source_a: Annotated[str | None, typer.Option(help=_("Source of the first indicator."))] = None,
    source_b: Annotated[str | None, typer.Option(help=_("Source of the second indicator."))] = None,
    max_year_gap: Annotated[
        int, typer.Option(help=_("Pair with the nearest year of B within this many years."))
    ] = 0,
    format: Annotated[str, typer.Option("--format", help=_("table or csv."))] = "table",
) -> None:
    import statistics

    from migprofile import open_store
    from migprofile.indicators import compare as compare_indicators

    if format not in ("table", "csv"):
        raise _bad_format(format, "table, csv")
    from migprofile.errors import UsageError
    from migprofile.indicators import lookup

    for text in (indicator_a, indicator_b):
        if lookup(text.partition("@")[0]).bilateral and partner is None:
            raise UsageError(
                _(
                    "--partner: {indicator} is a country-pair indicator; name the partner "
                    "(e.g. --partner RUS: for a cost, the sending country)"
                ).format(indicator=text)
            )
    with open_store() as store:
        rows = compare_indicators(
            store, indicator_a, indicator_b, geo, partner=partner, year=year,
            source_a=source_a, source_b=source_b, max_year_gap=max_year_gap,
        ).to_pylist()  # fmt: skip
    if not rows:
        err.print(_("no value where both indicators have data for the same geo and year"))
        raise typer.Exit(2)
    if format == "csv":
        csvout.write(sys.stdout, list(rows[0]), rows)
        return
    table = Table(_("geo"), _("name"), _("partner"), _("year"), indicator_a, indicator_b,
                  _("gap"), _("gap %"))  # fmt: skip
    for r in rows:
        when = str(r["year"]) + (f" / {r['year_b']}" if r["year_b"] != r["year"] else "")
        gap = r["gap"]
        if gap is not None and abs(gap) <= 1e-9 * max(abs(r["value_a"]), 1.0):
            gap = 0.0  # float noise from unit conversion (US$ million x 1e6)
        _add_row(table,
            r["geo"], r["geo_name"] or "", r["partner"], when, full_cell(r["value_a"]),
            full_cell(r["value_b"]), full_cell(gap), change_pct_cell(r["gap_pct"]),
        )  # fmt: skip
    _wide().print(table)
    gaps = [abs(r["gap_pct"]) for r in rows if r["gap_pct"] is not None]
    first = rows[0]
    compared = ngettext(
        "{n} values compared: {a} ({source_a} {edition_a}) vs {b} ({source_b} {edition_b})",
        "{n} values compared: {a} ({source_a} {edition_a}) vs {b} ({source_b} {edition_b})",
        len(rows),
    ).format(
        n=len(rows), a=indicator_a, source_a=first["source_a"], edition_a=first["edition_a"],
        b=indicator_b, source_b=first["source_b"], edition_b=first["edition_b"],
    )  # fmt: skip
    median = ""
    if gaps:
        median = _("median absolute gap {gap}%").format(gap=f"{statistics.median(gaps):.1f}")
    out.print(
        _("{compared}; {median}").format(compared=compared, median=median),
        markup=False,
        highlight=False,
    )


@app.command(help=_("Serve the read-only web API over the store (OpenAPI docs at /api/docs)."))
def serve(
    host: Annotated[
        str, typer.Option(help=_("Interface to bind (a proxy in front for public use)."))
    ] = ("127.0.0.1"),
    port: Annotated[int, typer.Option(help=_("Port."))] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help=_("Worker processes (each with its own store connection and cache)."),
        ),
    ] = 1,
) -> None:
    from migprofile.web import serve as run_portal

    run_portal(host=host, port=port, workers=workers)


news_app = typer.Typer(help=_("Press releases tied to countries and themes, figures checked."))
app.add_typer(news_app, name="news")


def _fetch_url(url: str) -> tuple[bytes, str]:
    import httpx

    if not url.startswith(("http://", "https://")):
        from migprofile.errors import UsageError

        raise UsageError(
            _("FILE: {url} is neither a file nor an http(s) URL").format(url=repr(url))
        )
    resp = httpx.get(url, timeout=30, follow_redirects=True)
    resp.raise_for_status()
    return resp.content, resp.headers.get("content-type", "")


@news_app.command(
    "add",
    help=_("Add items to the store: tagged, figures checked; re-adding an item adds nothing."),
)
def news_add(
    sources: Annotated[
        list[str], typer.Argument(help=_("Text, HTML or RSS/Atom files, folders, URLs."))
    ],
) -> None:
    from migprofile.news.service import add_news

    added, known = add_news(sources, fetcher=_fetch_url)
    out.print(
        _("{added}, {known}").format(
            added=ngettext("{n} items added", "{n} items added", added).format(n=added),
            known=ngettext("{n} already known", "{n} already known", known).format(n=known),
        ),
        markup=False,
    )


def _verdict_cell(verdict: str, difference_pct: float | None) -> str:
    """'consistent', 'differs (+15.3%)'."""
    label = verdict_label(verdict)
    if difference_pct is None or verdict != "differs":
        return label
    return _("{verdict} ({change}%)").format(verdict=label, change=change_pct_cell(difference_pct))


@news_app.command(
    "check",
    help=_("Tag items and check the figures they quote against the data, without storing."),
)
def news_check(
    sources: Annotated[list[str], typer.Argument(help=_("Text, HTML or RSS/Atom files or URLs."))],
    format: Annotated[
        str, typer.Option("--format", help=_("table, json, or html (the article highlighted)."))
    ] = "table",
) -> None:
    from migprofile import open_store
    from migprofile.news.service import check_items, read_items

    if format not in ("table", "json", "html"):
        raise _bad_format(format, "table, json, html")
    items = read_items(sources, fetcher=_fetch_url)
    with open_store() as store:
        checked = check_items(store, items)
    if format == "json":
        print(json.dumps([c.to_dict() for c in checked], ensure_ascii=False, indent=1))
        return
    if format == "html":
        from migprofile.render.news_html import checked_items_html

        sys.stdout.write(checked_items_html(checked) + "\n")
        return
    table = Table(_("item"), _("countries"), _("figure"), _("indicator"), _("compared with"),
                  _("year"), _("data"), _("verdict"))  # fmt: skip
    for c in checked:
        geos = ", ".join(t.value + ("?" if t.ambiguous else "") for t in c.tags if t.kind == "geo")
        if not c.verdicts:
            _add_row(table, c.item.title[:60], geos, "", "", "", "", "", "")
        for n, v in enumerate(c.verdicts):
            data = ""
            if v.data_value is not None:
                data = _("{value} ({year}, {source} {edition})").format(
                    value=full_cell(v.data_value), year=v.data_year, source=v.source,
                    edition=v.edition,
                )  # fmt: skip
            compared = v.geo or ""
            if v.geo and v.partner:
                compared = _("{geo} from {partner}").format(geo=v.geo, partner=v.partner)
            _add_row(
                table, c.item.title[:60] if n == 0 else "", geos if n == 0 else "",
                v.figure.text, v.indicator or "", compared, str(v.figure.year or ""), data,
                _verdict_cell(v.verdict, v.difference_pct),
            )  # fmt: skip
    _wide().print(table)


@news_app.command("list", help=_("Stored news items, latest first."))
def news_list(
    geo: Annotated[str | None, typer.Option(help=_("Country or region."))] = None,
    theme: Annotated[str | None, typer.Option(help=_("Theme id, e.g. remittances."))] = None,
    limit: Annotated[int, typer.Option(help=_("How many items."))] = 20,
) -> None:
    from migprofile import open_store

    with open_store() as store:
        geo_id = store.resolve_geo(geo, parameter="--geo") if geo else None
        items = store.news(geo_id, theme, limit)
    table = Table(_("date"), _("title"), _("countries"), _("themes"), _("figures checked"))
    for i in items:
        checked = ", ".join(
            _("{figure}: {verdict}").format(figure=f["text"], verdict=verdict_label(f["verdict"]))
            for f in i["figures"]
        )
        _add_row(
            table, i["date"] or "", i["title"][:70],
            ", ".join(t["value"] for t in i["tags"] if t["kind"] == "geo"),
            ", ".join(t["value"] for t in i["tags"] if t["kind"] == "theme"),
            checked[:80],
        )  # fmt: skip
    _wide().print(table)


@app.command(
    "export-site",
    help=_("Write every page, download and a static JSON copy of the API, for hosting as files."),
)
def export_site(
    out_dir: Annotated[Path, typer.Argument(help=_("Folder for the static site."))],
    pdf: Annotated[bool, typer.Option("--pdf", help=_("Also export every profile's PDF."))] = False,
    corridors: Annotated[
        bool,
        typer.Option(
            "--corridors", help=_("Also export the corridor pages (one per country pair linked).")
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help=_("Languages of the pages: en (default), or en,ru,ro,uk.")),
    ] = None,
) -> None:
    from migprofile.publish import parse_languages
    from migprofile.web.export import export_site as run

    languages = parse_languages(lang) if lang else None
    with err.status(_("exporting the site…")) as status:
        count = run(
            out_dir,
            include_pdf=pdf,
            include_corridors=corridors,
            progress=lambda msg: status.update(msg[:80]),
            languages=languages,
        )
    out.print(
        ngettext("{n} files written to {dir}", "{n} files written to {dir}", count).format(
            n=count, dir=out_dir
        ),
        markup=False,
    )


@app.command(
    "export-parquet",
    help=_(
        "Observations, vintages, sources and geo as Parquet files any engine reads, plus the "
        "resolved view (what get returns, for every indicator) and the catalogue."
    ),
)
def export_parquet(
    directory: Annotated[Path, typer.Argument(help=_("Output folder."))],
) -> None:
    from migprofile import open_store
    from migprofile.indicators.export import export_resolved

    with open_store() as store:
        for path in [*store.export_parquet(directory), *export_resolved(store, directory)]:
            out.print(_("wrote {path}").format(path=path), markup=False, highlight=False)


indicators_app = typer.Typer(
    help=_("The indicator catalogue."), invoke_without_command=True, no_args_is_help=False
)
app.add_typer(indicators_app, name="indicators")


@indicators_app.callback()
def indicators(ctx: typer.Context) -> None:
    # typer shows the group's own help ("The indicator catalogue."), never this docstring
    """List the catalogue's indicators (`indicators show ID` for one)."""
    if ctx.invoked_subcommand is not None:
        return
    from migprofile.indicators import CATALOGUE, know_user_indicators

    table = Table(_("id"), _("title"), _("unit"), _("SDG"), _("sources"))
    for ind in CATALOGUE:
        _add_row(table, ind.id, ind.display_title(), ind.display_unit(), ind.sdg or "",
                 ", ".join(ind.sources))  # fmt: skip
    _wide().print(table)
    yours = _user_indicators(know_user_indicators)
    if yours:
        mine = Table(_("id"), _("title"), _("unit"), _("measures differently"), _("sources"),
                     title=_("Your indicators (migprofile import)"))  # fmt: skip
        for ind in yours:
            _add_row(mine, ind.id, ind.display_title(), ind.display_unit(), ind.concept,
                     ", ".join(ind.sources))  # fmt: skip
        _wide().print(mine)


def _user_indicators(know: Callable[[Any], tuple]) -> tuple:
    """The store's user indicators (none without a store)."""
    from migprofile import config
    from migprofile.store import Store

    if not config.db_path().exists():
        return ()
    with Store.open(config.db_path()) as store:
        return know(store)


@indicators_app.command(
    "show", help=_("Definition, unit, SDG code, sources and derivation of one indicator.")
)
def indicators_show(
    indicator_id: Annotated[str, typer.Argument(help=_("Catalogue id."))],
) -> None:
    from migprofile.indicators import know_user_indicators, lookup

    _user_indicators(know_user_indicators)  # an id of the user's own reads as any other
    ind = lookup(indicator_id)
    sources = ", ".join(ind.sources) or _("derived")
    lines = [
        (ind.id, "bold"),
        (ind.display_title(), ""),
        (_("unit: {unit}").format(unit=ind.display_unit()), ""),
        (_("SDG: {sdg}").format(sdg=ind.sdg or "–"), ""),
        (_("definition: {definition}").format(definition=ind.display_definition()), ""),
        (_("sources (preferred first): {sources}").format(sources=sources), ""),
        (_("stored as: {codes}").format(codes=", ".join(ind.codes)), ""),
    ]
    if ind.derivation == "origin_total":
        lines.append((_("derived: {indicator} summed by origin").format(
            indicator=ind.derived_from), ""))  # fmt: skip
    elif ind.derivation == "destination_total":
        lines.append((_("derived: {indicator} summed by destination").format(
            indicator=ind.derived_from), ""))  # fmt: skip
    elif ind.derivation == "formula":
        lines.append((_("derived: {formula} with a = {a}, b = {b}").format(
            formula=ind.formula, a=ind.components[0], b=ind.components[1]), ""))  # fmt: skip
    if ind.concept:
        lines.append((_("measures {concept} by another definition; shown beside it, never "
                        "inside its series").format(concept=ind.concept), ""))  # fmt: skip
    if ind.modelled:
        lines.append((_("modelled estimate, not an observation"), ""))
    for text, style in lines:
        out.print(text, style=style or None, markup=False, highlight=False)


@app.command(
    help=_("Build migration data profiles (HTML, PDF, Markdown, JSON) for countries and regions.")
)
def build(
    geos: Annotated[list[str] | None, typer.Argument(help=_("Countries or region ids."))] = None,
    all_: Annotated[bool, typer.Option("--all", help=_("Every country with any data."))] = False,
    regions: Annotated[
        bool,
        typer.Option(help=_("With --all: also the region groupings, world, M49/SDG regions.")),
    ] = False,
    format: Annotated[str, typer.Option("--format", help=_("html,pdf,md,json"))] = "html",
    out_dir: Annotated[Path, typer.Option("--out", help=_("Output folder."))] = Path("profiles"),
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=_("Language of the profiles: en, ru, ro, uk; several (en,ru): a folder each."),
        ),
    ] = None,
) -> None:
    from migprofile import open_store
    from migprofile.errors import UsageError
    from migprofile.publish import (
        countries_with_data,
        parse_formats,
        parse_languages,
        publish,
        region_ids,
    )

    formats = parse_formats(format)
    languages = parse_languages(lang)
    with open_store() as store:
        targets = [store.resolve_geo(g) for g in geos or []]
        if all_:
            targets += countries_with_data(store)
            if regions:
                targets += region_ids(store)
        elif regions:
            targets += region_ids(store)
        if not targets:
            raise UsageError(_("GEO: name countries or regions, or use --all"))
        targets = list(dict.fromkeys(targets))
        progress = _Progress()
        with progress.bar:
            written = publish(
                store, targets, formats, out_dir,
                progress=lambda n, total, geo: progress("build", n, total, geo),
                languages=languages,
            )  # fmt: skip
    profiles = ngettext("{n} profiles", "{n} profiles", len(targets)).format(n=len(targets))
    files = ngettext("{n} files in {dir}", "{n} files in {dir}", len(written)).format(
        n=len(written), dir=out_dir
    )
    out.print(_("{profiles}, {files}").format(profiles=profiles, files=files), markup=False)


@geo_app.command("resolve", help=_("Harmonise your own list of country names to ISO3 codes."))
def geo_resolve(
    names: Annotated[list[str], typer.Argument(help=_("Names or codes to harmonise."))],
) -> None:
    from migprofile.errors import UnknownGeoError
    from migprofile.geo import build_harmoniser
    from migprofile.geo.world_names import resolve_for_user

    h = build_harmoniser()
    failed = 0
    for name in names:
        try:
            geo = h.country_by_iso3(name) or resolve_for_user(h, name)
            print(f"{name}\t{geo}\t{h.name_of(geo)}")
        except UnknownGeoError as exc:
            failed += 1
            err.print(f"{name}\t?\t{exc}", markup=False, highlight=False)
    if failed:
        raise typer.Exit(1)


flows_app = typer.Typer(
    help=_("Migration flows estimated from two stock tables (modelled, never observed)."),
    no_args_is_help=True,
)
app.add_typer(flows_app, name="flows")
app.add_typer(national_app, name="national", help=_("A country's national migration data system."))


@flows_app.command(
    "estimate",
    help=_(
        "Estimate flows from a STOCKS.csv (birthplace,residence,year,stock; the native-born "
        "where birthplace = residence) between two years."
    ),
)
def flows_estimate(
    stocks: Annotated[Path, typer.Argument(help=_("The stock table (CSV)."))],
    t0: Annotated[int, typer.Option("--t0", help=_("First year of the period."))],
    t1: Annotated[int, typer.Option("--t1", help=_("Last year of the period."))],
    method: Annotated[
        str,
        typer.Option(
            help=_("diff-zero, diff-return, rates-dennett, demographic or demographic-independent.")
        ),
    ] = "demographic",
    demography: Annotated[
        Path | None,
        typer.Option(help=_("Births and deaths over the period (CSV: region,births,deaths).")),
    ] = None,
    total: Annotated[
        float | None, typer.Option(help=_("World total of moves (rates-dennett)."))
    ] = None,
    by_birthplace: Annotated[
        bool, typer.Option("--by-birthplace", help=_("One row per birthplace too."))
    ] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", help=_("Write the CSV here (default: standard output)."))
    ] = None,
) -> None:
    from migprofile.flows import estimate
    from migprofile.flows.tables import flow_header, flow_rows, read_demography, read_stocks

    tables = read_stocks(stocks, t0, t1)
    births = deaths = None
    if demography is not None:
        births, deaths = read_demography(demography, tables.places)
    est = estimate(
        method, tables.s0, tables.s1, births, deaths, total=total, by_birthplace=by_birthplace
    )
    header = flow_header(by_birthplace)
    rows = flow_rows(est, tables.places, by_birthplace)
    if out_file is None:
        csvout.write(sys.stdout, header, rows)
        return
    write_whole(out_file, lambda handle: csvout.write(handle, header, rows))
    err.print(
        _("{method}: {n} places, total {total} moves → {path}").format(
            method=method, n=len(tables.places), total=f"{est.total:,.0f}", path=out_file
        ),
        markup=False,
        highlight=False,
    )


@flows_app.command(
    "build",
    help=_(
        "Estimate the period's flows from the store's UN DESA stocks (one edition) and WPP "
        "births and deaths by every method, and store them as a modelled source."
    ),
)
def flows_build(
    t0: Annotated[int, typer.Option("--t0", help=_("First year of the period."))] = 2015,
    t1: Annotated[int, typer.Option("--t1", help=_("Last year of the period."))] = 2020,
    edition: Annotated[
        str | None, typer.Option(help=_("UN DESA edition (default: the latest with both years)."))
    ] = None,
    regions: Annotated[
        str | None,
        typer.Option(help=_("Only these countries (ISO3, comma-separated); default: all.")),
    ] = None,
) -> None:
    from migprofile import config
    from migprofile.flows.build import build_flows

    wanted = [r.strip().upper() for r in regions.split(",") if r.strip()] if regions else None
    done = build_flows(config.db_path(), t0, t1, edition=edition, regions=wanted)
    table = Table(
        title=_("Estimated flows {t0}–{t1}, {n} countries").format(
            t0=done.t0, t1=done.t1, n=done.places
        )
    )
    table.add_column(_("method"))
    table.add_column(_("world total of moves"), justify="right")
    for method, total in done.totals.items():
        _add_row(table, method, count_cell(round(total)))
    _wide().print(table)
    if done.stored:
        out.print(
            _("stored {n} flows as migprofile_flows {edition} (modelled)").format(
                n=f"{done.rows:,}", edition=done.edition
            ),
            markup=False,
            highlight=False,
        )
    else:
        out.print(_("unchanged: these inputs and options are stored already"), markup=False)


if __name__ == "__main__":
    main()

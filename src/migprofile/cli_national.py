"""`migprofile national ...`: a country's national migration data system (issue 18).

    national add FILE          check a YAML file and store it (replacing the country's earlier one)
    national template GEO      an empty, commented file for the country to fill in
    national show GEO          what the store holds for the country, as a short table

The format is in docs/national-data-system.md; errors are MigprofileErrors, printed by
`migprofile.cli.main` as one `error:` line.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from migprofile.errors import UsageError
from migprofile.outfile import write_whole
from migprofile.wording.i18n import _, ngettext, use_environment_language

use_environment_language()  # before the help texts below are translated
national_app = typer.Typer(
    help=_("A country's national migration data system."), no_args_is_help=True
)
_out = Console(soft_wrap=True)
_err = Console(stderr=True)


def _sources(n: int) -> str:
    return ngettext("{n} source", "{n} sources", n).format(n=n)


@national_app.command(
    "add",
    help=_(
        "Check a national data system file (YAML) and store it; it replaces what the store "
        "held for that country."
    ),
)
def national_add(
    file: Annotated[
        Path, typer.Argument(help=_("The YAML file (see `migprofile national template`)."))
    ],
) -> None:
    from migprofile import open_store
    from migprofile.national import add_national_system

    geo, n = add_national_system(file)
    with open_store() as store:
        name = (store.geo_row(geo) or {}).get("name") or geo
    _out.print(
        _("stored: national data system of {name}, {sources}").format(
            name=name, sources=_sources(n)
        ),
        markup=False,
        highlight=False,
    )


@national_app.command(
    "template",
    help=_("Write an empty, commented national data system file for a country to fill in."),
)
def national_template(
    geo: Annotated[str, typer.Argument(help=_("The country: ISO3 code or name."))],
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out", help=_("Write it here (default: standard output); never overwrites.")
        ),
    ] = None,
) -> None:
    from migprofile import open_store
    from migprofile.national import template
    from migprofile.national.store_io import country_geo

    with open_store() as store:
        geo_id = country_geo(store, geo, parameter="GEO")
        name = (store.geo_row(geo_id) or {}).get("name") or geo_id
    text = template(geo_id, name)
    if out_file is None:
        sys.stdout.write(text)
        return
    if out_file.exists():
        raise UsageError(
            _("--out {path}: the file exists already; give another name or remove it").format(
                path=out_file
            )
        )
    write_whole(out_file, lambda handle: handle.write(text))
    _err.print(
        _(
            "template for {name} written to {path}; fill it in, then run: "
            "migprofile national add {path}"
        ).format(name=name, path=out_file),
        markup=False,
        highlight=False,
    )


@national_app.command("show", help=_("The national data system the store holds for a country."))
def national_show(
    geo: Annotated[str, typer.Argument(help=_("The country: ISO3 code or name."))],
) -> None:
    from migprofile import open_store
    from migprofile.national import (
        access_label,
        national_system_for,
        periodicity_label,
        topic_label,
        type_label,
    )

    with open_store() as store:
        geo_id = store.resolve_geo(geo)
        name = (store.geo_row(geo_id) or {}).get("name") or geo_id
        system = national_system_for(store, geo_id)
        row = store.national_system(geo_id)
    if system is None or row is None:
        raise UsageError(
            _(
                "GEO: no national data system is stored for {name}; write one with "
                "`migprofile national template {geo}` and add it with `migprofile national add`"
            ).format(name=name, geo=geo_id)
        )
    about = [
        _("from {file}").format(file=row["file_name"]) if row.get("file_name") else "",
        _("compiled by {who}").format(who=system.compiled_by) if system.compiled_by else "",
        _("updated {date}").format(date=system.updated) if system.updated else "",
    ]
    table = Table(
        title=escape(
            _("National migration data system of {name}: {sources}").format(
                name=name, sources=_sources(len(system.sources))
            )
        ),
        caption=escape("; ".join(a for a in about if a)) or None,
    )
    for header in (
        _("source"),
        _("institution"),
        _("type"),
        _("periodicity"),
        _("latest release"),
        _("topics"),
        _("access"),
    ):
        table.add_column(header)
    for s in system.sources:
        cells = (
            s.name,
            s.institution,
            type_label(s.type),
            periodicity_label(s.periodicity) if s.periodicity else "",
            s.latest_release or "",
            ", ".join(topic_label(t) for t in s.topics),
            access_label(s.access.kind) if s.access else "",
        )
        table.add_row(*(escape(c) for c in cells))
    Console(width=max(_out.width, 160), soft_wrap=True).print(table)
    issues = [(s.name, issue) for s in system.sources for issue in s.known_issues]
    if issues:
        _out.print(_("Known issues:"), markup=False, highlight=False)
        for source, issue in issues:
            _out.print(
                _("- {source}: {issue}").format(source=source, issue=issue),
                markup=False,
                highlight=False,
            )
    if system.notes:
        _out.print(_("Notes: {notes}").format(notes=system.notes), markup=False, highlight=False)

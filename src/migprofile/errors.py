"""Errors a user can act on: each names the file, sheet, row or parameter at fault."""

from __future__ import annotations

from migprofile.wording.i18n import _


class MigprofileError(Exception):
    """Base class: the CLI prints these as one line and exits non-zero, never a traceback."""


class ParseError(MigprofileError):
    """A file that looks like a known source but does not match its layout."""

    def __init__(self, path, message: str, *, sheet: str | None = None, row: int | None = None):
        self.path = str(path)
        self.sheet = sheet
        self.row = row
        where = self.path
        if sheet is not None:
            where += _(", sheet '{sheet}'").format(sheet=sheet)
        if row is not None:
            where += _(", row {row}").format(row=row)
        super().__init__(f"{where}: {message}")


class UnknownGeoError(MigprofileError):
    """A country or area name that no harmonisation rule recognises."""

    def __init__(self, name: str, detail: str = ""):
        self.name = name
        msg = _("unknown country or area name {name}").format(name=repr(name))
        super().__init__(msg + (f" ({detail})" if detail else ""))


class UsageError(MigprofileError):
    """A bad parameter: unknown indicator, geo, edition, option combination."""


class StoreError(MigprofileError):
    """The store file is missing, corrupt, locked or from another schema version."""

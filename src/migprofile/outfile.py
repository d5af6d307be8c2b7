"""Writing a command's --out file whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import IO

from migprofile.errors import MigprofileError
from migprofile.wording.i18n import _


def write_whole(out_file: Path, write: Callable[[IO[str]], object]) -> None:
    """`write(handle)` into a partial file beside `out_file`, then rename it over: a failed
    write leaves no half file behind, and one `--out` error line names why."""
    partial = out_file.with_name(f".{out_file.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            write(handle)
        os.replace(partial, out_file)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise MigprofileError(
            _("--out {path}: cannot write it ({why})").format(path=out_file, why=exc.strerror)
        ) from None

"""Keep the gettext catalogs in step with the code: extract, update, compile.

    python scripts/catalogs.py extract   # src/migprofile/locale/migprofile.pot from the code
    python scripts/catalogs.py update    # every <lang>/LC_MESSAGES/migprofile.po gains new msgids
    python scripts/catalogs.py compile   # every .po → .mo (what the package loads)
    python scripts/catalogs.py init LANG # a new language's catalog (then translate, compile)
    python scripts/catalogs.py all       # extract, update, compile

Babel marks any message with a '%' as python-format ('% of GDP'); where a message has no
%-placeholder that flag is dropped, so the compiler does not take 'ВВП %' for a format.
See docs/translating.md.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "migprofile" / "locale"
POT = LOCALE / "migprofile.pot"
_PERCENT_FORMAT = re.compile(r"%(\([a-z_]+\))?[sd]")


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def _drop_false_formats(path: Path) -> None:
    with path.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        if "python-format" in message.flags and not any(_PERCENT_FORMAT.search(i) for i in ids):
            message.flags.discard("python-format")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100)


def catalogs() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/migprofile.po"))


def extract() -> None:
    _pybabel(
        "extract", "-F", "babel.cfg", "--add-comments=TRANSLATORS:", "--project=migprofile",
        "--copyright-holder=migprofile contributors", "-o", str(POT), ".",
    )  # fmt: skip
    _drop_false_formats(POT)


def update() -> None:
    """Each catalog gains the template's new msgids (empty) and drops the obsolete ones."""
    with POT.open("rb") as fh:
        template = read_po(fh)
    for po in catalogs():
        with po.open("rb") as fh:
            catalog = read_po(fh)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with po.open("wb") as fh:
            write_po(fh, catalog, width=100)
        _drop_false_formats(po)


def compile_all() -> None:
    for po in catalogs():
        _drop_false_formats(po)
        with po.open("rb") as fh:
            catalog = read_po(fh)
        with po.with_suffix(".mo").open("wb") as fh:
            write_mo(fh, catalog)


def init(lang: str) -> None:
    _pybabel("init", "-i", str(POT), "-d", str(LOCALE), "-D", "migprofile", "-l", lang)


def main(argv: list[str]) -> None:
    command = argv[0] if argv else "all"
    if command == "extract":
        extract()
    elif command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "init" and len(argv) == 2:
        init(argv[1])
    elif command == "all":
        extract()
        update()
        compile_all()
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

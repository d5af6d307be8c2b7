"""Set one message's translation in a language's catalog (then run `catalogs.py all`).

Usage: python scripts/set_translation.py LANG "msgid" "msgstr"
For the odd message added between translation rounds; whole rounds go through translators.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "migprofile" / "locale"


def main(lang: str, msgid: str, msgstr: str) -> None:
    path = LOCALE / lang / "LC_MESSAGES" / "migprofile.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    message = catalog.get(msgid)
    if message is None:
        raise SystemExit(f"{path}: no message {msgid!r} (run scripts/catalogs.py all first)")
    message.string = msgstr
    message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=100)


if __name__ == "__main__":
    main(*sys.argv[1:4])

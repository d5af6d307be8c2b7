"""Set translations in the languages' catalogs (then run `catalogs.py all`).

    python scripts/set_translation.py LANG "msgid" "msgstr" [msgctxt]
    python scripts/set_translation.py --file TRANSLATIONS.json

TRANSLATIONS.json: {"ru": [{"id": "...", "str": "...", "ctx": null}, ...], "uk": [...]}.
For the messages added between translation rounds; whole rounds go through translators.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "migprofile" / "locale"


def set_many(lang: str, entries: list[dict]) -> None:
    path = LOCALE / lang / "LC_MESSAGES" / "migprofile.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    for e in entries:
        message = catalog.get(e["id"], e.get("ctx"))
        if message is None:
            raise SystemExit(f"{path}: no message {e['id']!r} (run scripts/catalogs.py all first)")
        message.string = e["str"]
        message.flags.discard("fuzzy")
    with path.open("wb") as f:
        write_po(f, catalog, width=100)


if __name__ == "__main__":
    if sys.argv[1] == "--file":
        data = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
        for lang, entries in data.items():
            set_many(lang, entries)
    else:
        lang, msgid, msgstr = sys.argv[1:4]
        set_many(lang, [{"id": msgid, "str": msgstr, "ctx": (sys.argv[4:5] or [None])[0]}])

"""The catalogs: every shipped language translates every message, the template is what the code
says today, the compiled .mo files are the .po files, and placeholders survive translation."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "src" / "migprofile" / "locale"
REQUIRED = ("ru", "ro", "uk")
_PLACEHOLDER = re.compile(r"\{[A-Za-z_0-9]*\}|%\([a-z_]+\)[sd]")


def _po(lang: str):
    with (LOCALE / lang / "LC_MESSAGES" / "migprofile.po").open("rb") as fh:
        return read_po(fh)


def _key(message) -> tuple:
    msgid = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
    return (message.context, msgid)


@pytest.fixture(scope="module")
def code_messages() -> set[tuple]:
    """(context, msgid) of every message the code and templates hold, as babel.cfg extracts."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map
    ):
        found.add((context, message))
    return found


def test_the_required_languages_ship():
    from migprofile.wording.i18n import shipped_languages

    assert set(REQUIRED) <= set(shipped_languages()), shipped_languages()


def test_the_template_is_current(code_messages):
    with (LOCALE / "migprofile.pot").open("rb") as fh:
        pot = {_key(m) for m in read_po(fh) if m.id}
    missing = code_messages - pot
    stale = pot - code_messages
    assert not missing, f"run python scripts/catalogs.py all: not in the template: {missing}"
    assert not stale, f"run python scripts/catalogs.py all: no longer in the code: {stale}"


@pytest.mark.parametrize("lang", REQUIRED)
def test_every_message_is_translated(lang, code_messages):
    catalog = _po(lang)
    untranslated = []
    for context, msgid in sorted(code_messages, key=str):
        entry = catalog.get(msgid, context=context)
        strings = entry.string if entry is not None else None
        if isinstance(strings, tuple):
            ok = len(strings) == catalog.num_plurals and all(strings)
        else:
            ok = bool(strings)
        if not ok or (entry is not None and entry.fuzzy):
            untranslated.append(msgid)
    assert not untranslated, f"{lang}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"


@pytest.mark.parametrize("lang", REQUIRED)
def test_placeholders_survive(lang):
    bad = []
    for m in _po(lang):
        if not m.id or not m.string:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = set(_PLACEHOLDER.findall(ids[-1])) | set(_PLACEHOLDER.findall(ids[0]))
        for s in strings:
            got = set(_PLACEHOLDER.findall(s))
            # a plural form may leave out the count it spells out ('один' for {n} = 1)
            if not got <= wanted or (not isinstance(m.id, tuple) and got != wanted):
                bad.append((ids[0], s))
    assert not bad, bad[:5]


@pytest.mark.parametrize("lang", REQUIRED)
def test_the_mo_file_is_the_po_file(lang):
    po = _po(lang)
    mo_path = LOCALE / lang / "LC_MESSAGES" / "migprofile.mo"
    with mo_path.open("rb") as fh:
        mo = read_mo(fh)

    def strings(m):
        return tuple(m.string) if isinstance(m.string, list | tuple) else m.string

    want = {_key(m): strings(m) for m in po if m.id and m.string and not m.fuzzy}
    got = {_key(m): strings(m) for m in mo if m.id}
    assert got == want, "run python scripts/catalogs.py compile"


def test_every_source_name_reaches_the_translators():
    from migprofile.sources import REGISTRY
    from migprofile.wording.labels import SOURCE_SHORT_NAMES

    names = {s.short_name for s in REGISTRY}
    assert names <= set(SOURCE_SHORT_NAMES), names - set(SOURCE_SHORT_NAMES)


def test_a_catalog_in_memory_loads_like_the_file():
    """The mechanism for one more language: a catalog is all it takes (here: in memory)."""
    import gettext

    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from migprofile.wording import _, language
    from migprofile.wording.i18n import use_translations

    catalog = Catalog(locale="ka")
    catalog.add("Emigration", "ემიგრაცია")
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    use_translations("ka", gettext.GNUTranslations(buf))
    try:
        with language("ka"):
            assert _("Emigration") == "ემიგრაცია"
    finally:
        use_translations("ka", None)


_TRANSLATORS = {"_", "N_", "ngettext", "pgettext", "npgettext"}


def test_no_message_hides_inside_an_f_string():
    """Babel's extractor reads an f-string as one token: `f"{_('error:')}"` never reaches the
    catalogs, so the word stays English in every language. Messages go outside f-strings."""
    import ast

    hidden = []
    for path in sorted((ROOT / "src" / "migprofile").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Name)
                    and inner.func.id in _TRANSLATORS
                ):
                    hidden.append(f"{path.relative_to(ROOT)}:{inner.lineno}")
    assert not hidden, hidden

"""The one translation function for every user-visible string: ``_()`` and ``ngettext()``.

Catalogs are looked up as ``migprofile/locale/<lang>/LC_MESSAGES/migprofile.mo``; a language
without a catalog (English today) falls back to the English source strings. The active language
is a context variable, so each request or build sets its own::

    with language("ru"):
        text = _("Immigrant stock")

Write strings so Babel's extractor finds them: ``_("literal")`` with ``%(name)s`` or ``{name}``
placeholders filled *after* translation, never an f-string inside ``_()``.
"""

from __future__ import annotations

import contextvars
import functools
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "migprofile"
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"

_active: contextvars.ContextVar[str] = contextvars.ContextVar(
    "migprofile_language", default=DEFAULT_LANGUAGE
)
_installed: dict[str, gettext.NullTranslations] = {}  # see use_translations


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for `lang` (e.g. "ru", "pt_BR"), or the English source strings."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


@functools.cache
def shipped_languages() -> tuple[str, ...]:
    """English and every language with a compiled catalog in the package (adding a language is
    adding its catalog: locale/<lang>/LC_MESSAGES/migprofile.mo)."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (DEFAULT_LANGUAGE, *(lang for lang in found if lang != DEFAULT_LANGUAGE))


def use_translations(lang: str, catalog: gettext.NullTranslations | None) -> None:
    """Use `catalog` for `lang` instead of the one on disk (None puts the disk's back): for tests
    (a fake catalog that marks every message) and for catalogs loaded some other way."""
    if catalog is None:
        _installed.pop(lang, None)
    else:
        _installed[lang] = catalog


def _catalog() -> gettext.NullTranslations:
    lang = _active.get()
    installed = _installed.get(lang)
    return installed if installed is not None else translations(lang)


def current_language() -> str:
    return _active.get()


def use_language(lang: str | None) -> contextvars.Token[str]:
    """Make `lang` the active language of this thread/task; returns a token for ``reset``."""
    return _active.set(lang or DEFAULT_LANGUAGE)


def use_environment_language() -> None:
    """MIGPROFILE_LANG=ru: the command line's messages and help in Russian. Called by every
    CLI module before it builds its help texts (translated when the module is imported)."""
    import os

    if os.environ.get("MIGPROFILE_LANG"):
        use_language(os.environ["MIGPROFILE_LANG"].strip().replace("-", "_"))


def reset_language(token: contextvars.Token[str]) -> None:
    _active.reset(token)


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """``with language("ru"): ...`` — the active language inside the block."""
    token = use_language(lang)
    try:
        yield current_language()
    finally:
        _active.reset(token)


def _(message: str) -> str:
    """The message in the active language."""
    return _catalog().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the active language."""
    return _catalog().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a literal for extraction where it is defined (catalogue titles, section titles);
    ``_()`` translates it where it is shown."""
    return message


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on `context` (e.g. "chart" vs "table")."""
    return _catalog().pgettext(context, message)

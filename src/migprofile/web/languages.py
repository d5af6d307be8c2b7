"""The portal in every shipped language: `/ru/country/MDA` is `/country/MDA` in Russian.

A pure ASGI middleware takes a leading language segment off the path and makes that language
the active one for the request (the wording layer's context variable: routers, templates and
renderers all speak it). English has no prefix. The first visit to `/` without a language
cookie follows the browser's Accept-Language; any page under a prefix remembers its language
in a cookie, so `/` keeps it. Pages rewrite their own links into the language (`localise_links`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from migprofile.wording.i18n import (
    DEFAULT_LANGUAGE,
    current_language,
    reset_language,
    shipped_languages,
    use_language,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "migprofile_lang"
_PREFIX = re.compile(r"^/([a-z]{2,3}(?:_[A-Z]{2})?)(/.*)?$")
# Links a page rewrites into its language: every site-absolute link but the shared assets and
# the API (both the same in every language).
_LINK = r'\b(href|action)="/(?!static/|api/|/|(?:{langs})(?:/|"))'


def prefix(lang: str | None = None) -> str:
    """'' for English, '/ru' for Russian: what goes before a page's path."""
    lang = lang or current_language()
    return "" if lang == DEFAULT_LANGUAGE else f"/{lang}"


def localise_links(html: str, lang: str | None = None) -> str:
    """The page's site links under its language's prefix (a no-op in English)."""
    p = prefix(lang)
    return _link_pattern().sub(lambda m: f'{m.group(1)}="{p}/', html) if p else html


@functools.cache
def _link_pattern() -> re.Pattern[str]:
    """Site links not yet under a language (the switch's own links already are)."""
    return re.compile(_LINK.format(langs="|".join(map(re.escape, shipped_languages()))))


def preferred(
    accept_language: str, cookie: str | None, offered: tuple[str, ...] | None = None
) -> str:
    """The language for a first visit: the cookie's, else the best offered match of the
    Accept-Language header (q-values honoured), else English."""
    shipped = offered or shipped_languages()
    if cookie in shipped:
        return str(cookie)
    choices = []
    for n, part in enumerate(accept_language.split(",")[:20]):
        tag, _sep, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        base = tag.strip().lower().replace("-", "_").split("_")[0]
        if base in shipped and q > 0:
            choices.append((-q, n, base))
    return min(choices)[2] if choices else DEFAULT_LANGUAGE


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value.decode("latin-1")
    return ""


def _cookie(scope: Scope) -> str | None:
    for part in _header(scope, b"cookie").split(";"):
        key, _sep, value = part.strip().partition("=")
        if key == COOKIE:
            return value.strip()
    return None


class LanguagePrefix:
    """`languages`: those the portal offers (default: every shipped one); a static export of
    English alone offers only English, so its pages link no language it lacks."""

    def __init__(self, app: ASGIApp, languages: tuple[str, ...] | None = None) -> None:
        self.app = app
        self.languages = languages or shipped_languages()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path") or "/"
        lang = DEFAULT_LANGUAGE
        chosen = False
        m = _PREFIX.match(path)
        if m and m.group(1) in self.languages:
            lang, chosen = m.group(1), True
            rest = m.group(2) or "/"
            scope = dict(scope, path=rest, raw_path=rest.encode("utf-8"))
        elif path == "/" and scope.get("method") in ("GET", "HEAD"):
            first = preferred(_header(scope, b"accept-language"), _cookie(scope), self.languages)
            if first != DEFAULT_LANGUAGE:
                await _redirect(send, f"/{first}/")
                return
        token = use_language(lang)
        try:
            if chosen:
                await self.app(scope, receive, _remembering(send, lang))
            else:
                await self.app(scope, receive, send)
        finally:
            reset_language(token)


def _remembering(send: Send, lang: str) -> Send:
    """Adds the language cookie to a page's answer (Vary, so caches keep languages apart)."""

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers") or [])
            cookie = f"{COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax"
            headers.append((b"set-cookie", cookie.encode("latin-1")))
            message = dict(message, headers=headers)
        await send(message)

    return wrapped


async def _redirect(send: Send, location: str) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [
                (b"location", location.encode("latin-1")),
                (b"vary", b"Accept-Language, Cookie"),
                (b"cache-control", b"no-store"),
                (b"content-length", b"0"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def alternates(path: str, offered: tuple[str, ...] | None = None) -> list[tuple[str, str, str]]:
    """(language, autonym, URL) of the page in every offered language, for the switch and the
    hreflang links; `path` is the page's path without a prefix. One language: no switch."""
    from babel import Locale

    langs = offered or shipped_languages()
    if len(langs) < 2:
        return []
    out = []
    for lang in langs:
        try:
            name = Locale.parse(lang).get_display_name(lang) or lang
        except Exception:  # a catalog for a language CLDR does not know: its code
            name = lang
        # English too under its prefix: following the switch sets the cookie, so `/` then
        # stays English for a browser that asks for Russian
        out.append((lang, name[:1].upper() + name[1:], f"/{lang}{path}"))
    return out

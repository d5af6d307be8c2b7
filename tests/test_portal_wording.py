"""The portal's words all go through the one translation function (`migprofile.wording._`).

Two guards: every portal template is parsed and no literal visible word may sit outside
`{{ _("...") }}` (so an untranslated string cannot be added later), and pages rendered with a
fake catalog that marks every message as ⟦…⟧ show nothing unmarked except data (names, numbers,
citations, source titles, file names).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from fastapi.testclient import TestClient
from jinja2 import nodes

from fixtures import MarkedCatalog
from migprofile.web import create_app
from migprofile.web import pages as web_pages
from migprofile.wording import language, use_translations

WEB = Path(web_pages.__file__).resolve().parent
TEMPLATES = WEB / "templates"
HOLE = "\ufffc"  # stands for a Jinja expression or tag in a template's text
BRAND = {"migprofile"}  # the product's name is the same in every language
VISIBLE_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
BUTTON_TYPES = {"submit", "button", "reset"}
LETTER = re.compile(r"[^\W\d_]")


class VisibleText(HTMLParser):
    """The text a reader sees: element text outside script/style, and visible attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        kinds = dict(attrs)
        for name, value in attrs:
            button_value = name == "value" and (
                tag == "button" or (tag == "input" and kinds.get("type") in BUTTON_TYPES)
            )
            if value and (name in VISIBLE_ATTRIBUTES or button_value):
                self.chunks.append(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.chunks.append(data)


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.chunks


def words(text: str) -> list[str]:
    """The words of `text` (runs with a letter in them), the brand name left out."""
    found = [w for w in re.split(r"[\s" + HOLE + r"]+", text) if LETTER.search(w)]
    return [w for w in found if w.strip(".,:;·()") not in BRAND]


# -- (a) no literal words in the templates -----------------------------------------------------
def _env() -> jinja2.Environment:
    return jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)


def template_names() -> list[str]:
    return sorted(p.name for p in TEMPLATES.glob("*.j2"))


def template_literal_text(name: str) -> str:
    """The template's literal HTML (its TemplateData nodes, in source order), every Jinja
    expression or tag between them replaced by HOLE."""
    tree = _env().parse((TEMPLATES / name).read_text(encoding="utf-8"), name=name)
    return HOLE.join(node.data for node in tree.find_all(nodes.TemplateData))


def test_there_are_portal_templates():
    assert len(template_names()) >= 13
    assert "base.html.j2" in template_names()


@pytest.mark.parametrize("name", template_names())
def test_template_has_no_untranslated_words(name):
    text = template_literal_text(name)
    found = {w for chunk in visible_text(text) for w in words(chunk)}
    assert not found, f"{name}: wrap these in {{{{ _('…') }}}}: {sorted(found)}"


def test_the_check_catches_an_untranslated_word(tmp_path):
    """The guard itself: literal text, a title and a placeholder count; `_()` does not."""
    env = _env()
    tree = env.parse(
        '<p>Hello {{ x }}</p><a title="Go there" href="/x">{{ _("ok") }}</a>'
        '<input placeholder="Type here" value="{{ v }}"><button value="Send">{{ _("b") }}</button>'
        '<input type="submit" value="Push"><data value="12">{{ n }}</data>'
    )
    text = HOLE.join(node.data for node in tree.find_all(nodes.TemplateData))
    found = sorted(w for chunk in visible_text(text) for w in words(chunk))
    assert found == ["Go", "Hello", "Push", "Send", "Type", "here", "there"]


def _translated_calls(path: Path) -> Iterator[tuple[int, ast.expr]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            n = {"_": 1, "pgettext": 2, "ngettext": 2}.get(node.func.id, 0)
            for arg in node.args[:n]:
                yield node.lineno, arg


@pytest.mark.parametrize("path", sorted(WEB.glob("*.py")), ids=lambda p: p.name)
def test_web_modules_translate_literals_only(path):
    """`_("literal")` with placeholders filled after, never `_(f"...")`: Babel extracts literals."""
    for lineno, arg in _translated_calls(path):
        ok = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        assert ok, f"{path.name}:{lineno}: _() of a non-literal"


def test_page_language_is_the_active_one():
    from starlette.requests import Request

    scope = {
        "type": "http",
        "method": "GET",
        "scheme": "http",
        "server": ("testserver", 80),
        "path": "/about",
        "raw_path": b"/about",
        "root_path": "",
        "query_string": b"",
        "headers": [],
    }

    def page() -> str:
        response = web_pages.render_page(
            Request(scope), "about.html.j2", title="t", meta={}, has_charts=False
        )
        return bytes(response.body).decode("utf-8")

    with language("pt_BR"):
        assert '<html lang="pt-BR">' in page()
    assert '<html lang="en">' in page()


# -- (b) a fake catalog marks every message: nothing else on the page is wording ----------------
def unmarked(chunks: list[str]) -> list[str]:
    """What is left of the text once every ⟦…⟧ (nested or spanning tags) is taken out."""
    text = "\x00".join(chunks)
    while True:
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if shorter == text:
            break
        text = shorter
    assert "⟦" not in text and "⟧" not in text, "unbalanced marks: a message was cut apart"
    return [c.strip() for c in text.split("\x00") if c.strip()]


FIGURE_DATA = ("label", "citation", "cell", "note", "partner_name", "coverage", "source")


def _figures(profile: dict) -> Iterator[dict]:
    yield from profile.get("key_facts", [])
    for section in profile.get("sections", []):
        yield from section.get("figures", [])
        for group in ("series", "rankings"):
            for series in (section.get(group) or {}).values():
                yield from series.get("points", [])
        yield from (section.get("bars") or {}).get("points", [])  # cost by sending country
        for corridor in section.get("corridors") or []:  # top corridors
            yield from (f for k in ("stock", "remittances", "cost") if (f := corridor.get(k)))


def profile_data(profile: dict) -> set[str]:
    """The data a profile page shows as it is: names, figure labels and citations, sources."""
    data = {profile["name"], *profile.get("member_names", [])}
    for f in _figures(profile):
        data.update(str(f[k]) for k in FIGURE_DATA if f.get(k))
        if f.get("partner_name", "").startswith("the "):
            data.add(f["partner_name"][4:])
    for section in profile.get("sections", []):
        for group in ("series", "rankings"):
            data.update(s["label"] for s in (section.get(group) or {}).values() if s.get("label"))
    for s in profile.get("sources", []):
        data.update(v for k in ("title", "citation", "licence") if (v := s.get(k)))
        data.update(s.get("files", []))
        data.update(s.get("editions", []))
    for g in profile.get("gaps", []):
        data.update(g[k] for k in ("citation_a", "citation_b") if g.get(k))
    return {d for d in data if LETTER.search(d)}


def leaked(chunks: list[str], data: set[str]) -> list[str]:
    """Unmarked text that is not data: each chunk with every data string taken out."""
    ordered = sorted(data, key=len, reverse=True)
    out = []
    for chunk in unmarked(chunks):
        for d in ordered:
            if d in chunk:
                chunk = chunk.replace(d, HOLE)
        if words(chunk):
            out.append(chunk)
    return out


@pytest.fixture(scope="module")
def marked_client(shared_store, module_home):
    use_translations("en", MarkedCatalog())
    try:
        # a fresh app: its snapshot builds profiles (narrative, labels) under the fake catalog
        with TestClient(create_app(module_home / "migprofile.duckdb")) as client:
            yield client
    finally:
        use_translations("en", None)


def geo_names(client: TestClient) -> set[str]:
    """The geo names, and the language switch's names of the languages (each in itself)."""
    from migprofile.web.languages import alternates

    autonyms = {name for _code, name, _url in alternates("/")}
    return {r["name"] for r in client.get("/api/geo").json() if r.get("name")} | autonyms


def test_home_page_words_are_all_translated(marked_client):
    r = marked_client.get("/")
    assert r.status_code == 200
    chunks = visible_text(r.text)
    assert any("⟦Migration profiles⟧" in c for c in chunks)
    data = geo_names(marked_client)
    for geo in web_pages.GROUPINGS:
        profile = marked_client.get(f"/api/profiles/{geo}")
        if profile.status_code == 200:
            data |= profile_data(profile.json())
    assert leaked(chunks, data) == []


def test_profile_page_words_are_all_translated(marked_client):
    r = marked_client.get("/country/MDA")
    assert r.status_code == 200
    chunks = visible_text(r.text)
    assert any("⟦Download this profile:⟧" in c for c in chunks)  # the portal's header
    data = geo_names(marked_client) | profile_data(marked_client.get("/api/profiles/MDA").json())
    assert leaked(chunks, data) == []


@pytest.mark.parametrize(
    "url",
    [
        "/indicators",
        "/indicators/immigrant_stock",
        "/compare?geo=MDA,GEO&indicator=immigrant_stock",
        "/sources",
        "/about",
        "/news",
        "/search?q=mold",
        "/country/Moldva",
    ],
)
def test_other_pages_mark_their_own_words(marked_client, url):
    """Every page: its headings, labels and messages come marked (data aside)."""
    r = marked_client.get(url)
    assert r.status_code in (200, 404)
    chunks = visible_text(r.text)
    assert any(c.startswith("⟦") for c in chunks)
    assert not any("Countries and regions" in c and "⟦" not in c for c in chunks)


def test_api_messages_are_translated(marked_client):
    r = marked_client.get("/api/indicators/immigrant_stock/data")
    assert r.status_code == 400
    assert r.json()["detail"].startswith("⟦geo: required for JSON")
    r = marked_client.get("/api/geo/Moldva")
    assert r.status_code == 404
    assert r.json()["detail"].startswith("⟦geo: unknown country or area 'Moldva'")

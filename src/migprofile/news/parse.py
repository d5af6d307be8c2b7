"""Split press material into NewsItems: plain-text digests, HTML pages and RSS/Atom feeds.

Plain-text digest rule (`parse_text`):
- the text is cut into blocks at blank lines;
- the first line of a block is a *title* when it is short (< 120 characters), does not end with
  sentence punctuation (. ! ? : ; …) and is followed by a paragraph (more lines in the block or a
  next block); hard-wrapped paragraph lines are never titles (titles only start a block);
- a line 'Date: 2024-06-16' (or a line holding only a date: '2024-06-16', '16 June 2024',
  'June 16, 2024') sets the item's date; a paragraph that opens with a date ('16 June 2024 – ...',
  'Chisinau, 16 June 2024 – ...') also sets it when no date was given;
- a title with no paragraph after it is kept as a paragraph of the item before it;
- paragraphs before the first title form an item titled with their first sentence.

HTML (`parse_html`) uses only the stdlib parser and makes no outside requests; RSS 2.0 and Atom
(`parse_feed`) use xml.etree after refusing any DOCTYPE/ENTITY declaration (entity expansion
bombs such as 'billion laughs'). `parse_source` chooses the parser by extension or content; URLs
are read only through an injected `fetcher(url) -> (bytes, content_type)`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.news.model import NewsItem

Fetcher = Callable[[str], tuple[bytes, str]]

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
_DMY = rf"(?P<d2>\d{{1,2}})\s+(?P<mon2>{_MONTH_RE})\.?\s+(?P<y2>\d{{4}})"
_MDY = rf"(?P<mon3>{_MONTH_RE})\.?\s+(?P<d3>\d{{1,2}}),?\s+(?P<y3>\d{{4}})"
DATE_RE = re.compile(rf"(?:{_ISO}|{_DMY}|{_MDY})", re.IGNORECASE)
_DATE_LINE = re.compile(rf"^\s*(?:date\s*:\s*)?(?:{DATE_RE.pattern})\s*$", re.IGNORECASE)
# 'Date: ...' with something we cannot read is still a date line (dropped, not a title).
_DATE_LABEL = re.compile(r"^\s*(?:date|published|posted)\s*:", re.IGNORECASE)
# A paragraph opening with a date, optionally after a dateline place: 'Chisinau, 16 June 2024 –'
_LEADING_DATE = re.compile(
    rf"^\s*(?:[A-Z][\w\u00c0-\u024f'’.-]*(?:\s+[A-Z][\w\u00c0-\u024f'’.-]*){{0,3}},\s*)?"
    rf"(?:{DATE_RE.pattern})\s*(?:[-–—:|]|$)",
    re.IGNORECASE,
)
_TITLE_END = (".", "!", "?", ":", ";", "…")
TITLE_MAX = 120
# Bounded work: a news file (or fetched page) larger than MAX_SOURCE_BYTES, an item longer than
# MAX_ITEM_CHARS or a file holding more than MAX_ITEMS items is refused with a ParseError.
MAX_SOURCE_BYTES = 8_000_000
MAX_ITEM_CHARS = 500_000
MAX_ITEMS = 5_000


def parse_date(text: str) -> str | None:
    """ISO date for '2024-06-16', '16 June 2024', 'June 16, 2024', RFC 822 or ISO timestamps."""
    if not text:
        return None
    m = DATE_RE.search(text)
    if m:
        g = m.groupdict()
        if g["y"]:
            y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), MONTHS[g["mon2"].lower()], int(g["d2"])
        else:
            y, mo, d = int(g["y3"]), MONTHS[g["mon3"].lower()], int(g["d3"])
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    try:  # RFC 822: 'Sun, 16 Jun 2024 10:00:00 GMT' (already caught above), other shapes
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _is_title(line: str) -> bool:
    s = line.strip()
    return bool(s) and len(s) < TITLE_MAX and not s.endswith(_TITLE_END) and not _is_date_line(s)


def _is_date_line(line: str) -> bool:
    return bool(_DATE_LINE.match(line) or _DATE_LABEL.match(line))


def _first_sentence(text: str) -> str:
    m = re.match(r"(.{1,100}?[.!?])(\s|$)", text.strip())
    return (m.group(1) if m else text.strip()[:100]).strip()


def parse_text(text: str, origin: str) -> list[NewsItem]:
    """Items of a plain-text digest (see the module docstring for the rule)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    if not blocks:
        raise ParseError(origin, "no text: an empty digest")

    items: list[dict] = []  # {"title", "paras": [[lines]], "date"}
    for bi, block in enumerate(blocks):
        lines = list(block)
        # Date lines anywhere at the start of a block belong to the current item.
        while lines and _is_date_line(lines[0]):
            if items and items[-1]["date"] is None:
                items[-1]["date"] = parse_date(lines[0])
            lines.pop(0)
        if not lines:
            continue
        # In a block, the line after a title must open a sentence: a lower-case start means
        # the short first line is the start of a hard-wrapped paragraph.
        has_next = not lines[1][:1].islower() if len(lines) > 1 else bi + 1 < len(blocks)
        if _is_title(lines[0]) and has_next:
            title = lines.pop(0)
            date = None
            iso = re.match(rf"^\s*{_ISO}\s*[-–—:|]?\s*", title)
            if iso and iso.end() < len(title):  # '2024-06-16 – Title'
                date = parse_date(iso.group(0))
                title = title[iso.end() :].strip()
            items.append({"title": title, "paras": [], "date": date})
            while lines and _is_date_line(lines[0]):
                if items[-1]["date"] is None:
                    items[-1]["date"] = parse_date(lines[0])
                lines.pop(0)
            if not lines:
                continue
        if not items:
            para = " ".join(lines)
            items.append({"title": _first_sentence(para), "paras": [], "date": None})
        items[-1]["paras"].append(" ".join(lines))

    out: list[NewsItem] = []
    for it in items:
        if not it["paras"]:  # a title with nothing after it: text of the item before
            if out:
                out[-1].text += "\n\n" + it["title"]
            continue
        date = it["date"]
        if date is None:
            m = _LEADING_DATE.match(it["paras"][0])
            if m:
                date = parse_date(m.group(0))
        out.append(
            NewsItem(title=it["title"], text="\n\n".join(it["paras"]), origin=origin, date=date)
        )
    if not out:
        raise ParseError(origin, "no item: a digest needs a title line followed by a paragraph")
    return out


# -- HTML -------------------------------------------------------------------------------------

DROP_TAGS = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
    "template",
    "iframe",
    "svg",
    "button",
    "select",
    "object",
    "embed",
}
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "table",
    "tr",
    "figcaption",
    "dd",
    "dt",
    "pre",
    "hr",
}
VOID_TAGS = {"br", "hr", "img", "meta", "link", "input", "source", "wbr", "area", "col", "base"}


class _Extractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.dropped: list[str] = []  # open dropped elements
        self.all_parts: list[str] = []
        self.main_parts: list[str] = []
        self.main_depth = 0  # inside <article>/<main>
        self.saw_main = False
        self.in_title = False
        self.title = ""
        self.in_h1 = False
        self.h1 = ""
        self.date: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            prop = (a.get("property") or a.get("name") or "").lower()
            if prop in ("article:published_time", "date", "dc.date") and not self.date:
                self.date = parse_date(a.get("content", ""))
            return
        if tag in VOID_TAGS:
            if tag in BLOCK_TAGS:
                self._break()
            return
        if tag in DROP_TAGS:
            self.dropped.append(tag)
            return
        if self.dropped:
            return
        if tag == "time" and not self.date and a.get("datetime"):
            self.date = parse_date(a["datetime"])
        if tag in ("article", "main"):
            self.main_depth += 1
            self.saw_main = True
        if tag == "title":
            self.in_title = True
        if tag == "h1" and not self.h1:
            self.in_h1 = True
        if tag in BLOCK_TAGS:
            self._break()

    def handle_endtag(self, tag):
        if tag in DROP_TAGS:
            if tag in self.dropped:
                while self.dropped and self.dropped.pop() != tag:
                    pass
            return
        if self.dropped:
            return
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False
        if tag in BLOCK_TAGS:
            self._break()
        if tag in ("article", "main") and self.main_depth:
            self.main_depth -= 1

    def handle_data(self, data):
        if self.dropped:
            return
        if self.in_title:
            self.title += data
            return
        if self.in_h1:
            self.h1 += data
        self.all_parts.append(data)
        if self.main_depth:
            self.main_parts.append(data)

    def _break(self):
        self.all_parts.append("\n\n")
        if self.main_depth:
            self.main_parts.append("\n\n")


def _paragraphs(parts: list[str]) -> list[str]:
    joined = "".join(parts)
    paras = [re.sub(r"\s+", " ", p).strip() for p in re.split(r"\n\s*\n", joined)]
    return [p for p in paras if p]


def html_to_text(html: str) -> str:
    """Visible text of an HTML fragment (scripts, styles and boilerplate dropped)."""
    ex = _Extractor()
    ex.feed(html)
    ex.close()
    return "\n\n".join(_paragraphs(ex.all_parts))


def parse_html(html: str, origin: str) -> list[NewsItem]:
    """One item per page: the <article>/<main> text when present, else the whole body."""
    ex = _Extractor()
    try:
        ex.feed(html)
        ex.close()
    except Exception as exc:  # html.parser is lenient; anything left is a broken file
        raise ParseError(origin, f"unreadable HTML: {exc}") from exc
    paras = _paragraphs(ex.main_parts if ex.saw_main else ex.all_parts)
    title = re.sub(r"\s+", " ", ex.h1 or ex.title).strip()
    if paras and title and paras[0] == title:
        paras = paras[1:]
    if not title and paras:
        title = _first_sentence(paras[0])
    if not paras:
        raise ParseError(origin, "no text found in the HTML page")
    return [NewsItem(title=title, text="\n\n".join(paras), origin=origin, date=ex.date)]


# -- feeds ------------------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
RSS1 = "{http://purl.org/rss/1.0/}"
_DECL = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _child_text(el, *names: str) -> str:
    for name in names:
        child = el.find(name)
        if child is not None:
            text = "".join(child.itertext()) if len(child) else (child.text or "")
            if text.strip():
                return text.strip()
    return ""


def parse_feed(xml: str, origin: str) -> list[NewsItem]:
    """Items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed; descriptions are stripped of HTML."""
    if _DECL.search(xml):
        raise ParseError(
            origin,
            "feed refused: it declares a DOCTYPE or ENTITY (entity expansion attacks such as "
            "'billion laughs' are not parsed)",
        )
    try:
        root = ET.fromstring(xml.lstrip("\ufeff").strip())
    except ET.ParseError as exc:
        raise ParseError(origin, f"not well-formed XML: {exc}") from exc
    # (title, body, date, link) of each entry, in the feed's order
    entries: list[tuple[str, str, str | None, str | None]] = []
    content_ns = "{http://purl.org/rss/1.0/modules/content/}encoded"
    if root.tag == "rss" or root.tag.endswith("RDF"):
        # RSS 1.0 (RDF) puts its elements in a default namespace; RSS 2.0 in none
        ns = RSS1 if root.tag.endswith("RDF") and root.find(f"{RSS1}item") is not None else ""
        for el in root.iter(f"{ns}item"):
            title = html_to_text(_child_text(el, f"{ns}title"))
            body = html_to_text(_child_text(el, content_ns, f"{ns}description"))
            date = parse_date(_child_text(el, "pubDate", "{http://purl.org/dc/elements/1.1/}date"))
            entries.append((title, body, date, _child_text(el, f"{ns}link") or None))
    elif root.tag == f"{ATOM}feed":
        for el in root.iter(f"{ATOM}entry"):
            title = html_to_text(_child_text(el, f"{ATOM}title"))
            body = html_to_text(_child_text(el, f"{ATOM}content", f"{ATOM}summary"))
            date = parse_date(_child_text(el, f"{ATOM}published", f"{ATOM}updated"))
            link_el = el.find(f"{ATOM}link")
            entries.append(
                (title, body, date, link_el.get("href") if link_el is not None else None)
            )
    else:
        raise ParseError(origin, f"not an RSS or Atom feed (root element <{root.tag}>)")
    return [
        NewsItem(
            title=title or _first_sentence(body), text=body, origin=origin, date=date, url=link
        )
        for title, body, date, link in entries
        if title or body
    ]


# -- dispatch ---------------------------------------------------------------------------------

TEXT_EXT = {".txt", ".md", ".text"}
HTML_EXT = {".html", ".htm", ".xhtml"}
FEED_EXT = {".xml", ".rss", ".atom"}


def _sniff(content: str) -> str:
    head = content[:2000].lstrip("\ufeff").lstrip().lower()
    if "<rss" in head or "<feed" in head or "<rdf:rdf" in head or "<!entity" in head:
        return "feed"
    if "<html" in head or head.startswith("<!doctype html"):
        return "html"
    if head.startswith("<?xml") or head.startswith("<!doctype"):
        return "feed"
    return "text"


def _decode(data: bytes, content_type: str = "") -> str:
    m = re.search(r"charset=([\w-]+)", content_type or "", re.IGNORECASE)
    enc = m.group(1) if m else "utf-8"
    try:
        return data.decode(enc)
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")


_PARSERS = {"text": parse_text, "html": parse_html, "feed": parse_feed}


def _check_size(src: str, size: int) -> None:
    if size > MAX_SOURCE_BYTES:
        raise ParseError(
            src, f"{size:,} bytes: news files are limited to {MAX_SOURCE_BYTES:,} bytes"
        )


def _capped(src: str, items: list[NewsItem]) -> list[NewsItem]:
    """The items, or a ParseError when there are too many or one is too long."""
    if len(items) > MAX_ITEMS:
        raise ParseError(src, f"{len(items):,} items: a news file may hold {MAX_ITEMS:,}")
    for n, item in enumerate(items, 1):
        size = len(item.title) + len(item.text)
        if size > MAX_ITEM_CHARS:
            raise ParseError(
                src,
                f"item {n} ({item.title[:60]!r}) is {size:,} characters: "
                f"an item is limited to {MAX_ITEM_CHARS:,}",
            )
    return items


def parse_source(path_or_url: str, fetcher: Fetcher | None = None) -> list[NewsItem]:
    """Items of a file, a directory (its .txt/.md/.html/.htm/.xml/.rss/.atom files) or a URL."""
    src = str(path_or_url)
    if re.match(r"^https?://", src, re.IGNORECASE):
        if fetcher is None:
            raise ParseError(src, "a URL needs a fetcher (no network access from the parser)")
        try:
            data, content_type = fetcher(src)
        except ParseError:
            raise
        except Exception as exc:
            raise ParseError(src, f"could not fetch: {exc}") from exc
        _check_size(src, len(data))
        content = _decode(data, content_type)
        ct = (content_type or "").lower()
        if "html" in ct:
            kind = "html"
        elif any(k in ct for k in ("rss", "atom", "xml")):
            kind = "feed"
        elif "text/plain" in ct:
            kind = "text"
        else:
            kind = _sniff(content)
        items = _capped(src, _PARSERS[kind](content, src))
        for it in items:
            it.url = it.url or src
        return items
    path = Path(src)
    if path.is_dir():
        out: list[NewsItem] = []
        for f in sorted(path.iterdir()):
            if f.is_file() and f.suffix.lower() in TEXT_EXT | HTML_EXT | FEED_EXT:
                out.extend(parse_source(str(f)))
        return out
    if not path.is_file():
        raise ParseError(src, "no such file")
    try:
        _check_size(src, path.stat().st_size)
        content = _decode(path.read_bytes())
    except OSError as exc:
        raise ParseError(src, f"cannot read: {exc}") from exc
    ext = path.suffix.lower()
    sniffed = _sniff(content)
    if ext in HTML_EXT:
        kind = "html"
    elif ext in FEED_EXT:
        kind = "feed"
    elif ext in TEXT_EXT:
        kind = "text"
    else:
        kind = sniffed
    return _capped(src, _PARSERS[kind](content, src))

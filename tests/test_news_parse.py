"""Parsing press material: plain-text digests, HTML pages, RSS/Atom feeds, source dispatch."""

from __future__ import annotations

import pytest

from migprofile.errors import ParseError
from migprofile.news.parse import parse_feed, parse_html, parse_source, parse_text
from news_corpus import CORPUS, CORPUS_DIGEST

DIGEST = """IOM supports returnees in Armenia
Date: 2024-06-16

Yerevan – More than 500 returnees received grants.

A second paragraph
wrapped over two lines.

Remittances to Moldova rise

16 June 2024 – Remittances reached USD 1.9 billion.

2024-05-01 Floods in Georgia
Heavy rain displaced 1 200 people.
"""


def test_text_digest():
    items = parse_text(DIGEST, "d.txt")
    assert [i.title for i in items] == [
        "IOM supports returnees in Armenia",
        "Remittances to Moldova rise",
        "Floods in Georgia",
    ]
    assert [i.date for i in items] == ["2024-06-16", "2024-06-16", "2024-05-01"]
    assert items[0].text.count("\n\n") == 1
    assert "wrapped over two lines." in items[0].text
    assert items[2].text == "Heavy rain displaced 1 200 people."
    assert all(i.origin == "d.txt" for i in items)


def test_corpus_digest_round_trip():
    items = parse_text(CORPUS_DIGEST, "corpus.txt")
    assert len(items) == len(CORPUS)
    assert [i.title for i in items] == [c.title for c in CORPUS]
    assert [i.text for i in items] == [c.text for c in CORPUS]
    assert all(i.date for i in items)


def test_empty_text_is_an_error():
    with pytest.raises(ParseError, match="empty"):
        parse_text("  \n\n ", "e.txt")


HTML = """<!doctype html><html><head><title>Site title</title>
<meta property="article:published_time" content="2024-06-16T10:00:00Z">
<script>var stolen = document.cookie; alert('pwned')</script><style>p{color:red}</style></head>
<body><header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<main><article><h1>Refugees in Moldova get jobs</h1>
<p>Chisinau &ndash; More than 500 refugees found work.</p>
<script>document.write('hostile')</script>
<p>The programme <b>continues</b> in 2025.</p></article></main>
<aside>Related stories</aside><form>Subscribe</form><footer>© IOM</footer></body></html>"""


def test_html_main_text():
    [item] = parse_html(HTML, "page.html")
    assert item.title == "Refugees in Moldova get jobs"
    assert item.date == "2024-06-16"
    assert "More than 500 refugees found work." in item.text
    assert "The programme continues in 2025." in item.text
    for junk in ("pwned", "hostile", "cookie", "Home", "Related", "Subscribe", "IOM", "color"):
        assert junk not in item.text


def test_html_without_article_uses_body_and_time():
    html = (
        "<html><head><title>T</title></head><body><nav>menu</nav>"
        "<p><time datetime='2023-01-02'>2 Jan</time> Text here.</p></body></html>"
    )
    [item] = parse_html(html, "p.html")
    assert item.title == "T" and item.date == "2023-01-02"
    assert "Text here." in item.text and "menu" not in item.text


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>IOM news</title>
<item><title>Remittances in Tajikistan</title><link>https://example.org/a</link>
<pubDate>Sun, 16 Jun 2024 10:00:00 GMT</pubDate>
<description>&lt;p&gt;Remittances &lt;b&gt;fell&lt;/b&gt;.&lt;/p&gt;
&lt;script&gt;bad()&lt;/script&gt;</description></item>
<item><title>Second</title><description>Plain text.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>UNHCR</title>
<entry><title>Displacement in Ukraine</title><link href="https://example.org/b"/>
<published>2024-02-24T08:00:00Z</published>
<summary type="html">&lt;p&gt;3.7 million displaced.&lt;/p&gt;</summary></entry></feed>"""


def test_rss():
    items = parse_feed(RSS, "feed.xml")
    assert [i.title for i in items] == ["Remittances in Tajikistan", "Second"]
    assert items[0].text == "Remittances fell."
    assert items[0].date == "2024-06-16" and items[0].url == "https://example.org/a"


RSS1 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://example.org/"><title>Новости</title>
<items><rdf:Seq><rdf:li rdf:resource="https://example.org/c"/></rdf:Seq></items></channel>
<item rdf:about="https://example.org/c"><title>Денежные переводы в Таджикистан</title>
<link>https://example.org/c</link><dc:date>2024-05-03T09:00:00+05:00</dc:date>
<description>&lt;p&gt;Переводы выросли на 2,4 млрд долларов.&lt;/p&gt;</description></item>
</rdf:RDF>"""


def test_rss1_rdf_with_a_default_namespace():
    """RSS 1.0 (still what some ministries' and news agencies' CMSs publish) names its item,
    title and link in a default namespace."""
    [item] = parse_feed(RSS1, "rdf.xml")
    assert item.title == "Денежные переводы в Таджикистан"
    assert item.text == "Переводы выросли на 2,4 млрд долларов."
    assert item.date == "2024-05-03" and item.url == "https://example.org/c"


def test_atom():
    [item] = parse_feed(ATOM, "atom.xml")
    assert item.title == "Displacement in Ukraine"
    assert item.text == "3.7 million displaced."
    assert item.date == "2024-02-24" and item.url == "https://example.org/b"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>
<rss version="2.0"><channel><item><title>&lol2;</title></item></channel></rss>"""


def test_doctype_entity_rejected(tmp_path):
    with pytest.raises(ParseError, match="DOCTYPE or ENTITY"):
        parse_feed(BILLION_LAUGHS, "bomb.xml")
    f = tmp_path / "bomb.rss"
    f.write_text(BILLION_LAUGHS)
    with pytest.raises(ParseError, match="DOCTYPE or ENTITY"):
        parse_source(str(f))


def test_bad_xml_and_unknown_root():
    with pytest.raises(ParseError, match="well-formed"):
        parse_feed("<rss><channel>", "x.xml")
    with pytest.raises(ParseError, match="not an RSS or Atom"):
        parse_feed("<root/>", "x.xml")


def test_parse_source_dispatch(tmp_path):
    (tmp_path / "d.txt").write_text(DIGEST, encoding="utf-8")
    (tmp_path / "p.htm").write_text(HTML, encoding="utf-8")
    (tmp_path / "f.xml").write_text(ATOM, encoding="utf-8")
    (tmp_path / "noext").write_text(RSS, encoding="utf-8")
    assert len(parse_source(str(tmp_path / "d.txt"))) == 3
    assert parse_source(str(tmp_path / "p.htm"))[0].title == "Refugees in Moldova get jobs"
    assert parse_source(str(tmp_path / "f.xml"))[0].title == "Displacement in Ukraine"
    assert len(parse_source(str(tmp_path / "noext"))) == 2
    assert len(parse_source(str(tmp_path))) == 3 + 1 + 1  # the directory's known extensions
    with pytest.raises(ParseError, match="no such file"):
        parse_source(str(tmp_path / "missing.txt"))


def test_parse_source_url_with_fake_fetcher():
    pages = {
        "https://example.org/feed": (RSS.encode(), "application/rss+xml"),
        "https://example.org/page": (HTML.encode(), "text/html; charset=utf-8"),
        "https://example.org/sniff": (ATOM.encode(), "application/octet-stream"),
    }
    calls = []

    def fetcher(url):
        calls.append(url)
        return pages[url]

    assert len(parse_source("https://example.org/feed", fetcher)) == 2
    [page] = parse_source("https://example.org/page", fetcher)
    assert page.url == "https://example.org/page" and "pwned" not in page.text
    assert parse_source("https://example.org/sniff", fetcher)[0].title == "Displacement in Ukraine"
    assert len(calls) == 3
    with pytest.raises(ParseError, match="fetcher"):
        parse_source("https://example.org/feed")
    with pytest.raises(ParseError, match="could not fetch"):
        parse_source("https://example.org/missing", fetcher)

"""The news pipeline end to end: add (idempotent), check (nothing stored), list, API, pages."""

from __future__ import annotations

import json

import pytest

from migprofile.news.service import check_items, read_items
from news_corpus import CORPUS_DIGEST

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def digest(tmp_path_factory):
    path = tmp_path_factory.mktemp("news") / "press.txt"
    path.write_text(CORPUS_DIGEST, encoding="utf-8")
    return path


def test_check_tags_and_checks_without_storing(shared_store, digest):
    items = read_items([str(digest)])
    assert len(items) >= 40
    checked = check_items(shared_store, items)
    verdicts = [v for c in checked for v in c.verdicts]
    assert verdicts and {v.verdict for v in verdicts} <= {
        "consistent", "differs", "other year", "different definition", "no data"
    }  # fmt: skip
    for v in verdicts:
        if (
            v.verdict in ("consistent", "differs", "different definition")
            and v.data_value is not None
        ):
            assert v.source and v.edition and v.sha256, v
    assert not shared_store.news()  # nothing stored by a check


def test_add_twice_adds_nothing_and_lists(shared_store, digest, module_home, run_cli):
    result = run_cli("news", "add", digest, home=module_home)
    assert result.returncode == 0, result.stderr
    added = int(result.stdout.split()[0])
    assert added >= 40
    again = run_cli("news", "add", digest, home=module_home)
    assert again.returncode == 0 and again.stdout.startswith("0 items added"), again.stdout
    # a fresh process: this one already holds the old store file open (DuckDB caches it)
    listed_all = run_cli("news", "list", "--limit", "500", home=module_home)
    assert listed_all.returncode == 0
    listed = run_cli("news", "list", "--geo", "MDA", home=module_home)
    assert listed.returncode == 0 and "MDA" in listed.stdout
    checked = run_cli("news", "check", digest, "--format", "json", home=module_home)
    assert checked.returncode == 0, checked.stderr
    data = json.loads(checked.stdout)
    assert len(data) == len(read_items([str(digest)]))


def test_news_in_api_pages_and_profiles(shared_store, module_home, digest, run_cli, tmp_path):
    import shutil

    from fastapi.testclient import TestClient

    from migprofile.web import create_app

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(module_home / "migprofile.duckdb", home / "migprofile.duckdb")
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Moldova <script>alert(1)</script> remittances news\n"
        "Remittances to the Republic of Moldova reached US$ 2.17 billion in 2022, "
        "the <b>World Bank</b> said.\n",
        encoding="utf-8",
    )
    for src in (digest, hostile):
        result = run_cli("news", "add", src, home=home)
        assert result.returncode == 0, result.stderr
    client = TestClient(create_app(home / "migprofile.duckdb"))
    api = client.get("/api/news", params={"geo": "MDA"}).json()
    assert api["geo"] == "MDA" and api["items"]
    assert all(any(t["value"] == "MDA" for t in i["tags"]) for i in api["items"])
    themed = client.get("/api/news", params={"theme": "remittances"}).json()["items"]
    assert themed and all(any(t["value"] == "remittances" for t in i["tags"]) for i in themed)
    page = client.get("/news", params={"geo": "MDA"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    profile = client.get("/api/profiles/MDA").json()
    assert profile["news"] and all("verdict" in f for n in profile["news"] for f in n["figures"])
    country = client.get("/country/MDA")
    assert "In the news" in country.text and "<script>alert(1)</script>" not in country.text


def test_check_as_html_highlights_every_checked_figure(
    shared_store, module_home, run_cli, tmp_path
):
    from migprofile.indicators import observations

    rows = observations(shared_store, "remittances_received_pct_gdp", "ARM").to_pylist()
    latest = max((r for r in rows if r["value"] is not None), key=lambda r: r["year"])
    article = tmp_path / "article.txt"
    article.write_text(
        "Remittances in the South Caucasus\n\n"
        f"In {latest['year']}, remittances reached {latest['value']:.1f}% of GDP in Armenia, "
        "the ministry said. <script>alert('x')</script> & more.\n",
        encoding="utf-8",
    )
    result = run_cli("news", "check", article, "--format", "html", home=module_home)
    assert result.returncode == 0, result.stderr
    page = result.stdout
    assert page.startswith("<!doctype html>") and "<script" not in page  # escaped, no script
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; more." in page
    assert '<mark class="v-consistent"' in page and f"{latest['value']:.1f}%" in page
    # the evidence beside it: indicator, country, year and the cell
    assert "remittances_received_pct_gdp" in page and ">ARM<" in page
    assert str(latest["year"]) in page and "Data!" in page
    assert "http://" not in page and "https://" not in page  # self-contained, offline

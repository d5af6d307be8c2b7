"""One edition per series (issue 12, item 1), on the real files: `get emigrant_stock MDA`
returns one edition for every year, and the other edition stays reachable."""

from __future__ import annotations

import json

from conftest import run_migprofile


def _get(home, *args):
    done = run_migprofile("get", *args, "--format", "json", home=home)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_emigrants_of_moldova_come_from_one_edition(shared_store_copy):
    home = shared_store_copy.parent
    rows = _get(home, "emigrant_stock", "MDA")
    assert {(r["edition"]) for r in rows} == {"2020"}
    assert [r["year"] for r in rows] == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    by_year = {r["year"]: r["value"] for r in rows}
    assert by_year[2015] == 929_759  # the 2020 edition's 2015, not Rev.2015's 888,610
    assert 2017 not in by_year  # the modelled World Bank matrix never fills it
    old = _get(home, "emigrant_stock", "MDA", "--edition", "2015", "--source", "undesa_ims_origin")
    assert [(r["year"], r["value"]) for r in old] == [(2015, 888_610)]


def test_a_year_the_chosen_edition_lacks_is_missing(shared_store_copy):
    done = run_migprofile(
        "get", "emigrant_stock", "MDA", "--year", "2017", home=shared_store_copy.parent
    )
    assert "no data" in (done.stdout + done.stderr)


def test_revisions_are_their_own_figure(shared_store):
    """The other edition is shown as a revision, never as a point of the main line."""
    from migprofile.profiles.build import ProfileBuilder
    from migprofile.render.html import render_html

    profile = ProfileBuilder(shared_store).build("MDA")
    rev = next(r for r in profile.revisions if r.indicator == "emigrant_stock")
    assert (rev.year, rev.old_value, rev.new_value) == (2015, 888_610, 929_759)
    assert (rev.old_edition, rev.new_edition) == ("2015", "2020")
    html = render_html(profile)
    assert "2020 revised 2015 from 888,610 (UN DESA 2015) to 929,759." in html

"""Geography: names and codes to geo ids, footnote marks, look-alike names, aggregates and the
region's groupings, and the `migprofile geo resolve` command."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from migprofile.cli import app
from migprofile.errors import UnknownGeoError
from migprofile.geo import build_harmoniser, clean_name, name_key


@pytest.fixture(scope="module")
def h():
    return build_harmoniser()


@pytest.mark.parametrize(
    ("name", "geo"),
    [
        ("Republic of Moldova*", "MDA"),
        ("Republic of Moldova", "MDA"),
        ("Moldova", "MDA"),
        ("Kyrgyz Republic", "KGZ"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Côte d’Ivoire", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d'Ivoire", "CIV"),
        ("Kosovo (under UNSC res. 1244)", "XKX"),
        ("Kosovo (under UNSC Resolution 1244)", "XKX"),
        ("Channel Islands", "CHI"),
        ("Channel Islands*", "CHI"),
        ("Serbia *", "SRB"),
        ("Serbia*", "SRB"),
        ("Sudan (3)", "SDN"),
        ("South Sudan", "SSD"),
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Niger (1)", "NER"),
        ("Dominica", "DMA"),
        ("Dominican Republic", "DOM"),
        ("Dominica*", "DMA"),
        ("Guinea", "GIN"),
        ("Guinea*", "GIN"),
        ("Guinea-Bissau", "GNB"),
        ("Guinea Bissau", "GNB"),
        ("Equatorial Guinea", "GNQ"),
        ("Papua New Guinea", "PNG"),
        ("Micronesia (Fed. States of)", "FSM"),
        ("Micronesia (Federated States of)", "FSM"),
        ("Micronesia, Fed. Sts.", "FSM"),
        ("Russian Federation", "RUS"),
        ("Ukraine*", "UKR"),
        ("China, Hong Kong SAR", "HKG"),
        ("Saint Martin (French part)*", "MAF"),
        ("Sint Maarten (Dutch part)", "SXM"),
        ("  Republic  of\u00a0Moldova ", "MDA"),
    ],
)
def test_resolve_country_names(h, name, geo):
    assert h.resolve_name(name) == geo
    assert h.entries[geo].kind == "country"


@pytest.mark.parametrize(
    ("name", "geo"),
    [
        ("Micronesia", "micronesia"),
        ("Micronesia*", "micronesia"),
        ("WORLD", "world"),
        ("World", "world"),
        ("Eastern Europe", "eastern-europe"),
        ("Sub-Saharan Africa", "sub-saharan-africa"),
        ("Australia/New Zealand", "australia-and-new-zealand"),
        ("Europe and Northern America", "europe-and-northern-america"),
    ],
)
def test_resolve_aggregate_names(h, name, geo):
    assert h.resolve_name(name) == geo
    assert h.resolve_aggregate_name(name) == geo
    assert h.entries[geo].kind == "aggregate"


def test_micronesia_region_is_not_the_country(h):
    assert h.resolve_name("Micronesia") == "micronesia"
    assert h.resolve_name("Micronesia (Fed. States of)") == "FSM"
    assert "FSM" in h.members["micronesia"]
    assert h.entries["micronesia"].m49 == 57
    # the aggregate-only lookup never returns a country
    assert h.resolve_aggregate_name("Micronesia (Fed. States of)") is None
    assert h.resolve_aggregate_name("Republic of Moldova") is None


def test_clean_name_and_key():
    assert clean_name("Republic of Moldova*") == "Republic of Moldova"
    assert clean_name("Sudan (3)") == "Sudan"
    assert clean_name("Serbia *") == "Serbia"
    assert clean_name("Côte d’Ivoire") == "Côte d'Ivoire"
    assert name_key("Côte d’Ivoire") == name_key("Cote d'Ivoire") == "cote d ivoire"
    assert name_key("Kosovo (under UNSC res. 1244)") == "kosovo under unsc res 1244"


@pytest.mark.parametrize("name", ["Atlantis", "Narnia*", "Republic of Nowhere"])
def test_unknown_name_is_an_error(h, name):
    with pytest.raises(UnknownGeoError) as exc:
        h.resolve_name(name)
    assert exc.value.name == clean_name(name)
    assert clean_name(name) in str(exc.value)


def test_empty_name_is_an_error(h):
    with pytest.raises(UnknownGeoError, match="empty name"):
        h.resolve_name(" * ")


def test_name_naming_two_countries_is_an_error_with_both_suggested(h):
    with pytest.raises(UnknownGeoError, match=r"did you mean (Serbia or Kosovo|Kosovo or Serbia)"):
        h.resolve_name("Serbia and Kosovo: S/RES/1244 (1999)")


def test_non_country_partners_from_the_source_mapping(h):
    mapping = {"other north": "other-north", "other south": "other-south"}
    assert h.resolve_name("Other North", mapping) == "other-north"
    assert h.entries["other-north"].kind == "other"
    with pytest.raises(UnknownGeoError):
        h.resolve_name("Other North")


def test_codes(h):
    assert h.country_by_m49(498) == "MDA"
    assert h.country_by_m49("498.0") == "MDA"
    assert h.country_by_m49(830) == "CHI"
    assert h.country_by_m49(900) is None  # WORLD is not a country
    assert h.country_by_m49("not a code") is None
    assert h.country_by_iso3(" mda ") == "MDA"
    assert h.country_by_iso3("ECS") is None
    assert h.entries["XKX"].m49 is None  # UN DESA counts Kosovo in Serbia


@pytest.mark.parametrize(
    ("group", "members"),
    [
        ("south-caucasus", {"ARM", "AZE", "GEO"}),
        ("central-asia", {"KAZ", "KGZ", "TJK", "TKM", "UZB"}),
        ("eastern-partnership", {"ARM", "AZE", "BLR", "GEO", "MDA", "UKR"}),
        ("western-balkans", {"ALB", "BIH", "MNE", "MKD", "SRB", "XKX"}),
    ],
)
def test_groupings(h, group, members):
    assert h.members[group] == members
    assert "grouping" in h.entries[group].group_type.split("+")


def test_central_asia_is_region_and_grouping(h):
    assert h.entries["central-asia"].group_type == "m49_subregion+grouping"
    assert h.entries["central-asia"].m49 == 143


def test_m49_and_sdg_regions(h):
    assert {"MDA", "RUS", "UKR", "BLR"} <= h.members["eastern-europe"]
    assert "GEO" not in h.members["eastern-europe"]
    assert {"MDA", "USA", "CAN"} <= h.members["europe-and-northern-america"]
    assert h.members["sub-saharan-africa"] == (
        h.members["eastern-africa"]
        | h.members["middle-africa"]
        | h.members["southern-africa"]
        | h.members["western-africa"]
    )
    assert {"MDA", "XKX", "CHI"} <= h.members["world"]


def test_micronesia_contains_nauru(h):
    assert "NRU" in h.members["micronesia"]
    assert "NRU" not in h.members["polynesia"]


def test_subregion_members_belong_to_their_region(h):
    assert h.members["australia-and-new-zealand"] <= h.members["oceania"]


def test_development_group_is_not_taken_for_china(h):
    try:
        geo = h.resolve_name("Less developed regions, excluding China")
    except UnknownGeoError:
        return
    assert geo != "CHN"


# --- the CLI -----------------------------------------------------------------------------------


def test_cli_geo_resolve():
    names = ["Republic of Moldova*", "Kyrgyz Republic", "Türkiye", "Côte d’Ivoire", "MDA"]
    result = CliRunner().invoke(app, ["geo", "resolve", *names])
    assert result.exit_code == 0, result.output
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(n, g) for n, g, _ in lines] == [
        ("Republic of Moldova*", "MDA"),
        ("Kyrgyz Republic", "KGZ"),
        ("Türkiye", "TUR"),
        ("Côte d’Ivoire", "CIV"),
        ("MDA", "MDA"),
    ]
    assert lines[0][2] == "Republic of Moldova"


def test_cli_geo_resolve_unknown_name_fails():
    result = CliRunner().invoke(app, ["geo", "resolve", "Turkey", "Atlantis"])
    assert result.exit_code == 1
    assert "Turkey\tTUR\t" in result.stdout
    assert "Atlantis" in result.output
    assert "unknown country or area name 'Atlantis'" in result.output

"""Derived figures on paper: the formula moves out of the table into a note at the end.

A figure computed from two others (a share, a rate, a per-person value, a change since the
previous estimate) carries its working in its cell note ('100.0 * a / (a + b) with a =
emigrant_stock 812,653, b = population 2,635,130'). That is right for the data, wrong for a
table a ministry reads: the printed faces (PDF, Markdown) show a short reference in the
table and say in words, in an appendix "How the figures are derived", what was computed from
what. Which figures are derived comes from the indicator catalogue, not from the note's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from migprofile.indicators.catalogue import Indicator, lookup
from migprofile.indicators.regions import region_formula
from migprofile.profiles.model import Figure, Profile
from migprofile.wording import _, exact, figure_label, figure_year, sex_name, with_unit

__all__ = ["Derivation", "derivations", "table_cell"]

# a number as data_note writes it in any language: 812,653 · 812 653 · 2.5 · -8,744
_NUMBER = r"[-−]?\d[\d.,\u00a0\u202f']*"
_CHANGE = re.compile(rf"(\d{{4}})\D+?({_NUMBER})\s*\((.+?)\)\D*?({_NUMBER})\s*$")


@dataclass(frozen=True)
class Derivation:
    number: int  # the note's number, as the table refers to it
    label: str  # the figure's row label
    year: str
    value: str
    text: str  # what was computed from what, in words
    region: bool = False  # computed over a region's members' sums


def _formula(f: Figure, region: bool) -> tuple[str, str, str] | None:
    """(formula, a, b) the figure was computed by, components as 'id' or 'id/sex'."""
    ind = _indicator(f)
    if ind is None:
        return None
    if region:
        return region_formula(ind)
    if ind.derivation == "formula" and ind.formula and len(ind.components) == 2:
        return (ind.formula, ind.components[0], ind.components[1])
    return None


def _indicator(f: Figure) -> Indicator | None:
    try:
        return lookup(f.indicator)
    except Exception:  # an indicator the catalogue does not know (a user's import)
        return None


def _derived_kind(f: Figure, region: bool) -> str:
    """'formula' or 'change' for a figure computed from others, else ''."""
    if _formula(f, region) is not None:
        return "formula"
    ind = _indicator(f)
    return "change" if ind is not None and ind.derivation == "change" else ""


def _parts(f: Figure) -> list[str]:
    """The figure's cell and note, each piece once ('; ' joins them in figure_cell)."""
    out: list[str] = []
    for text in (f.cell, f.note):
        for part in (text or "").split("; "):
            if part and part not in out:
                out.append(part)
    return out


def _component_pattern(spec: str) -> str:
    """A component as the working writes it: its id (with '/sex'), then its value."""
    return rf"(?<![\w/]){re.escape(spec)}\s+({_NUMBER})"


def _is_working(f: Figure, part: str, region: bool) -> bool:
    """A piece of the note that is the working: a formula names its components by id, a
    change gives the earlier year and value ('change since 2020: 812,653 (…) to 864,257')."""
    kind = _derived_kind(f, region)
    if kind == "change":
        return bool(_CHANGE.search(part))
    formula = _formula(f, region)
    return formula is not None and any(re.search(_component_pattern(c), part) for c in formula[1:])


def _tidy_number(text: str) -> str:
    text = text.rstrip(".,'\u00a0\u202f")
    plain = text.replace(",", "").replace("\u00a0", "").replace("\u202f", "").replace("'", "")
    if re.fullmatch(r"-?\d+", plain) and len(plain.lstrip("-")) > 4 and "," not in text:
        # a members' sum is written with no separators: give it the table's form
        return exact(float(plain))
    return text


def _formula_words(formula: str) -> str:
    """'100.0 * a / (a + b)' as a reader writes it: '100 × a / (a + b)'."""
    text = re.sub(r"(\d+)\.0\b", r"\1", formula)
    text = re.sub(r"\b(\d{4,})\b", lambda m: exact(float(m.group(1))), text)
    return text.replace("*", "×").replace(" - ", " − ")


def _component_name(spec: str) -> str:
    ident, _slash, sex = spec.partition("/")
    title = lookup(ident).display_title()
    name = sex_name(sex) if sex else ""
    return _("{label} — {sex}").format(label=title, sex=name) if name else title


def _formula_text(formula: tuple[str, str, str], working: str, region: bool) -> str:
    terms = []
    for letter, spec in zip(("a", "b"), formula[1:], strict=True):
        m = re.search(_component_pattern(spec), working)
        name = _component_name(spec)
        if m:
            value = _tidy_number(m.group(1))
            terms.append(
                _("{letter} is {name} ({value})").format(letter=letter, name=name, value=value)
            )
        else:
            terms.append(_("{letter} is {name}").format(letter=letter, name=name))
    text = _("Computed as {formula}, where {terms}.").format(
        formula=_formula_words(formula[0]), terms=_(" and ").join(terms)
    )
    if region:
        text += " " + _("Both are sums over the member countries that report.")
    return text


def _change_text(f: Figure, working: str) -> str:
    ind = lookup(f.indicator)
    base = lookup(ind.derived_from or "").display_title()
    m = _CHANGE.search(working)
    if not m:
        return _("The change in {base} since the previous estimate: {working}.").format(
            base=base, working=working
        )
    year, old, source, new = m.groups()
    return _(
        "{base} in {year_new} ({new}) minus {base} in {year} ({old}, {source}): the previous "
        "estimate in the same series."
    ).format(
        base=base,
        year_new=f.year if f.year is not None else "",
        new=_tidy_number(new),
        year=year,
        old=_tidy_number(old),
        source=source,
    )


def derivations(profile: Profile) -> dict[int, Derivation]:
    """The derived figures of the profile's section tables, keyed by id(figure), numbered in
    the order the tables show them."""
    out: dict[int, Derivation] = {}
    region = profile.kind == "region"
    for section in profile.sections:
        for f in section.figures:
            kind = _derived_kind(f, region)
            if not kind or f.value is None:
                continue
            working = "; ".join(p for p in _parts(f) if _is_working(f, p, region))
            if not working:
                continue
            formula = _formula(f, region)
            if formula is not None:
                text = _formula_text(formula, working, region)
            else:
                text = _change_text(f, working)
            out[id(f)] = Derivation(
                len(out) + 1,
                figure_label(f),
                figure_year(f),
                with_unit(f.value, f.unit),
                text,
                region,
            )
    return out


def table_cell(f: Figure, found: dict[int, Derivation]) -> str:
    """The table's cell column for a figure: where it is in the file, or for a derived figure
    the pieces that are not its working and a pointer to the note at the end."""
    d = found.get(id(f))
    parts = _parts(f)
    if d is None:
        return "; ".join(parts)
    kept = [p for p in parts if not _is_working(f, p, d.region)]
    kept.append(_("derived: see note {n} in “How the figures are derived”").format(n=d.number))
    return "; ".join(kept)

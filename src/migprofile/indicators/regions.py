"""A region's line from its member countries' values, from one edition per component, with
coverage.

Profiles, `get`, the Python API and the web API all compute a region here, so a region's figure
is the same on every face:
- counts and amounts (additive indicators) are the members' sum;
- shares and rates are their formula applied to the members' sums, numerator and denominator
  over the same members and year (REGION_FORMULAS, or the catalogue's own formula);
- costs and the poverty rate, which no sum gives, are means over the reporting members, stated
  as simple or population-weighted (REGION_MEANS).
Anything else is not computed for regions (`region_computable`), and says so.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from migprofile.indicators.catalogue import BY_ID, Indicator
from migprofile.sources import dataset_of, is_annual
from migprofile.wording.labels import (
    members_formula_note,
    members_mean_note,
    members_report,
    members_sum_note,
)

# member geo → its rows of an indicator (every sex), for the members asked
MemberRows = Mapping[str, Sequence[dict]]

# Shares a publisher gives per country but not per region: the formula over the members' sums.
# A component 'indicator/sex' takes that sex's series (the female share of immigrants).
REGION_FORMULAS: dict[str, tuple[str, str, str]] = {
    "remittances_received_pct_gdp": ("100.0 * a / b", "remittances_received_usd", "gdp_usd"),
    "immigrant_pct_population": ("100.0 * a / b", "immigrant_stock", "population"),
    "immigrant_female_pct": ("100.0 * a / b", "immigrant_stock/female", "immigrant_stock"),
    "gdp_per_capita_usd": ("a / b", "gdp_usd", "population"),
}

# Figures no sum gives: the mean over the reporting members, unweighted (None) or weighted by
# another indicator. A corridor's cost is not scaled by anyone's size, so costs take the simple
# mean; the poverty rate weighted by population is the share of the members' people below the
# line.
REGION_MEANS: dict[str, str | None] = {
    "remittance_cost_to_pct": None,
    "remittance_cost_from_pct": None,
    "poverty_headcount_pct": "population",
}


def region_formula(ind: Indicator) -> tuple[str, str, str] | None:
    """(formula, a, b) a region's value is computed by from its members' sums, or None."""
    if ind.id in REGION_FORMULAS:
        return REGION_FORMULAS[ind.id]
    if ind.derivation == "formula" and ind.formula and len(ind.components) == 2:
        return (ind.formula, *ind.components)
    return None


def region_computable(ind: Indicator) -> bool:
    """Whether migprofile computes this indicator for a region from its members."""
    return ind.additive or region_formula(ind) is not None or ind.id in REGION_MEANS


def components_of(ind: Indicator) -> list[str]:
    """The indicator ids a region's value of `ind` is computed from (itself when summed)."""
    if ind.additive:
        return [ind.id]
    formula = region_formula(ind)
    if formula is not None:
        return [_spec(formula[1])[0], _spec(formula[2])[0]]
    weight = REGION_MEANS.get(ind.id)
    if ind.id in REGION_MEANS:
        return [ind.id, *([weight] if weight else [])]
    return []


def region_rows(
    ind: Indicator, region: str, rows_of: Callable[[str], MemberRows], members: Sequence[str]
) -> list[dict]:
    """The region's rows (annual, sex total), each with `coverage` and `reporting`; [] when the
    indicator is not computed for regions. `rows_of(indicator_id)` gives the members' rows."""
    if ind.additive:
        return region_line(ind, region, rows_of(ind.id), members)
    formula = region_formula(ind)
    if formula is not None:
        return region_ratio(ind, region, formula, rows_of, members)
    if ind.id in REGION_MEANS:
        return region_mean(ind, region, REGION_MEANS[ind.id], rows_of, members)
    return []


def member_values(
    ind: Indicator, member_rows: MemberRows, members: Sequence[str], sex: str = "total"
) -> tuple[tuple[str, str] | None, dict[int, dict[str, dict]]]:
    """(dataset, edition) chosen and year → member → row, annual values of `sex`.

    One edition for the whole line: the dataset edition most members' series come from (ties:
    the preferred source's, then the latest edition); members whose series is another edition
    count as not reporting, so nothing is summed across editions."""
    usable = {
        m: [
            r
            for r in member_rows.get(m, ())
            if r["sex"] == sex and r["value"] is not None and is_annual(r["period"])
        ]
        for m in members
    }
    covers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m, rows in usable.items():
        for r in rows:
            covers[(dataset_of(r["source"]), r["edition"])].add(m)
    if not covers:
        return None, {}
    order = {dataset_of(s): n for n, s in reversed(list(enumerate(ind.sources)))}
    chosen = max(covers, key=lambda de: (len(covers[de]), -order.get(de[0], 99), de[1]))
    by_year: dict[int, dict[str, dict]] = defaultdict(dict)
    for m in members:
        for r in usable[m]:
            if (dataset_of(r["source"]), r["edition"]) == chosen:
                by_year[r["year"]][m] = r
    return chosen, by_year


def region_line(
    ind: Indicator, region: str, member_rows: MemberRows, members: Sequence[str]
) -> list[dict]:
    """An additive indicator: the members' sum per year the chosen edition has."""
    _, by_year = member_values(ind, member_rows, members)
    out = []
    for year in sorted(by_year):
        rows = [by_year[year][m] for m in members if m in by_year[year]]
        reporting = sorted(r["geo"] for r in rows)
        value = math.fsum(r["value"] for r in rows)
        out.append(
            _row(ind, region, year, value, rows, members, reporting,
                 members_sum_note(len(rows), reporting), unit=rows[0]["unit"])
        )  # fmt: skip
    return out


def region_ratio(
    ind: Indicator,
    region: str,
    formula: tuple[str, str, str],
    rows_of: Callable[[str], MemberRows],
    members: Sequence[str],
) -> list[dict]:
    """A share or rate: the formula over the sums of the members reporting both parts that
    year (numerator and denominator over the same members and year)."""
    expr, a_spec, b_spec = formula
    (a_id, a_sex), (b_id, b_sex) = _spec(a_spec), _spec(b_spec)
    _, a = member_values(BY_ID[a_id], rows_of(a_id), members, a_sex)
    _, b = member_values(BY_ID[b_id], rows_of(b_id), members, b_sex)
    out = []
    for year in sorted(a.keys() & b.keys()):
        common = [m for m in members if m in a[year] and m in b[year]]
        if not common:
            continue
        a_sum = math.fsum(a[year][m]["value"] for m in common)
        b_sum = math.fsum(b[year][m]["value"] for m in common)
        if not b_sum:
            continue
        rows = [a[year][m] for m in common] + [b[year][m] for m in common]
        note = members_formula_note(expr, a_spec, a_sum, b_spec, b_sum)
        note += "; " + members_sum_note(len(common), common)
        out.append(
            _row(ind, region, year, apply_formula(expr, a_sum, b_sum), rows, members, common, note)
        )
    return out


def region_mean(
    ind: Indicator,
    region: str,
    weight_id: str | None,
    rows_of: Callable[[str], MemberRows],
    members: Sequence[str],
) -> list[dict]:
    """The mean of the reporting members' values, simple or weighted by `weight_id`."""
    _, values = member_values(ind, rows_of(ind.id), members)
    weights: dict[int, dict[str, dict]] = {}
    if weight_id:
        _, weights = member_values(BY_ID[weight_id], rows_of(weight_id), members)
    out = []
    for year in sorted(values):
        if weight_id:
            common = [m for m in members if m in values[year] and m in weights.get(year, {})]
            total = math.fsum(weights[year][m]["value"] for m in common)
            if not common or not total:
                continue
            value = (
                math.fsum(values[year][m]["value"] * weights[year][m]["value"] for m in common)
                / total
            )
            rows = [values[year][m] for m in common] + [weights[year][m] for m in common]
        else:
            common = [m for m in members if m in values[year]]
            rows = [values[year][m] for m in common]
            value = math.fsum(r["value"] for r in rows) / len(rows)
        note = members_mean_note(len(common), common, weight_id)
        out.append(_row(ind, region, year, value, rows, members, common, note))
    return out


def apply_formula(expr: str, a: float, b: float) -> float:
    """The catalogue's formulas use only a, b, numbers and + - * / ( )."""
    if not re.fullmatch(r"[\dab+\-*/(). ]+", expr):
        raise ValueError(f"unsupported formula {expr!r}")
    return float(eval(expr, {"__builtins__": {}}, {"a": a, "b": b}))


def _spec(text: str) -> tuple[str, str]:
    """'immigrant_stock/female' → ('immigrant_stock', 'female'); a bare id is the total."""
    ind_id, _, sex = text.partition("/")
    return ind_id, sex or "total"


def _row(
    ind: Indicator,
    region: str,
    year: int,
    value: float,
    rows: Sequence[dict],
    members: Sequence[str],
    reporting: Sequence[str],
    note: str,
    unit: str | None = None,
) -> dict:
    """A region's row, naming every source, edition, file and hash its value came from."""
    missing = [m for m in members if m not in reporting]
    # source and edition side by side ('wdi + undesa_ims_destination', '2023-05-10 + 2020'),
    # so a citation names each source with its own edition
    pairs = sorted({(r["source"], r["edition"]) for r in rows})
    return {
        "indicator": ind.id, "geo": region, "partner": "", "year": year, "period": "",
        "sex": "total", "age": "", "value": value, "unit": unit or ind.unit,
        "source": " + ".join(s for s, _ in pairs),
        "edition": " + ".join(e for _, e in pairs),
        "sha256": " + ".join(sorted({r["sha256"] for r in rows})),
        "file_name": " + ".join(sorted({r.get("file_name") or "" for r in rows})),
        "sheet": None, "row": None, "col": None, "note": note,
        "vintage_id": rows[0].get("vintage_id"),
        "coverage": members_report(len(reporting), len(members), missing),
        "reporting": list(reporting),
    }  # fmt: skip

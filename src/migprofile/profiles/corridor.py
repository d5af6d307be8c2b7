"""A corridor: what the sources say about one pair of countries, money sent from one to the other.

`build_corridor(store, origin, destination)` gathers, every value a cited Figure (the profile
model's, so the renderers reuse their code):

- the migrants both ways: born in the origin living in the destination, and the reverse
  (UN DESA, or the World Bank matrix; a series over the years published);
- the remittances the World Bank/KNOMAD model for origin → destination and the reverse
  (estimates, marked modelled);
- the cost of sending US$200 and US$500 from the origin to the destination (Remittance Prices
  Worldwide), by year (the mean of the year's quarters) and by quarter, and the reverse;
- where the RPW provider file is ingested, that cost through digital-only vs cash services and
  by type of firm, in the latest quarter;
- for context, the cost of sending US$200 to the destination from every sending country in the
  corridor's latest year.

Orientation is the catalogue's: for a pair indicator geo = destination (receiving country),
partner = origin (sending country): the cost "from RUS to MDA" is geo=MDA, partner=RUS.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from migprofile.errors import UsageError
from migprofile.indicators import BY_ID, query_for
from migprofile.profiles.build import ProfileBuilder
from migprofile.profiles.model import Figure, Series
from migprofile.sources import is_annual
from migprofile.store import Store
from migprofile.wording import _

# The RPW provider file's breakdowns shown on a corridor (latest quarter each).
BREAKDOWNS = (
    "rpw_cost_200_digital_pct",
    "rpw_cost_200_cash_pct",
    "rpw_cost_500_digital_pct",
    "rpw_cost_500_cash_pct",
    "rpw_cost_200_firm_bank_pct",
    "rpw_cost_200_firm_mto_pct",
    "rpw_cost_200_firm_post_pct",
    "rpw_cost_200_firm_mno_pct",
    "rpw_cost_200_firm_other_pct",
)
COST_200 = "remittance_cost_corridor_pct"
COST_500 = "remittance_cost_corridor_500_pct"
SDG_TARGET_PCT = 3.0  # SDG 10.c: remittance costs below 3% by 2030


@dataclass
class Corridor:
    """Money sent from `origin` to `destination`, the migrants both ways, what sending costs."""

    origin: str
    destination: str
    origin_name: str
    destination_name: str
    stock: Series  # born in origin, living in destination (geo = destination, partner = origin)
    stock_back: Series  # born in destination, living in origin
    remittances: Series  # origin → destination (modelled)
    remittances_back: Series  # destination → origin (modelled)
    cost_200: Series  # origin → destination, by year (mean of the year's quarters)
    cost_200_quarters: Series
    cost_500: Series
    cost_500_quarters: Series
    cost_200_back: Series  # destination → origin, by year
    breakdowns: list[Figure] = field(default_factory=list)  # RPW provider file, latest quarter
    # the cost of sending US$200 to the destination from each sending country, in the year of
    # this corridor's latest cost (this corridor among them)
    other_senders: list[Figure] = field(default_factory=list)
    other_senders_year: int | None = None
    files: dict[str, str] = field(default_factory=dict)  # sha256 → the publisher's file name

    def series(self) -> list[Series]:
        return [
            self.stock, self.stock_back, self.remittances, self.remittances_back, self.cost_200,
            self.cost_200_quarters, self.cost_500, self.cost_500_quarters, self.cost_200_back,
        ]  # fmt: skip

    def all_figures(self) -> list[Figure]:
        out = [p for s in self.series() for p in s.points]
        return out + self.breakdowns + self.other_senders

    def is_empty(self) -> bool:
        return not self.all_figures()

    def to_dict(self) -> dict:
        return asdict(self)


def build_corridor(store: Store, origin: str, destination: str) -> Corridor:
    """The corridor from `origin` to `destination` (ISO3, M49 or names); UsageError naming the
    parameter for an unknown geo, a geo that is not a country, or the same country twice."""
    builder = ProfileBuilder(store)
    origin_id = store.resolve_geo(origin, parameter="ORIGIN")
    destination_id = store.resolve_geo(destination, parameter="DESTINATION")
    return corridor_from(builder, origin_id, destination_id)


def check_pair(builder: ProfileBuilder, origin: str, destination: str) -> None:
    """UsageError unless both are countries of the store and not the same one."""
    for parameter, geo in (("ORIGIN", origin), ("DESTINATION", destination)):
        entry = builder.geo.get(geo)
        if entry is None or entry.get("kind") != "country":
            raise UsageError(
                _("{parameter}: {geo} is not a country of the store's geography").format(
                    parameter=parameter, geo=repr(geo)
                )
            )
    if origin == destination:
        raise UsageError(
            _("DESTINATION: {geo} is also the origin; a corridor joins two countries").format(
                geo=repr(destination)
            )
        )


def corridor_from(builder: ProfileBuilder, origin: str, destination: str) -> Corridor:
    """The corridor read with an existing builder (its citations and names); geo ids resolved."""
    check_pair(builder, origin, destination)
    files: dict[str, str] = {}

    def read(indicator: str, geo: str, partner: str, period: str | None = None) -> list[dict]:
        sql, args = query_for(
            indicator, geo=geo, partner=partner, year=None, sex="total", source=None,
            edition=None, period=period,
        )  # fmt: skip
        rows = [r for r in builder.store.query_dicts(sql, args) if r["value"] is not None]
        for r in rows:
            if r.get("sha256") and r.get("file_name"):
                files[r["sha256"]] = r["file_name"]
        return rows

    def figure(row: dict) -> Figure:
        fig = builder.figure(row)
        period = row.get("period") or ""
        if (
            not row.get("sheet")
            and row.get("row") is not None
            and row.get("col")
            and ("Q" in period)
        ):
            # a quarter of a CSV: its line and the quarter's column
            fig.cell = _("line {row}, column {col}").format(row=row["row"], col=row["col"])
        return fig

    def series(indicator: str, label: str, geo: str, partner: str, *, quarters: bool = False):
        rows = read(indicator, geo, partner, "all" if quarters else None)
        if quarters:
            rows = [r for r in rows if not is_annual(r.get("period"))]
        points = sorted((figure(r) for r in rows), key=lambda f: (f.year or 0, f.period))
        return Series(indicator, label, BY_ID[indicator].unit, points)

    o_name, d_name = builder.name_in_text(origin), builder.name_in_text(destination)
    names = {"origin": o_name, "destination": d_name}
    born = _("Born in {origin}, living in {destination}")
    stock = series("migrant_stock", born.format(**names), destination, origin)
    stock_back = series(
        "migrant_stock", born.format(origin=d_name, destination=o_name), origin, destination
    )
    sent = _("Remittances from {origin} to {destination} (modelled)")
    remittances = series("remittances_bilateral_usd", sent.format(**names), destination, origin)
    remittances_back = series(
        "remittances_bilateral_usd",
        sent.format(origin=d_name, destination=o_name),
        origin,
        destination,
    )
    cost = _("Cost of sending {amount} from {origin} to {destination}")
    by_quarter = _("Cost of sending {amount} from {origin} to {destination}, by quarter")
    usd200, usd500 = _("US$200"), _("US$500")
    cost_200 = series(COST_200, cost.format(amount=usd200, **names), destination, origin)
    cost_200_q = series(
        COST_200, by_quarter.format(amount=usd200, **names), destination, origin, quarters=True
    )
    cost_500 = series(COST_500, cost.format(amount=usd500, **names), destination, origin)
    cost_500_q = series(
        COST_500, by_quarter.format(amount=usd500, **names), destination, origin, quarters=True
    )
    cost_back = series(
        COST_200,
        cost.format(amount=usd200, origin=d_name, destination=o_name),
        origin,
        destination,
    )
    breakdowns = []
    for ind_id in BREAKDOWNS:
        rows = read(ind_id, destination, origin, "all")
        if rows:
            latest = max(rows, key=lambda r: (r["year"], r.get("period") or ""))
            breakdowns.append(figure(latest))

    others: list[Figure] = []
    year = cost_200.latest.year if cost_200.latest else None
    if year is not None:
        for r in builder.rows(COST_200, destination):
            partner_kind = builder.geo.get(r["partner"], {}).get("kind")
            if (
                r["year"] == year
                and r["sex"] == "total"
                and r["value"] is not None
                and (partner_kind == "country")
            ):
                others.append(figure(r))
                if r.get("sha256") and r.get("file_name"):
                    files[r["sha256"]] = r["file_name"]
        others.sort(key=lambda f: (f.value or 0.0, f.partner))

    return Corridor(
        origin=origin,
        destination=destination,
        origin_name=builder.name(origin),
        destination_name=builder.name(destination),
        stock=stock,
        stock_back=stock_back,
        remittances=remittances,
        remittances_back=remittances_back,
        cost_200=cost_200,
        cost_200_quarters=cost_200_q,
        cost_500=cost_500,
        cost_500_quarters=cost_500_q,
        cost_200_back=cost_back,
        breakdowns=breakdowns,
        other_senders=others,
        other_senders_year=year if others else None,
        files=files,
    )


def top_pairs(builder: ProfileBuilder, indicator: str, n: int = 10) -> list[Figure]:
    """A pair indicator's largest values in its latest year (latest month for monthly ones),
    country pairs only: the corridors an indicator page points to (geo = destination,
    partner = origin)."""
    ind = BY_ID[indicator]
    rows = [r for r in builder.pairs(indicator) if r["value"] and r["geo"] != r["partner"]]
    if not rows:
        return []
    monthly = ind.periods != "annual"

    def when(r: dict) -> tuple[int, str]:
        return r["year"], (r.get("period") or "") if monthly else ""

    latest = max(when(r) for r in rows)
    chosen = sorted(
        (r for r in rows if when(r) == latest), key=lambda r: (-r["value"], r["geo"], r["partner"])
    )
    return [builder.figure(r) for r in chosen[:n]]

"""Bilateral migration flows estimated from two stock tables, on NumPy arrays.

Inputs everywhere: stock tables ``s0`` and ``s1`` (n × n), rows = place of birth b, columns =
place of residence j, the native-born on the diagonal, at the start and the end of a period;
for demographic accounting also births ``B_j`` and deaths ``D_j`` in each place over the period.
Every method returns flows F (n × n), rows = origin, columns = destination, diagonal 0; the
demographic methods can also return them by birthplace, F[b, o, d].

Methods (each implemented from its equations; no code was taken from any other project):

``diff-zero``  Y = S1 − S0 with the diagonal set to 0; F = max(Y, 0): a rise in the i-born
    living in j counts as moves i → j, a fall as nothing.
``diff-return``  F[i, j] = max(Y[i, j], 0) + max(−Y[j, i], 0): a fall in the j-born living in
    i also counts, as return moves i → j.
``rates-dennett``  P = S0 with the diagonal set to 0; F = M · P / ΣP for a given world total M
    (Dennett 2016: migration follows the existing stock's pattern).
``demographic``  closed-world demographic accounting, "minimum migration" (Abel 2013; Abel &
    Sander 2014, *Science* 343:1520; Abel & Cohen 2019, *Scientific Data* 6:82):

    1. global balance: Δ = Σ(B − D) − Σ(S1 − S0); the native-born diagonal of S0 is rescaled
       to its total − Δ/2 and that of S1 to its total + Δ/2 (integers where the inputs are,
       the rounding residual on the largest cell), so that Σ S1 − Σ S0 = Σ(B − D);
    2. births leave S1 from the native-born cell of each residence (spread over the column in
       proportion where that cell is smaller than the births);
    3. deaths leave S0 in proportion within each residence column;
    4. both tables are fitted by iterative proportional fitting (IPF) to common birthplace
       totals (the mean of the two tables' row sums), each keeping its own column sums;
    5. for each birthplace b: stayers st = min(Ŝ0[b], Ŝ1[b]); out-margin o = Ŝ0[b] − st,
       in-margin d = Ŝ1[b] − st (scaled to o's total); F_b = IPF of a seed (ones with
       structural zeros on origin = destination, or a user's seed such as distances) to the
       margins o (rows) and d (columns): quasi-independence, F_b[o, d] = α_o β_d seed[o, d];
    6. F = Σ_b F_b, diagonal 0.

``demographic-independent``  steps 1–4, then F_b[o, d] = Ŝ0[b, o] · Ŝ1[b, d] / N_b for o ≠ d
    (Azose & Raftery 2019's independence model: nobody is assumed to have stayed).

IPF stops when the largest absolute change of any cell in a cycle is below ``tol`` (1e-3) or
after ``max_cycles`` (10^5) cycles; margins whose totals disagree by more than ``tol`` (relative
to the total) are an error, never silently rescaled.

Identity (checked in the tests): after step 1, the net flow into j equals the change in j's
population minus its natural increase B_j − D_j.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from migprofile.errors import UsageError
from migprofile.indicators.catalogue import FLOW_METHODS
from migprofile.wording import _

Array = NDArray[np.float64]

METHODS = FLOW_METHODS  # the catalogue's list: one list for the CLI, API and store
TOL = 1e-3
MAX_CYCLES = 100_000


class FlowError(UsageError):
    """Inputs a method cannot work with (the message names what and where)."""


@dataclass(frozen=True)
class Estimate:
    """Flows of one method: ``flows[o, d]``; ``by_birthplace[b, o, d]`` where asked for."""

    method: str
    flows: Array
    by_birthplace: Array | None = None
    cycles: int = 0  # IPF cycles of the slowest fit (0 where no IPF ran)

    @property
    def total(self) -> float:
        return float(self.flows.sum())


# -- checks ------------------------------------------------------------------------------------
def _table(name: str, value: ArrayLike) -> Array:
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise FlowError(
            _("{name}: a square table is needed (birthplace × residence), got {shape}").format(
                name=name, shape=arr.shape
            )
        )
    if not np.all(np.isfinite(arr)):
        r, c = np.argwhere(~np.isfinite(arr))[0]
        raise FlowError(
            _("{name}: missing or non-finite value at row {r}, column {c}").format(
                name=name, r=r, c=c
            )
        )
    if np.any(arr < 0):
        r, c = np.argwhere(arr < 0)[0]
        raise FlowError(
            _("{name}: negative stock {value:g} at row {r}, column {c}").format(
                name=name, value=arr[r, c], r=r, c=c
            )
        )
    return arr


def _pair(s0: ArrayLike, s1: ArrayLike) -> tuple[Array, Array]:
    a, b = _table("S0", s0), _table("S1", s1)
    if a.shape != b.shape:
        raise FlowError(
            _("S0 is {shape0} but S1 is {shape1}: the tables must match").format(
                shape0=a.shape, shape1=b.shape
            )
        )
    return a, b


def _vector(name: str, value: ArrayLike | None, n: int) -> Array:
    if value is None:
        return np.zeros(n)
    arr = np.asarray(value, dtype=np.float64).reshape(-1)
    if arr.shape != (n,):
        raise FlowError(
            _("{name}: {n} values are needed (one per place), got {count}").format(
                name=name, n=n, count=arr.size
            )
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        i = int(np.argwhere(~np.isfinite(arr) | (arr < 0))[0][0])
        raise FlowError(_("{name}: missing or negative value for place {i}").format(name=name, i=i))
    return arr


def _off_diagonal(m: Array) -> Array:
    out = m.copy()
    np.fill_diagonal(out, 0.0)
    return out


# -- stock differencing and rates --------------------------------------------------------------
def diff_zero(s0: ArrayLike, s1: ArrayLike) -> Estimate:
    """Rises in each foreign-born stock as moves from birthplace to residence."""
    a, b = _pair(s0, s1)
    y = _off_diagonal(b - a)
    return Estimate("diff-zero", np.maximum(y, 0.0))


def diff_return(s0: ArrayLike, s1: ArrayLike) -> Estimate:
    """`diff_zero` plus falls in the j-born living in i as return moves i → j."""
    a, b = _pair(s0, s1)
    y = _off_diagonal(b - a)
    return Estimate("diff-return", np.maximum(y, 0.0) + np.maximum(-y.T, 0.0))


def rates_dennett(s0: ArrayLike, total: float) -> Estimate:
    """A world total M shared out in proportion to the foreign-born stocks at the start."""
    a = _table("S0", s0)
    if not np.isfinite(total) or total < 0:
        raise FlowError(
            _("total: a non-negative world total of moves is needed, got {total}").format(
                total=total
            )
        )
    p = _off_diagonal(a)
    mass = p.sum()
    if mass <= 0:
        raise FlowError("S0: no foreign-born stock to share the total by")
    return Estimate("rates-dennett", total * p / mass)


# -- IPF ----------------------------------------------------------------------------------------
def _check_margins(what: str, rows: Array, cols: Array) -> None:
    """Row and column targets of each fit must have the same total (per fit: last axis)."""
    r, c = rows.sum(axis=-1), cols.sum(axis=-1)
    scale = np.maximum(1.0, np.maximum(np.abs(r), np.abs(c)))
    bad = np.abs(r - c) > TOL * scale
    if np.any(bad):
        i = int(np.argwhere(np.atleast_1d(bad))[0][0])
        rv, cv = np.atleast_1d(r)[i], np.atleast_1d(c)[i]
        raise FlowError(
            _("{what}: the margins' totals disagree ({rv:.6g} against {cv:.6g}) at fit {i}").format(
                what=what, rv=rv, cv=cv, i=i
            )
        )


def ipf_table(
    seed: Array, rows: Array, cols: Array, *, tol: float = TOL, max_cycles: int = MAX_CYCLES
) -> tuple[Array, int]:
    """IPF of one table to row and column totals; returns (fitted table, cycles)."""
    _check_margins("IPF", rows, cols)
    x = seed.astype(np.float64).copy()
    for cycle in range(1, max_cycles + 1):
        before = x.copy()
        rs = x.sum(axis=1)
        x *= np.divide(rows, rs, out=np.zeros_like(rs), where=rs > 0)[:, None]
        cs = x.sum(axis=0)
        x *= np.divide(cols, cs, out=np.zeros_like(cs), where=cs > 0)[None, :]
        if np.max(np.abs(x - before), initial=0.0) < tol:
            return x, cycle
    return x, max_cycles


def ipf_factors(
    seed: Array, rows: Array, cols: Array, *, tol: float = TOL, max_cycles: int = MAX_CYCLES
) -> tuple[Array, Array, int]:
    """Many fits at once of one shared seed to the margins rows[k], cols[k] (k × n each).

    The fit of k is seed ⊙ a[k] b[k]ᵀ, so only the factors are kept: every cycle costs two
    (k × n) @ (n × n) products, and the cell change is bounded without building k × n × n.
    Returns (a, b, cycles).
    """
    _check_margins("IPF", rows, cols)
    k, n = rows.shape
    a = np.ones((k, n))
    b = np.ones((k, n))
    active = np.ones(k, dtype=bool)
    cycles = 0
    for cycle in range(1, max_cycles + 1):
        cycles = cycle
        idx = np.flatnonzero(active)
        a0, b0 = a[idx], b[idx]
        rs = a0 * (b0 @ seed.T)  # row sums: a_o Σ_d seed[o, d] b_d
        a1 = a0 * np.divide(rows[idx], rs, out=np.zeros_like(rs), where=rs > 0)
        cs = b0 * (a1 @ seed)  # column sums: b_d Σ_o seed[o, d] a_o
        b1 = b0 * np.divide(cols[idx], cs, out=np.zeros_like(cs), where=cs > 0)
        a[idx], b[idx] = a1, b1
        # largest |a1 b1 − a0 b0| · seed, per fit (exact, over the cells; chunked in fits)
        change = np.zeros(idx.size)
        step = max(1, 4_000_000 // max(1, n * n))
        for s in range(0, idx.size, step):
            sl = slice(s, s + step)
            cell = a1[sl, :, None] * b1[sl, None, :] - a0[sl, :, None] * b0[sl, None, :]
            change[sl] = np.max(np.abs(cell * seed[None]), axis=(1, 2), initial=0.0)
        active[idx[change < tol]] = False
        if not active.any():
            break
    return a, b, cycles


# -- demographic accounting ---------------------------------------------------------------------
def _balance(s0: Array, s1: Array, births: Array, deaths: Array) -> tuple[Array, Array]:
    """Step 1: the native-born diagonals rescaled so that Σ S1 − Σ S0 = Σ(B − D)."""
    delta = float((births - deaths).sum() - (s1.sum() - s0.sum()))
    if delta == 0:
        return s0.copy(), s1.copy()
    integral = all(np.all(np.equal(np.mod(v, 1), 0)) for v in (s0, s1, births, deaths))
    d0, d1 = np.diag(s0).copy(), np.diag(s1).copy()
    t0, t1 = d0.sum(), d1.sum()
    new0 = t0 - delta / 2
    if integral:
        new0 = float(np.round(new0))
    new1 = t1 + (delta - (t0 - new0))  # exact: the two changes add up to Δ
    out = []
    for name, diag, total, target in (("S0", d0, t0, new0), ("S1", d1, t1, new1)):
        if target < 0 or total <= 0:
            raise FlowError(
                _(
                    "{name}: the native-born cannot absorb the demographic imbalance "
                    "{delta:.6g} (their total is {total:.6g})"
                ).format(name=name, delta=delta, total=total)
            )
        scaled = diag * (target / total)
        if integral:
            scaled = np.round(scaled)
            scaled[int(np.argmax(scaled))] += target - scaled.sum()
        out.append(scaled)
    a, b = s0.copy(), s1.copy()
    np.fill_diagonal(a, out[0])
    np.fill_diagonal(b, out[1])
    return a, b


def _remove(table: Array, amount: Array, name: str, native_first: bool) -> Array:
    """Steps 2 and 3: births (from the native-born cell first) or deaths (in proportion) leave
    each residence column."""
    out = table.copy()
    cols = out.sum(axis=0)
    for j in np.flatnonzero(amount > 0):
        if amount[j] > cols[j] + TOL:
            raise FlowError(
                _(
                    "{name} of place {j} ({amount_j:.6g}) exceed its population ({cols_j:.6g})"
                ).format(name=name, j=j, amount_j=amount[j], cols_j=cols[j])
            )
        if native_first and out[j, j] >= amount[j]:
            out[j, j] -= amount[j]
        elif cols[j] > 0:
            out[:, j] -= amount[j] * out[:, j] / cols[j]
    return np.maximum(out, 0.0)


def demographic_tables(
    s0: ArrayLike, s1: ArrayLike, births: ArrayLike | None = None, deaths: ArrayLike | None = None
) -> tuple[Array, Array, Array, Array]:
    """Steps 1–4: (balanced S0, balanced S1, fitted Ŝ0, fitted Ŝ1)."""
    a, b = _pair(s0, s1)
    n = a.shape[0]
    bir, dea = _vector("births", births, n), _vector("deaths", deaths, n)
    a, b = _balance(a, b, bir, dea)
    b_net = _remove(b, bir, _("births"), native_first=True)
    a_net = _remove(a, dea, _("deaths"), native_first=False)
    rows = (a_net.sum(axis=1) + b_net.sum(axis=1)) / 2
    fit0, _c0 = ipf_table(a_net, rows, a_net.sum(axis=0))
    fit1, _c1 = ipf_table(b_net, rows, b_net.sum(axis=0))
    for name, fit in (("S0", fit0), ("S1", fit1)):
        # a table whose zeros leave no room for the common totals has no fit: say where
        miss = np.abs(fit.sum(axis=1) - rows)
        worst = int(np.argmax(miss))
        if miss[worst] > TOL * max(1.0, rows[worst]):
            raise FlowError(
                _(
                    "{name}: no fit to the common birthplace totals (birthplace {i} is "
                    "{value:.6g} short of {target:.6g}; its cells are too few or zero)"
                ).format(name=name, i=worst, value=miss[worst], target=rows[worst])
            )
    return a, b, fit0, fit1


def demographic(
    s0: ArrayLike,
    s1: ArrayLike,
    births: ArrayLike | None = None,
    deaths: ArrayLike | None = None,
    *,
    seed: ArrayLike | None = None,
    by_birthplace: bool = False,
) -> Estimate:
    """Minimum-migration demographic accounting (steps 1–6 of the module docstring)."""
    _a, _b, f0, f1 = demographic_tables(s0, s1, births, deaths)
    return minimum_migration(f0, f1, seed=seed, by_birthplace=by_birthplace)


def minimum_migration(
    f0: Array, f1: Array, *, seed: ArrayLike | None = None, by_birthplace: bool = False
) -> Estimate:
    """Steps 5–6 on fitted tables (`demographic_tables`): stayers, then quasi-independence."""
    n = f0.shape[0]
    stay = np.minimum(f0, f1)
    out_m = f0 - stay
    in_m = f1 - stay
    o_tot, d_tot = out_m.sum(axis=1), in_m.sum(axis=1)
    _check_margins(_("stayers' margins"), out_m, in_m)
    in_m = in_m * np.divide(o_tot, d_tot, out=np.zeros_like(d_tot), where=d_tot > 0)[:, None]
    if seed is None:
        base = np.ones((n, n))
    else:
        base = _table("seed", seed)
        if base.shape != (n, n):
            raise FlowError(
                _("seed: a {n} × {n} table is needed, got {base_shape}").format(
                    n=n, base_shape=base.shape
                )
            )
    np.fill_diagonal(base, 0.0)
    a, b, cycles = ipf_factors(base, out_m, in_m)
    flows = _off_diagonal((a.T @ b) * base)
    cube = a[:, :, None] * b[:, None, :] * base[None] if by_birthplace else None
    return Estimate("demographic", flows, cube, cycles)


def demographic_independent(
    s0: ArrayLike,
    s1: ArrayLike,
    births: ArrayLike | None = None,
    deaths: ArrayLike | None = None,
    *,
    by_birthplace: bool = False,
) -> Estimate:
    """Steps 1–4, then each birthplace's people placed independently at the two dates."""
    _a, _b, f0, f1 = demographic_tables(s0, s1, births, deaths)
    return independent_moves(f0, f1, by_birthplace=by_birthplace)


def independent_moves(f0: Array, f1: Array, *, by_birthplace: bool = False) -> Estimate:
    """The independence model on fitted tables (`demographic_tables`)."""
    total = f0.sum(axis=1)
    w = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    flows = _off_diagonal((f0 * w[:, None]).T @ f1)
    cube = None
    if by_birthplace:
        cube = f0[:, :, None] * f1[:, None, :] * w[:, None, None]
        idx = np.arange(f0.shape[0])
        cube[:, idx, idx] = 0.0
    return Estimate("demographic-independent", flows, cube)


def estimate(
    method: str,
    s0: ArrayLike,
    s1: ArrayLike,
    births: ArrayLike | None = None,
    deaths: ArrayLike | None = None,
    *,
    total: float | None = None,
    by_birthplace: bool = False,
) -> Estimate:
    """One method by its id (see METHODS)."""
    runners: dict[str, Callable[[], Estimate]] = {
        "diff-zero": lambda: diff_zero(s0, s1),
        "diff-return": lambda: diff_return(s0, s1),
        "rates-dennett": lambda: rates_dennett(s0, _needs_total(total)),
        "demographic": lambda: demographic(s0, s1, births, deaths, by_birthplace=by_birthplace),
        "demographic-independent": lambda: demographic_independent(
            s0, s1, births, deaths, by_birthplace=by_birthplace
        ),
    }
    if method not in runners:
        raise FlowError(
            _("method: unknown {method!r}; one of {join_methods}").format(
                method=method, join_methods=", ".join(METHODS)
            )
        )
    return runners[method]()


def _needs_total(total: float | None) -> float:
    if total is None:
        raise FlowError("total: rates-dennett needs the world total of moves (--total M)")
    return float(total)


def net_inflow(flows: Array) -> Array:
    """Moves into each place minus moves out of it."""
    return flows.sum(axis=0) - flows.sum(axis=1)

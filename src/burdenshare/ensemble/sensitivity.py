"""Which belief matters most? One-at-a-time (tornado) and variance-based (Sobol') sensitivity.

Two outputs of an ensemble are examined: the probability of agreement, and the median
settlement on one issue (by default the first money issue, else the first issue). Every
uncertain number of the scenario (:func:`~burdenshare.ensemble.sampling.uncertain_parameters`)
is a *belief* whose influence is measured.

:func:`tornado` holds one belief at a time at a low and a high quantile while the others are
sampled as usual (Howard 1988). Every run uses the same draws and the same seed (common random
numbers), so the differences between rows are effects, not Monte Carlo noise.

:func:`sobol` estimates first-order (``S1``) and total (``ST``) Sobol' indices (Sobol' 2001) with
the Saltelli et al. (2010) estimators as implemented in SALib (Herman & Usher 2017). Each belief
enters on the probability scale: SALib samples the unit hypercube and every column is mapped
through the belief's ``ppf``, so any distribution kind (including an unbounded ``normal``)
works. At each sampled point the beliefs are fixed; the only randomness left is the breakdown
clock of each session, so a point is run as ``sessions_per_point`` sessions and

- the **agreement output** is the share of them that agree;
- the **settlement output** is the median agreed value of ``issue`` among them, NaN when none
  agrees. Its indices are computed over the base samples whose every cross-sampled point
  settles, so they describe the settlement *given that the talks settle*: exact when the
  agreement region is a box in the beliefs, an approximation otherwise. When fewer than
  :data:`MIN_BASE_SAMPLES` base samples qualify, or the output does not vary, the indices are NaN
  and :attr:`SobolIndices.note` says why.

The engine gives each session its own breakdown clock from its index in the ensemble, so the
sessions of different points in one vectorised run do not share clocks: the agreement output
carries binomial noise of variance ``p(1 - p) / sessions_per_point``, and
:attr:`SobolIndices.noise_share` estimates the share of the output variance it accounts for (it
inflates every ``ST`` and deflates every ``S1`` by about that much).

Randomness is passed in, never global (STYLE.md, convention 6): SALib's sampler and bootstrap
draw from generators of :data:`SENSITIVITY_STREAM` under ``seed``; the sessions use ``seed``
itself, as :func:`~burdenshare.engine.batch.run_batch` does.

References
----------
- R. A. Howard (1988), "Decision analysis: practice and promise", Management Science
  34(6):679–695 (tornado diagrams).
- I. M. Sobol' (2001), "Global sensitivity indices for nonlinear mathematical models and their
  Monte Carlo estimates", Mathematics and Computers in Simulation 55:271–280.
- A. Saltelli, P. Annoni, I. Azzini, F. Campolongo, M. Ratto and S. Tarantola (2010), "Variance
  based sensitivity analysis of model output. Design and estimator for the total sensitivity
  index", Computer Physics Communications 181(2):259–270.
- J. Herman and W. Usher (2017), "SALib: An open-source Python library for Sensitivity
  Analysis", Journal of Open Source Software 2(9):97.
- W. J. Conover (1999), *Practical Nonparametric Statistics*, 3rd ed., section 3.2 (the
  order-statistic confidence interval of a quantile).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from burdenshare.engine.batch import run_batch
from burdenshare.ensemble.sampling import block_rng, draw, uncertain_parameters
from burdenshare.errors import SimulationError
from burdenshare.negotiation import Negotiator
from burdenshare.scenario.distributions import Distribution
from burdenshare.scenario.scenario import Scenario
from burdenshare.seeds import SENSITIVITY_STREAM  # SALib's sampler (block 0), bootstrap (1, 2)

__all__ = [
    "MIN_AGREEMENTS",
    "MIN_BASE_SAMPLES",
    "SENSITIVITY_STREAM",
    "SobolIndices",
    "SobolResult",
    "TornadoResult",
    "TornadoRow",
    "sobol",
    "tornado",
]


#: fewer agreed sessions than this and a median settlement (and its error) is NaN
MIN_AGREEMENTS = 20

#: fewer fully settled base samples than this and the settlement's Sobol' indices are NaN
MIN_BASE_SAMPLES = 16

#: z for the 95% order-statistic interval of the median
_Z = 1.959963984540054

#: keeps ppf finite for unbounded distributions (as in :mod:`burdenshare.ensemble.sampling`)
_TINY = 2.0**-53

#: most sessions per run_batch call in :func:`sobol` (bounds memory; chunks share one ensemble)
_MAX_SESSIONS_PER_CALL = 1 << 20

#: SALib's bootstrap resamples and confidence level
_RESAMPLES = 100
_CONF_LEVEL = 0.95

FloatArray = npt.NDArray[np.float64]
Output = Literal["agreement", "settlement"]
NegotiatorSpec = str | Negotiator
#: the negotiator every party plays by default
_DEFAULT_NEGOTIATOR = "boulware"


# -- records ---------------------------------------------------------------------------------


def _json(x: float) -> float | None:
    """A float for JSON: NaN and infinities become None."""
    return float(x) if math.isfinite(x) else None


def _fmt(x: float) -> str:
    return format(x, ",.5g") if math.isfinite(x) else "n/a"


def _pct(p: float) -> str:
    return f"{100 * p:.1f}%" if math.isfinite(p) else "n/a"


@dataclass(frozen=True)
class TornadoRow:
    """One belief held at its low and its high quantile while the others are sampled.

    ``p_*`` is P(agreement) with its binomial standard error; ``median_*`` the median settlement
    with its order-statistic standard error (NaN with fewer than :data:`MIN_AGREEMENTS`
    agreements).
    """

    parameter: str
    low_value: float
    high_value: float
    p_low: float
    p_low_se: float
    p_high: float
    p_high_se: float
    median_low: float
    median_low_se: float
    median_high: float
    median_high_se: float

    @property
    def swing(self) -> float:
        """``|P(agreement) at high - P(agreement) at low|``: the bar's length in the tornado."""
        return abs(self.p_high - self.p_low)

    @property
    def median_swing(self) -> float:
        """``|median at high - median at low|`` (NaN if either is NaN)."""
        return abs(self.median_high - self.median_low)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (NaN becomes None)."""
        return {
            "parameter": self.parameter,
            "low_value": _json(self.low_value),
            "high_value": _json(self.high_value),
            "p_agreement_low": _json(self.p_low),
            "p_agreement_low_se": _json(self.p_low_se),
            "p_agreement_high": _json(self.p_high),
            "p_agreement_high_se": _json(self.p_high_se),
            "swing": _json(self.swing),
            "median_low": _json(self.median_low),
            "median_low_se": _json(self.median_low_se),
            "median_high": _json(self.median_high),
            "median_high_se": _json(self.median_high_se),
            "median_swing": _json(self.median_swing),
        }


@dataclass(frozen=True)
class TornadoResult:
    """The tornado of a scenario: rows sorted by :attr:`TornadoRow.swing`, largest first.

    The baseline has every belief sampled; all runs share draws and seed.
    """

    scenario_id: str
    #: one negotiator per party, in listing order
    negotiators: tuple[str, ...]
    issue: str
    n: int
    seed: int
    low_q: float
    high_q: float
    p_baseline: float
    p_baseline_se: float
    median_baseline: float
    median_baseline_se: float
    rows: tuple[TornadoRow, ...]

    @property
    def most_influential(self) -> TornadoRow:
        """The row with the largest swing in P(agreement)."""
        return self.rows[0]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (NaN becomes None)."""
        return {
            "method": "tornado",
            "scenario": self.scenario_id,
            "negotiators": list(self.negotiators),
            "issue": self.issue,
            "n": self.n,
            "seed": self.seed,
            "low_q": self.low_q,
            "high_q": self.high_q,
            "baseline": {
                "p_agreement": _json(self.p_baseline),
                "p_agreement_se": _json(self.p_baseline_se),
                "median": _json(self.median_baseline),
                "median_se": _json(self.median_baseline_se),
            },
            "rows": [row.to_dict() for row in self.rows],
        }

    def describe(self) -> str:
        """Plain text: one sentence naming the most influential belief, then the table."""
        top = self.most_influential
        lo, hi = _quantile_name(self.low_q), _quantile_name(self.high_q)
        if top.swing > 0:
            head = (
                f"The belief that matters most for P(agreement) is {top.parameter}: from "
                f"{_pct(top.p_low)} at its {lo} ({_fmt(top.low_value)}) to {_pct(top.p_high)} "
                f"at its {hi} ({_fmt(top.high_value)}), against {_pct(self.p_baseline)} with "
                f"every belief uncertain."
            )
        else:
            head = (
                f"No belief moves P(agreement) ({_pct(self.p_baseline)}) between its {lo} and "
                f"its {hi}."
            )
        lines = [
            head,
            "",
            f"{'belief':<48} {'P low':>8} {'P high':>8} {'swing':>8} "
            f"{'median low':>12} {'median high':>12}",
        ]
        for r in self.rows:
            lines.append(
                f"{r.parameter:<48} {_pct(r.p_low):>8} {_pct(r.p_high):>8} "
                f"{_pct(r.swing):>8} {_fmt(r.median_low):>12} {_fmt(r.median_high):>12}"
            )
        lines.append(
            f"(n = {self.n:,} sessions per run, seed {self.seed}; median settlement of "
            f"{self.issue!r}, baseline {_fmt(self.median_baseline)})"
        )
        return "\n".join(lines)


@dataclass(frozen=True)
class SobolIndices:
    """Sobol' indices of one output, one entry per belief (in :attr:`parameters` order).

    ``S1_conf`` / ``ST_conf`` are half-widths of SALib's 95% bootstrap intervals. ``n_used`` is
    the number of base samples the estimate used; ``note`` says why indices are NaN (or is
    empty). ``noise_share`` estimates the share of the output's variance that is Monte Carlo
    noise of the per-point sessions (NaN where not estimated). ``S2`` / ``S2_conf`` (second
    order, upper triangle) are present only when asked for.
    """

    output: Output
    parameters: tuple[str, ...]
    S1: tuple[float, ...]
    S1_conf: tuple[float, ...]
    ST: tuple[float, ...]
    ST_conf: tuple[float, ...]
    n_used: int
    noise_share: float = math.nan
    note: str = ""
    S2: tuple[tuple[float, ...], ...] | None = None
    S2_conf: tuple[tuple[float, ...], ...] | None = None

    @property
    def computed(self) -> bool:
        """True when the indices could be estimated (finite)."""
        return all(math.isfinite(v) for v in self.ST)

    @property
    def most_influential(self) -> str | None:
        """The belief with the largest total index (None if not computed)."""
        if not self.computed:
            return None
        return self.parameters[int(np.argmax(self.ST))]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (NaN becomes None)."""
        out: dict[str, Any] = {
            "output": self.output,
            "n_used": self.n_used,
            "noise_share": _json(self.noise_share),
            "note": self.note,
            "indices": [
                {
                    "parameter": p,
                    "S1": _json(self.S1[j]),
                    "S1_conf": _json(self.S1_conf[j]),
                    "ST": _json(self.ST[j]),
                    "ST_conf": _json(self.ST_conf[j]),
                }
                for j, p in enumerate(self.parameters)
            ],
        }
        if self.S2 is not None and self.S2_conf is not None:
            out["S2"] = [[_json(v) for v in row] for row in self.S2]
            out["S2_conf"] = [[_json(v) for v in row] for row in self.S2_conf]
        return out

    def _sentence(self, what: str) -> str:
        top = self.most_influential
        if top is None:
            return f"The Sobol' indices of {what} could not be computed: {self.note}"
        j = self.parameters.index(top)
        return (
            f"The belief that matters most for {what} is {top} (total index "
            f"ST = {self.ST[j]:.2f} ± {self.ST_conf[j]:.2f}, first-order "
            f"S1 = {self.S1[j]:.2f} ± {self.S1_conf[j]:.2f})."
        )


@dataclass(frozen=True)
class SobolResult:
    """Sobol' indices of P(agreement) (:attr:`agreement`) and of the median settlement."""

    scenario_id: str
    #: one negotiator per party, in listing order
    negotiators: tuple[str, ...]
    issue: str
    n_base: int
    seed: int
    sessions_per_point: int
    n_points: int
    calc_second_order: bool
    parameters: tuple[str, ...]
    agreement: SobolIndices
    settlement: SobolIndices

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (NaN becomes None)."""
        return {
            "method": "sobol",
            "scenario": self.scenario_id,
            "negotiators": list(self.negotiators),
            "issue": self.issue,
            "n_base": self.n_base,
            "seed": self.seed,
            "sessions_per_point": self.sessions_per_point,
            "n_points": self.n_points,
            "calc_second_order": self.calc_second_order,
            "parameters": list(self.parameters),
            "outputs": {
                "agreement": self.agreement.to_dict(),
                "settlement": self.settlement.to_dict(),
            },
        }

    def describe(self) -> str:
        """Plain text: the most influential belief for each output, then the indices."""
        lines = [
            self.agreement._sentence("P(agreement)"),
            self.settlement._sentence(f"the median settlement of {self.issue!r}"),
            "",
            f"{'belief':<48} {'output':<11} {'S1':>14} {'ST':>14}",
        ]
        for ind in (self.agreement, self.settlement):
            for j, p in enumerate(self.parameters):
                s1 = f"{ind.S1[j]:.2f} ± {ind.S1_conf[j]:.2f}" if ind.computed else "n/a"
                st = f"{ind.ST[j]:.2f} ± {ind.ST_conf[j]:.2f}" if ind.computed else "n/a"
                lines.append(f"{p:<48} {ind.output:<11} {s1:>14} {st:>14}")
        lines.append(
            f"({self.n_base:,} base samples, {self.n_points:,} points x "
            f"{self.sessions_per_point} sessions, seed {self.seed})"
        )
        return "\n".join(lines)


# -- shared checks ---------------------------------------------------------------------------


def _count(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise SimulationError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise SimulationError(f"seed must be a non-negative integer, got {seed!r}")
    return int(seed)


def _beliefs(scenario: Scenario) -> dict[str, Distribution]:
    params = uncertain_parameters(scenario)
    if not params:
        raise SimulationError(
            f"scenario {scenario.id!r} has no uncertain parameter, so there is nothing to "
            "analyse: give at least one value as a distribution (e.g. {triangular: [lo, mode, hi]})"
        )
    return params


def _issue(scenario: Scenario, issue: str | None) -> str:
    if issue is None:
        numeric = [i for i in scenario.issues if i.kind != "categorical"]
        if not numeric:
            raise SimulationError(
                f"scenario {scenario.id!r} has no numeric issue to take a median settlement of"
            )
        money = [i for i in numeric if i.is_money]
        return (money or numeric)[0].id
    try:
        found = scenario.issue(issue)
    except KeyError:
        raise SimulationError(
            f"unknown issue {issue!r}; scenario {scenario.id!r} has {scenario.issue_ids}"
        ) from None
    if found.kind == "categorical":
        raise SimulationError(
            f"issue {issue!r} is categorical; a median settlement needs a numeric issue"
        )
    return found.id


def _cast(
    scenario: Scenario, negotiators: Sequence[NegotiatorSpec] | None
) -> tuple[tuple[NegotiatorSpec, ...], tuple[str, ...]]:
    """One negotiator per party (``None``: :data:`_DEFAULT_NEGOTIATOR` for every party) and
    their labels; a count other than the scenario's parties is a SimulationError."""
    parties = len(scenario.party_names)
    cast = (_DEFAULT_NEGOTIATOR,) * parties if negotiators is None else tuple(negotiators)
    if isinstance(negotiators, str) or len(cast) != parties:
        count = "two" if parties == 2 else str(parties)
        raise SimulationError(f"give {count} negotiators (one per party), got {negotiators!r}")
    return cast, tuple(s if isinstance(s, str) else repr(s) for s in cast)


def _quantile_name(q: float) -> str:
    """``0.1`` -> ``"10th percentile"``, ``0.025`` -> ``"2.5th percentile"``."""
    pct = 100 * q
    if abs(pct - round(pct)) > 1e-9:
        return f"{pct:g}th percentile"
    last = round(pct) % 100
    suffix = "th" if 10 <= last <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(last % 10, "th")
    return f"{round(pct)}{suffix} percentile"


# -- estimates with their errors -------------------------------------------------------------


def _agreement(agreed: npt.NDArray[np.bool_]) -> tuple[float, float]:
    """P(agreement) and its binomial standard error ``sqrt(p (1 - p) / n)``."""
    n = agreed.size
    p = float(np.count_nonzero(agreed)) / n
    return p, math.sqrt(p * (1.0 - p) / n)


def _median(values: FloatArray, q: float = 0.5) -> tuple[float, float]:
    """The median of the finite ``values`` and its standard error.

    The 95% interval is ``[x_(l), x_(u)]`` with 1-based ranks ``l = floor(m q - z s)``,
    ``u = ceil(m q + z s)``, ``s = sqrt(m q (1 - q))`` among the ``m`` agreed values, clipped to
    ``[1, m]`` (Conover 1999); the standard error is its half-width / 1.96. NaN for both with
    fewer than :data:`MIN_AGREEMENTS` values.

    >>> med, se = _median(np.arange(101.0))
    >>> float(med), round(se, 2)
    (50.0, 5.36)
    >>> _median(np.array([1.0, np.nan]))
    (nan, nan)
    """
    x = np.sort(values[np.isfinite(values)])
    m = x.size
    if m < MIN_AGREEMENTS:
        return math.nan, math.nan
    s = math.sqrt(m * q * (1.0 - q))
    lo = min(max(math.floor(m * q - _Z * s), 1), m)
    hi = min(max(math.ceil(m * q + _Z * s), 1), m)
    return float(np.median(x)), float(x[hi - 1] - x[lo - 1]) / (2.0 * _Z)


# -- tornado ---------------------------------------------------------------------------------


def tornado(
    scenario: Scenario,
    negotiators: Sequence[NegotiatorSpec] | None = None,
    *,
    n: int = 20_000,
    seed: int = 0,
    low_q: float = 0.1,
    high_q: float = 0.9,
    issue: str | None = None,
) -> TornadoResult:
    """One-at-a-time sensitivity of P(agreement) and the median settlement (a tornado diagram).

    Howard (1988): each belief in turn is held at its ``low_q`` and its ``high_q`` quantile
    (its ``ppf``) while every other belief is drawn as usual. All ``2 d + 1`` runs (``d``
    beliefs, plus the baseline with every belief drawn) use the same ``n`` draws
    (:func:`~burdenshare.ensemble.sampling.draw` with ``seed``) and the same session seed, so
    the breakdown clocks and the other beliefs are identical across runs (common random
    numbers). Rows are sorted by the swing in P(agreement), ties by the swing in the median.

    P(agreement) comes with its binomial standard error; the median settlement of ``issue``
    (default: the first money issue, else the first numeric issue) among agreed sessions with
    the order-statistic standard error of :func:`_median` (NaN below :data:`MIN_AGREEMENTS`).

    Raises :class:`~burdenshare.errors.SimulationError` when the scenario has no uncertain
    parameter, ``n < 1``, or not ``0 < low_q < high_q < 1``.

    >>> from burdenshare.scenario.io import EXAMPLE, parse_scenario_text
    >>> res = tornado(parse_scenario_text(EXAMPLE).scenario, n=1_000)
    >>> [row.parameter for row in res.rows], res.issue
    (['parties.ROK.utility.contribution.reservation'], 'contribution')
    >>> res.rows[0].p_low <= res.p_baseline <= res.rows[0].p_high
    True
    """
    n = _count("n", n, 1)
    seed = _seed(seed)
    for name, q in (("low_q", low_q), ("high_q", high_q)):
        if isinstance(q, bool) or not isinstance(q, int | float) or not 0.0 < q < 1.0:
            raise SimulationError(
                f"{name} must be a probability strictly between 0 and 1, got {q!r}"
            )
    if not low_q < high_q:
        raise SimulationError(f"low_q must be below high_q, got low_q={low_q!r}, high_q={high_q!r}")
    negotiators, labels = _cast(scenario, negotiators)
    params = _beliefs(scenario)
    issue_id = _issue(scenario, issue)
    base = draw(params, n, seed=seed)

    def run(draws: Mapping[str, FloatArray]) -> tuple[float, float, float, float]:
        res = run_batch(scenario, negotiators, draws, seed=seed, n=n)
        p, p_se = _agreement(res.agreed)
        med, med_se = _median(res.values[issue_id][res.agreed])
        return p, p_se, med, med_se

    p0, p0_se, m0, m0_se = run(base)
    rows = []
    for name, dist in params.items():
        lo_v, hi_v = (float(v) for v in dist.ppf(np.array([low_q, high_q])))
        at_lo = run({**base, name: np.full(n, lo_v)})
        at_hi = run({**base, name: np.full(n, hi_v)})
        rows.append(TornadoRow(name, lo_v, hi_v, *at_lo[:2], *at_hi[:2], *at_lo[2:], *at_hi[2:]))
    rows.sort(key=lambda r: (-r.swing, -np.nan_to_num(r.median_swing, nan=-1.0)))
    return TornadoResult(
        scenario_id=scenario.id,
        negotiators=labels,
        issue=issue_id,
        n=n,
        seed=seed,
        low_q=float(low_q),
        high_q=float(high_q),
        p_baseline=p0,
        p_baseline_se=p0_se,
        median_baseline=m0,
        median_baseline_se=m0_se,
        rows=tuple(rows),
    )


# -- Sobol' ----------------------------------------------------------------------------------


def _point_outputs(
    scenario: Scenario,
    negotiators: Sequence[NegotiatorSpec],
    points: Mapping[str, FloatArray],
    n_points: int,
    spp: int,
    seed: int,
    issue_id: str,
) -> tuple[FloatArray, FloatArray]:
    """Agreement share and median agreed value of each point, each run as ``spp`` sessions.

    Point ``k`` is sessions ``[k spp, (k + 1) spp)`` of one ``n_points * spp``-session ensemble,
    run in as few :func:`run_batch` calls as memory allows.
    """
    total = n_points * spp
    per_call = max(1, _MAX_SESSIONS_PER_CALL // spp) * spp
    agreed = np.empty(total, dtype=np.bool_)
    values = np.empty(total, dtype=np.float64)
    for start in range(0, total, per_call):
        stop = min(start + per_call, total)
        k0, k1 = start // spp, stop // spp
        draws = {name: np.repeat(x[k0:k1], spp) for name, x in points.items()}
        res = run_batch(scenario, negotiators, draws, seed=seed, n=total, start=start, stop=stop)
        agreed[start:stop] = res.agreed
        values[start:stop] = np.where(res.agreed, res.values[issue_id], np.nan)
    share = agreed.reshape(n_points, spp).mean(axis=1)
    table = values.reshape(n_points, spp)
    median = np.full(n_points, np.nan)
    some = np.isfinite(table).any(axis=1)
    if some.any():
        median[some] = np.nanmedian(table[some], axis=1)
    return share, median


def _indices(
    output: Output,
    problem: dict[str, Any],
    y: FloatArray,
    group: int,
    rng: np.random.Generator,
    calc_second_order: bool,
    noise: FloatArray | None,
) -> SobolIndices:
    """Run SALib's analysis on ``y`` (``group`` rows per base sample), NaN-safe."""
    from SALib.analyze import sobol as salib_analyze  # type: ignore[import-untyped]

    names = tuple(problem["names"])
    d = len(names)
    blocks = y.reshape(-1, group)
    keep = np.isfinite(blocks).all(axis=1)
    n_used = int(keep.sum())
    nan = (math.nan,) * d
    nan2 = tuple((math.nan,) * d for _ in range(d)) if calc_second_order else None

    def failed(note: str) -> SobolIndices:
        return SobolIndices(output, names, nan, nan, nan, nan, n_used, math.nan, note, nan2, nan2)

    if n_used < MIN_BASE_SAMPLES:
        return failed(
            f"only {n_used} of {blocks.shape[0]} base samples have a value at every "
            f"cross-sampled point (need {MIN_BASE_SAMPLES}); raise n_base or sessions_per_point"
        )
    kept = blocks[keep].ravel()
    if float(np.ptp(kept)) <= 0.0:
        return failed(f"the output does not vary over the sampled beliefs (always {kept[0]:.6g})")
    noise_share = math.nan
    if noise is not None:
        noise_share = float(np.mean(noise.reshape(-1, group)[keep]) / np.var(kept))
    si = salib_analyze.analyze(
        problem,
        kept,
        calc_second_order=calc_second_order,
        num_resamples=_RESAMPLES,
        conf_level=_CONF_LEVEL,
        seed=rng,
    )

    def vec(key: str) -> tuple[float, ...]:
        return tuple(float(v) for v in np.asarray(si[key], dtype=np.float64))

    def mat(key: str) -> tuple[tuple[float, ...], ...]:
        return tuple(tuple(float(v) for v in row) for row in np.asarray(si[key], dtype=np.float64))

    return SobolIndices(
        output=output,
        parameters=names,
        S1=vec("S1"),
        S1_conf=vec("S1_conf"),
        ST=vec("ST"),
        ST_conf=vec("ST_conf"),
        n_used=n_used,
        noise_share=noise_share,
        S2=mat("S2") if calc_second_order else None,
        S2_conf=mat("S2_conf") if calc_second_order else None,
    )


def sobol(
    scenario: Scenario,
    negotiators: Sequence[NegotiatorSpec] | None = None,
    *,
    n_base: int = 1024,
    seed: int = 0,
    sessions_per_point: int = 64,
    calc_second_order: bool = False,
    issue: str | None = None,
) -> SobolResult:
    """Variance-based (Sobol') sensitivity of P(agreement) and of the median settlement.

    1. Define the problem on the probability scale: ``d`` beliefs, each with bounds ``[0, 1]``.
    2. Draw Saltelli's cross-sampled design from a scrambled Sobol' sequence with
       ``SALib.sample.sobol.sample`` (``n_base (d + 2)`` points, ``n_base (2 d + 2)`` with
       ``calc_second_order``); SALib warns when ``n_base`` is not a power of two.
    3. Map each column through its belief's ``ppf``.
    4. Run every point as ``sessions_per_point`` sessions of one ensemble (see
       :func:`_point_outputs`); the agreement output is the share that agree, the settlement
       output the median agreed value of ``issue`` (NaN if none agrees; see the module
       docstring for how such points are handled).
    5. Estimate ``S1`` and ``ST`` (Saltelli et al. 2010, as in SALib's
       ``SALib.analyze.sobol.analyze``; Sobol' 2001) with 95% bootstrap intervals.

    Cost: ``n_points * sessions_per_point`` sessions (about 0.2 s for the defaults on the
    flagship in the compiled kernel). Scenarios or negotiators the kernel cannot run go session
    by session and are far slower: lower ``n_base`` and ``sessions_per_point`` for them.

    Never raises for outputs that cannot be analysed: their indices are NaN with a ``note``.
    Raises :class:`~burdenshare.errors.SimulationError` when the scenario has no uncertain
    parameter or ``n_base < 2`` / ``sessions_per_point < 1``. Needs SALib (Herman & Usher 2017).

    >>> from burdenshare.scenario.io import EXAMPLE, parse_scenario_text
    >>> res = sobol(parse_scenario_text(EXAMPLE).scenario, n_base=64, sessions_per_point=8)
    >>> res.n_points, res.agreement.most_influential
    (192, 'parties.ROK.utility.contribution.reservation')
    """
    from SALib.sample import sobol as salib_sample  # type: ignore[import-untyped]

    n_base = _count("n_base", n_base, 2)
    spp = _count("sessions_per_point", sessions_per_point, 1)
    seed = _seed(seed)
    if not isinstance(calc_second_order, bool):
        raise SimulationError(f"calc_second_order must be True or False, got {calc_second_order!r}")
    negotiators, labels = _cast(scenario, negotiators)
    params = _beliefs(scenario)
    issue_id = _issue(scenario, issue)
    names = tuple(params)
    d = len(names)
    problem: dict[str, Any] = {"num_vars": d, "names": list(names), "bounds": [[0.0, 1.0]] * d}
    u = salib_sample.sample(
        problem,
        n_base,
        calc_second_order=calc_second_order,
        seed=block_rng(seed, SENSITIVITY_STREAM, 0),
    )
    u = np.clip(np.asarray(u, dtype=np.float64), _TINY, 1.0 - _TINY)
    n_points = u.shape[0]
    points = {
        name: np.asarray(dist.ppf(u[:, j]), dtype=np.float64)
        for j, (name, dist) in enumerate(params.items())
    }
    share, median = _point_outputs(scenario, negotiators, points, n_points, spp, seed, issue_id)
    group = n_points // n_base
    # unbiased estimate of each point's binomial noise variance (none with one session)
    noise = share * (1.0 - share) / (spp - 1) if spp > 1 else None
    agreement = _indices(
        "agreement",
        problem,
        share,
        group,
        block_rng(seed, SENSITIVITY_STREAM, 1),
        calc_second_order,
        noise,
    )
    settlement = _indices(
        "settlement",
        problem,
        median,
        group,
        block_rng(seed, SENSITIVITY_STREAM, 2),
        calc_second_order,
        None,
    )
    return SobolResult(
        scenario_id=scenario.id,
        negotiators=labels,
        issue=issue_id,
        n_base=n_base,
        seed=seed,
        sessions_per_point=spp,
        n_points=n_points,
        calc_second_order=calc_second_order,
        parameters=names,
        agreement=agreement,
        settlement=settlement,
    )

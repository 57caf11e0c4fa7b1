"""Bueno de Mesquita's expected-utility model (EUM), with Scholz's quirks as explicit switches.

Each round every actor (step numbers of ``shared/reference/models.md`` §1.3):

1. gets a risk exponent from how much the others would gain by challenging it (step 6, all
   ``r = 1``);
2. estimates, with its own ``r``, its expected utility of challenging every other actor and theirs
   of challenging it (steps 1, 3-5);
3. moves, all at once, to the best offer it sees: confrontation it would lose, else compromise,
   else capitulation (step 7).

The forecast is the median voter position (majority rule) or the weighted mean, round by round
(step 8); with ``convergence`` set, bargaining ends at the first round whose prediction moves less
than that fraction of the position range (BDM's stopping rule).

Sources: Bueno de Mesquita (1994, 1997); Scholz, Calbert & Smith (2011); the replication
jmckib/bdm-scholz-expected-utility-model, whose run on the EC car-emissions example
:meth:`ExpectedUtility.scholz_faithful` reproduces number for number (see
``tests/known_values/test_bdm_fixture.py``). The formulas are in
:mod:`burdenshare.forecasting.bdm_formulas`, step 7 for all actors at once in
:mod:`burdenshare.forecasting.bdm_offers`.

Cost: a round takes O(n^2 log n) time and O(n^2) memory for ``n`` actors (the vote sums come from
a compiled loop, :mod:`burdenshare.forecasting.bdm_kernel`, never from the ``n x n x n`` array of
votes); :meth:`ExpectedUtility.predict` keeps no per-round matrices, so memory does not grow with
the rounds. 1,000 actors, the most a scenario lists, take seconds
(``benchmarks/bench_forecast.py``).

>>> from burdenshare.forecasting.base import ActorTable
>>> t = ActorTable.single(["a", "b", "c"], [0.0, 4.0, 10.0], [0.9, 0.5, 0.9], [1.0, 1.0, 1.0])
>>> f = ExpectedUtility.corrected().predict(t)
>>> f.model, f.path.shape[1], f.converged
('bdm', 1, True)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar, Literal

import numpy as np

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable, Forecast, Forecaster
from burdenshare.forecasting.bdm_formulas import (
    FloatArray,
    OfferKind,
    condorcet_median,
    probability_bdm_sums,
    probability_scholz_sums,
    risk_exponents,
    scan_median,
    vote_sums,
    weighted_mean,
)
from burdenshare.forecasting.bdm_kernel import challenge_kernel
from burdenshare.forecasting.bdm_offers import KINDS, choose_offers
from burdenshare.forecasting.scaling import unit_exponent, unit_scaled

__all__ = ["MAX_ACTORS", "ExpectedUtility", "IssueRun", "Move", "RoundRecord"]

#: what a round keeps instead of a matrix when the run keeps none
_NO_MATRIX: FloatArray = np.empty((0, 0))
_NO_MATRIX.flags.writeable = False
#: positions below ``2^960`` are used as they are; beyond, in units of a power of two
_SAFE_EXPONENT = 960
#: the most actors a run accepts: a round holds about ten ``n x n`` matrices (320 MB at 2,000)
#: and takes about 0.1 s at 1,000 actors, four times that at 2,000. A scenario lists at most 1,000.
MAX_ACTORS = 2_000
_CHOICES: dict[str, tuple[str, ...]] = {
    "probability": ("scholz", "bdm"),
    "capitulation": ("jmckib", "fixed"),
    "compromise_key": ("scholz", "nearest"),
    "median": ("scan", "condorcet"),
    "outcome": ("median", "mean"),
    "ties": ("first", "lowest"),
}


@dataclass(frozen=True)
class Move:
    """Actor ``actor`` moved from ``old_position`` to ``new_position`` because of ``target``."""

    actor: str
    kind: OfferKind
    target: str
    eu_ij: float
    eu_ji: float
    old_position: float
    new_position: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "actor": self.actor,
            "type": self.kind,
            "with": self.target,
            "eu_ij": self.eu_ij,
            "eu_ji": self.eu_ji,
            "old_position": self.old_position,
            "new_position": self.new_position,
        }


@dataclass(frozen=True)
class RoundRecord:
    """One round: the risk exponents and matrices it used, the moves, and where actors ended up.

    ``probability[i, j] = P(i beats j)``; ``eu_own[i, j] = EU_i(i -> j)`` and
    ``eu_their[i, j] = EU_i(j -> i)``, both with ``i``'s risk exponent (empty ``0 x 0`` arrays
    when the run was asked not to keep them). ``positions``, ``median`` and ``mean`` are after
    the moves.
    """

    round: int
    risk_exponent: FloatArray
    probability: FloatArray
    eu_own: FloatArray
    eu_their: FloatArray
    moves: tuple[Move, ...]
    positions: FloatArray
    median: float
    mean: float
    outcome: float

    def to_dict(self, actors: tuple[str, ...]) -> dict[str, Any]:
        """JSON-ready, without the ``n x n`` matrices."""
        return {
            "round": self.round,
            "risk_exponent": dict(zip(actors, self.risk_exponent.tolist(), strict=True)),
            "moves": [m.to_dict() for m in self.moves],
            "positions": dict(zip(actors, self.positions.tolist(), strict=True)),
            "median": self.median,
            "mean": self.mean,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class IssueRun:
    """The whole run on one issue: the starting point (round 0) and each round played."""

    issue: str
    actors: tuple[str, ...]
    position_range: float
    positions: FloatArray
    median: float
    mean: float
    outcome: float
    rounds: tuple[RoundRecord, ...]
    converged: bool | None

    @property
    def path(self) -> FloatArray:
        """The predicted outcome after each round; entry 0 is the starting prediction."""
        return np.array([self.outcome] + [rd.outcome for rd in self.rounds])

    def to_dict(self) -> dict[str, Any]:
        return {
            "position_range": self.position_range,
            "rounds_run": len(self.rounds),
            "converged": self.converged,
            "initial": {
                "positions": dict(zip(self.actors, self.positions.tolist(), strict=True)),
                "median": self.median,
                "mean": self.mean,
                "outcome": self.outcome,
            },
            "rounds": [rd.to_dict(self.actors) for rd in self.rounds],
        }


class ExpectedUtility(Forecaster):
    """Bueno de Mesquita's expected-utility model on each issue separately.

    Parameters (each default is jmckib's/Scholz's behaviour, models.md §1.3, except as noted):

    * ``probability``: ``"scholz"`` divides by the sum of *all* pairwise votes (step 3, tiny P);
      ``"bdm"`` by the votes on the pair, so ``P(i, j) + P(j, i) = 1``.
    * ``capitulation``: ``"jmckib"`` keeps the bug that makes capitulation never fire;
      ``"fixed"`` uses the intended condition (step 7).
    * ``compromise_key``: ``"scholz"`` picks the compromise with the smallest weighted key
      :func:`~burdenshare.forecasting.bdm_formulas.scholz_compromise_key`; ``"nearest"`` the one
      that moves the actor least.
    * ``median``: ``"scan"``, jmckib's order-dependent scan; ``"condorcet"``, a pairwise check.
    * ``q``: probability the status quo persists (``< 1`` adds the ``T U_b + (1 - T) U_w`` term);
      ``t``: probability that a change is for the better (used only when ``q < 1``).
    * ``rounds``: the most rounds played; ``convergence``: stop at the first round whose predicted
      outcome moves less than this fraction of the position range (``None``: play every round).
    * ``outcome``: ``"median"`` (majority rule) or ``"mean"`` (the weighted mean).
    * ``tolerance``: what counts as a tie. Expected utilities this close are equal (and this
      close to 0 are 0); median vote margins within this fraction of the total weight, and
      choices within this fraction of the range, are ties; a spread of the ``D_i`` this small
      gives every actor ``r = 1``. The default ``1e-9`` decides as exact arithmetic would, so
      rounding (of a rescaled table, say) cannot tip a decision; ``0`` compares floats exactly
      as jmckib does, letting rounding break exact ties.
    * ``ties``: among equally good targets, ``"first"`` takes the first in actor order (jmckib);
      ``"lowest"`` the one giving the lowest new position, whatever the actors' order.

    Actors never contest an actor at their own position (their expected utility is zero in exact
    arithmetic; jmckib evaluates it and gets rounding noise, which decides nothing in its runs).
    The position range ``delta`` is that of the initial positions (not ``table.scale``).
    """

    name: ClassVar[str] = "bdm"
    source: ClassVar[str] = (
        "Bueno de Mesquita (1994, 1997); Scholz, Calbert & Smith (2011); "
        "replication jmckib/bdm-scholz-expected-utility-model"
    )

    def __init__(
        self,
        probability: Literal["scholz", "bdm"] = "scholz",
        capitulation: Literal["jmckib", "fixed"] = "jmckib",
        compromise_key: Literal["scholz", "nearest"] = "scholz",
        median: Literal["scan", "condorcet"] = "scan",
        q: float = 1.0,
        t: float = 1.0,
        rounds: int = 10,
        convergence: float | None = None,
        outcome: Literal["median", "mean"] = "median",
        tolerance: float = 1e-9,
        ties: Literal["first", "lowest"] = "first",
    ) -> None:
        self.probability = probability
        self.capitulation = capitulation
        self.compromise_key = compromise_key
        self.median = median
        self.q = q
        self.t = t
        self.rounds = rounds
        self.convergence = convergence
        self.outcome = outcome
        self.tolerance = tolerance
        self.ties = ties

    @property
    def contract_exemptions(self) -> dict[str, str]:
        """Which forecaster-contract checks this configuration cannot meet, and why.

        >>> sorted(ExpectedUtility.scholz_faithful().contract_exemptions)
        ['relabelling']
        >>> ExpectedUtility.corrected().contract_exemptions
        {}
        """
        out: dict[str, str] = {}
        if self.median == "scan" or self.ties == "first":
            out["relabelling"] = (
                "jmckib's median scan keeps its starting actor when the weight splits evenly, "
                "and ties between targets go to the first actor (models.md §1.3)"
            )
        if self.tolerance == 0:
            out["affine"] = "with tolerance 0, rounding of the rescaled positions breaks exact ties"
        return out

    @classmethod
    def scholz_faithful(cls) -> ExpectedUtility:
        """jmckib's replication of Scholz et al. (2011): every quirk kept, 10 rounds, ``Q = 1``.

        Decisions are those of exact arithmetic (``tolerance=1e-9``); pass ``tolerance=0`` for
        jmckib's float comparisons, which agree on its EC run but let rounding break exact ties.
        """
        return cls()

    @classmethod
    def corrected(cls) -> ExpectedUtility:
        """BDM's intended model: pairwise P, working capitulation, least-movement compromise,
        Condorcet median, and bargaining that ends when the median moves < 1% of the range."""
        return cls(
            probability="bdm",
            capitulation="fixed",
            compromise_key="nearest",
            median="condorcet",
            rounds=100,
            convergence=0.01,
            tolerance=1e-9,
            ties="lowest",
        )

    # ------------------------------------------------------------------ checks
    def _check(self) -> None:
        for param, allowed in _CHOICES.items():
            if getattr(self, param) not in allowed:
                raise ForecastError(
                    f"ExpectedUtility({param}={getattr(self, param)!r}): use one of {allowed}"
                )
        for param in ("q", "t"):
            if not 0.0 <= getattr(self, param) <= 1.0:
                raise ForecastError(f"ExpectedUtility({param}=...) is a probability: use [0, 1]")
        if isinstance(self.rounds, bool) or not isinstance(self.rounds, int) or self.rounds < 0:
            raise ForecastError(f"ExpectedUtility(rounds={self.rounds!r}): use an integer >= 0")
        if self.convergence is not None and not self.convergence >= 0:
            raise ForecastError("ExpectedUtility(convergence=...): use a fraction >= 0 or None")
        if not self.tolerance >= 0:
            raise ForecastError("ExpectedUtility(tolerance=...): use a number >= 0")

    # ------------------------------------------------------------------ one issue
    def _median(self, x: FloatArray, w: FloatArray, delta: float) -> float:
        if self.median == "scan":
            return scan_median(x, w, delta, tolerance=self.tolerance)
        return condorcet_median(x, w, delta)

    def _challenges(
        self,
        x: FloatArray,
        s: FloatArray,
        w: FloatArray,
        r: FloatArray,
        delta: float,
        mu: float,
        *,
        their_view: bool = True,
    ) -> tuple[FloatArray, FloatArray, FloatArray | None]:
        """Steps 3-5 for every pair: ``P``, ``EU_i(i->j)`` and ``EU_i(j->i)`` with ``r_i``.

        The vote sums come from :func:`~burdenshare.forecasting.bdm_formulas.vote_sums` and the
        expected utilities (:func:`~burdenshare.forecasting.bdm_formulas.expected_utility`, pair
        by pair) from :func:`~burdenshare.forecasting.bdm_kernel.challenge_kernel`, so nothing
        larger than ``n x n`` is built. ``their_view=False`` skips ``EU_i(j->i)``.
        """
        support, contest = vote_sums(x, w, r, delta)
        if self.probability == "scholz":
            p = probability_scholz_sums(support, contest)
        else:
            p = probability_bdm_sums(support, contest)
        del support, contest
        own, their = challenge_kernel(
            np.ascontiguousarray(x),
            np.ascontiguousarray(s),
            np.ascontiguousarray(p),
            np.ascontiguousarray(r),
            float(delta),
            float(mu),
            float(self.q),
            float(self.t),
            their_view,
        )
        return p, own, (their if their_view else None)

    def _moves(
        self,
        x: FloatArray,
        own: FloatArray,
        their: FloatArray,
        actors: tuple[str, ...],
        delta: float,
    ) -> list[Move]:
        """Step 7 for every actor (:func:`~burdenshare.forecasting.bdm_offers.choose_offers`)."""
        kind, target, moved = choose_offers(
            x,
            own,
            their,
            delta=delta,
            capitulation=self.capitulation,
            compromise_key=self.compromise_key,
            ties=self.ties,
            tolerance=self.tolerance,
        )
        return [
            Move(
                actors[i],
                KINDS[kind[i]],
                actors[j],
                float(own[i, j]),
                float(their[i, j]),
                float(x[i]),
                float(moved[i]),
            )
            for i, j in ((int(i), int(target[i])) for i in np.flatnonzero(kind >= 0))
        ]

    def run_issue(self, table: ActorTable, j: int = 0, *, matrices: bool = True) -> IssueRun:
        """Play the model on issue ``j`` of ``table`` and keep every round's record.

        With ``matrices=False`` the rounds keep no ``n x n`` matrices (each is an empty
        ``0 x 0`` array), so memory stays O(n^2) however many rounds are played.
        Capabilities are first divided by a power of two (:func:`~burdenshare.forecasting.
        scaling.unit_scaled`): the model is invariant to their scale, and so sums of weights
        cannot overflow however large they are.
        """
        self._check()
        if table.n_actors > MAX_ACTORS:
            raise ForecastError(
                f"ExpectedUtility: {table.n_actors:,} actors; at most {MAX_ACTORS:,} are served "
                "(each round needs n x n matrices)"
            )
        # positions near the largest float: play in units of 2^e (exact) so that differences and
        # sums cannot overflow; the model is equivariant under x -> a x (models.md §1.3)
        e = unit_exponent(table.position[:, j])
        e = e if e > _SAFE_EXPONENT else 0
        x = np.ldexp(table.position[:, j], -e)
        s = table.salience[:, j].copy()
        w = unit_scaled(table.capability) * s
        delta = float(x.max() - x.min())
        actors = table.actors
        median = float(x[0]) if delta == 0 else self._median(x, w, delta)
        mean = weighted_mean(x, w)
        start = median if self.outcome == "median" else mean
        initial = (x.copy(), median, mean)
        records: list[RoundRecord] = []
        # no rule: not assessed; a rule never met within ``rounds``: not converged
        converged: bool | None = None if self.convergence is None else False
        if delta == 0:
            converged = True
        previous = start
        for number in range(1, self.rounds + 1 if delta > 0 else 1):
            _, eu1, _ = self._challenges(x, s, w, np.ones_like(x), delta, median, their_view=False)
            security = eu1.sum(axis=0) - np.diag(eu1)  # D_i = sum_{k != i} EU_k(k -> i), r = 1
            del eu1
            r = risk_exponents(security, tolerance=self.tolerance)
            p, own, their = self._challenges(x, s, w, r, delta, median)
            assert their is not None
            moves = self._moves(x, own, their, actors, delta)
            if not matrices:
                p = own = their = _NO_MATRIX
            x = x.copy()
            for m in moves:
                x[actors.index(m.actor)] = m.new_position
            median, mean = self._median(x, w, delta), weighted_mean(x, w)
            now = median if self.outcome == "median" else mean
            records.append(
                RoundRecord(number, r, p, own, their, tuple(moves), x, median, mean, now)
            )
            if self.convergence is not None:
                converged = abs(now - previous) < self.convergence * delta
                if converged:
                    break
            previous = now
        run = IssueRun(
            issue=table.issues[j],
            actors=actors,
            position_range=delta,
            positions=initial[0],
            median=initial[1],
            mean=initial[2],
            outcome=start,
            rounds=tuple(records),
            converged=converged,
        )
        return _unscaled(run, e) if e else run

    def simulate(self, table: ActorTable, *, matrices: bool = True) -> tuple[IssueRun, ...]:
        """Every issue's full run (with the per-round matrices unless told not), issue by issue."""
        return tuple(self.run_issue(table, j, matrices=matrices) for j in range(table.n_issues))

    def predict(self, table: ActorTable) -> Forecast:
        """The forecast on every issue: the last round's prediction, and the path to it.

        Issues that stop earlier than others repeat their final prediction in ``path``.
        """
        runs = self.simulate(table, matrices=False)
        length = max(len(run.rounds) for run in runs) + 1
        path = np.empty((length, len(runs)))
        for k, run in enumerate(runs):
            own = run.path
            path[:, k] = own[-1]
            path[: len(own), k] = own
        flags = [run.converged for run in runs]
        converged = None if any(f is None for f in flags) else all(bool(f) for f in flags)
        return Forecast(
            model=self.name,
            issues=table.issues,
            outcome=path[-1].copy(),
            path=path,
            converged=converged,
            details={
                "parameters": self.get_params(),
                "issues": {run.issue: run.to_dict() for run in runs},
            },
        )


def _unscaled(run: IssueRun, e: int) -> IssueRun:
    """``run`` played in units of ``2^e``, with every position back in the table's units.

    Positions come back exactly; the range alone may exceed the largest float (``inf``).
    """

    def up(v: float) -> float:
        with np.errstate(over="ignore"):
            return float(np.ldexp(v, e))

    def moved(m: Move) -> Move:
        return replace(m, old_position=up(m.old_position), new_position=up(m.new_position))

    rounds = tuple(
        replace(
            rd,
            moves=tuple(moved(m) for m in rd.moves),
            positions=np.ldexp(rd.positions, e),
            median=up(rd.median),
            mean=up(rd.mean),
            outcome=up(rd.outcome),
        )
        for rd in run.rounds
    )
    return replace(
        run,
        position_range=up(run.position_range),
        positions=np.ldexp(run.positions, e),
        median=up(run.median),
        mean=up(run.mean),
        outcome=up(run.outcome),
        rounds=rounds,
    )

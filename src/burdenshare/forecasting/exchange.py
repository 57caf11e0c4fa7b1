"""The exchange-of-voting-positions model (Stokman & Van Oosten 1994), equal-gain variant.

Actors who stand on opposite sides of the outcome on two issues, and care relatively more about
different ones, trade: each moves its voting position on the issue it cares less about towards the
other's. Exchanges are realised greedily, highest gain first, for a number of rounds; between
rounds each actor's position moves part of the way towards the voting position it took. The
prediction is the compromise ``O_d = Σ c s x / Σ c s`` of the voting positions after the last
round. The steps are the pure functions of :mod:`burdenshare.forecasting.exchange_steps`; the
specification is ``shared/reference/models.md`` section 3 (from the Decide program,
foarsitter/decide-exchange-model; no code copied).

Choices where the specification is open (each reproduces the Decide test expectations, see
``tests/known_values/test_exchange_expectations.py``):

* Gains are linear: ``s_demand·shift_demand − s_supply·shift_supply`` in outcome shifts.
* Each shift is capped at the partner's position and at the outcome reaching the demander's
  position; the equal-gain pair of shifts is the largest within both caps.
* Pairs with equal relative saliences are candidates (they count in Decide's ``a·d + b·c``) but
  trade nothing. An actor exactly at the outcome is on neither side.
* Within a round the candidate list is fixed at the start; an actor-issue combination takes part
  in at most one exchange (in either role); exchanges on an issue whose outcome moved are
  re-evaluated, and dropped if no longer feasible. Equal gains are broken by issue, then actor
  order, actors being sorted by name first, so the forecast does not depend on row order.
* ``path`` row ``r`` is the compromise of the voting positions after round ``r`` (row 0: of the
  stated positions); blending happens after that, for the next round.

>>> from burdenshare.forecasting.base import ActorTable
>>> table = ActorTable(
...     actors=("a", "b"), issues=("p", "q"),
...     position=np.array([[0.0, 0.0], [100.0, 100.0]]),
...     salience=np.array([[0.2, 0.8], [0.8, 0.2]]),
...     capability=np.array([1.0, 1.0]),
... )
>>> forecast = ExchangeModel(rounds=3).predict(table)
>>> forecast.path.round(6).tolist()  # compromise, then the outcome after each round
[[80.0, 20.0], [100.0, 0.0], [100.0, 0.0]]
>>> forecast.converged, forecast.details["exchanges_per_round"]
(True, [1, 1])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar, Self

import numpy as np

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable, FloatArray, Forecast, Forecaster
from burdenshare.forecasting.exchange_steps import (
    Exchange,
    SplitRule,
    candidate_count,
    compromise,
    equal_gain_split,
    evaluate_exchange,
    new_start_position,
    opposite_pairs,
    orient,
)
from burdenshare.forecasting.scaling import unit_scaled

__all__ = [
    "MAX_CANDIDATES",
    "VARIANTS",
    "ExchangeModel",
    "RoundResult",
    "candidate_exchanges",
    "exchange_round",
]

#: exchange-rate rules by name. The extension point for other variants: a rule that sets the two
#: outcome shifts within their caps (a random-rate rule after Dijkstra et al. 2018 would go here,
#: taking its generator from the model's ``random_state``; it is not implemented).
VARIANTS: Mapping[str, SplitRule] = MappingProxyType({"equal_gain": equal_gain_split})

#: the most candidate exchanges (actor pairs on opposite sides on an issue pair) a round may
#: weigh. A round re-evaluates the pending candidates after each exchange it realises, so its time
#: grows about quadratically: 1,231 candidates took 3.6 s for ten rounds, 11,152 took 160 s
#: (100 and 300 actors on two issues). DEU III's proposals need at most 857. One issue, as
#: ``burdenshare forecast`` runs it, has none, whatever the number of actors.
MAX_CANDIDATES = 2_000


@dataclass(frozen=True)
class RoundResult:
    """One round: the outcome it started from, the exchanges realised, and where they led.

    ``candidates`` is the number of actor pairs on opposite sides of the outcome on an issue pair,
    summed over issue pairs (Decide's ``a·d + b·c``), before orientation and feasibility.
    """

    start_position: FloatArray
    start_outcome: FloatArray
    voting_position: FloatArray
    outcome: FloatArray
    exchanges: tuple[Exchange, ...]
    candidates: int


def candidate_exchanges(
    position: FloatArray,
    salience: FloatArray,
    capability: FloatArray,
    outcome: FloatArray,
    split: SplitRule = equal_gain_split,
) -> tuple[int, list[Exchange]]:
    """Steps 2-4 over every issue pair: the count of opposite-side pairs and the feasible exchanges.

    Pairs with equal relative saliences, or whose exchange would gain nothing, are counted but
    give no exchange.
    """
    k = position.shape[1]
    count = 0
    found: list[Exchange] = []
    for p in range(k):
        for q in range(p + 1, k):
            pairs = opposite_pairs(position, outcome, p, q)
            count += len(pairs)
            for a, b in pairs:
                roles = orient(salience, a, b, p, q)
                if roles is None:
                    continue
                exchange = evaluate_exchange(
                    position, salience, capability, outcome, roles[0], roles[1], p, q, split
                )
                if exchange is not None:
                    found.append(exchange)
    return count, found


def _priority(exchange: Exchange) -> tuple[float, int, int, int, int]:
    """Highest gain first; ties broken by issue then actor index (deterministic)."""
    return (-exchange.gain, exchange.p, exchange.q, exchange.i, exchange.j)


def exchange_round(
    position: FloatArray,
    salience: FloatArray,
    capability: FloatArray,
    split: SplitRule = equal_gain_split,
) -> RoundResult:
    """Step 5: realise exchanges greedily by highest gain, invalidating conflicting ones.

    The candidates are fixed at the start of the round. After each realised exchange the two
    voting positions move, the outcome on its two issues is recomputed, every remaining exchange
    that uses one of its actor-issue combinations (in either role) is dropped, and the others on
    those two issues are re-evaluated at the new outcome (dropped if no longer feasible).
    """
    voting = np.array(position, dtype=np.float64, copy=True)
    outcome = compromise(voting, salience, capability)
    start = outcome.copy()
    count, found = candidate_exchanges(voting, salience, capability, outcome, split)
    pending = {(e.i, e.j, e.p, e.q): e for e in found}
    used: set[tuple[int, int]] = set()
    realised: list[Exchange] = []
    while pending:
        best = min(pending.values(), key=_priority)
        realised.append(best)
        voting[best.i, best.p] += best.move_i
        voting[best.j, best.q] += best.move_j
        touched = [best.p, best.q]
        outcome[touched] = compromise(
            voting[:, touched], salience[:, touched], capability[:, touched]
        )
        used.update(best.actor_issues())
        remaining: dict[tuple[int, int, int, int], Exchange] = {}
        for key, exchange in pending.items():
            if any(ai in used for ai in exchange.actor_issues()):
                continue
            if exchange.p in touched or exchange.q in touched:
                updated = evaluate_exchange(voting, salience, capability, outcome, *key, split)
                if updated is None:
                    continue
                exchange = updated
            remaining[key] = exchange
        pending = remaining
    return RoundResult(
        start_position=np.array(position, dtype=np.float64, copy=True),
        start_outcome=start,
        voting_position=voting,
        outcome=outcome,
        exchanges=tuple(realised),
        candidates=count,
    )


class ExchangeModel(Forecaster):
    """Stokman & Van Oosten's exchange model, equal-gain variant as in Decide (models.md §3).

    Parameters
    ----------
    rounds:
        Maximum number of rounds of exchange (models.md gives no default; 10 is our choice).
    blend:
        ``(a, b)`` of :func:`~burdenshare.forecasting.exchange_steps.new_start_position`: between
        rounds an actor with salience ``s`` moves a fraction ``(1 − s)·a + b`` of the way from its
        start position to its voting position. Decide uses ``(0.4, 0.1)``.
    variant:
        The exchange-rate rule, a key of :data:`VARIANTS` (only ``"equal_gain"``).
    tolerance:
        The run stops, converged, when no exchange is possible or when no issue's outcome moved
        by more than ``tolerance`` times the width of its scale in a round.
    """

    name: ClassVar[str] = "exchange"
    source: ClassVar[str] = (
        "Stokman & Van Oosten (1994), 'The exchange of voting positions'; equal-gain variant "
        "as in the Decide program (foarsitter/decide-exchange-model)"
    )

    def __init__(
        self,
        rounds: int = 10,
        blend: tuple[float, float] = (0.4, 0.1),
        variant: str = "equal_gain",
        tolerance: float = 1e-6,
    ) -> None:
        self.rounds = rounds
        self.blend = blend
        self.variant = variant
        self.tolerance = tolerance

    def _checked(self) -> tuple[int, float, float, SplitRule, float]:
        """The parameters, validated (sklearn style: checked when used, not in ``__init__``)."""
        rounds = self.rounds
        if isinstance(rounds, bool) or not isinstance(rounds, int | np.integer) or rounds < 1:
            raise ForecastError(f"rounds must be a whole number >= 1, got {rounds!r}")
        try:
            a, b = (float(v) for v in self.blend)
        except (TypeError, ValueError):
            raise ForecastError(f"blend must be two numbers (a, b), got {self.blend!r}") from None
        if not (a >= 0 and b >= 0 and a + b <= 1):
            raise ForecastError(f"blend (a, b) needs a, b >= 0 and a + b <= 1, got {self.blend!r}")
        if self.variant not in VARIANTS:
            raise ForecastError(
                f"unknown exchange variant {self.variant!r}; choose one of {sorted(VARIANTS)}"
            )
        tolerance = float(self.tolerance)
        if not tolerance >= 0:
            raise ForecastError(f"tolerance must be >= 0, got {self.tolerance!r}")
        return int(rounds), a, b, VARIANTS[self.variant], tolerance

    def fit(self, tables: Sequence[ActorTable] = (), outcomes: Sequence[FloatArray] = ()) -> Self:
        """Nothing to learn; checks the parameters and returns ``self``."""
        self._checked()
        return self

    def predict(self, table: ActorTable) -> Forecast:
        """Run the rounds of exchange on ``table``; the outcome is ``O_d`` after the last one.

        ``path`` row 0 is the compromise of the stated positions, row ``r`` the compromise of the
        voting positions after round ``r``. Actors are processed in the order of their names, so
        relabelling the rows of the table changes nothing.
        """
        rounds, a, b, split, tolerance = self._checked()
        order = sorted(range(table.n_actors), key=lambda r: table.actors[r])
        names = [table.actors[r] for r in order]
        position = table.position[order]
        salience = table.salience[order]
        # a common factor of the capabilities changes no shift or gain: divide by a power of two
        # (exact), so that sums of c s cannot overflow
        capability = np.broadcast_to(
            unit_scaled(table.capability)[order, None], position.shape
        ).copy()
        width = np.array([hi - lo for lo, hi in table.scale], dtype=np.float64)
        width[~(width > 0)] = 1.0

        path = [compromise(position, salience, capability)]
        results: list[RoundResult] = []
        converged = False
        for number in range(1, rounds + 1):
            _check_size(
                candidate_count(position, compromise(position, salience, capability)), number
            )
            result = exchange_round(position, salience, capability, split)
            results.append(result)
            path.append(result.outcome)
            if not result.exchanges or np.all(np.abs(path[-1] - path[-2]) <= tolerance * width):
                converged = True
                break
            position = new_start_position(salience, position, result.voting_position, a, b)

        details = {
            "variant": self.variant,
            "rounds_run": len(results),
            "blend": [a, b],
            "candidates_per_round": [r.candidates for r in results],
            "exchanges_per_round": [len(r.exchanges) for r in results],
            "start_outcomes": [[float(v) for v in r.start_outcome] for r in results],
            "exchanges": [
                _exchange_record(n, e, res, names, table.issues)
                for n, res in enumerate(results, start=1)
                for e in res.exchanges
            ],
            "voting_positions": {
                name: [float(v) for v in results[-1].voting_position[row]]
                for row, name in enumerate(names)
            },
        }
        return Forecast(
            model=self.name,
            issues=table.issues,
            outcome=np.asarray(path[-1], dtype=np.float64),
            path=np.vstack(path),
            converged=converged,
            details=details,
        )


def _check_size(candidates: int, number: int) -> None:
    """Refuse a round of more than :data:`MAX_CANDIDATES` candidates, before it is built."""
    if candidates > MAX_CANDIDATES:
        raise ForecastError(
            f"the exchange model would weigh {candidates:,} candidate exchanges in round {number}; "
            f"at most {MAX_CANDIDATES:,} are served (a round takes time quadratic in that number): "
            "use fewer actors or issues"
        )


def _exchange_record(
    round_no: int,
    exchange: Exchange,
    result: RoundResult,
    actors: list[str],
    issues: tuple[str, ...],
) -> dict[str, Any]:
    """A realised exchange as JSON-ready data: ``i`` moved on ``p``, ``j`` on ``q``."""
    i, j, p, q = exchange.i, exchange.j, exchange.p, exchange.q
    return {
        "round": round_no,
        "i": actors[i],
        "j": actors[j],
        "p": issues[p],
        "q": issues[q],
        "i_from": float(result.start_position[i, p]),
        "i_to": float(result.voting_position[i, p]),
        "j_from": float(result.start_position[j, q]),
        "j_to": float(result.voting_position[j, q]),
        "shift_p": exchange.shift_p,
        "shift_q": exchange.shift_q,
        "gain_i": exchange.gain_i,
        "gain_j": exchange.gain_j,
    }

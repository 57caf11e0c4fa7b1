"""The steps of the exchange-of-voting-positions model, one small pure function each.

Stokman, F. N. & Van Oosten, R. (1994). "The exchange of voting positions: an object-oriented
model of policy networks". In Bueno de Mesquita & Stokman (eds.), *European Community Decision
Making*, Yale University Press, 105-127. The equal-gain variant follows the Decide program
(foarsitter/decide-exchange-model, GPL-3.0; specification written from reading it, no code
copied): see ``shared/reference/models.md`` section 3, whose step numbers are cited below.

Vocabulary. Issues ``p`` and ``q``; actors ``i`` and ``j`` stand on opposite sides of the issue
outcome on both issues. ``i`` is relatively more salient on ``q`` and ``j`` on ``p``, so ``i``
*supplies* a move of its voting position on ``p`` towards ``j`` (``i`` *demands* ``q``) and ``j``
supplies a move on ``q`` towards ``i``. A move of ``Δx`` by an actor with salience ``s`` and
capability ``c`` shifts the outcome by ``Δx·s·c / Σ c s`` (Decide's "exchange ratio"); the
*shift* of the outcome, not the move itself, is what gains are measured in.

Arrays: ``position``, ``salience`` and ``capability`` have shape ``(n_actors, k)`` (capability
broadcast per issue, because Decide's input allows a power per actor and issue).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from burdenshare.forecasting.scaling import unit_exponent

__all__ = [
    "Exchange",
    "SplitRule",
    "candidate_count",
    "compromise",
    "equal_gain_ratio",
    "equal_gain_split",
    "evaluate_exchange",
    "exchange_gain",
    "max_shift",
    "new_start_position",
    "opposite_pairs",
    "orient",
    "outcome_shift",
    "position_move",
]

FloatArray = npt.NDArray[np.float64]

#: relative tolerance under which two actors' relative saliences count as equal (no exchange)
TIE_RTOL = 1e-12

#: how the two outcome shifts of an exchange are set from their maxima and the four saliences:
#: ``split(max_p, max_q, s_ip, s_jp, s_iq, s_jq) -> (shift_p, shift_q)``
SplitRule = Callable[[float, float, float, float, float, float], tuple[float, float]]


def compromise(position: FloatArray, salience: FloatArray, capability: FloatArray) -> FloatArray:
    """Step 1: the issue outcome ``O_d = Σ_i c_id s_id x_id / Σ_i c_id s_id`` per issue.

    Decide calls it the Nash bargaining solution; it is the compromise model (models.md §2.1,
    §3 step 1; Stokman & Van Oosten 1994 use it as the outcome of voting positions).

    Positions beyond ``2^960`` are summed in units of a power of two (exact), so that the sum
    cannot overflow.

    >>> x = np.array([[0.0], [100.0], [100.0]])
    >>> one = np.ones((3, 1))
    >>> compromise(x, one, one)
    array([66.66666667])
    """
    weight = capability * salience
    e = unit_exponent(position)
    e = e if e > 960 else 0
    mean = (weight * np.ldexp(position, -e)).sum(axis=0) / weight.sum(axis=0)
    return np.asarray(np.ldexp(mean, e), dtype=np.float64)


def opposite_pairs(
    position: FloatArray, outcome: FloatArray, p: int, q: int
) -> list[tuple[int, int]]:
    """Step 2: the pairs ``(i, j)``, ``i < j``, on opposite sides of the outcome on ``p`` and ``q``.

    Decide sorts actors into four groups by side (a: below/below, b: below/above, c: above/below,
    d: above/above); the candidates are a×d and b×c, so there are ``|a||d| + |b||c|`` of them.
    An actor exactly at the outcome is on neither side and trades nothing on that issue.

    >>> x = np.array([[0.0, 0.0], [10.0, 10.0], [0.0, 10.0]])
    >>> opposite_pairs(x, np.array([5.0, 5.0]), 0, 1)
    [(0, 1)]
    """
    side = np.sign(position[:, [p, q]] - outcome[[p, q]])
    n = position.shape[0]
    return [
        (i, j)
        for i, j in itertools.combinations(range(n), 2)
        if side[i, 0] != 0
        and side[i, 1] != 0
        and side[j, 0] == -side[i, 0]
        and side[j, 1] == -side[i, 1]
    ]


def candidate_count(position: FloatArray, outcome: FloatArray) -> int:
    """Step 2's count, Decide's ``|a||d| + |b||c|`` summed over issue pairs, without listing pairs.

    The number of pairs :func:`opposite_pairs` would list over every issue pair, in O(n k^2)
    time and O(n) memory, so that a round's size can be checked before it is built.

    >>> x = np.array([[0.0, 0.0], [10.0, 10.0], [0.0, 10.0]])
    >>> candidate_count(x, np.array([5.0, 5.0]))
    1
    """
    side = np.sign(position - outcome)
    total = 0
    for p, q in itertools.combinations(range(position.shape[1]), 2):
        lo_p, hi_p, lo_q, hi_q = side[:, p] < 0, side[:, p] > 0, side[:, q] < 0, side[:, q] > 0
        a, b = int(np.sum(lo_p & lo_q)), int(np.sum(lo_p & hi_q))
        c, d = int(np.sum(hi_p & lo_q)), int(np.sum(hi_p & hi_q))
        total += a * d + b * c
    return total


def orient(salience: FloatArray, a: int, b: int, p: int, q: int) -> tuple[int, int] | None:
    """Step 2: who supplies which issue: ``(supplier of p, supplier of q)``, or ``None`` on a tie.

    The actor whose salience ratio ``s_p / s_q`` is lower supplies ``p`` (it cares relatively
    more about ``q``). Compared by cross-multiplying, ``s_ap·s_bq`` vs ``s_bp·s_aq``, so zero
    saliences need no special case; equal ratios (within :data:`TIE_RTOL`) give no exchange,
    because an equal-gain exchange between them would gain nothing.

    >>> s = np.array([[0.2, 0.8], [0.8, 0.2]])
    >>> orient(s, 0, 1, 0, 1), orient(s, 1, 0, 0, 1), orient(s, 0, 0, 0, 1)
    ((0, 1), (0, 1), None)
    """
    lhs = salience[a, p] * salience[b, q]
    rhs = salience[b, p] * salience[a, q]
    if abs(lhs - rhs) <= TIE_RTOL * max(abs(lhs), abs(rhs)):
        return None
    return (a, b) if lhs < rhs else (b, a)


def outcome_shift(delta_x: float, salience: float, capability: float, total: float) -> float:
    """Step 3: the shift of ``O_d`` when one actor moves by ``delta_x``: ``Δx·s·c / Σ c s``.

    Decide's ``exchange_ratio`` / ``by_absolute_move``.

    >>> round(outcome_shift(75.0, 0.6, 1.0, 3.42), 9)  # 45 / 3.42
    13.157894737
    """
    return delta_x * salience * capability / total


def position_move(shift: float, salience: float, capability: float, total: float) -> float:
    """Step 3 inverted: the move that shifts ``O_d`` by ``shift``: ``shift·Σ c s / (s·c)``.

    Decide's ``reverse_move``. Zero when the shift is zero (an actor without weight cannot move
    the outcome, and is never asked to).

    >>> round(position_move(10.0, 0.5, 1.0, 2.0), 12)
    40.0
    """
    if shift == 0.0:
        return 0.0
    return shift * total / (salience * capability)


def max_shift(
    x_mover: float,
    x_partner: float,
    outcome: float,
    salience: float,
    capability: float,
    total: float,
) -> float:
    """Step 4 caps: the largest shift of ``O`` a supplier can give on its supply issue.

    The mover goes at most to its partner's position, and the outcome goes at most to the
    partner's (the demander's) position: ``min(|x_j − x_i|·s_i·c_i / Σ c s, |x_j − O|)``
    (Decide's ``check_nbs`` / ``adjusted_nbs_by_position``).

    >>> max_shift(0.0, 60.0, 56.0, 0.2, 1.0, 1.2)  # the outcome cap binds: 60 − 56 = 4 < 10
    4.0
    """
    by_position = outcome_shift(abs(x_partner - x_mover), salience, capability, total)
    return float(min(by_position, abs(x_partner - outcome)))


def equal_gain_ratio(s_ip: float, s_jp: float, s_iq: float, s_jq: float) -> float:
    """Steps 3-4: ``shift_q / shift_p`` at which both partners gain the same.

    ``i`` supplies ``p`` and gains ``s_iq·shift_q − s_ip·shift_p``; ``j`` supplies ``q`` and
    gains ``s_jp·shift_p − s_jq·shift_q``. Equal gains give
    ``shift_q = shift_p·(s_ip + s_jp) / (s_iq + s_jq)`` (models.md: Decide's
    ``by_exchange_ratio``, ``(s_i,supply + s_j,demand) / (s_i,demand + s_j,supply)``).

    >>> round(equal_gain_ratio(0.95, 0.95, 0.9, 0.6), 12)  # 1.9 / 1.5
    1.266666666667
    """
    return (s_ip + s_jp) / (s_iq + s_jq)


def equal_gain_split(
    max_p: float, max_q: float, s_ip: float, s_jp: float, s_iq: float, s_jq: float
) -> tuple[float, float]:
    """Step 4: the largest equal-gain pair of shifts within both caps.

    One partner moves as far as its cap allows and the other moves what equal gain requires;
    if that would exceed the other's cap, the roles swap (Decide first tries ``by_absolute_move``
    on one side, then the other). Equivalently ``shift_p = min(max_p, max_q / r)`` with
    ``r`` = :func:`equal_gain_ratio`.

    >>> equal_gain_split(40.0, 10.0, 0.5, 0.5, 0.5, 0.5)
    (10.0, 10.0)
    """
    ratio = equal_gain_ratio(s_ip, s_jp, s_iq, s_jq)
    shift_p = min(max_p, max_q / ratio)
    return shift_p, shift_p * ratio


def exchange_gain(
    shift_supply: float, shift_demand: float, s_supply: float, s_demand: float
) -> float:
    """Step 4: an actor's gain ``s_demand·shift_demand − s_supply·shift_supply``.

    Linear (salience-weighted) loss in the outcome's distance: the actor gains what the outcome
    moves towards it on the issue it demands and loses what it moves away on the issue it
    supplies (models.md writes it with an absolute value; it is never negative here).

    >>> round(exchange_gain(10.0, 10.0, 0.2, 0.8), 12)
    6.0
    """
    return s_demand * shift_demand - s_supply * shift_supply


def new_start_position(
    salience: FloatArray | float,
    x: FloatArray | float,
    y: FloatArray | float,
    a: float = 0.4,
    b: float = 0.1,
) -> FloatArray:
    """Step 5: the position an actor starts the next round from.

    ``(1 − s)·a·y + b·y + (1 − (1 − s)·a − b)·x``: the old position ``x`` moves towards the
    voting position ``y`` the actor took in exchanges, more so when the issue matters less to it.

    >>> float(new_start_position(1.0, 0.0, 100.0)), float(new_start_position(1.0, 100.0, 0.0))
    (10.0, 90.0)
    """
    s = np.asarray(salience, dtype=np.float64)
    weight = (1.0 - s) * a + b
    return np.asarray(weight * np.asarray(y) + (1.0 - weight) * np.asarray(x), dtype=np.float64)


@dataclass(frozen=True)
class Exchange:
    """One exchange: ``i`` moves on ``p`` towards ``j``, ``j`` moves on ``q`` towards ``i``.

    ``shift_p`` and ``shift_q`` are the (unsigned) shifts of the outcome; ``move_i`` and
    ``move_j`` the signed changes of the two voting positions; ``gain_i`` and ``gain_j`` the
    gains of :func:`exchange_gain` (equal in the equal-gain model, up to rounding).
    """

    i: int
    j: int
    p: int
    q: int
    shift_p: float
    shift_q: float
    move_i: float
    move_j: float
    gain_i: float
    gain_j: float

    @property
    def gain(self) -> float:
        """The mean of the two gains: the priority of the exchange (step 5)."""
        return 0.5 * (self.gain_i + self.gain_j)

    def actor_issues(self) -> tuple[tuple[int, int], ...]:
        """The four actor-issue combinations the exchange uses."""
        return ((self.i, self.p), (self.i, self.q), (self.j, self.p), (self.j, self.q))


def evaluate_exchange(
    position: FloatArray,
    salience: FloatArray,
    capability: FloatArray,
    outcome: FloatArray,
    i: int,
    j: int,
    p: int,
    q: int,
    split: SplitRule = equal_gain_split,
) -> Exchange | None:
    """Steps 2-4 for one oriented pair (``i`` supplies ``p``, ``j`` supplies ``q``) at ``outcome``.

    ``None`` when the pair is no longer on opposite sides of the outcome on both issues, or when
    the exchange would shift nothing or gain nothing.
    """
    x = position
    if (x[i, p] - outcome[p]) * (x[j, p] - outcome[p]) >= 0:
        return None
    if (x[i, q] - outcome[q]) * (x[j, q] - outcome[q]) >= 0:
        return None
    total = (capability * salience).sum(axis=0)
    cap_p = max_shift(x[i, p], x[j, p], outcome[p], salience[i, p], capability[i, p], total[p])
    cap_q = max_shift(x[j, q], x[i, q], outcome[q], salience[j, q], capability[j, q], total[q])
    if cap_p <= 0.0 or cap_q <= 0.0:
        return None
    shift_p, shift_q = split(
        cap_p, cap_q, salience[i, p], salience[j, p], salience[i, q], salience[j, q]
    )
    gain_i = exchange_gain(shift_p, shift_q, salience[i, p], salience[i, q])
    gain_j = exchange_gain(shift_q, shift_p, salience[j, q], salience[j, p])
    if shift_p <= 0.0 or gain_i <= 0.0 or gain_j <= 0.0:
        return None
    move_i = _bounded_move(
        position_move(shift_p, salience[i, p], capability[i, p], total[p]), x[i, p], x[j, p]
    )
    move_j = _bounded_move(
        position_move(shift_q, salience[j, q], capability[j, q], total[q]), x[j, q], x[i, q]
    )
    return Exchange(
        i=i, j=j, p=p, q=q,
        shift_p=float(shift_p), shift_q=float(shift_q),
        move_i=move_i, move_j=move_j,
        gain_i=float(gain_i), gain_j=float(gain_j),
    )  # fmt: skip


def _bounded_move(size: float, start: float, towards: float) -> float:
    """A move of ``size`` from ``start`` towards ``towards``, never past it (rounding guard)."""
    return float(np.sign(towards - start) * min(size, abs(towards - start)))

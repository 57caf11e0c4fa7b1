"""Nash equilibrium contributions to an alliance's defence (Olson & Zeckhauser 1966), with the
joint-product extension in which part of an ally's defence benefits only itself (Sandler 1977).

The model. Ally ``i`` has income ``y_i`` (its GDP) and spends ``q_i`` on defence. Defence is a
joint product: of each unit an ally spends, a share ``s`` (``private_share``) yields benefits
only to that ally (protecting its own coasts, its own interests abroad) and ``1 - s`` yields
deterrence enjoyed by every ally (Sandler 1977; Sandler & Hartley 2001). Ally ``i``
enjoys the defence ``z_i = s q_i + (1 - s) Q``, ``Q = sum_j q_j``, and maximises the Cobb-Douglas
utility ::

    U_i = (y_i - q_i) ** (1 - a_i) * z_i ** a_i ,     0 < a_i < 1          (1)

With ``s = 0`` defence is a pure public good: Olson & Zeckhauser's (1966) model in the
Cobb-Douglas form Bergstrom, Blume & Varian (1986) solve. The specification of ``z_i`` (fixed
proportions, the two outputs perfect substitutes) is an assumption of this package chosen for its
closed form; Sandler's joint-product model is more general.

Best response (first-order condition of (1), with ``z_i = q_i + (1 - s) Q_-i``)::

    q_i = max(0, a_i y_i - (1 - a_i)(1 - s) Q_-i)                          (2)

(for ``s = 0``: the Cobb-Douglas case of BBV 1986). At an equilibrium with total
``Q`` a contributor's spending is, solving (2) with ``Q_-i = Q - q_i``, ::

    q_i = (a_i y_i - k_i Q) / d_i,  k_i = (1 - a_i)(1 - s),  d_i = 1 - k_i     (3)

and ``i`` contributes if and only if ``Q < a_i y_i / k_i``. Summing (3) over the contributing set
``C`` gives the closed form ::

    Q = sum_C (a_i y_i / d_i) / (1 + sum_C k_i / d_i)                        (4)

The equilibrium is unique: ``Q = sum_i max(0, (a_i y_i - k_i Q) / d_i)`` has a decreasing
right-hand side (BBV 1986 prove uniqueness for the pure public good). It is found as BBV find it:
sort the allies by their threshold ``a_i y_i / k_i``, add them one at a time, and stop at the
first whose threshold does not exceed the ``Q`` of (4) for the allies before it.

Neutrality (Warr 1983; BBV 1986): with ``s = 0``, (4) depends on the contributors'
incomes only through their sum, so a transfer of income among contributors that leaves the
contributing set unchanged leaves ``Q`` unchanged. Identical allies (``a``, ``y``; all
contribute) spend, from (4), ::

    q = a y / (1 + (n - 1)(1 - a)(1 - s))                                  (5)

which falls towards 0 as ``n`` grows when ``s = 0`` (Olson & Zeckhauser's suboptimality in
large groups) and is ``a y`` (no free riding) when ``s = 1``.

References: M. Olson and R. Zeckhauser (1966), "An economic theory of alliances", Review of
Economics and Statistics 48(3): 266-279. T. Bergstrom, L. Blume and H. Varian (1986), "On the
private provision of public goods", Journal of Public Economics 29: 25-49. P. Warr (1983), "The
private provision of a public good is independent of the distribution of income", Economics
Letters 13: 207-211. T. Sandler (1977), "Impurity of defense: an application to the economics of
alliances", Kyklos 30(3): 443-460. T. Sandler and K. Hartley (2001), "Economics of alliances: the
lessons for collective action", Journal of Economic Literature 39(3): 869-896.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from burdenshare.alliance.records import Equilibrium
from burdenshare.errors import ScenarioError

__all__ = ["best_response", "identical_allies_contribution", "nash_contributions"]


def _check_share(private_share: float) -> float:
    s = float(private_share)
    if not (math.isfinite(s) and 0.0 <= s <= 1.0):
        raise ScenarioError(
            "the private share of defence must lie in [0, 1]",
            field="private_share",
            value=private_share,
            expected="a number in [0, 1]",
        )
    return s


def _check_allies(
    names: Sequence[str], incomes: Sequence[float], alphas: Sequence[float]
) -> tuple[np.ndarray, np.ndarray]:
    if not (len(names) == len(incomes) == len(alphas)) or not names:
        raise ScenarioError(
            "one income and one preference weight per ally are needed",
            field="allies",
            value=(len(names), len(incomes), len(alphas)),
            expected="at least one ally; as many incomes and weights as names",
        )
    if len(set(names)) != len(names):
        raise ScenarioError("ally names must be distinct", field="allies", value=list(names))
    y = np.asarray(incomes, dtype=np.float64)
    a = np.asarray(alphas, dtype=np.float64)
    for i, name in enumerate(names):
        if not (math.isfinite(y[i]) and y[i] > 0.0):
            raise ScenarioError(
                "an ally's income must be positive",
                field=f"{name}.income",
                value=float(y[i]),
                expected="a finite number > 0",
            )
        if not (math.isfinite(a[i]) and 0.0 < a[i] < 1.0):
            raise ScenarioError(
                "an ally's weight on defence must lie strictly between 0 and 1",
                field=f"{name}.alpha",
                value=float(a[i]),
                expected="a number in (0, 1)",
            )
    return y, a


def best_response(income: float, alpha: float, others: float, private_share: float = 0.0) -> float:
    """Equation (2): the spending that maximises (1) given the others' total ``others``.

    >>> best_response(100.0, 0.2, 10.0)   # 0.2 * 100 - 0.8 * 10
    12.0
    >>> best_response(100.0, 0.2, 30.0)   # the others already provide enough: free ride
    0.0
    """
    s = _check_share(private_share)
    return max(0.0, alpha * income - (1.0 - alpha) * (1.0 - s) * others)


def identical_allies_contribution(
    n: int, income: float, alpha: float, private_share: float = 0.0
) -> float:
    """Equation (5): each of ``n`` identical allies' equilibrium spending.

    >>> identical_allies_contribution(1, 100.0, 0.2)   # alone: a y
    20.0
    >>> round(identical_allies_contribution(4, 100.0, 0.2), 6)   # 20 / (1 + 3 * 0.8)
    5.882353
    """
    s = _check_share(private_share)
    if n < 1:
        raise ScenarioError("an alliance has at least one ally", field="n", value=n)
    return alpha * income / (1.0 + (n - 1) * (1.0 - alpha) * (1.0 - s))


def nash_contributions(
    names: Sequence[str],
    incomes: Sequence[float],
    alphas: Sequence[float],
    private_share: float = 0.0,
) -> Equilibrium:
    """The unique Nash equilibrium of (1): equation (4) on the contributing set found by BBV's
    algorithm (thresholds ``a_i y_i / k_i`` in decreasing order).

    >>> eq = nash_contributions(["big", "small"], [300.0, 100.0], [0.2, 0.2])
    >>> eq.contributors, eq.total   # (0.2 * 300 / 0.2) / (1 + 0.8 / 0.2) = 60 = a y alone
    (('big',), 60.0)
    >>> eq.burdens                  # spending / income: the small ally free-rides (25 < 60)
    (0.2, 0.0)
    """
    s = _check_share(private_share)
    y, a = _check_allies(names, incomes, alphas)
    k = (1.0 - a) * (1.0 - s)
    d = 1.0 - k
    with np.errstate(divide="ignore"):
        threshold = np.where(k > 0.0, a * y / np.where(k > 0.0, k, 1.0), np.inf)
    order = np.argsort(-threshold, kind="stable")
    num = 0.0
    den = 1.0
    total = 0.0
    members: list[int] = []
    for i in order:
        if members and not threshold[i] > total:
            break
        num += a[i] * y[i] / d[i]
        den += k[i] / d[i]
        members.append(int(i))
        total = num / den
    q = np.zeros_like(y)
    for i in members:
        q[i] = max(0.0, (a[i] * y[i] - k[i] * total) / d[i])
    contributors = tuple(names[i] for i in sorted(members) if q[i] > 0.0)
    return Equilibrium(
        names=tuple(names),
        incomes=tuple(float(v) for v in y),
        alphas=tuple(float(v) for v in a),
        private_share=s,
        contributions=tuple(float(v) for v in q),
        total=float(q.sum()),
        contributors=contributors,
    )

"""The exploitation hypothesis weakens as defence becomes a private good (Sandler 1977;
Sandler & Hartley 2001, on joint products).

In the pure public-good model (``s = 0``) allies that share a weight ``a`` on defence but differ
in income bear unequal burdens: small allies free-ride and the largest spends the largest share
of its income (Olson & Zeckhauser 1966, the "exploitation of the great by the small"). When a
share ``s`` of each ally's defence benefits only itself, the incentive to free-ride falls; with
``s = 1`` every ally spends ``a y_i`` and the burdens are equal.

Closed form when every ally contributes (from equation (4) of
:mod:`burdenshare.alliance.equilibrium` with a common ``a``; ``Y`` the allies' total income,
``k = (1 - a)(1 - s)``, ``d = 1 - k``)::

    Q = a Y / (d + n k),     burden_i = q_i / y_i = (a - k Q / y_i) / d          (6)

so the ratio of the smallest to the largest burden is
``(1 - c / y_min) / (1 - c / y_max)`` with ``c = k Y / (1 + (n - 1) k)``, which rises with ``s``
(``c`` falls as ``k`` falls) and reaches 1 at ``s = 1``. With free riders, the numeric
equilibrium shows the same (the property tests check it).
"""

from __future__ import annotations

from collections.abc import Sequence

from burdenshare.alliance.equilibrium import nash_contributions
from burdenshare.alliance.records import CurvePoint, Equilibrium
from burdenshare.errors import ScenarioError

__all__ = ["all_contribute_burdens", "burden_ratio", "exploitation_curve"]


def burden_ratio(eq: Equilibrium) -> float:
    """The smallest burden over the largest (0 with a free rider, 1 when equal).

    >>> from burdenshare.alliance.equilibrium import nash_contributions
    >>> burden_ratio(nash_contributions(["a", "b"], [300.0, 100.0], [0.2, 0.2], 1.0))
    1.0
    """
    burdens = eq.burdens
    top = max(burdens)
    return min(burdens) / top if top > 0.0 else 1.0


def all_contribute_burdens(
    incomes: Sequence[float], alpha: float, private_share: float
) -> tuple[float, ...]:
    """Equation (6): the burdens when every ally contributes (a common weight ``alpha``).

    >>> [round(b, 4) for b in all_contribute_burdens([200.0, 150.0], 0.5, 0.0)]
    [0.4167, 0.2222]
    """
    n = len(incomes)
    k = (1.0 - alpha) * (1.0 - private_share)
    d = 1.0 - k
    total = alpha * sum(incomes) / (d + n * k)
    burdens = tuple((alpha - k * total / y) / d for y in incomes)
    if min(burdens) < 0.0:
        raise ScenarioError(
            "not every ally contributes at this equilibrium: equation (6) does not apply",
            field="incomes",
            expected="use nash_contributions, which finds the contributing set",
        )
    return burdens


def exploitation_curve(
    names: Sequence[str],
    incomes: Sequence[float],
    alpha: float,
    private_shares: Sequence[float],
) -> tuple[CurvePoint, ...]:
    """The inequality of burdens at each private share (allies sharing the weight ``alpha``).

    >>> pts = exploitation_curve(["a", "b"], [300.0, 100.0], 0.2, [0.0, 0.5, 1.0])
    >>> [(p.private_share, round(p.burden_ratio, 3), p.free_riders) for p in pts]
    [(0.0, 0.0, 1), (0.5, 0.0, 1), (1.0, 1.0, 0)]
    """
    out = []
    for s in private_shares:
        eq = nash_contributions(names, incomes, [alpha] * len(names), s)
        big = max(range(len(names)), key=lambda i: eq.incomes[i])
        income_share = eq.incomes[big] / sum(eq.incomes)
        out.append(
            CurvePoint(
                private_share=eq.private_share,
                burden_ratio=burden_ratio(eq),
                largest_disproportion=(eq.contributions[big] / eq.total) / income_share,
                free_riders=sum(1 for q in eq.contributions if q == 0.0),
            )
        )
    return tuple(out)

"""Stationing costs, host-nation support and the indicators of burden sharing, with their working.

- :mod:`.model`: cost categories, direct and indirect support, :class:`Quantity` (an input with
  its source) and :class:`Computation` (a result with its formula and arithmetic); the sourced
  figures and the assumptions shipped in ``costs/data/``.
- :mod:`.indicators`: host share of the stationing cost, contribution per service member, shares
  of the defence budget and of GDP — pure functions.
- :mod:`.demand_rules`: "cost plus 50%" and similar rules → the demand they imply.

>>> from burdenshare.costs import figure, host_share
>>> host_share(figure("gao_rok_direct_support"), figure("gao_us_obligations")).display
'43.3%'
"""

from __future__ import annotations

from burdenshare.costs.demand_rules import (
    DemandRule,
    RuleKind,
    implied_demand,
    implied_markup,
    parse_rule,
)
from burdenshare.costs.indicators import (
    annual_average,
    change,
    host_share,
    host_share_of_combined,
    multiple,
    per_service_member,
    share_of_budget,
    share_of_gdp,
)
from burdenshare.costs.model import (
    CATEGORY_INFO,
    Assumption,
    Computation,
    CostCategory,
    Quantity,
    StationingCost,
    SupportKind,
    SupportRecord,
    assumption,
    assumptions,
    figure,
    figures,
    parse_quantity,
    split_unit,
)

__all__ = [
    "CATEGORY_INFO",
    "Assumption",
    "Computation",
    "CostCategory",
    "DemandRule",
    "Quantity",
    "RuleKind",
    "StationingCost",
    "SupportKind",
    "SupportRecord",
    "annual_average",
    "assumption",
    "assumptions",
    "change",
    "figure",
    "figures",
    "host_share",
    "host_share_of_combined",
    "implied_demand",
    "implied_markup",
    "multiple",
    "parse_quantity",
    "parse_rule",
    "per_service_member",
    "share_of_budget",
    "share_of_gdp",
    "split_unit",
]

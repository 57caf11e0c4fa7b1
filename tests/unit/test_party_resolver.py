"""One party model: ``party_parameters`` (one session) and ``batch_party`` (N sessions) resolve
the same numbers from the same sources (:mod:`burdenshare.preferences.sources`), and refuse the
same impossible values with the same error.

Before the two shared their sources, only ``batch_party`` checked the ranges: an override that
put an ideal outside its issue's range, or on the reservation, gave ``party_parameters`` a
utility with a zero or out-of-range denominator (utilities of +-inf or NaN) and no error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from burdenshare.engine.params import batch_party
from burdenshare.ensemble import draw, uncertain_parameters
from burdenshare.errors import SimulationError
from burdenshare.preferences import party_parameters
from burdenshare.preferences.issue_utility import NumericUtility
from burdenshare.scenario.io import load_scenario
from burdenshare.scenario.library import bundled_names, bundled_path
from burdenshare.scenario.scenario import Scenario


def _load(name: str) -> Scenario:
    return load_scenario(bundled_path(name)).scenario


def _dates(sc: Scenario) -> list[dt.date]:
    p = sc.protocol
    return [p.start, *(ev.date for ev in p.events), p.deadline]


def _numeric(part: Any) -> NumericUtility:
    assert isinstance(part, NumericUtility)
    return part


@pytest.mark.parametrize("name", bundled_names())
def test_both_resolvers_agree_on_every_bundled_scenario(name: str) -> None:
    """Session by session, on every date that matters, with every uncertain value drawn."""
    sc = _load(name)
    params = uncertain_parameters(sc)
    n = 24
    draws: dict[str, Any] = draw(params, n, seed=3, method="lhs") if params else {}
    for on in _dates(sc):
        for party in sc.party_names:
            batch = batch_party(sc, party, draws, n, on)
            for i in range(n):
                ov = {k: float(v[i]) for k, v in draws.items()}
                one = party_parameters(sc, party, on=on, overrides=ov)
                for j, part in enumerate(one.utility.parts):
                    u = _numeric(part)
                    assert batch.ideal[j][i] == u.ideal
                    assert batch.reservation[j][i] == u.reservation
                    assert batch.weight[j][i] == one.utility.weights[j]
                assert batch.discount[i] == one.discount
                assert batch.outside[i] == one.outside_option
                if one.ratification_threshold is None:
                    assert np.isnan(batch.threshold[i])
                else:
                    assert batch.threshold[i] == one.ratification_threshold
                    assert batch.belief[i] == one.ratification_belief


def _both(sc: Scenario, party: str, path: str, value: float) -> list[str]:
    """The two resolvers' error messages for one override (an N = 3 draw for the batch)."""
    messages = []
    with pytest.raises(SimulationError) as one:
        party_parameters(sc, party, on=sc.protocol.start, overrides={path: value})
    messages.append(str(one.value))
    with pytest.raises(SimulationError) as many:
        batch_party(sc, party, {path: np.array([value, value, value])}, 3, sc.protocol.start)
    messages.append(str(many.value))
    return messages


@pytest.mark.parametrize(
    ("what", "value"),
    [
        ("ideal", 7000.0),
        ("reservation", 850.0),
        ("ideal", float("nan")),
        ("reservation", float("inf")),
    ],
)
def test_a_value_outside_the_range_is_refused_by_both(what: str, value: float) -> None:
    sc = _load("us-rok-sma-2019")  # contribution's range is [900, 6500]
    path = f"parties.US.utility.contribution.{what}"
    one, many = _both(sc, "US", path, value)
    assert one == many
    for fragment in ("US", what, "'contribution'", "[900, 6500]", f"{value:g}"):
        assert fragment in one


def test_an_ideal_on_the_reservation_is_refused_by_both() -> None:
    sc = _load("us-rok-sma-2019")
    res = _numeric(party_parameters(sc, "ROK").utility.parts[0]).reservation
    one, many = _both(sc, "ROK", "parties.ROK.utility.contribution.ideal", res)
    assert one == many
    for fragment in ("ROK", "ideal equal its reservation", "'contribution'", f"{res:g}"):
        assert fragment in one

"""Every registered forecaster meets the forecaster contract (burdenshare.testing.forecasters).

The contract runs once per name in ``FORECASTERS`` (a new registry entry is covered
automatically). A model whose module is not importable yet is skipped with the reason. Exemptions
are explicit twice over: the model class declares ``contract_exemptions`` with a reason, and
``EXPECTED_EXEMPTIONS`` below pins which checks each registered model is exempt from, so an
exemption cannot appear (or vanish) silently. Exempt checks show up as skips with the reason.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from burdenshare.errors import ForecastError
from burdenshare.forecasting import ActorTable, Forecaster
from burdenshare.forecasting.registry import FORECASTERS, make_forecaster
from burdenshare.testing.forecasters import (
    EXEMPTIBLE,
    ForecasterContract,
    check_affine,
    check_deterministic,
    check_in_range,
    check_relabelling,
    check_to_dict,
    exemption,
    training_data,
)

#: the checks each registered model is exempt from (and declares, with a reason, on its class)
EXPECTED_EXEMPTIONS: dict[str, set[str]] = {
    "reference-point": {"range"},
    # jmckib's order-dependent "scan" median (models.md §1.3): relabelling can move the forecast
    "bdm-scholz": {"relabelling"},
}


def _available(name: str) -> Forecaster:
    """A fresh forecaster, or a visible skip when its module is not written/installed yet."""
    try:
        return make_forecaster(name)
    except ForecastError as exc:
        if "not available" in str(exc):
            pytest.skip(f"{name}: {exc}")
        raise


def test_registry_names_are_all_in_the_contract() -> None:
    """The contract class below is parametrised over exactly the registry."""
    assert sorted(TestRegisteredForecasters.names) == sorted(FORECASTERS)


@pytest.mark.parametrize("name", sorted(FORECASTERS))
def test_declared_exemptions_are_the_expected_ones(name: str) -> None:
    _check_exemptions(name, _available(name))


def _check_exemptions(name: str, model: Forecaster) -> None:
    declared = {k for k in EXEMPTIBLE if exemption(model, k)}
    expected = EXPECTED_EXEMPTIONS.get(name, set())
    assert declared == expected, (
        f"{name} declares contract exemptions {sorted(declared)} but {sorted(expected)} are "
        "expected: declare them (with a reason) in the model's contract_exemptions, or update "
        "EXPECTED_EXEMPTIONS in this file"
    )


class TestRegisteredForecasters(ForecasterContract):
    """The contract, once per registry entry."""

    names = sorted(FORECASTERS)
    spec: str

    @pytest.fixture(autouse=True, params=names)
    def _registered(self, request: pytest.FixtureRequest) -> None:
        self.spec = request.param
        _available(self.spec)

    def make_forecaster(self) -> Forecaster:
        return make_forecaster(self.spec)

    def report_exemption(self, check: str, reason: str) -> None:
        pytest.skip(f"{self.spec} is exempt from {check!r}: {reason}")


# -- property-based: the same checks on generated tables ------------------------------------------
@st.composite
def actor_tables(draw: st.DrawFn) -> ActorTable:
    """2-12 actors, 1-3 issues, positions on a 0-100 grid, saliences and capabilities > 0."""
    n = draw(st.integers(2, 12))
    k = draw(st.integers(1, 3))
    grid = st.integers(0, 20).map(lambda v: 5.0 * v)
    position = np.array(draw(st.lists(grid, min_size=n * k, max_size=n * k))).reshape(n, k)
    unit = st.integers(1, 20).map(lambda v: v / 20)
    salience = np.array(draw(st.lists(unit, min_size=n * k, max_size=n * k))).reshape(n, k)
    tenths = st.integers(1, 50).map(lambda v: v / 10)
    capability = np.array(draw(st.lists(tenths, min_size=n, max_size=n)))
    reference = np.array(draw(st.lists(grid, min_size=k, max_size=k)))
    return ActorTable(
        actors=tuple(f"a{i}" for i in range(n)),
        issues=tuple(f"i{j}" for j in range(k)),
        position=position,
        salience=salience,
        capability=capability,
        reference=reference,
        scale=tuple((0.0, 100.0) for _ in range(k)),
    )


_fitted: dict[str, Forecaster] = {}


def _fitted_model(name: str) -> Forecaster:
    if name not in _fitted:
        _fitted[name] = _available(name).fit(*training_data())
    return _fitted[name]


@pytest.mark.parametrize("name", sorted(FORECASTERS))
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(table=actor_tables())
def test_contract_on_generated_tables(name: str, table: ActorTable) -> None:
    model = _fitted_model(name)
    _check_exemptions(name, model)
    check_deterministic(model, table)
    check_to_dict(model, table)
    for check, fn in (
        ("range", check_in_range),
        ("relabelling", check_relabelling),
        ("affine", check_affine),
    ):
        if exemption(model, check) is None:
            fn(model, table)

"""A contract every forecaster should meet, as a mixin for your own test classes.

Subclass :class:`ForecasterContract` and return a fresh forecaster from ``make_forecaster``;
pytest then runs every ``test_*`` method below on it::

    from burdenshare.testing.forecasters import ForecasterContract

    class TestMyModel(ForecasterContract):
        def make_forecaster(self):
            return MyModel(rounds=5)

The checks: metadata (``name``, ``source``, well-formed ``contract_exemptions``); ``__init__``
stores its parameters only (``vars``, ``get_params``/``clone``/``repr`` round-trip, pickling);
``fit`` returns ``self``; the same input gives an identical forecast; the forecast lies inside
the actors' positions on every issue; relabelling (permuting) the actors changes nothing; an
affine change of the position scale ``a·x + b`` (``a > 0``) moves the forecast the same way;
``Forecast.to_dict()`` is strict JSON; a table without a reference point is either forecast or
refused with :class:`~burdenshare.errors.ForecastError`.

Each forecaster is first fitted on :func:`training_data` (models that learn nothing ignore it).
A model may be exempt from a property-like check by declaring, with a reason,

    contract_exemptions = {"relabelling": "order-dependent median scan, as in Scholz's code"}

on its class (keys: :data:`EXEMPTIBLE`). An exempt check is not run; it is reported through
:meth:`ForecasterContract.report_exemption` (a :class:`ContractExemption` warning by default;
the test suite turns it into a visible skip). The same checks are plain functions
(``check_*``) for property-based tests over generated tables. Nothing here needs pytest.
"""

from __future__ import annotations

import json
import pickle
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable, Forecaster

__all__ = [
    "EXEMPTIBLE",
    "ContractExemption",
    "ForecasterContract",
    "affine_table",
    "check_affine",
    "check_deterministic",
    "check_in_range",
    "check_relabelling",
    "check_to_dict",
    "contract_tables",
    "exemption",
    "permuted_table",
    "training_data",
]

FloatArray = npt.NDArray[np.float64]

#: checks a forecaster may declare itself exempt from, with what each one promises
EXEMPTIBLE: Mapping[str, str] = {
    "range": "the forecast lies within the actors' positions on every issue",
    "relabelling": "permuting the actors leaves the forecast unchanged",
    "affine": "mapping positions x -> a·x + b (a > 0) maps the forecast the same way",
}

#: tolerance of the invariance checks, relative to an issue's position range
RTOL = 1e-6


class ContractExemption(UserWarning):
    """A contract check was not run because the forecaster declared an exemption."""


def exemption(model: Forecaster, check: str) -> str | None:
    """The reason ``model`` gives for being exempt from ``check``, or None."""
    declared = getattr(model, "contract_exemptions", None) or {}
    reason = declared.get(check)
    return str(reason) if reason else None


# -- tables ----------------------------------------------------------------------------------------
def _random_table(rng: np.random.Generator, name: str) -> ActorTable:
    n = int(rng.integers(2, 13))
    k = int(rng.integers(1, 4))
    position = rng.choice(np.linspace(0.0, 100.0, 21), size=(n, k))
    salience = rng.uniform(0.05, 1.0, size=(n, k)).round(2)
    capability = rng.uniform(0.1, 5.0, size=n).round(2)
    # status quo: half the time among the actors' positions, half anywhere on the scale
    lo, hi = position.min(axis=0), position.max(axis=0)
    inside = rng.uniform(lo, hi)
    anywhere = rng.uniform(0.0, 100.0, size=k)
    reference = np.where(rng.random(k) < 0.5, inside, anywhere).round(1)
    return ActorTable(
        actors=tuple(f"{name}{i}" for i in range(n)),
        issues=tuple(f"issue{j}" for j in range(k)),
        position=position,
        salience=salience,
        capability=capability,
        reference=reference,
        scale=tuple((0.0, 100.0) for _ in range(k)),
    )


def contract_tables(seed: int = 20240601, count: int = 8) -> list[ActorTable]:
    """Small tables for the contract: random ones (2-12 actors, 1-3 issues) and edge cases.

    Every table has a reference point on every issue and the scale 0-100.

    >>> [t.n_actors for t in contract_tables()[:3]]
    [2, 3, 5]
    """
    rng = np.random.default_rng(seed)
    edge = [
        # two actors, one issue
        ActorTable.single(
            ["a", "b"], [10.0, 90.0], [1.0, 0.5], [1.0, 1.0], reference=50.0, scale=(0.0, 100.0)
        ),
        # everyone agrees on one issue, not on the other; one actor has no capability
        ActorTable(
            actors=("a", "b", "c"),
            issues=("agreed", "split"),
            position=np.array([[40.0, 0.0], [40.0, 100.0], [40.0, 60.0]]),
            salience=np.array([[0.5, 1.0], [1.0, 0.2], [0.3, 0.7]]),
            capability=np.array([1.0, 2.0, 0.0]),
            reference=np.array([40.0, 20.0]),
            scale=((0.0, 100.0), (0.0, 100.0)),
        ),
        # an actor that does not care; the status quo outside everyone's position
        ActorTable.single(
            ["a", "b", "c", "d", "e"],
            [0.0, 20.0, 20.0, 70.0, 100.0],
            [0.9, 0.0, 0.6, 0.4, 1.0],
            [3.0, 1.0, 1.0, 2.0, 0.5],
            reference=100.0,
            scale=(0.0, 100.0),
        ),
    ]
    return edge + [_random_table(rng, f"t{c}_") for c in range(count)]


def training_data(seed: int = 7, count: int = 12) -> tuple[list[ActorTable], list[FloatArray]]:
    """Tables and made-up outcomes (uniform within the actors' positions) to fit models on."""
    rng = np.random.default_rng(seed)
    tables = [_random_table(rng, "fit") for _ in range(count)]
    outcomes = [
        rng.uniform(t.position.min(axis=0), t.position.max(axis=0)).round(1) for t in tables
    ]
    return tables, outcomes


def permuted_table(table: ActorTable, order: Sequence[int] | npt.NDArray[np.int64]) -> ActorTable:
    """``table`` with its actors (rows) in ``order``."""
    idx = np.asarray(order)
    return ActorTable(
        actors=tuple(table.actors[i] for i in idx),
        issues=table.issues,
        position=table.position[idx],
        salience=table.salience[idx],
        capability=table.capability[idx],
        reference=table.reference,
        scale=table.scale,
    )


def affine_table(table: ActorTable, a: float, b: float) -> ActorTable:
    """``table`` with positions, reference points and scales mapped by ``x -> a·x + b``."""
    if not a > 0:
        raise ValueError(f"a must be > 0, got {a}")
    return ActorTable(
        actors=table.actors,
        issues=table.issues,
        position=a * table.position + b,
        salience=table.salience,
        capability=table.capability,
        reference=a * table.reference + b,
        scale=tuple((a * lo + b, a * hi + b) for lo, hi in table.scale),
    )


def _width(table: ActorTable) -> FloatArray:
    spread = table.position.max(axis=0) - table.position.min(axis=0)
    scale = np.array([hi - lo for lo, hi in table.scale])
    return np.asarray(np.maximum(np.maximum(spread, scale), 1e-12), dtype=np.float64)


# -- the checks as plain functions -----------------------------------------------------------------
def check_deterministic(model: Forecaster, table: ActorTable) -> None:
    """Two forecasts of the same table (by the model and by its clone) are identical."""
    first = model.predict(table)
    again = model.predict(table)
    assert np.array_equal(first.outcome, again.outcome, equal_nan=True), (
        f"{model!r}: two forecasts of the same table differ: {first.outcome} vs {again.outcome}"
    )
    assert first.to_dict() == again.to_dict(), f"{model!r}: same table, different to_dict()"
    assert first.outcome.shape == (table.n_issues,), f"{model!r}: outcome shape"
    assert first.issues == table.issues, f"{model!r}: forecast issues differ from the table's"
    assert np.all(np.isfinite(first.outcome)), f"{model!r}: non-finite forecast {first.outcome}"


def check_in_range(model: Forecaster, table: ActorTable) -> None:
    """Each issue's forecast lies within the actors' positions (to RTOL of the range)."""
    out = model.predict(table).outcome
    lo, hi = table.position.min(axis=0), table.position.max(axis=0)
    slack = RTOL * _width(table)
    bad = (out < lo - slack) | (out > hi + slack)
    assert not np.any(bad), (
        f"{model!r}: forecast {out[bad]} outside the actors' positions "
        f"[{lo[bad]}, {hi[bad]}] on {[table.issues[j] for j in np.flatnonzero(bad)]}"
    )


def check_relabelling(model: Forecaster, table: ActorTable, seed: int = 0) -> None:
    """Reversing, and randomly permuting, the actors leaves the forecast unchanged."""
    base = model.predict(table).outcome
    rng = np.random.default_rng(seed)
    orders: list[npt.NDArray[np.int64]] = [
        np.arange(table.n_actors)[::-1],
        rng.permutation(table.n_actors),
    ]
    for order in orders:
        got = model.predict(permuted_table(table, order)).outcome
        assert np.allclose(got, base, rtol=0, atol=RTOL * _width(table)), (
            f"{model!r}: relabelling the actors (order {order.tolist()}) moved the forecast "
            f"from {base} to {got}"
        )


def check_affine(
    model: Forecaster,
    table: ActorTable,
    maps: Sequence[tuple[float, float]] = ((2.0, 5.0), (0.01, -3.0)),
) -> None:
    """``x -> a·x + b`` on positions, reference and scale maps the forecast the same way."""
    base = model.predict(table).outcome
    for a, b in maps:
        got = model.predict(affine_table(table, a, b)).outcome
        assert np.allclose(got, a * base + b, rtol=0, atol=RTOL * a * _width(table)), (
            f"{model!r}: under x -> {a}x + {b} the forecast went to {got}, expected {a * base + b}"
        )


def check_to_dict(model: Forecaster, table: ActorTable) -> None:
    """The forecast's ``to_dict()`` is strict JSON (no NaN) and names the issues."""
    d = model.predict(table).to_dict()
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text)["outcome"].keys() == set(table.issues)


# -- the mixin -------------------------------------------------------------------------------------
class ForecasterContract:
    """Mixin of contract checks for one forecaster; see the module docstring."""

    #: seed of the random contract tables
    table_seed: ClassVar[int] = 20240601

    def make_forecaster(self) -> Forecaster:
        """A fresh, unfitted forecaster under test (override)."""
        raise NotImplementedError("return the forecaster under test from make_forecaster()")

    def tables(self) -> list[ActorTable]:
        """The tables the checks run on (override to add your own)."""
        return contract_tables(self.table_seed)

    def fitted(self) -> Forecaster:
        """A fresh forecaster fitted on :func:`training_data`."""
        return self.make_forecaster().fit(*training_data())

    def report_exemption(self, check: str, reason: str) -> None:
        """Called instead of an exempt check (override, e.g. with ``pytest.skip``)."""
        warnings.warn(
            f"{self.make_forecaster()!r} is exempt from {check!r}: {reason}",
            ContractExemption,
            stacklevel=2,
        )

    def _run(self, check: str, fn: Callable[[Forecaster, ActorTable], None]) -> None:
        model = self.fitted()
        reason = exemption(model, check)
        if reason is not None:
            self.report_exemption(check, reason)
            return
        for table in self.tables():
            fn(model, table)

    # -- the contract ------------------------------------------------------------------------------
    def test_metadata(self) -> None:
        model = self.make_forecaster()
        cls = type(model)
        assert isinstance(cls.name, str), f"{cls.__name__}.name must be a string"
        assert cls.name, f"{cls.__name__}.name must not be empty"
        assert isinstance(cls.source, str), f"{cls.__name__}.source must be a string"
        assert cls.source, f"{cls.__name__}.source must cite where the model comes from"
        declared = getattr(model, "contract_exemptions", None) or {}
        assert isinstance(declared, Mapping), f"{cls.__name__}.contract_exemptions must map"
        for key, reason in declared.items():
            assert key in EXEMPTIBLE, (
                f"{cls.__name__}.contract_exemptions: unknown check {key!r}; "
                f"choose from {sorted(EXEMPTIBLE)}"
            )
            assert isinstance(reason, str), f"{cls.__name__}: exemption reasons are strings"
            assert reason.strip(), f"{cls.__name__}.contract_exemptions[{key!r}] needs a reason"

    def test_init_stores_parameters_only(self) -> None:
        model = self.make_forecaster()
        names = set(model.param_names())
        assert set(vars(model)) <= names, (
            f"{model!r}: __init__ must only store its parameters {sorted(names)}, "
            f"found attributes {sorted(vars(model))}"
        )
        clone = model.clone()
        assert type(clone) is type(model)
        assert clone.get_params() == model.get_params()
        assert repr(clone) == repr(model)
        assert repr(pickle.loads(pickle.dumps(model))) == repr(model)

    def test_fit_returns_self(self) -> None:
        model = self.make_forecaster()
        assert model.fit(*training_data()) is model, f"{model!r}: fit must return self"
        assert model.get_params() == self.make_forecaster().get_params(), (
            f"{model!r}: fit must not change the parameters"
        )

    def test_deterministic(self) -> None:
        model = self.fitted()
        other = self.fitted()
        for table in self.tables():
            check_deterministic(model, table)
            assert np.array_equal(
                model.predict(table).outcome, other.predict(table).outcome, equal_nan=True
            ), f"{model!r}: two instances fitted alike forecast differently"

    def test_outcome_in_range(self) -> None:
        self._run("range", check_in_range)

    def test_relabelling_invariance(self) -> None:
        self._run("relabelling", check_relabelling)

    def test_affine_invariance(self) -> None:
        self._run("affine", check_affine)

    def test_to_dict_is_json(self) -> None:
        model = self.fitted()
        for table in self.tables():
            check_to_dict(model, table)

    def test_unknown_reference_is_forecast_or_refused(self) -> None:
        model = self.fitted()
        for table in self.tables():
            blank = ActorTable(
                actors=table.actors,
                issues=table.issues,
                position=table.position,
                salience=table.salience,
                capability=table.capability,
                scale=table.scale,
            )
            try:
                forecast = model.predict(blank)
            except ForecastError:
                continue
            assert np.all(np.isfinite(forecast.outcome)), (
                f"{model!r}: without a reference point, forecast {forecast.outcome}; "
                "raise ForecastError instead of returning NaN"
            )

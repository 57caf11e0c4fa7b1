"""The priors fitted on the record: known values, invariants, the JSON form and its errors."""

from __future__ import annotations

import importlib.util
import itertools
import json
import math
import statistics
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from burdenshare.errors import ScenarioError
from burdenshare.history.priors_fit import (
    PRIORS_PATH,
    FittedPriors,
    deadline_belief_days,
    fit_priors,
    load_priors,
    save_priors,
    walkaways,
    widened_quantiles,
)
from burdenshare.history.priors_report import fit_report

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "record_rounds.py"


def _fixture() -> ModuleType:
    spec = importlib.util.spec_from_file_location("record_rounds_fixture", FIXTURE)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


ROUNDS = _fixture().rok_rounds()


def _record() -> tuple[Any, ...]:
    """The rounds the shipped priors are fitted on: the bundled record."""
    from burdenshare.history.record import load_record

    return load_record()


def test_the_shipped_priors_are_the_fit_on_the_record() -> None:
    """Never hand-tuned: refitting on the record gives the shipped JSON exactly."""
    refit = fit_priors(_record())
    assert load_priors() == refit
    shipped = json.loads(PRIORS_PATH.read_text(encoding="utf-8"))
    assert shipped == json.loads(json.dumps(refit.to_dict()))


def test_known_values_on_the_us_rok_rounds() -> None:
    """ln(X/S) of the 7th-11th SMA: 725.5/680.4, 760.0/741.5, 920.0/869.5, 1038.9/960.2,
    1183.3/1038.9 (contributions.csv); k = t(0.9; 4) sqrt(1 + 1/5)."""
    p = fit_priors(ROUNDS)
    logs = [
        math.log(a / b)
        for a, b in [
            (725.5, 680.4),
            (760.0, 741.5),
            (920.0, 869.5),
            (1038.9, 960.2),
            (1183.3, 1038.9),
        ]
    ]
    assert p.settlement_log_mean == pytest.approx(statistics.fmean(logs), abs=1e-6)
    assert p.settlement_log_sd == pytest.approx(statistics.stdev(logs), abs=1e-6)
    assert p.settlement_interval_factor == pytest.approx(
        stats.t.ppf(0.9, 4) * math.sqrt(1.2), abs=1e-6
    )
    assert p.settlement_interval_factor == pytest.approx(1.6795, abs=1e-4)
    # shares: 9th (920-869.5)/(1000-869.5); 10th against 1,400; 11th against $1.3bn at 1,126
    shares = [
        (920 - 869.5) / (1000 - 869.5),
        (1038.9 - 960.2) / (1400 - 960.2),
        (1183.3 - 1038.9) / (1463.8 - 1038.9),
    ]
    assert p.ask_share == widened_quantiles(shares)
    assert p.n_ask_share == 3
    # delays: -25, +15 (recalled), +12, +41, +432 days after the expiry
    assert p.deal_delay_days == widened_quantiles([-25, 15, 12, 41, 432])
    # one round (the 11th) without a deal within 365 days of the expiry: (1 + 1/2) / (5 + 1)
    assert (p.n_no_deal, p.p_no_deal) == (1, 0.25)
    assert p.meeting_gap_days == 28.0  # the 11th SMA's rounds, median gap
    assert "annual_discount" in p.not_identified
    assert p.annual_discount == 0.75


def test_widened_quantiles_known_value() -> None:
    # 10%/90% points of 0..4 are 0.4 and 3.6; widened by 1 + 1/sqrt(5) around the median 2
    w = 1 + 1 / math.sqrt(5)
    assert widened_quantiles([4, 0, 3, 1, 2]) == pytest.approx((2 - 1.6 * w, 2, 2 + 1.6 * w))


def test_the_fit_is_deterministic_and_order_free() -> None:
    assert fit_priors(ROUNDS) == fit_priors(tuple(reversed(ROUNDS)))


@pytest.mark.parametrize("subset", list(itertools.combinations(range(len(ROUNDS)), 3)))
def test_any_three_rounds_fit_and_leave_one_out_works(subset: tuple[int, ...]) -> None:
    p = fit_priors([ROUNDS[i] for i in subset])
    assert len(p.fitted_on) == 3
    assert FittedPriors.from_dict(p.to_dict()) == p
    w = walkaways(p, 1000.0, ask=5000.0, offer=None)
    assert w.zone_at_central_values


def test_too_few_rounds_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 3 rounds"):
        fit_priors(ROUNDS[:2])


@settings(max_examples=200, deadline=None)
@given(
    s=st.floats(1e-3, 1e9),
    ask_ratio=st.floats(1.0001, 1000.0),
    offer_ratio=st.none() | st.floats(0.5, 1.3),
)
def test_a_theatrical_ask_never_removes_the_zone(
    s: float, ask_ratio: float, offer_ratio: float | None
) -> None:
    """However far the public ask lies above the status quo, the demander's walk-away points
    stay at or below the record's median settlement, so a zone exists at central values."""
    p = load_priors()
    offer = None if offer_ratio is None else s * offer_ratio
    w = walkaways(p, s, ask=s * ask_ratio, offer=offer)
    median = s * math.exp(p.settlement_log_mean)
    assert w.demander[2] <= median * (1 + 1e-9)
    assert w.zone_at_central_values
    for t in (w.demander, w.payer, w.demander_ratifier, w.payer_ratifier):
        assert t[0] <= t[1] <= t[2]
        assert t[0] < t[2]


def test_a_modest_ask_caps_the_demander() -> None:
    p = load_priors()
    assert p.ask_share is not None
    w = walkaways(p, 100.0, ask=101.0, offer=None)
    assert w.demander[2] == pytest.approx(100 + p.ask_share[2] * 1.0, abs=1e-6)
    assert "caps" in " ".join(w.notes)


def test_an_offer_raises_the_payer_walkaway() -> None:
    p = load_priors()
    w = walkaways(p, 100.0, ask=None, offer=150.0)
    assert w.payer[0] == pytest.approx(150 * math.exp(p.offer_log_ratio), abs=1e-5)


@given(st.integers(-5000, 5000))
def test_deadline_beliefs_are_valid_days(days_to_expiry: int) -> None:
    lo, mid, hi = deadline_belief_days(load_priors(), days_to_expiry)
    assert 0 <= lo <= mid <= hi
    assert lo < hi


def test_json_round_trip_and_save(tmp_path: Path) -> None:
    p = load_priors()
    path = save_priors(p, tmp_path / "p.json")
    assert load_priors(path) == p


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"settlement_log_sd": "wide"}, "priors.settlement_log_sd", "not a finite number"),
        ({"deal_delay_days": [3, 2, 1]}, "priors.deal_delay_days", "out of order"),
        ({"ask_share": [0.1, 0.2]}, "priors.ask_share", "three numbers"),
        ({"ask_share": [0.1, 0.2, 1.5]}, "priors.ask_share", "outside [0, 1]"),
        ({"n_rounds": -1}, "priors.n_rounds", "not a count"),
        ({"annual_discount": 1.5}, "priors.annual_discount", "out of range"),
        ({"fitted_on": ["a"]}, "priors.fitted_on", "too few rounds"),
        ({"version": 1}, "priors.version", "not a priors version"),
        ({"extra": 1}, "priors.extra", "unknown key"),
        # hostile review: each was accepted, then overflowed (exit 1) or built an invalid case
        ({"settlement_log_mean": 800}, "priors.settlement_log_mean", "out of range"),
        ({"first_ask_log_ratio": 1000}, "priors.first_ask_log_ratio", "out of range"),
        ({"offer_log_ratio": -1000}, "priors.offer_log_ratio", "out of range"),
        ({"settlement_interval_factor": 100}, "priors.settlement_interval_factor", "out of range"),
        ({"settlement_interval_factor": 0}, "priors.settlement_interval_factor", "out of range"),
        ({"deal_delay_days": [0, 0, 1e9]}, "priors.deal_delay_days", "out of range"),
        ({"horizon_days": 10**9}, "priors.horizon_days", "out of range"),
    ],
)
def test_bad_priors_name_the_field(
    tmp_path: Path, change: dict[str, Any], field: str, words: str
) -> None:
    data = {**load_priors().to_dict(), **change}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_priors(path)
    assert err.value.field == field
    assert words in str(err.value)
    assert str(path) in str(err.value)


def test_a_missing_key_and_a_bad_file_are_user_errors(tmp_path: Path) -> None:
    data = load_priors().to_dict()
    del data["talks_days"]
    with pytest.raises(ScenarioError, match="missing key 'talks_days'"):
        FittedPriors.from_dict(data)
    bad = tmp_path / "x.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ScenarioError, match="not JSON"):
        load_priors(bad)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_priors(tmp_path / "missing.json")


def test_the_fit_report_lists_every_round_and_the_coverage() -> None:
    p = fit_priors(ROUNDS)
    text = fit_report(p, ROUNDS)
    for r in ROUNDS:
        assert f"`{r.id}`" in text
    assert f"{p.settlement_log_mean:.4f}" in text
    assert "in 5 of 5 agreed rounds" in text


def test_the_case_builder_page_shows_the_shipped_fit() -> None:
    """docs/explanation/case-builder.md carries the generated report of the shipped priors."""
    from burdenshare.history.priors_report import DOC_PATH, with_report

    page = DOC_PATH.read_text(encoding="utf-8")
    assert with_report(page, fit_report(load_priors(), _record())) == page
    assert "<!-- fit-report:begin -->\nPriors `priors-v1`" in page


def test_priors_nested_too_deeply_are_a_user_error(tmp_path: Path) -> None:
    """A JSON file of 100,000 nested lists raised RecursionError (exit 1)."""
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_priors(path)
    assert "nested too deeply" in str(err.value)

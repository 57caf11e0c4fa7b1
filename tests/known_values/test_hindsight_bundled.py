"""Hindsight on the bundled SMA scenarios: every forecast a run makes, scored (issue 13, item 6).

Known values, from the scenarios' hindsight blocks (timeline_2019_2021.csv, rok_sma_rounds.csv):
the 2019 and 2020 cases had no deal by 2020-12-31; the 2021 case had one on 2021-03-07 at
1,183.3 bn won. The ensembles are small (4,000 sessions, seed 0, boulware against boulware, the
run default); the timing figures are Monte Carlo estimates, so the checks on them are the
verdict, the outcome and the Brier contribution to the estimate's own precision.

Before issue 13, us-rok-sma-2021 said "Right that a deal was possible" beside
P(agreement by 2021-03-07) = 0.0%: the zone verdict and the timing verdict are now separate, and
the timing says wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from burdenshare.services import analyze, ensemble, forecast
from burdenshare.services.combined import run_combined

N = 4000


def scored(name: str, store: Path) -> dict[str, Any]:
    ens = ensemble(name, n=N, seed=0, store=store)
    analysis = analyze(name)
    fc = forecast(name)
    pair = tuple(ens.record.parameters["negotiators"])
    combined = run_combined(analysis, fc, ens.summary, pair)
    h = analysis.hindsight(ens.summary, forecasts=fc, combined=combined)
    assert h is not None
    agreed = ens.summary["settlement"]["contribution"]["n_agreements"]
    return {"hindsight": h, "combined": combined, "ensemble_agreed": agreed}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("store") / "runs.duckdb"


def test_2021_the_zone_is_right_and_the_timing_wrong(store: Path) -> None:
    out = scored("us-rok-sma-2021", store)
    h = out["hindsight"]
    assert h["verdict"].startswith("Right at the central beliefs")
    assert "Right that a deal was possible" not in h["verdict"]
    p = h["ensemble_p_agreement_by_date"]
    assert p["date"] == "2021-03-07"
    assert p["outcome"] == 1
    assert p["estimate"] < 0.5
    assert p["right"] is False
    assert p["brier"] == pytest.approx((1 - p["estimate"]) ** 2)
    assert h["timing_verdict"].startswith("Wrong: the ensemble gave P(deal by 2021-03-07) = ")
    assert "yet a deal came by 2021-03-07" in h["timing_verdict"]
    # each forecasting model's error against 1,183.3 (by hand from `forecast us-rok-sma-2021`)
    errors = {m: round(r["error_pct"], 1) for m, r in h["forecasts_vs_actual"].items()}
    assert errors["compromise"] == pytest.approx(round((1312.8 / 1183.3 - 1) * 100, 1), abs=0.05)
    assert errors["reference-point"] == pytest.approx(-12.2, abs=0.05)  # 1,038.9: the status quo
    assert errors["median"] == pytest.approx(-0.8, abs=0.05)  # 1,174.0
    assert len(errors) == 12
    nash = h["solutions_vs_actual"]["nash"]["contribution"]["error_pct"]
    assert nash == pytest.approx(1.66, abs=0.01)
    # the ensemble's median is a prediction of the run, named by its negotiator pair, when
    # any session agreed
    assert ("ensemble:boulware" in out["combined"]["predictions"]) == (out["ensemble_agreed"] > 0)
    assert h["settlement_verdict"] is not None
    assert "The Nash solution is off by +1.7%." in h["settlement_verdict"]
    assert "-12.2% (reference-point) to +10.9%" in h["settlement_verdict"]
    if out["combined"]["available"]:
        c = h["combined_vs_actual"]
        assert c["in_interval"] == (c["low"] <= 1183.3 <= c["high"])
        assert h["settlement_verdict"].startswith("Right" if c["in_interval"] else "Wrong")
        # the 11th SMA is a round the shipped combination was fitted on: the check is in sample
        assert c["in_sample_round"] == "us-rok-sma-11"
        assert "In sample: the combination was fitted on this round" in h["settlement_verdict"]
    else:
        assert h["combined_vs_actual"] is None
        assert h["settlement_verdict"].startswith("No combined forecast to score")


@pytest.mark.parametrize("name", ["us-rok-sma-2019", "us-rok-sma-2020-tentative"])
def test_2019_and_2020_no_zone_no_deal_and_a_low_p(name: str, store: Path) -> None:
    h = scored(name, store)["hindsight"]
    assert h["outcome"] == "no_agreement"
    assert h["zopa_at_central_values"] is False
    assert h["verdict"] == "Right: the tool finds no zone of agreement, and no deal came by then."
    p = h["ensemble_p_agreement_by_date"]
    assert p["outcome"] == 0
    assert p["estimate"] < 0.05  # about 1% and 0.1% with these seeds
    assert p["right"] is True
    assert h["timing_verdict"].startswith("Right: the ensemble gave P(deal by 2020-12-")
    assert "and no deal came by 2020-12-31" in h["timing_verdict"]
    assert h["forecasts_vs_actual"] == {}
    assert h["combined_vs_actual"] is None
    assert h["settlement_verdict"].startswith("Not scored: no deal came by 2020-12-31")

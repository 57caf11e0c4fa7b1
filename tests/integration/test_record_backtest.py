"""The record backtest on the shipped record: the shipped parameters are its refit, every
method and baseline is scored, and the service, CLI and JSON carry it.

One run at the default n (about 25 seconds) serves every test of the module.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from burdenshare.history.record import load_record
from burdenshare.history.record_backtest import DEFAULT_N, run_loo
from burdenshare.history.record_scores import score_run
from burdenshare.history.stacking import load_combination_params
from burdenshare.history.timing import fit_hazard, load_timing

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


@pytest.fixture(scope="module")
def run():  # type: ignore[no-untyped-def]
    return run_loo(load_record(), n=DEFAULT_N, seed=0)


def test_the_shipped_combination_is_the_backtests_refit(run) -> None:  # type: ignore[no-untyped-def]
    shipped = load_combination_params()
    assert shipped.to_dict() == run.combination.to_dict()
    assert shipped.fitted_on == tuple(r.id for r in load_record())


def test_the_shipped_hazard_is_a_refit_on_the_bundled_record() -> None:
    assert load_timing().to_dict() == fit_hazard(load_record()).to_dict()


def test_every_method_and_baseline_is_scored(run) -> None:  # type: ignore[no-untyped-def]
    res = score_run(run)
    by = {m.method: m for m in res.table}
    for name in (
        "baseline:climatology",
        "baseline:coin",
        "baseline:status-quo",
        "baseline:status-quo+last",
        "timing:hazard",
        "combined:stacking",
        "ensemble:boulware",
        "ensemble:linear",
        "ensemble:conceder",
        "solution:nash",
        "forecast:compromise",
    ):
        assert name in by
    assert by["baseline:coin"].scores["brier:expiry"] == pytest.approx(0.25)
    for m in res.table:
        for key, v in m.scores.items():
            if v is not None and key != "no_deal":
                assert v >= 0, (m.method, key)
    # each claim against a baseline carries its standard error
    assert all(x.diff.n_groups >= 2 for x in res.margins)
    # the two targets of the issue are reported either way
    assert set(res.targets) == {"brier_expiry_vs_climatology", "pct_error_vs_naive"}


def test_cases_are_out_of_sample(run) -> None:  # type: ignore[no-untyped-def]
    rounds = load_record()
    assert {c.truth.round_id for c in run.cases} == {r.id for r in rounds}
    for c in run.cases:
        assert c.truth.deal_date is None or c.truth.as_of < c.truth.deal_date


def test_cli_alias_json_and_chart(tmp_path: Path, cli_main) -> None:  # type: ignore[no-untyped-def]
    code, out_record, err = cli_main(
        "backtest", "record", "-n", "50", "--json", "--chart", str(tmp_path)
    )
    assert code == 0, err
    code, out_sma, err = cli_main("backtest", "sma", "-n", "50", "--json")
    assert code == 0, err
    a, b = json.loads(out_record), json.loads(out_sma)
    assert a["methods"] == b["methods"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "backtest-reliability.png",
        "backtest-reliability.svg",
    ]
    code, _, err = cli_main("backtest", "record", "-n", "50", "--chart", str(tmp_path))
    assert code == 2
    assert "--overwrite" in err
    assert cli_main("backtest", "record", "-n", "0")[0] == 2


def test_a_user_record_adds_a_round(tmp_path: Path) -> None:
    import yaml

    from burdenshare.services.backtest_record import backtest_record

    bundled = Path(__file__).parents[2] / "src/burdenshare/history/data/record/us-japan-sma.yaml"
    data = yaml.safe_load(bundled.read_text(encoding="utf-8"))
    copy = dict(data["rounds"][-1], id="user-copy")
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump({**data, "rounds": [copy]}, sort_keys=False), encoding="utf-8")
    out = backtest_record(records=[path], n=20)
    assert "user-copy" in out.result.run.rounds
    assert len(out.result.run.rounds) == len(load_record()) + 1
    # the held-out copy's twin is among the rounds its priors were fitted on: the harness
    # leaves out only the round itself, by id
    assert any(c.truth.round_id == "user-copy" for c in out.result.run.cases)

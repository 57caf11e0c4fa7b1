"""Services for the record backtest and the 2019-2021 replay (``burdenshare backtest record``,
its alias ``backtest sma``, and ``burdenshare replay us-rok-sma-11``).

Like every service they return frozen records with ``to_dict()`` (for ``--json``) and
``to_text()`` (for the terminal) and never print. Neither writes to the run store: the ensembles
run in memory (:func:`burdenshare.engine.run_batch`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from burdenshare.errors import ScenarioError, SimulationError
from burdenshare.history.facts import RecordRound
from burdenshare.history.record_backtest import DEFAULT_N
from burdenshare.history.record_scores import RecordBacktestResult
from burdenshare.history.replay import ReplayResult

__all__ = [
    "DEFAULT_N",
    "RecordBacktestOutput",
    "ReplayOutput",
    "backtest_record",
    "check_sessions",
    "replay",
]

#: the largest ensemble accepted (a guard against typos)
MAX_N = 1_000_000
#: the methods the reliability diagram draws
CHART_METHODS = (
    "timing:hazard",
    "ensemble:boulware",
    "ensemble:linear",
    "ensemble:conceder",
    "baseline:climatology",
)


def check_sessions(n: int, seed: int) -> None:
    """Refuse a session count or seed that is not a whole number in range."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_N:
        raise SimulationError(f"-n must be a whole number from 1 to {MAX_N:,}, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SimulationError(f"--seed must be a whole number >= 0, got {seed!r}")


class _Result(Protocol):
    def to_dict(self) -> dict[str, Any]: ...
    def to_text(self) -> str: ...


R = TypeVar("R", bound=_Result)


@dataclass(frozen=True)
class _WithCharts(Generic[R]):
    """A result and the chart files written for it (none without ``chart``)."""

    result: R
    charts: tuple[Path, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.result.to_dict(), "charts": [str(p) for p in self.charts]}

    def to_text(self) -> str:
        text = self.result.to_text()
        if self.charts:
            text += "\n\nCharts: " + ", ".join(str(p) for p in self.charts)
        return text


class RecordBacktestOutput(_WithCharts[RecordBacktestResult]):
    """The backtest and the reliability diagrams written (none without ``chart``)."""


class ReplayOutput(_WithCharts[ReplayResult]):
    """The replay and the chart files written (none without ``chart``)."""


def backtest_record(
    *,
    records: Sequence[str | Path] = (),
    n: int = DEFAULT_N,
    seed: int = 0,
    chart: str | Path | None = None,
    overwrite: bool = False,
) -> RecordBacktestOutput:
    """Every method, leave one round out, on the bundled record plus ``records`` (see
    :mod:`burdenshare.history.record_backtest`); with ``chart``, write the reliability diagram
    there as PNG and SVG (existing files are refused before the backtest runs unless
    ``overwrite``)."""
    from burdenshare.history.record import load_record
    from burdenshare.history.record_backtest import run_loo
    from burdenshare.history.record_scores import score_run

    check_sessions(n, seed)
    rounds = load_record(records)
    if chart is not None:
        from burdenshare.report.export import figure_paths
        from burdenshare.report.reliability import RELIABILITY_CHART_NAME
        from burdenshare.services.outputs import refuse_existing

        refuse_existing(
            figure_paths(chart, RELIABILITY_CHART_NAME), overwrite=overwrite, option="--chart"
        )
    result = score_run(run_loo(rounds, n=n, seed=seed))
    charts: tuple[Path, ...] = ()
    if chart is not None:
        from burdenshare.report.reliability import reliability_chart

        charts = tuple(reliability_chart(result.reliability, CHART_METHODS, chart))
    return RecordBacktestOutput(result=result, charts=charts)


def _replayable(r: RecordRound) -> bool:
    """A round with a deal date and a settlement amount (what a replay is scored against)."""
    return r.outcome.deal_date is not None and r.outcome.settlement_amount is not None


#: sessions per ensemble of the replay (per date and negotiator pair) unless told otherwise
REPLAY_N = 4000


def replay(
    name: str = "us-rok-sma-11",
    *,
    records: Sequence[str | Path] = (),
    n: int = REPLAY_N,
    seed: int = 0,
    chart: str | Path | None = None,
    overwrite: bool = False,
) -> ReplayOutput:
    """Replay a round of the record (by id) date by date; with ``chart``, write PNG and SVG
    there (existing files are refused before the replay runs unless ``overwrite``)."""
    from burdenshare.history.record import load_record
    from burdenshare.history.replay import public_events, replay_round
    from burdenshare.report.replay_plots import chart_name, replay_chart

    check_sessions(n, seed)
    rounds = load_record(records)
    ids = [r.id for r in rounds if _replayable(r)]
    rnd = next((r for r in rounds if r.id == name), None)
    if rnd is None or not _replayable(rnd):
        why = (
            "no round of the record with that id"
            if rnd is None
            else f"round {name} has no deal with a settlement amount to replay towards"
        )
        raise ScenarioError(why, field="NAME", value=name, expected="one of " + ", ".join(ids))
    if not public_events(rnd):
        raise ScenarioError(
            f"round {name}: nothing was public before its deal date {rnd.outcome.deal_date}, "
            "so there is no date to replay from",
            file=rnd.origin or None,
            field="NAME",
            value=name,
            expected="a round with talks_start, positions, meetings or as_of_dates before "
            "its deal date",
        )
    if chart is not None:
        from burdenshare.report.export import figure_paths
        from burdenshare.services.outputs import refuse_existing

        refuse_existing(
            figure_paths(chart, chart_name(name)), overwrite=overwrite, option="--chart"
        )
    result = replay_round(name, records=records, n=n, seed=seed)
    charts = tuple(replay_chart(result, chart)) if chart is not None else ()
    return ReplayOutput(result=result, charts=charts)

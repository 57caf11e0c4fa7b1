"""Services for the SMA backtest and the 2019–2021 replay (``burdenshare backtest sma``,
``burdenshare replay us-rok-sma-11``).

Like every service they return frozen records with ``to_dict()`` (for ``--json``) and
``to_text()`` (for the terminal) and never print. Neither writes to the run store: the ensembles
run in memory (:func:`burdenshare.engine.run_batch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from burdenshare.errors import SimulationError
from burdenshare.history.replay import ReplayResult, replay_chart, replay_sma11
from burdenshare.history.sma_backtest import SmaBacktestResult
from burdenshare.history.sma_backtest import backtest_sma as _backtest_sma

__all__ = ["DEFAULT_N", "ReplayOutput", "backtest_sma", "replay"]

#: sessions per ensemble (per case and negotiator pair) unless told otherwise
DEFAULT_N = 4000
#: the largest ensemble accepted (a guard against typos)
MAX_N = 1_000_000


def _check(n: int, seed: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_N:
        raise SimulationError(f"-n must be a whole number from 1 to {MAX_N:,}, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SimulationError(f"--seed must be a whole number >= 0, got {seed!r}")


def backtest_sma(*, n: int = DEFAULT_N, seed: int = 0) -> SmaBacktestResult:
    """Every method on the 9th, 10th and 11th SMA talks (see
    :mod:`burdenshare.history.sma_backtest`)."""
    _check(n, seed)
    return _backtest_sma(n=n, seed=seed)


@dataclass(frozen=True)
class ReplayOutput:
    """The replay and the chart files written (none without ``chart``)."""

    result: ReplayResult
    charts: tuple[Path, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {**self.result.to_dict(), "charts": [str(p) for p in self.charts]}

    def to_text(self) -> str:
        text = self.result.to_text()
        if self.charts:
            text += "\n\nCharts: " + ", ".join(str(p) for p in self.charts)
        return text


def replay(
    name: str = "us-rok-sma-11",
    *,
    n: int = DEFAULT_N,
    seed: int = 0,
    chart: str | Path | None = None,
    overwrite: bool = False,
) -> ReplayOutput:
    """Replay the 11th SMA talks event by event; with ``chart``, write PNG and SVG there
    (existing files are refused before the replay runs unless ``overwrite``)."""
    if name != "us-rok-sma-11":
        raise SimulationError(f"no replay named {name!r}; the one replay is us-rok-sma-11")
    _check(n, seed)
    if chart is not None:
        from burdenshare.history.replay import REPLAY_CHART_NAME
        from burdenshare.report.export import figure_paths
        from burdenshare.services.outputs import refuse_existing

        paths = figure_paths(chart, REPLAY_CHART_NAME)
        refuse_existing(paths, overwrite=overwrite, option="--chart")
    result = replay_sma11(n=n, seed=seed)
    charts = tuple(replay_chart(result, chart)) if chart is not None else ()
    return ReplayOutput(result=result, charts=charts)

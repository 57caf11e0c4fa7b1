"""The public-goods model of alliances for the CLI (``burdenshare alliance ...``): the
exploitation hypothesis tested on NATO's figures, and the Nash equilibrium of a table of allies.
Nothing here prints.

- :func:`exploitation`: :func:`burdenshare.alliance.exploitation.exploitation_test` with a seed,
  and its chart written on request.
- :func:`equilibrium`: a CSV file of allies (columns ``ally,income,alpha``) to
  :func:`burdenshare.alliance.equilibrium.nash_contributions`, with the exploitation curve of
  :func:`burdenshare.alliance.joint_product.exploitation_curve` when the allies share one weight.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from burdenshare.alliance import nato
from burdenshare.alliance.equilibrium import nash_contributions
from burdenshare.alliance.exploitation import exploitation_test
from burdenshare.alliance.joint_product import exploitation_curve
from burdenshare.alliance.records import CurvePoint, Equilibrium, ExploitationTest
from burdenshare.errors import ScenarioError

__all__ = [
    "CURVE_SHARES",
    "EQUILIBRIUM_CHART",
    "EXPLOITATION_CHART",
    "MAX_ALLIES",
    "EquilibriumReport",
    "ExploitationReport",
    "equilibrium",
    "exploitation",
    "read_allies",
]

#: file stems of the charts written into a --chart folder
EXPLOITATION_CHART = "alliance-exploitation"
EQUILIBRIUM_CHART = "alliance-equilibrium"
#: the private shares at which the exploitation curve is evaluated
CURVE_SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
_MAX_BYTES = 1_000_000
#: the most allies an equilibrium file may list
MAX_ALLIES = 1000
_COLUMNS = ("ally", "income", "alpha")


@dataclass(frozen=True)
class ExploitationReport:
    """The test, the seed and resamples it used, and the chart files written."""

    test: ExploitationTest
    seed: int
    resamples: int
    charts: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "resamples": self.resamples,
            **self.test.to_dict(),
            "charts": list(self.charts),
        }


@dataclass(frozen=True)
class EquilibriumReport:
    """The equilibrium of a file's allies, and the exploitation curve (if one weight)."""

    file: str
    equilibrium: Equilibrium
    curve: tuple[CurvePoint, ...]
    charts: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            **self.equilibrium.to_dict(),
            "curve": [p.to_dict() for p in self.curve],
            "charts": list(self.charts),
        }


def _write_chart(fig: Any, chart: str, stem: str, overwrite: bool) -> tuple[str, ...]:
    from burdenshare.report.export import figure_paths, write_figure
    from burdenshare.services.outputs import refuse_existing

    refuse_existing(figure_paths(chart, stem), overwrite=overwrite, option="--chart")
    return tuple(str(p) for p in write_figure(fig, chart, stem))


def exploitation(
    *,
    editions: Sequence[str] = (),
    allies: str = "members",
    size: str = "gdp_usd_current_m",
    resamples: int = 2000,
    confidence: float = 0.95,
    alternative: str = "two-sided",
    seed: int = 0,
    chart: str | None = None,
    overwrite: bool = False,
) -> ExploitationReport:
    """The exploitation test on the chosen editions (all three if none is given).

    >>> r = exploitation(editions=["2024-06"], resamples=100)
    >>> [(t.year, t.test.n, round(t.test.rho, 3)) for t in r.test.years]
    [(2014, 27, 0.294), (2024, 31, -0.028)]
    """
    if chart is not None:  # refuse an existing file before anything runs
        from burdenshare.report.export import figure_paths
        from burdenshare.services.outputs import refuse_existing

        refuse_existing(
            figure_paths(chart, EXPLOITATION_CHART), overwrite=overwrite, option="--chart"
        )
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    test = exploitation_test(
        rng,
        editions=tuple(editions) or nato.EDITIONS,
        allies=allies,
        size=size,
        resamples=resamples,
        confidence=confidence,
        alternative=alternative,
    )
    charts: tuple[str, ...] = ()
    if chart is not None:
        from burdenshare.report.alliance_plots import exploitation_chart

        charts = _write_chart(exploitation_chart(test), chart, EXPLOITATION_CHART, overwrite)
    return ExploitationReport(test=test, seed=seed, resamples=resamples, charts=charts)


def _number(text: str, name: str, line: int, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ScenarioError(
            "must be a finite number", file=name, line=line, field=field, value=text
        )
    return value


def read_allies(path: str) -> tuple[list[str], list[float], list[float], dict[str, int]]:
    """Names, incomes and weights from a CSV file with the header ``ally,income,alpha``, and
    the line of each ally."""
    from burdenshare.scenario.paths import path_kind, read_regular_file

    if path_kind(Path(path)) != "file":
        raise ScenarioError("no such file", file=path, expected="a CSV file of allies")
    raw = read_regular_file(Path(path), _MAX_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text", file=path, expected="a CSV file") from None
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise ScenarioError(
            "unexpected columns",
            file=path,
            line=1,
            value=reader.fieldnames,
            expected="the header ally,income,alpha",
        )
    names: list[str] = []
    incomes: list[float] = []
    alphas: list[float] = []
    lines: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise ScenarioError(
                "each row needs exactly three cells",
                file=path,
                line=line,
                expected="ally,income,alpha",
            )
        name = row["ally"].strip()
        if not name or not name.isprintable():
            raise ScenarioError(
                "an ally needs a printable name",
                file=path,
                line=line,
                field="ally",
                value=row["ally"],
            )
        names.append(name)
        incomes.append(_number(row["income"], path, line, f"{name}.income"))
        alphas.append(_number(row["alpha"], path, line, f"{name}.alpha"))
        lines.setdefault(name, line)
        if len(names) > MAX_ALLIES:
            raise ScenarioError(
                "lists too many allies", file=path, line=line, expected=f"at most {MAX_ALLIES}"
            )
    if not names:
        raise ScenarioError("lists no ally", file=path, expected="one row per ally")
    return names, incomes, alphas, lines


def equilibrium(
    path: str, *, private_share: float = 0.0, chart: str | None = None, overwrite: bool = False
) -> EquilibriumReport:
    """The Nash equilibrium of the allies listed in ``path``."""
    if chart is not None:
        from burdenshare.report.export import figure_paths
        from burdenshare.services.outputs import refuse_existing

        refuse_existing(
            figure_paths(chart, EQUILIBRIUM_CHART), overwrite=overwrite, option="--chart"
        )
    names, incomes, alphas, lines = read_allies(path)
    try:
        eq = nash_contributions(names, incomes, alphas, private_share)
    except ScenarioError as err:
        ally = (err.field or "").rsplit(".", 1)[0]
        field = "--private-share" if err.field == "private_share" else err.field
        raise ScenarioError(
            err.message,
            file=None if field == "--private-share" else path,
            line=lines.get(ally),
            field=field,
            value=err.value,
            expected=err.expected,
            has_value=err.has_value,
        ) from None
    curve: tuple[CurvePoint, ...] = ()
    if len(set(alphas)) == 1:
        curve = exploitation_curve(names, incomes, alphas[0], CURVE_SHARES)
    charts: tuple[str, ...] = ()
    if chart is not None:
        from burdenshare.report.alliance_plots import equilibrium_chart

        charts = _write_chart(equilibrium_chart(eq), chart, EQUILIBRIUM_CHART, overwrite)
    return EquilibriumReport(file=path, equilibrium=eq, curve=curve, charts=charts)

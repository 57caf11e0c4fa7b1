"""Read the Decide input format (``sample_data.txt`` style) into an :class:`ActorTable`.

The format, as used by the Decide exchange-model program (foarsitter/decide-exchange-model) and
its bundled inputs: one record a line, cells separated by tabs (or by semicolons on a line with no
tab), text cells optionally in single or double quotes, blank lines ignored::

    '#A'  actor id  name  description          an actor
    '#P'  issue id  name  description          an issue
    '#M'  issue id  value                      a bound of the issue's scale (two lines: min, max)
    '#D'  actor id  issue id  position  salience  power

Every actor needs exactly one ``#D`` line per issue. Saliences are converted to the 0-1 scale
:class:`ActorTable` wants: divided by ``salience_scale``, which by default is 1 when every
salience is at most 1 (Decide's own files) and 100 otherwise (a 0-100 scale). Power is the
capability; its scale does not matter to the compromise or exchange models (only ratios of power
enter), so it is kept as given. Decide allows a power per actor *and* issue; an ActorTable holds one
capability per actor, so :meth:`DecideInput.to_actor_table` refuses inputs where an actor's power
differs between issues (the exchange step functions accept the full matrix).

>>> text = '''
... '#A';'a';'A';''
... '#A';'b';'B';''
... '#P';'tax';'Tax';''
... '#M';'tax';0
... '#M';'tax';100
... '#D';'a';'tax';20.0;0.5;1.0
... '#D';'b';'tax';80.0;1.0;2.0
... '''
>>> table = parse_decide(text).to_actor_table()
>>> table.actors, table.issues, table.scale
(('a', 'b'), ('tax',), ((0.0, 100.0),))
>>> table.position[:, 0].tolist(), table.capability.tolist()
([20.0, 80.0], [1.0, 2.0])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable, FloatArray

__all__ = ["DecideInput", "load_actor_table", "parse_decide", "read_decide"]

_TAGS = ("#A", "#P", "#M", "#D")


@dataclass(frozen=True)
class DecideInput:
    """A parsed Decide input: actors, issues and per actor-issue position, salience and power.

    ``position``, ``salience`` (converted to 0-1) and ``power`` have shape ``(n_actors, k)``;
    ``scale`` holds each issue's ``(min, max)`` from its ``#M`` lines (or from the positions when
    an issue has none); ``salience_scale`` is what saliences were divided by.
    """

    actors: tuple[str, ...]
    issues: tuple[str, ...]
    position: FloatArray
    salience: FloatArray
    power: FloatArray
    scale: tuple[tuple[float, float], ...]
    salience_scale: float
    source: str = "<string>"

    def to_actor_table(self) -> ActorTable:
        """The :class:`ActorTable`; each actor's single power becomes its capability."""
        for row, actor in enumerate(self.actors):
            values = self.power[row]
            if not np.allclose(values, values[0], rtol=1e-12, atol=0.0):
                varying = ", ".join(
                    f"{v:g} on {issue!r}" for issue, v in zip(self.issues, values, strict=True)
                )
                raise ForecastError(
                    f"{self.source}: actor {actor!r} has a different power on different issues "
                    f"({varying}); an ActorTable holds one capability per actor - give the actor "
                    "one power, or use the exchange step functions with DecideInput.power"
                )
        try:
            return ActorTable(
                actors=self.actors,
                issues=self.issues,
                position=self.position,
                salience=self.salience,
                capability=self.power[:, 0],
                scale=self.scale,
            )
        except ForecastError as err:
            raise ForecastError(f"{self.source}: {err}") from None


def _cells(line: str) -> list[str]:
    raw = line.split("\t") if "\t" in line else line.split(";")
    cells = [_unquote(c) for c in raw]
    while cells and cells[-1] == "" and len(cells) > 1:
        cells.pop()
    return cells


def _unquote(cell: str) -> str:
    cell = cell.strip()
    if len(cell) >= 2 and cell[0] == cell[-1] and cell[0] in "'\"":
        return cell[1:-1].strip()
    return cell


def _number(cell: str, what: str, where: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise ForecastError(f"{where}: {what} must be a number, got {cell!r}") from None
    if not math.isfinite(value):
        raise ForecastError(f"{where}: {what} must be finite, got {cell!r}")
    return value


def parse_decide(
    text: str,
    *,
    source: str = "<string>",
    salience_scale: float | None = None,
    missing: Literal["error", "absent"] = "error",
) -> DecideInput:
    """Parse Decide input ``text`` (see the module docstring); ``source`` names it in errors.

    ``missing`` says what an actor without a ``#D`` line on an issue means: ``"error"`` (the
    default) refuses the input; ``"absent"`` lets the actor sit the issue out - salience 0 and
    power as on its other issues, at the middle of the issue's scale, which then carries no weight
    in the compromise and can enter no exchange.
    """
    if missing not in ("error", "absent"):
        raise ForecastError(f"missing must be 'error' or 'absent', got {missing!r}")
    actors: list[str] = []
    issues: list[str] = []
    bounds: dict[str, list[float]] = {}
    data: dict[tuple[str, str], tuple[float, float, float, str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        cells = _cells(line)
        tag = cells[0]
        if tag not in _TAGS:
            raise ForecastError(
                f"{where}: unknown record {tag!r}; a Decide line starts with one of "
                f"{', '.join(repr(t) for t in _TAGS)}"
            )
        if tag in ("#A", "#P"):
            if len(cells) < 2 or not cells[1]:
                raise ForecastError(f"{where}: {tag} needs an id in its second cell")
            names, kind = (actors, "actor") if tag == "#A" else (issues, "issue")
            if cells[1] in names:
                raise ForecastError(f"{where}: {kind} {cells[1]!r} is declared twice")
            names.append(cells[1])
        elif tag == "#M":
            if len(cells) != 3:
                raise ForecastError(
                    f"{where}: #M needs 3 cells (#M, issue, value), got {len(cells)}"
                )
            if cells[1] not in issues:
                raise ForecastError(f"{where}: issue {cells[1]!r} is not declared with #P above")
            bounds.setdefault(cells[1], []).append(_number(cells[2], "the scale bound", where))
        else:
            if len(cells) != 6:
                raise ForecastError(
                    f"{where}: #D needs 6 cells (#D, actor, issue, position, salience, power), "
                    f"got {len(cells)}"
                )
            _, actor, issue, *values = cells
            if actor not in actors:
                raise ForecastError(f"{where}: actor {actor!r} is not declared with #A above")
            if issue not in issues:
                raise ForecastError(f"{where}: issue {issue!r} is not declared with #P above")
            if (actor, issue) in data:
                raise ForecastError(f"{where}: a second #D line for {actor!r} on {issue!r}")
            pos, sal, power = (
                _number(v, w, where)
                for v, w in zip(values, ("position", "salience", "power"), strict=True)
            )
            if sal < 0 or power < 0:
                raise ForecastError(f"{where}: salience and power must be >= 0, got {sal}, {power}")
            data[(actor, issue)] = (pos, sal, power, where)
    return _assemble(actors, issues, bounds, data, source, salience_scale, missing)


def _assemble(
    actors: list[str],
    issues: list[str],
    bounds: dict[str, list[float]],
    data: dict[tuple[str, str], tuple[float, float, float, str]],
    source: str,
    salience_scale: float | None,
    missing: str,
) -> DecideInput:
    if not actors or not issues:
        raise ForecastError(f"{source}: no actors (#A) or no issues (#P) found")
    gaps = [(a, i) for a in actors for i in issues if (a, i) not in data]
    if gaps and missing == "error":
        shown = ", ".join(f"{a!r} on {i!r}" for a, i in gaps[:5])
        more = f" and {len(gaps) - 5} more" if len(gaps) > 5 else ""
        raise ForecastError(
            f"{source}: every actor needs a #D line on every issue; missing {shown}{more} "
            "(read with missing='absent' to let those actors sit those issues out)"
        )
    for actor, issue in gaps:
        if not any((actor, other) in data for other in issues):
            raise ForecastError(f"{source}: actor {actor!r} has no #D line at all")
        own = next(data[(actor, other)][2] for other in issues if (actor, other) in data)
        given = (
            bounds.get(issue)
            or [data[(a, issue)][0] for a in actors if (a, issue) in data]
            or [0.0]
        )
        middle = 0.5 * (min(given) + max(given))
        data[(actor, issue)] = (middle, 0.0, own, f"{source}: (missing {actor!r} on {issue!r})")
    n, k = len(actors), len(issues)
    values = np.array([[data[(a, i)][:3] for i in issues] for a in actors], dtype=np.float64)
    position, salience, power = values[..., 0], values[..., 1], values[..., 2]
    top = float(salience.max())
    if salience_scale is None:
        if top > 100:
            raise ForecastError(
                f"{source}: saliences up to {top:g}; expected a 0-1 or 0-100 scale "
                "(pass salience_scale to say what to divide by)"
            )
        salience_scale = 1.0 if top <= 1 else 100.0
    if not salience_scale > 0 or top / salience_scale > 1:
        raise ForecastError(
            f"{source}: saliences up to {top:g} do not fit a 0-{salience_scale:g} scale"
        )
    scale: list[tuple[float, float]] = []
    for col, issue in enumerate(issues):
        given = bounds.get(issue, [])
        lo, hi = (
            (min(given), max(given))
            if given
            else (float(position[:, col].min()), float(position[:, col].max()))
        )
        if len(given) == 1 or (given and lo == hi):
            raise ForecastError(
                f"{source}: issue {issue!r} needs two different #M bounds (min, max)"
            )
        for row, actor in enumerate(actors):
            if not lo <= position[row, col] <= hi:
                raise ForecastError(
                    f"{data[(actor, issue)][3]}: position {position[row, col]:g} of {actor!r} "
                    f"lies outside the #M scale [{lo:g}, {hi:g}] of {issue!r}"
                )
        scale.append((lo, hi))
    return DecideInput(
        actors=tuple(actors),
        issues=tuple(issues),
        position=position.reshape(n, k),
        salience=salience.reshape(n, k) / salience_scale,
        power=power.reshape(n, k),
        scale=tuple(scale),
        salience_scale=float(salience_scale),
        source=source,
    )


def read_decide(
    path: str | Path,
    *,
    salience_scale: float | None = None,
    missing: Literal["error", "absent"] = "error",
) -> DecideInput:
    """Read a Decide input file (UTF-8; see :func:`parse_decide`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise ForecastError(f"cannot read Decide input {str(path)!r}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise ForecastError(f"{path}: not UTF-8 text; save the Decide input as UTF-8") from None
    return parse_decide(text, source=str(path), salience_scale=salience_scale, missing=missing)


def load_actor_table(
    path: str | Path,
    *,
    salience_scale: float | None = None,
    missing: Literal["error", "absent"] = "error",
) -> ActorTable:
    """``read_decide(path, ...).to_actor_table()``."""
    return read_decide(path, salience_scale=salience_scale, missing=missing).to_actor_table()

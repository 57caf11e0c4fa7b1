"""One small error hierarchy for burdenshare.

Every error says what was wrong and where. The CLI maps them to exit codes (``exit_code``) and the
web layer to HTTP statuses; nothing else in the package knows about either.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = [
    "BurdenshareError",
    "ForecastError",
    "ScenarioError",
    "SimulationError",
    "SolverError",
    "StoreError",
]


class BurdenshareError(Exception):
    """Base class of every error the package raises on purpose."""

    #: process exit code used by the CLI (2: the user's input was bad; 1: internal failure)
    exit_code: int = 1

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description of the error."""
        return {"error": type(self).__name__, "message": str(self)}

    def located(self, file: str) -> BurdenshareError:
        """The same error with ``file`` (the scenario it arose from) named first, unless the
        message names it already.

        >>> print(ForecastError("needs two actors").located("s.yaml"))
        s.yaml: needs two actors
        """
        if not file or file in str(self):
            return self
        out = copy.copy(self)
        out.args = (f"{file}: {self}",)
        return out


class ScenarioError(BurdenshareError):
    """A scenario file (or a scenario-like input) is malformed or impossible.

    >>> err = ScenarioError("must be a number", file="s.yaml", line=4, field="parties.US.discount",
    ...                     value="fast", expected="a number in (0, 1]")
    >>> print(err)
    s.yaml:4: parties.US.discount: must be a number (got 'fast'; expected a number in (0, 1])
    >>> print(ScenarioError("unknown key ' '", file="s.yaml", line=2, field="parties. "))
    s.yaml:2: 'parties. ': unknown key ' '
    """

    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
        value: Any = None,
        expected: str | None = None,
        has_value: bool | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.expected = expected
        self.has_value = (value is not None) if has_value is None else has_value
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "") + ": "
        elif self.line:
            where = f"line {self.line}: "
        field = ""
        if self.field:
            # a field path with blank parts (a key " ") is quoted, so it is seen
            blank = any(not part.strip() or part != part.strip() for part in self.field.split("."))
            field = f"{self.field!r}: " if blank else f"{self.field}: "
        detail = []
        if self.has_value:
            detail.append(f"got {_short(self.value)}")
        if self.expected:
            detail.append(f"expected {self.expected}")
        tail = f" ({'; '.join(detail)})" if detail else ""
        return f"{where}{field}{self.message}{tail}"

    def located(self, file: str) -> BurdenshareError:
        return self if self.file or not file else self.with_file(file)

    def with_file(self, file: str) -> ScenarioError:
        """The same error, located in ``file``."""
        return ScenarioError(
            self.message,
            file=file,
            line=self.line,
            field=self.field,
            value=self.value,
            expected=self.expected,
            has_value=self.has_value,
        )

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        out.update(
            file=self.file,
            line=self.line,
            field=self.field,
            value=_short(self.value) if self.has_value else None,
            expected=self.expected,
        )
        return out


class SolverError(BurdenshareError):
    """A bargaining solution could not be computed (for example, an empty feasible set)."""


class SimulationError(BurdenshareError):
    """A negotiation could not be simulated with the given settings."""

    exit_code = 2


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class StoreError(BurdenshareError):
    """The run store could not be read or written, or a run id does not exist."""

    exit_code = 2


class ForecastError(BurdenshareError):
    """A forecasting model cannot run on the given actors (too few, impossible values)."""

    exit_code = 2

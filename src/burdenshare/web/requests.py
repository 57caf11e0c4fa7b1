"""The JSON bodies the API accepts, with the either/or of the scenario in the schema itself.

A what-if, a replay and a stored run each name a bundled scenario (``scenario``) *or* send the
text of a scenario file (``scenario_text`` and its ``format``), never both and never neither.
Each body is therefore one of two closed models (no extra keys), told apart by which of the two
keys it has; the OpenAPI document shows the pair as a ``oneOf``, so ``{}`` is invalid there as
it is here.

>>> from pydantic import TypeAdapter
>>> TypeAdapter(WhatIfBody).validate_python({"scenario": "split-the-pie"}).n
100000
>>> TypeAdapter(WhatIfBody).validate_python({})
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for tagged-union[...]
  give either a bundled scenario name (scenario) or the text of a scenario file ...
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    JsonValue,
    Tag,
)

from burdenshare.services.catalogue import MAX_BYTES, MAX_PARTIES

__all__ = [
    "MAX_DEADLINE_BELIEFS",
    "MAX_DEADLINE_SESSIONS",
    "MAX_SEED",
    "MAX_STORED_SESSIONS",
    "MAX_WHATIF_SESSIONS",
    "SOURCE_TAGS",
    "DeadlineBeliefsBody",
    "ForecastBody",
    "ReplayBody",
    "RunBody",
    "WhatIfBody",
]

#: the most sessions one what-if (or the ensemble behind a replayed session) may ask for
MAX_WHATIF_SESSIONS = 1_000_000
#: the most sessions a stored ensemble started from the page may have
MAX_STORED_SESSIONS = 1_000_000
#: the most sessions per believed deadline one deadline sweep may ask for (12 dates at most, so
#: 1,200,000 sessions a request)
MAX_DEADLINE_SESSIONS = 100_000
#: the most believed deadlines one sweep may try
MAX_DEADLINE_BELIEFS = 12
#: the largest seed a request may give: 2**53 - 1, the largest integer that a JSON number holds
#: exactly in JavaScript (the dashboard) and in a float64 schema check
MAX_SEED = 2**53 - 1
#: the tags telling the two kinds of body apart (they appear in no field path)
SOURCE_TAGS = ("by-name", "by-text")
_EITHER = (
    "give either a bundled scenario name (scenario) or the text of a scenario file "
    "(scenario_text), not both"
)

#: the example in the OpenAPI document (small, so a fuzzer can afford to send it)
_EXAMPLE_WHATIF: dict[str, JsonValue] = {
    "scenario": "us-rok-sma-2019",
    "changes": {"parties.US.utility.contribution.reservation": 1300},
    "n": 2000,
}


def _number_not_text(value: Any) -> Any:
    """Refuse what JSON Schema's ``integer`` refuses but pydantic would convert: ``true``,
    ``"12"``; a whole float such as ``12.0`` is an integer in JSON Schema, and is kept."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    return value


def _iso_date_text(value: Any) -> Any:
    """Refuse what JSON Schema's ``format: date`` refuses but pydantic would convert: numbers
    (Unix times), and text other than ``YYYY-MM-DD`` (``2019-12-31T00:00``, ``20191231``)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError("must be an ISO date, YYYY-MM-DD")
    return value


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: a calendar date as JSON Schema's ``format: date`` has it: "2019-12-31"
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]
#: a whole number as JSON Schema has it: 12 or 12.0, not true or "12"
WholeNumber = Annotated[int, BeforeValidator(_number_not_text)]
ScenarioName = Annotated[str, Field(min_length=1, max_length=100)]
ChangeValue = (
    Annotated[float, Field(strict=True, allow_inf_nan=False)]
    | Annotated[str, Field(max_length=100)]
)
Changes = dict[Annotated[str, Field(max_length=200)], ChangeValue]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _ByName(_Closed):
    scenario: ScenarioName = Field(description="a bundled scenario's name (see GET /api/scenarios)")


class _ByText(_Closed):
    scenario_text: str = Field(
        max_length=MAX_BYTES, description="the text of a scenario file, instead of a bundled name"
    )
    format: Literal["yaml", "json", "toml"] = Field(
        default="yaml", description="the format of scenario_text"
    )


class _Settings(_Closed):
    negotiators: list[Annotated[str, Field(max_length=100)]] | None = Field(
        default=None,
        max_length=MAX_PARTIES,
        description="one negotiator for every party, or one per party (in the scenario's "
        "listing order)",
    )
    seed: WholeNumber = Field(
        default=0,
        ge=0,
        le=MAX_SEED,
        description="the random seed (at most 2**53 - 1, the largest integer a JSON number holds "
        "exactly in every client)",
    )


class _WhatIf(_Settings):
    changes: Changes = Field(
        default_factory=dict,
        max_length=100,
        description="field path → new value (a number, or an ISO date for dates)",
    )
    n: WholeNumber = Field(
        default=100_000, ge=1, le=MAX_WHATIF_SESSIONS, description="sessions to run"
    )
    uncertain: Literal["shift", "fix"] = Field(
        default="shift",
        description="for a parameter given as a distribution: shift the distribution so its "
        "mean is the new value, or fix the parameter at it",
    )


class _Replay(_WhatIf):
    # the bound sits on the integer inside the text check, not on the union: otherwise
    # pydantic writes an unknown "ge" keyword into the schema instead of "minimum", and the
    # schema allowed -1
    session: Annotated[int, Field(ge=0), BeforeValidator(_number_not_text)] | None = Field(
        default=None,
        description="replay this session of the what-if ensemble (None: central values)",
    )


class _Run(_Settings):
    n: WholeNumber = Field(
        default=100_000, ge=1, le=MAX_STORED_SESSIONS, description="sessions to run"
    )


class _Deadlines(_Settings):
    n: WholeNumber = Field(
        default=20_000,
        ge=1,
        le=MAX_DEADLINE_SESSIONS,
        description="sessions per believed deadline",
    )
    beliefs: list[IsoDate] | None = Field(
        default=None,
        min_length=1,
        max_length=MAX_DEADLINE_BELIEFS,
        description="the believed deadlines to try (ISO dates after protocol.start, no repeats); "
        "null: a quarter, half and three quarters of the way to the protocol's deadline, the "
        "deadline and the last round's date",
    )


class WhatIfByName(_WhatIf, _ByName):
    """Change some key parameters of a bundled scenario and rerun the ensemble."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE_WHATIF]})


class WhatIfByText(_WhatIf, _ByText):
    """Change some key parameters of an uploaded scenario and rerun the ensemble."""


class ReplayByName(_Replay, _ByName):
    """One session of a bundled scenario, offer by offer."""

    model_config = ConfigDict(json_schema_extra={"examples": [{**_EXAMPLE_WHATIF, "session": 7}]})


class ReplayByText(_Replay, _ByText):
    """One session of an uploaded scenario, offer by offer."""


class RunByName(_Run, _ByName):
    """Run an ensemble of a bundled scenario and keep it in the run store."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"scenario": "us-rok-sma-2019", "n": 500, "seed": 1}]}
    )


class RunByText(_Run, _ByText):
    """Run an ensemble of an uploaded scenario and keep it in the run store."""


class DeadlineBeliefsByName(_Deadlines, _ByName):
    """How the deal date of a bundled scenario depends on the deadline the negotiators believe."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"scenario": "us-rok-sma-2019", "n": 2000, "negotiators": ["boulware"]}]
        }
    )


class DeadlineBeliefsByText(_Deadlines, _ByText):
    """How the deal date of an uploaded scenario depends on the deadline the negotiators
    believe."""


class ForecastByName(_ByName):
    """The combined forecast and every model's forecast of a bundled scenario."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"scenario": "us-rok-sma-2021"}]})


class ForecastByText(_ByText):
    """The combined forecast and every model's forecast of an uploaded scenario."""


def _source(data: Any) -> str | None:
    """``by-name`` or ``by-text``: which of the two keys a body has (None: neither or both)."""
    if isinstance(data, _ByName):
        return SOURCE_TAGS[0]
    if isinstance(data, _ByText):
        return SOURCE_TAGS[1]
    if not isinstance(data, dict):
        return None
    name, text = "scenario" in data, "scenario_text" in data
    if name == text:
        return None
    return SOURCE_TAGS[0] if name else SOURCE_TAGS[1]


_DISCRIMINATOR = Discriminator(
    _source, custom_error_type="scenario_source", custom_error_message=_EITHER
)

WhatIfBody = Annotated[
    Annotated[WhatIfByName, Tag(SOURCE_TAGS[0])] | Annotated[WhatIfByText, Tag(SOURCE_TAGS[1])],
    _DISCRIMINATOR,
]
ReplayBody = Annotated[
    Annotated[ReplayByName, Tag(SOURCE_TAGS[0])] | Annotated[ReplayByText, Tag(SOURCE_TAGS[1])],
    _DISCRIMINATOR,
]
RunBody = Annotated[
    Annotated[RunByName, Tag(SOURCE_TAGS[0])] | Annotated[RunByText, Tag(SOURCE_TAGS[1])],
    _DISCRIMINATOR,
]
DeadlineBeliefsBody = Annotated[
    Annotated[DeadlineBeliefsByName, Tag(SOURCE_TAGS[0])]
    | Annotated[DeadlineBeliefsByText, Tag(SOURCE_TAGS[1])],
    _DISCRIMINATOR,
]
ForecastBody = Annotated[
    Annotated[ForecastByName, Tag(SOURCE_TAGS[0])] | Annotated[ForecastByText, Tag(SOURCE_TAGS[1])],
    _DISCRIMINATOR,
]

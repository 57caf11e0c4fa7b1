"""What ``--resume`` accepts: the stored run's own arguments, or none at all.

A resumed run continues with exactly the scenario, seed, size, sampling method, negotiators, chunk
size, correlations and precision it was started with, so that it ends with the numbers an
uninterrupted run gives. An argument given alongside ``--resume`` that differs from the stored one
would be silently ignored; it is refused instead (exit 2, naming the option, the value given and
the run's own). The backend, worker count and store may differ: they never change a number.

>>> from types import SimpleNamespace
>>> run = SimpleNamespace(id="0123456789ab", seed=7, scenario_sha256="ab" * 32,
...     parameters={"n": 1000, "method": "mc", "negotiators": ["boulware", "boulware"],
...                 "chunk_size": 500, "precision": None, "correlations": []})
>>> check_resume_arguments(run, {"seed": 7, "n": 1000})  # the same values: fine
>>> check_resume_arguments(run, {"seed": 8})
Traceback (most recent call last):
...
burdenshare.errors.ScenarioError: --seed: run 0123456789ab was started with another value; \
resume it without --seed, or with the same value (got 8; expected 7)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from burdenshare.errors import ScenarioError

__all__ = ["RESUME_OPTIONS", "check_resume_arguments"]

#: argument name -> the command-line option that sets it
RESUME_OPTIONS: Mapping[str, str] = {
    "scenario_sha256": "SCENARIO",
    "n": "--sessions",
    "seed": "--seed",
    "method": "--method",
    "negotiators": "--negotiator",
    "chunk_size": "--chunk-size",
    "precision": "--precision",
    "correlations": "--correlate",
}


def _stored(record: Any, name: str) -> Any:
    p = record.parameters
    if name == "seed":
        return int(record.seed)
    if name == "scenario_sha256":
        return record.scenario_sha256
    if name == "negotiators":
        return [str(x) for x in p["negotiators"]]
    if name == "correlations":
        return [[str(a), str(b), float(r)] for a, b, r in p.get("correlations", [])]
    return p.get(name)


def _normal(name: str, value: Any, stored: Any) -> Any:
    if name == "negotiators":  # one name stands for every party of the run
        names = [str(x) for x in value]
        return names * len(stored) if len(names) == 1 else names
    if name == "correlations":
        return [[str(a), str(b), float(r)] for a, b, r in value]
    return value


def check_resume_arguments(record: Any, given: Mapping[str, Any]) -> None:
    """Raise :class:`ScenarioError` if an argument in ``given`` (only those the caller set, by
    the names of :data:`RESUME_OPTIONS`) differs from what run ``record`` was started with."""
    for name, value in given.items():
        if name not in RESUME_OPTIONS:
            raise ValueError(f"not a resumable argument: {name!r}")
        option = RESUME_OPTIONS[name]
        stored = _stored(record, name)
        if _normal(name, value, stored) == stored:
            continue
        if name == "scenario_sha256":
            raise ScenarioError(
                f"run {record.id} was made from another scenario (its text differs); resume it "
                "without a scenario, or start a new run",
                field=option,
            )
        raise ScenarioError(
            f"run {record.id} was started with another value; resume it without {option}, or "
            "with the same value",
            field=option,
            value=value,
            expected=repr(stored),
        )

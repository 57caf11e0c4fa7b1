"""Build a scenario file from a FACTS file: the ``build-case`` verb without the printing.

:func:`build_case_file` reads the facts (:func:`burdenshare.history.record.load_facts`), chooses
the priors (the shipped ``priors-v1``; a ``--priors`` JSON file; or a refit on the bundled record
plus ``--record`` files), builds the case (:func:`burdenshare.history.builder.build_case`) and
writes the scenario. It refuses an existing output unless ``overwrite``, and writes nothing when
anything fails: the output is written to a temporary file beside it and moved into place only
once the scenario has been built and validated.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from burdenshare.errors import ScenarioError
from burdenshare.history.builder import build_case
from burdenshare.history.facts import Facts
from burdenshare.history.priors_fit import FittedPriors, fit_priors, load_priors

__all__ = ["build_case_file", "choose_priors"]


def choose_priors(
    priors: str | Path | None = None, records: Sequence[str | Path] = ()
) -> tuple[FittedPriors, str]:
    """The priors and where they came from: ``shipped``, the ``priors`` file, or ``refit`` on
    the bundled record plus ``records``. Both at once is a user mistake (exit 2)."""
    if priors is not None and records:
        raise ScenarioError(
            "give --priors FILE or --record FILE, not both",
            field="--priors",
            value=str(priors),
            expected="fitted priors from one place",
        )
    if priors is not None:
        return load_priors(priors), str(priors)
    if records:
        from burdenshare.history.record import load_record

        rounds = load_record(list(records))
        try:
            return fit_priors(rounds), "refit"
        except ValueError as exc:
            raise ScenarioError(
                f"cannot fit the priors on this record: {exc}", field="--record"
            ) from None
    return load_priors(), "shipped"


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def build_case_file(
    facts: str | Path | Facts,
    output: str | Path,
    *,
    priors: str | Path | None = None,
    records: Sequence[str | Path] = (),
    overwrite: bool = False,
) -> dict[str, Any]:
    """Build the case of ``facts`` (a FACTS file or a :class:`Facts`) and write it to
    ``output``; returns what was done as JSON-ready data (docs/how-to/build-case.md)."""
    from burdenshare.services.outputs import refuse_existing

    out = Path(output).expanduser()
    refuse_existing([out], overwrite=overwrite, option="--output")
    if not out.parent.is_dir():
        raise ScenarioError(
            f"the folder {out.parent} does not exist", field="--output", value=str(output)
        )
    if isinstance(facts, Facts):
        loaded, facts_name = facts, "<facts>"
    else:
        from burdenshare.history.record import load_facts

        loaded, facts_name = load_facts(facts), str(facts)
    fitted, origin = choose_priors(priors, records)
    case = build_case(loaded, fitted)
    _write_atomic(out, case.text)
    sc = case.scenario
    return {
        "output": str(out),
        "facts": facts_name,
        "scenario": {"id": sc.id, "title": sc.title, "as_of": sc.as_of.isoformat()},
        "priors": {
            "version": fitted.version,
            "origin": origin,
            "fitted_on": list(fitted.fitted_on),
            "not_identified": list(fitted.not_identified),
        },
        "numbers": case.numbers,
    }

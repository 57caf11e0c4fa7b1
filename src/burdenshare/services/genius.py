"""``import-genius``: a GENIUS/ANAC or GeniusWeb domain folder written as a scenario file
(:mod:`burdenshare.interop` reads and converts it; this wires the protocol options, the
overwrite rule and the file)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from burdenshare.interop import load_genius, to_scenario
from burdenshare.interop.genius_protocol import profile_indices, protocol_choices
from burdenshare.scenario.scenario import Scenario
from burdenshare.services.outputs import refuse_existing

__all__ = ["import_genius"]


def import_genius(
    directory: str | Path,
    output: str | Path,
    *,
    rounds: int | None = None,
    start: str = "2000-01-01",
    deadline: str | None = None,
    first_mover: str | None = None,
    profiles: Sequence[str] | None = None,
    overwrite: bool = False,
) -> Scenario:
    """Write the domain in ``directory`` to ``output`` as a scenario file and return the
    validated scenario; an existing ``output`` is refused unless ``overwrite`` (before anything
    is read). The protocol options are those of
    :func:`~burdenshare.interop.genius_protocol.protocol_choices`; ``profiles`` names the
    profiles to make parties of (``--profile``, in order), by default every one.
    """
    refuse_existing([output], overwrite=overwrite, option="--output")
    domain = load_genius(directory)
    chosen = profile_indices(domain, profiles)
    opener, n_rounds, first_day = protocol_choices(
        domain,
        first_mover=first_mover,
        rounds=rounds,
        start=start,
        deadline=deadline,
        profiles=chosen,
    )
    text, scenario = to_scenario(
        domain, first_mover=opener, rounds=n_rounds, start=first_day, profiles=chosen
    )
    Path(output).write_text(text, encoding="utf-8")
    return scenario

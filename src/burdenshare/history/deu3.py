"""DEU III: real EU legislative issues with actors' positions, saliences and the decision outcome.

The data (Arregui & Perarnaud 2021, doi 10.34810/data53, as published with a GDP capability row by
github.com/blksv/predictioneers_game; provenance in ``history/data/README.md``) ship with the
package. Each row is one issue of one legislative proposal: the positions (0-100) and saliences
(0-100) of the Commission, the Parliament and up to 28 member states, the reference point ``rp``
(the status quo, often missing) and the outcome ``out``.

:func:`load_deu3` reads it into one :class:`Deu3Issue` per issue, each holding a one-issue
:class:`~burdenshare.forecasting.ActorTable`. Reading rules: an actor is in an issue's table when it
has a position there; a missing salience is read as 0 (the actor counts in the unweighted mean and
median but has no weight); saliences are divided by 100; capability is the GDP row; the scale is
0-100. These rules reproduce the computed baselines of ``shared/reference/models.md`` §2.2.

>>> issues = load_deu3()
>>> len(issues), len({i.proposal for i in issues})
(353, 137)
>>> first = issues[0]
>>> first.issue, first.proposal, first.outcome, first.table.actors[:3]
('d00032i1', 'd00032', 100.0, ('com', 'ep', 'at'))
"""

from __future__ import annotations

import csv
import functools
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from burdenshare.errors import ForecastError
from burdenshare.forecasting.base import ActorTable

__all__ = ["DEU3_ACTORS", "Deu3Issue", "load_deu3", "proposal_table"]

#: actor ids in file order: Commission, Parliament, then member states by column code
DEU3_ACTORS: tuple[str, ...] = (
    "com", "ep", "at", "be", "bu", "cr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "el", "hu",
    "ie", "it", "lv", "lt", "lu", "mt", "nl", "pl", "pt", "ro", "si", "sk", "es", "se", "uk",
)  # fmt: skip

_META = ("prname", "type", "council", "proc", "counvte", "intro", "finact")
SCALE = (0.0, 100.0)


@dataclass(frozen=True)
class Deu3Issue:
    """One DEU III issue: its actor table, outcome (NaN if none) and descriptive fields."""

    proposal: str
    issue: str
    table: ActorTable
    outcome: float
    meta: Mapping[str, str] = field(default_factory=dict)

    @property
    def reference(self) -> float:
        return float(self.table.reference[0])

    def to_dict(self) -> dict[str, Any]:
        return {
            "proposal": self.proposal,
            "issue": self.issue,
            "outcome": None if math.isnan(self.outcome) else self.outcome,
            "reference": None if math.isnan(self.reference) else self.reference,
            "actors": list(self.table.actors),
            "meta": dict(self.meta),
        }


def _number(text: str) -> float:
    text = text.strip()
    return float(text) if text else math.nan


@functools.lru_cache(maxsize=1)
def _read() -> tuple[Deu3Issue, ...]:
    raw = resources.files("burdenshare.history").joinpath("data/deu3.csv").read_text("utf-8")
    rows = list(csv.reader(io.StringIO(raw), delimiter="\t"))
    header, capability_row, body = rows[0], rows[1], rows[2:]
    col = {name: k for k, name in enumerate(header)}
    pos_cols = [col["p" + a] for a in DEU3_ACTORS]
    sal_cols = [col["s" + a] for a in DEU3_ACTORS]
    capability = np.array([_number(capability_row[k]) for k in pos_cols])
    out: list[Deu3Issue] = []
    for row in body:
        pos = np.array([_number(row[k]) for k in pos_cols])
        sal = np.array([_number(row[k]) for k in sal_cols])
        present = np.isfinite(pos)
        table = ActorTable(
            actors=tuple(a for a, p in zip(DEU3_ACTORS, present, strict=True) if p),
            issues=(row[col["isnr"]],),
            position=pos[present],
            salience=np.nan_to_num(sal[present], nan=0.0) / 100.0,
            capability=capability[present],
            reference=np.array([_number(row[col["rp"]])]),
            scale=(SCALE,),
        )
        out.append(
            Deu3Issue(
                proposal=row[col["prnr"]],
                issue=row[col["isnr"]],
                table=table,
                outcome=_number(row[col["out"]]),
                meta={k: row[col[k]] for k in _META},
            )
        )
    return tuple(out)


def load_deu3(*, with_outcome: bool = True) -> tuple[Deu3Issue, ...]:
    """The DEU III issues in file order (only those with an outcome unless ``with_outcome=False``).

    >>> len(load_deu3(with_outcome=False))
    364
    """
    issues = _read()
    return tuple(i for i in issues if not math.isnan(i.outcome)) if with_outcome else issues


def proposal_table(issues: Sequence[Deu3Issue]) -> ActorTable:
    """One multi-issue table for issues of the same proposal (for models such as exchange).

    Only the actors with a position on every one of the issues are kept.

    >>> issues = [i for i in load_deu3() if i.proposal == "d00032"]
    >>> t = proposal_table(issues)
    >>> t.n_issues, t.n_actors
    (4, 17)
    """
    if not issues:
        raise ForecastError("proposal_table needs at least one issue")
    common = [a for a in DEU3_ACTORS if all(a in i.table.actors for i in issues)]
    rows = [[i.table.actors.index(a) for a in common] for i in issues]
    first = issues[0].table
    return ActorTable(
        actors=tuple(common),
        issues=tuple(i.issue for i in issues),
        position=np.column_stack(
            [i.table.position[r, 0] for i, r in zip(issues, rows, strict=True)]
        ),
        salience=np.column_stack(
            [i.table.salience[r, 0] for i, r in zip(issues, rows, strict=True)]
        ),
        capability=first.capability[[first.actors.index(a) for a in common]],
        reference=np.array([i.reference for i in issues]),
        scale=tuple(SCALE for _ in issues),
    )

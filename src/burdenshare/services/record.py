"""The record of rounds as a table (``burdenshare history record [--record FILE ...]``).

One row per round of the record (:func:`burdenshare.history.record.load_record`): the alliance and
talks, the status quo, the expiry of the agreement in force, the deal date and how many days it
came after (positive) or before (negative) the expiry, the settlement scored and its change on
the status quo, whether the agreement lapsed, how many public positions and meetings the record
dates, the weakest confidence of the round's figures and the file it was read from. Nothing here
prints.

>>> t = record_table()
>>> row = next(r for r in t.rows if r.id == "us-rok-sma-11")
>>> row.deal_date, row.days_after_expiry, row.settlement, round(row.change_pct, 1)
('2021-03-07', 432, 1183.3, 13.9)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from burdenshare.history.facts import RecordRound
from burdenshare.history.record import load_record
from burdenshare.history.sma import Confidence

__all__ = ["RecordRow", "RecordTable", "record_table"]


@dataclass(frozen=True)
class RecordRow:
    """One round in a line (money in the round's currency and scale)."""

    id: str
    alliance: str
    talks: str
    currency: str
    scale: str
    status_quo_year: int
    status_quo: float
    expiry: str
    deal_date: str | None
    days_after_expiry: int | None
    settlement_year: int | None
    settlement: float | None
    change_pct: float | None
    lapse: bool
    positions: int
    meetings: int
    confidence: str
    origin: str


def _row(r: RecordRound) -> RecordRow:
    f, o = r.facts, r.outcome
    deal = o.deal_date
    sq = f.status_quo.amount
    settled = o.settlement_amount
    levels = [f.status_quo.confidence, o.confidence, *(p.confidence for p in f.positions)]
    return RecordRow(
        id=r.id,
        alliance=f.alliance,
        talks=f.talks,
        currency=f.currency,
        scale=f.scale,
        status_quo_year=f.status_quo.year,
        status_quo=sq,
        expiry=f.expiry.isoformat(),
        deal_date=deal.isoformat() if deal else None,
        days_after_expiry=(deal - f.expiry).days if deal else None,
        settlement_year=o.settlement_year,
        settlement=settled,
        change_pct=100.0 * (settled - sq) / sq if settled is not None else None,
        lapse=o.lapse,
        positions=len(f.positions),
        meetings=len(f.meetings),
        confidence=Confidence.weakest(levels).value,
        origin=r.origin,
    )


@dataclass(frozen=True)
class RecordTable:
    """Every round of the record, in the record's order (by deal date)."""

    rows: tuple[RecordRow, ...]
    files: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"rounds": [asdict(r) for r in self.rows], "files": list(self.files)}

    def to_text(self) -> str:
        """A fixed-width table (never cut to the terminal's width) and the files read."""
        head = (
            f"{'round':<18} {'cur':<4} {'status quo':>15} {'expiry':>10} {'deal':>10} "
            f"{'days':>5} {'settlement':>15} {'change':>7} {'lapse':>5} {'pos':>3} "
            f"{'conf.':<8}"
        )
        out = [f"Record of rounds: {len(self.rows)} rounds (money in each round's unit)", head]
        for r in self.rows:
            sq = f"{r.status_quo_year}: {r.status_quo:,.1f}"
            settled = (
                f"{r.settlement_year}: {r.settlement:,.1f}"
                if r.settlement is not None
                else "no deal"
                if r.deal_date is None
                else "unknown"
            )
            change = f"{r.change_pct:+.1f}%" if r.change_pct is not None else "-"
            days = f"{r.days_after_expiry:+d}" if r.days_after_expiry is not None else "-"
            out.append(
                f"{r.id:<18} {r.currency:<4} {sq:>15} {r.expiry:>10} {r.deal_date or '-':>10} "
                f"{days:>5} {settled:>15} {change:>7} {'yes' if r.lapse else 'no':>5} "
                f"{r.positions:>3} {r.confidence:<8}"
            )
        out += ["", "Files: " + ", ".join(self.files)]
        out.append("days: deal date minus the expiry of the agreement in force (positive: late)")
        return "\n".join(out)


def record_table(paths: Sequence[str | Path] = ()) -> RecordTable:
    """The bundled record plus the rounds of ``paths`` (``--record FILE``), as a table."""
    rounds = load_record(paths)
    files = tuple(dict.fromkeys(r.origin for r in rounds))
    return RecordTable(rows=tuple(_row(r) for r in rounds), files=files)

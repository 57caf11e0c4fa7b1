"""The fit report of the case builder's priors, and the command that regenerates them.

:func:`fit_report` prints, as markdown, what :func:`~burdenshare.history.priors_fit.fit_priors`
fitted on which rounds and whether each round's settlement lies inside the zone the priors give
it; :func:`main` is ``python -m burdenshare.history.priors_fit [--write]``, which prints that
report for the shipped priors, or refits them on the bundled record and rewrites
``priors-v1.json`` and the report's table in docs/explanation/case-builder.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from burdenshare.history.facts import RecordRound
from burdenshare.history.priors_fit import (
    PRIORS_PATH,
    FittedPriors,
    fit_priors,
    load_priors,
    observations,
    save_priors,
    walkaways,
)

__all__ = ["DOC_PATH", "fit_report", "main", "with_report"]


# -- report -------------------------------------------------------------------------------------


def _f(x: float | None, spec: str = ".3f") -> str:
    return "-" if x is None else format(x, spec)


def fit_report(priors: FittedPriors, rounds: Sequence[RecordRound]) -> str:
    """A markdown report: the fitted parameters and, per round, what it contributed and whether
    its settlement lies inside the zone the priors give it (at central values, from its latest
    ask and offer before the deal)."""
    obs = observations(sorted(rounds, key=lambda r: r.id))
    d = priors.half_width
    share = priors.ask_share
    nid = set(priors.not_identified)

    def tag(name: str) -> str:
        return "default (not identified)" if name in nid else "fitted"

    lines = [
        f"Priors `{priors.version}`, fitted on {len(priors.fitted_on)} rounds: "
        + ", ".join(f"`{r}`" for r in priors.fitted_on)
        + ".",
        "",
        "| parameter | value | n | how |",
        "|---|---|---|---|",
        f"| settlement ln(X/S): mean mu | {priors.settlement_log_mean:.4f} | "
        f"{priors.n_settlements} | fitted |",
        f"| settlement ln(X/S): sd sigma | {priors.settlement_log_sd:.4f} | "
        f"{priors.n_settlements} | fitted |",
        f"| interval factor k = t(0.9; n-1) sqrt(1+1/n) | "
        f"{priors.settlement_interval_factor:.4f} | {priors.n_settlements} | fitted |",
        f"| 80% interval of X/S: exp(mu -/+ k sigma) | "
        f"{math.exp(priors.settlement_log_mean - d):.4f} to "
        f"{math.exp(priors.settlement_log_mean + d):.4f} | {priors.n_settlements} | fitted |",
        "| share of the way to the latest ask (low, median, high) | "
        + ("-" if share is None else ", ".join(f"{x:.3f}" for x in share))
        + f" | {priors.n_ask_share} | {tag('ask_share')} |",
        f"| first ask ln(A1/S), mean | {_f(priors.first_ask_log_ratio, '.4f')} | "
        f"{priors.n_first_ask} | {tag('first_ask_log_ratio')} |",
        f"| settlement over latest offer ln(X/O), median | {priors.offer_log_ratio:.4f} | "
        f"{priors.n_offer} | {tag('offer_log_ratio')} |",
        "| deal date - expiry, days (low, median, high) | "
        + ", ".join(f"{x:.0f}" for x in priors.deal_delay_days)
        + f" | {priors.n_delay} | fitted |",
        f"| days between meetings (median) | {priors.meeting_gap_days:.1f} | {priors.n_gaps} | "
        f"{tag('meeting_gap_days')} |",
        f"| length of talks, days (median) | {priors.talks_days:.0f} | {priors.n_settlements} | "
        "fitted |",
        f"| P(no deal within {priors.horizon_days} days of expiry) | {priors.p_no_deal:.4f} | "
        f"{priors.n_no_deal} of {priors.n_rounds} | fitted (Jeffreys) |",
        f"| breakdown risk per round of {priors.meeting_gap_days:.0f} days | "
        f"{priors.breakdown_risk_per_round:.4f} | {priors.n_rounds} | fitted |",
        f"| yearly discount factor | {priors.annual_discount:.2f} | - | {tag('annual_discount')} |",
        "",
        "| round | status quo S | settlement X | ln(X/S) | latest ask | share | latest offer | "
        "delay days | X in central zone |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    inside = total = 0
    for o in obs:
        verdict = "-"
        if o.settlement is not None:
            w = walkaways(priors, o.status_quo, ask=o.latest_ask, offer=o.latest_offer)
            ok = sum(w.demander) / 3 <= o.settlement <= sum(w.payer) / 3
            inside += ok
            total += 1
            verdict = "yes" if ok else "no"
        lines.append(
            f"| `{o.round_id}` | {o.status_quo:,.1f} | {_f(o.settlement, ',.1f')} | "
            f"{_f(o.log_ratio, '+.4f')} | {_f(o.latest_ask, ',.1f')} | {_f(o.share, '.3f')} | "
            f"{_f(o.latest_offer, ',.1f')} | {_f(o.delay_days, 'd')} | {verdict} |"
        )
    lines += [
        "",
        f"The settlement lies inside the zone of agreement at central values in {inside} of "
        f"{total} agreed rounds (in sample).",
    ]
    if nid:
        lines.append(
            "Not identified by the record, documented defaults used: "
            + ", ".join(f"`{x}`" for x in sorted(nid))
            + "."
        )
    return "\n".join(lines) + "\n"


# -- regenerating the shipped priors -------------------------------------------------------------

#: the page that shows the fit report, between these two markers
DOC_PATH = Path(__file__).resolve().parents[3] / "docs" / "explanation" / "case-builder.md"
DOC_BEGIN, DOC_END = "<!-- fit-report:begin -->", "<!-- fit-report:end -->"


def with_report(page: str, report: str) -> str:
    """``page`` with the text between the fit-report markers replaced by ``report``."""
    head, sep, rest = page.partition(DOC_BEGIN)
    _, sep2, tail = rest.partition(DOC_END)
    if not (sep and sep2):
        raise ValueError("the page has no fit-report markers")
    return f"{head}{DOC_BEGIN}\n{report}{DOC_END}{tail}"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m burdenshare.history.priors_fit [--write]``: print the fit report of the
    shipped priors on the bundled record; with ``--write``, refit on the bundled record, write
    ``priors-v1.json`` and the report into docs/explanation/case-builder.md (run from a source
    checkout)."""
    import sys

    from burdenshare.history.record import load_record

    args = list(sys.argv[1:] if argv is None else argv)
    rounds = load_record()
    if args == ["--write"]:
        priors = fit_priors(rounds)
        save_priors(priors, PRIORS_PATH)
        page = DOC_PATH.read_text(encoding="utf-8")
        DOC_PATH.write_text(with_report(page, fit_report(priors, rounds)), encoding="utf-8")
        print(f"wrote {PRIORS_PATH} and {DOC_PATH}")
    elif not args:
        print(fit_report(load_priors(), rounds), end="")
    else:
        print("usage: python -m burdenshare.history.priors_fit [--write]", file=sys.stderr)
        return 2
    return 0

"""The ``build-case`` verb: a scenario file from a FACTS file and the fitted priors."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from burdenshare.cli.common import JsonOpt, OverwriteOpt, app, console, emit

__all__ = ["build_case"]


def _fmt(x: Any) -> str:
    """One decimal from 100 up, else 4 significant digits (0.0001 must not show as 0.0)."""
    if x is None:
        return "-"
    return f"{x:,.1f}" if abs(x) >= 100 else f"{x:,.4g}"


def _tri(t: Any) -> str:
    return "-" if not t else " / ".join(_fmt(v) for v in t)


@app.command("build-case")
def build_case(
    facts: Annotated[
        str,
        typer.Argument(
            help="The FACTS file: the public facts of one round on a date (YAML, "
            "docs/reference/record.md)."
        ),
    ],
    output: Annotated[str, typer.Option("-o", "--output", help="The scenario file to write.")],
    priors: Annotated[
        str | None,
        typer.Option(
            "--priors",
            help="Fitted priors (JSON) to build with instead of the shipped priors-v1.",
        ),
    ] = None,
    record: Annotated[
        list[str] | None,
        typer.Option(
            "--record",
            help="Refit the priors on the bundled record plus this record file (repeatable).",
        ),
    ] = None,
    overwrite: OverwriteOpt = False,
    json_out: JsonOpt = False,
) -> None:
    """Build a scenario for any alliance from the public facts on a date."""
    from burdenshare.services.cases import build_case_file

    result = build_case_file(
        facts, output, priors=priors, records=record or (), overwrite=overwrite
    )
    if json_out:
        emit(result)
        return
    n = result["numbers"]
    pri = result["priors"]
    lines = [
        f"wrote {escape(result['output'])}: {escape(result['scenario']['title'])}",
        f"priors {pri['version']} ({pri['origin']}, fitted on {len(pri['fitted_on'])} rounds)",
        f"{escape(n['demander'])} ideal {_fmt(n['demander_ideal'])}, walk-away "
        f"{_tri(n['demander_walkaway'])}",
        f"{escape(n['payer'])} ideal {_fmt(n['payer_ideal'])}, walk-away "
        f"{_tri(n['payer_walkaway'])}",
        "zone of agreement at central values: " + ("yes" if n["zone_at_central_values"] else "no"),
        f"deadline belief (days after {n['start']}): "
        + " / ".join(str(d) for d in n["deadline_belief_days"]),
        f"analyse it with `burdenshare analyze {escape(result['output'])}`",
    ]
    console().print("\n".join(lines))

"""Typer application: verbs, options, and the mapping of errors to exit codes.

Exit codes: 0 ok, 2 bad input (a malformed scenario, an unknown option value), 1 internal error.
No traceback reaches the user unless ``BURDENSHARE_DEBUG=1`` is set.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from burdenshare import __version__, services
from burdenshare.cli import render
from burdenshare.errors import BurdenshareError
from burdenshare.scenario.library import FLAGSHIP

__all__ = ["app", "main"]

app = typer.Typer(
    name="burdenshare",
    help="Model, simulate and forecast alliance cost-sharing negotiations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ScenarioArg = Annotated[
    str,
    typer.Argument(
        help="A bundled scenario name (see `burdenshare scenarios`) or a scenario file path."
    ),
]
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON (docs/reference/json.md).")
]
SeedOpt = Annotated[
    int, typer.Option("--seed", help="Seed for every random draw (same seed, same numbers).")
]
NegOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--negotiator",
        "-N",
        help="Negotiator for the first and second party, in scenario order (give once for both). "
        "Names: boulware, linear, conceder, hardliner, tit-for-tat, nash, rubinstein; "
        "parameters as in time-dependent:e=0.5.",
    ),
]


def _emit(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False, width=max(100, Console().width))


def _version(value: bool) -> None:
    if value:
        typer.echo(f"burdenshare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Model, simulate and forecast alliance cost-sharing negotiations."""


@app.command()
def scenarios(json_out: JsonOpt = False) -> None:
    """List the bundled scenarios."""
    items = services.list_scenarios()
    if json_out:
        _emit({"scenarios": items})
    else:
        render.scenarios(_console(), items)


@app.command()
def validate(scenario: ScenarioArg, json_out: JsonOpt = False) -> None:
    """Check a scenario file and describe it (exit code 2 and one clear message if malformed)."""
    info = services.validate(scenario)
    if json_out:
        _emit(info)
    else:
        render.validated(_console(), info)


@app.command()
def analyze(scenario: ScenarioArg, json_out: JsonOpt = False) -> None:
    """Zone of agreement and every bargaining solution, in issue units and both currencies."""
    result = services.analyze(scenario)
    if json_out:
        _emit(result.to_dict())
    else:
        render.analysis(_console(), result)


@app.command()
def simulate(
    scenario: ScenarioArg,
    negotiator: NegOpt = None,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
) -> None:
    """Simulate one alternating-offers session and show its transcript."""
    loaded, result, pair = services.simulate(scenario, negotiator, seed=seed)
    if json_out:
        _emit(
            {
                **result.to_dict(),
                "negotiators": dict(zip(loaded.scenario.party_names, pair, strict=True)),
                "seed": seed,
            }
        )
    else:
        render.session(_console(), loaded.scenario, result, pair, seed)


@app.command()
def run(
    scenario: Annotated[
        str, typer.Argument(help="A bundled scenario name or a scenario file path.")
    ] = FLAGSHIP,
    negotiator: NegOpt = None,
    seed: SeedOpt = 0,
    json_out: JsonOpt = False,
) -> None:
    """The main job: validate, analyse and simulate a scenario, and summarise in plain words."""
    result = services.analyze(scenario)
    loaded, session, pair = services.simulate(scenario, negotiator, seed=seed)
    if json_out:
        _emit(
            {
                **result.to_dict(),
                "simulation": {
                    **session.to_dict(),
                    "seed": seed,
                    "negotiators": dict(zip(loaded.scenario.party_names, pair, strict=True)),
                },
            }
        )
    else:
        console = _console()
        render.analysis(console, result)
        render.session(console, loaded.scenario, session, pair, seed)
        render.verdict(console, result, session)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: run the app and turn errors into exit codes.

    Usage errors (unknown option, missing argument) are reported by typer with exit code 2.
    """
    debug = os.environ.get("BURDENSHARE_DEBUG") == "1"
    try:
        app(args=argv, prog_name="burdenshare")
    except BurdenshareError as exc:
        if debug:
            raise
        Console(stderr=True, highlight=False).print(
            "[bold red]error:[/] " + escape(str(exc)), markup=True, soft_wrap=True
        )
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted")
        sys.exit(130)
    except Exception as exc:  # the edge: an unexpected error is internal, never a traceback
        if debug:
            raise
        Console(stderr=True, highlight=False).print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in burdenshare; rerun with BURDENSHARE_DEBUG=1 to see the traceback.",
            markup=False,
            soft_wrap=True,
        )
        sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])

"""``ensemble --resume`` refuses any argument that differs from the run's own (issue 11, item 8).

Before, a different scenario, ``--seed``, ``-n``, ``--method`` or ``--chunk-size`` given with
``--resume`` was silently ignored and the command exited 0. Now each is refused with exit 2 naming
the option; the same values, or none, resume the run to the uninterrupted numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from burdenshare import services

N, CHUNK, SEED = 3000, 1000, 5


@pytest.fixture
def interrupted(tmp_path: Path) -> tuple[str, Path]:
    """A stored split-the-pie ensemble stopped after its first chunk (an interruption)."""
    store = tmp_path / "runs.duckdb"

    def stop(done: int, total: int) -> None:
        if done >= CHUNK:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        services.ensemble(
            "split-the-pie", n=N, seed=SEED, chunk_size=CHUNK, store=store, progress=stop
        )
    (run,) = services.list_runs(store)
    assert run.status != "finished"
    return run.id, store


CliMain = Callable[..., tuple[int, str, str]]


def _cli(cli_main: CliMain, *argv: str) -> tuple[int, str, str]:
    code, out, err = cli_main(*argv)
    return code, out, " ".join(err.split())


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (("--seed", "6"), "--seed"),
        (("-n", "4000"), "--sessions"),
        (("--method", "lhs"), "--method"),
        (("--chunk-size", "500"), "--chunk-size"),
        (("-N", "conceder"), "--negotiator"),
        (("--precision", "0.01"), "--precision"),
        (("us-rok-sma-2019",), "SCENARIO"),
    ],
    ids=["seed", "n", "method", "chunk", "negotiator", "precision", "scenario"],
)
def test_a_differing_argument_is_refused(
    interrupted: tuple[str, Path],
    extra: tuple[str, ...],
    option: str,
    cli_main: CliMain,
) -> None:
    run_id, store = interrupted
    # a scenario is an argument: it goes first
    args = [*extra, "--resume", run_id] if len(extra) == 1 else ["--resume", run_id, *extra]
    code, _, err = _cli(cli_main, "ensemble", *args, "--store", str(store))
    assert code == 2, err
    assert option in err
    assert run_id in err
    (run,) = services.list_runs(store)
    assert run.status != "finished"  # refused: nothing resumed


def test_the_same_arguments_resume_to_the_uninterrupted_numbers(
    interrupted: tuple[str, Path], tmp_path: Path, cli_main: CliMain
) -> None:
    run_id, store = interrupted
    code, out, err = _cli(
        cli_main,
        *("ensemble", "split-the-pie", "--resume", run_id, "--seed", str(SEED), "-n", str(N)),
        *("--chunk-size", str(CHUNK), "--store", str(store), "--json"),
    )
    assert code == 0, err
    resumed: dict[str, Any] = json.loads(out)["summary"]
    whole = services.ensemble(
        "split-the-pie", n=N, seed=SEED, chunk_size=CHUNK, store=tmp_path / "other.duckdb"
    ).summary
    timing = {"wall_seconds", "sessions_per_second", "sessions_this_call"}
    assert {k: v for k, v in resumed.items() if k not in timing} == {
        k: v for k, v in whole.items() if k not in timing
    }


@pytest.fixture
def interrupted_tournament(tmp_path: Path) -> tuple[str, Path]:
    """A stored tournament stopped after its first match."""
    from burdenshare.services.tournament import tournament

    store = tmp_path / "runs.duckdb"

    def stop(done: int, total: int) -> None:
        if done > 0:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        tournament(
            ["split-the-pie"],
            negotiators=["boulware", "linear", "conceder"],
            repetitions=2,
            seed=3,
            store=store,
            progress=stop,
        )
    (run,) = services.list_runs(store)
    assert run.status != "finished"
    return run.id, store


@pytest.mark.parametrize(
    ("extra", "option"),
    [
        (("--seed", "4"), "--seed"),
        (("-r", "3"), "--repetitions"),
        (("-N", "boulware", "-N", "linear"), "--negotiator"),
        (("--self-play",), "--self-play"),
        (("us-rok-sma-2021",), "DOMAINS"),
    ],
    ids=["seed", "repetitions", "negotiators", "self-play", "domains"],
)
def test_a_tournament_refuses_a_differing_plan(
    interrupted_tournament: tuple[str, Path],
    extra: tuple[str, ...],
    option: str,
    cli_main: CliMain,
) -> None:
    run_id, store = interrupted_tournament
    code, _, err = _cli(cli_main, "tournament", *extra, "--resume", run_id, "--store", str(store))
    assert code == 2, err
    assert option in err
    (run,) = services.list_runs(store)
    assert run.status != "finished"


def test_a_tournament_resumes_with_its_own_plan_typed_again(
    interrupted_tournament: tuple[str, Path], cli_main: CliMain
) -> None:
    run_id, store = interrupted_tournament
    code, _, err = _cli(
        cli_main,
        *("tournament", "split-the-pie", "-N", "boulware", "-N", "linear", "-N", "conceder"),
        *("-r", "2", "--seed", "3", "--resume", run_id, "--store", str(store), "--json"),
    )
    assert code == 0, err
    (run,) = services.list_runs(store)
    assert run.status == "finished"

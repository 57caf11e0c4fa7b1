"""A generated hostile corpus: valid scenarios mutated at random, through every verb.

Beside the hand-made corpus (``test_hostile_corpus.py``), a hypothesis strategy takes a valid
scenario and mutates it the way hostile or careless input does: a number becomes NaN, inf, huge,
negative or zero; a string gets control characters or bidi overrides, becomes huge or empty; a key
is deleted, duplicated or nested one level too deep; the text is cut short. validate, analyze,
simulate, ensemble and forecast (and, under ``-m slow``, sensitivity; ``report`` and ``run`` chain
these same steps) then run on the mutated file, in-process (``cli.main``, the console script's entry
point) inside a worker process that holds a memory cap (``resource.setrlimit``) and a time budget
per verb. Each must

- exit 0 or 2 (never 1: a scenario that validates never makes a later verb fail internally),
- print no traceback and no "internal error",
- on exit 2, name the file (and, for a scenario error, the field or line) in one message,
- on exit 2, store nothing (the run store holds no new run),
- finish within its time budget and under the memory cap.

The default run (``make test``) tries :data:`EXAMPLES` mutations; ``-m slow`` tries
:data:`SLOW_EXAMPLES`.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import multiprocessing
import os
import re
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from burdenshare.scenario.io import EXAMPLE

#: mutated scenarios tried in the default run, and under ``-m slow``
EXAMPLES = 60
SLOW_EXAMPLES = 600
#: the worker's address-space cap (numba, LLVM and DuckDB reserve a lot of virtual memory)
MEMORY_CAP = 6 * 1024**3
#: seconds one verb may take on a small mutated scenario
VERB_BUDGET = 20.0

#: the verbs run on every mutated file ({path} and {store} are filled in)
VERBS: tuple[tuple[str, ...], ...] = (
    ("validate", "{path}"),
    ("analyze", "{path}"),
    ("simulate", "{path}"),
    ("ensemble", "{path}", "-n", "300", "--store", "{store}"),
    ("forecast", "{path}"),
)
#: the long run adds sensitivity (a tornado and Sobol' indices on a few hundred sessions)
SLOW_VERBS = (*VERBS, ("sensitivity", "{path}", "-n", "200", "--n-base", "8"))


def _bases() -> list[dict[str, Any]]:
    """The reference EXAMPLE (burdenshare.scenario.io), widened so that one valid file reaches
    every feature the verbs use: a categorical issue, outside options below zero, an uncertain
    discount, a dated event with an effect, and actors for the forecasts."""
    base = yaml.safe_load(EXAMPLE)
    base["issues"].append(
        {"id": "fund", "kind": "categorical", "values": ["none", "partial", "full"]}
    )
    us, rok = base["parties"]["US"], base["parties"]["ROK"]
    us["utility"]["contribution"]["weight"] = 0.7
    rok["utility"]["contribution"]["weight"] = 0.8
    us["utility"]["fund"] = {"scores": {"none": 0, "partial": 0.5, "full": 1}, "weight": 0.1}
    rok["utility"]["fund"] = {"scores": {"none": 1, "partial": 0.6, "full": 0}, "weight": 0.1}
    us["outside_option"] = -0.2
    rok["discount_per_round"] = {"uniform": [0.95, 0.99]}
    base["protocol"]["deadline"] = "2020-06-30"
    base["protocol"]["events"] = [
        {
            "date": "2020-04-15",
            "kind": "election",
            "party": "ROK",
            "effects": {"outside_option": -0.1},
        }
    ]
    base["actors"] = [
        {
            "id": "white-house",
            "party": "US",
            "position": "5 bn USD",
            "salience": 0.8,
            "capability": 0.5,
        },
        {
            "id": "blue-house",
            "party": "ROK",
            "position": 1038.9,
            "salience": 0.9,
            "capability": 0.3,
        },
        {"id": "assembly", "party": "ROK", "position": 1100, "salience": 0.5, "capability": 0.2},
    ]
    return [json.loads(json.dumps(base, default=str))]


_BASES = _bases()


# -- the mutation strategy -----------------------------------------------------------------------

HOSTILE_NUMBERS: tuple[Any, ...] = (
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    -1e308,
    10**30,
    -(10**30),
    0,
    -1,
    1e-320,
    0.5,
    2,
)
#: the mutations, drawn in these proportions (half keep the file valid more often than not)
MUTATIONS: tuple[str, ...] = ("scale",) * 5 + ("replace", "delete", "nest", "retype", "rename")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


#: factors that keep a number's kind but push it to extremes a valid file may still hold
SCALINGS: tuple[float, ...] = (1e6, 1e-6, 1e12, -1.0, 1.0000001, 0.9999999, 1000.0)
HOSTILE_STRINGS: tuple[str, ...] = (
    "",
    " ",
    "\x1b[31mred\x1b[0m",
    "a\x00b",
    "\u202eevil",
    "x" * 20_000,
    "\x85next",
    "1:30",
    "yes",
    "NaN",
    "../../etc/passwd",
    "<script>alert(1)</script>",
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path (keys and indices) to a node of the tree, the root excluded."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield (*prefix, k)
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield (*prefix, i)
            yield from _paths(v, (*prefix, i))


def _parent(tree: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        tree = tree[key]
    return tree


@dataclass(frozen=True)
class Mutant:
    """A mutated scenario: its text, file suffix and what was done (for the failure report)."""

    text: str
    suffix: str
    how: str


@st.composite
def mutants(draw: st.DrawFn) -> Mutant:
    """A valid scenario with one to three hostile mutations, as YAML or JSON text."""
    tree = json.loads(json.dumps(draw(st.sampled_from(_BASES))))
    hows: list[str] = []
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        paths = list(_paths(tree))
        if not paths:
            break
        kind = draw(st.sampled_from(MUTATIONS))
        numbers = [p for p in paths if _is_number(_parent(tree, p)[p[-1]])]
        if kind == "scale" and numbers:
            path = draw(st.sampled_from(numbers))
        else:
            path = draw(st.sampled_from(paths))
            kind = "replace" if kind == "scale" else kind
        parent, key = _parent(tree, path), path[-1]
        value = parent[key]
        if kind == "scale":  # often still valid, but extreme
            factor = draw(st.sampled_from(SCALINGS))
            parent[key] = type(value)(value * factor) if isinstance(value, int) else value * factor
        elif kind == "replace":
            new: Any
            if isinstance(value, bool) or value is None:
                new = draw(st.sampled_from([None, True, "maybe", 2]))
            elif isinstance(value, int | float):
                new = draw(st.sampled_from(HOSTILE_NUMBERS))
            elif isinstance(value, str):
                new = draw(st.sampled_from(HOSTILE_STRINGS))
            elif isinstance(value, list):
                new = draw(st.sampled_from([[], value * 50, [value], value[:1]]))
            else:
                new = draw(st.sampled_from([{}, None, [value]]))
            parent[key] = new
        elif kind == "delete":
            del parent[key]
        elif kind == "nest":
            parent[key] = draw(st.sampled_from([[value], {"value": value}]))
        elif kind == "retype":
            parent[key] = draw(st.sampled_from([str(value), [], {}, None, 1.5]))
        elif isinstance(parent, dict):  # rename a key
            del parent[key]
            parent[draw(st.sampled_from((*HOSTILE_STRINGS, "US", "extra")))] = value
        hows.append(f"{kind} {'.'.join(map(str, path))}")
    fmt = draw(st.sampled_from(["yaml", "yaml", "json"]))
    if fmt == "json":
        text = json.dumps(tree, allow_nan=True, ensure_ascii=draw(st.booleans()))
    else:
        text = yaml.safe_dump(tree, sort_keys=False, allow_unicode=True, width=1000)
    text_kind = draw(st.sampled_from(["as is"] * 8 + ["duplicate line", "cut"]))
    lines = text.splitlines(keepends=True)
    if text_kind == "duplicate line" and len(lines) > 1:
        i = draw(st.integers(0, len(lines) - 1))
        lines.insert(i, lines[i])
        text = "".join(lines)
    elif text_kind == "cut" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    hows.append(f"{fmt}, {text_kind}")
    return Mutant(text=text, suffix=f".{fmt}", how="; ".join(hows))


# -- the worker: verbs in-process, under a memory cap and a time budget --------------------------


class _OverBudget(BaseException):
    """Raised in the worker when a verb runs past its time budget (BaseException, so the CLI's
    own error handling cannot swallow it)."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _OverBudget


def _run_verb(argv: list[str]) -> tuple[int, str, float]:
    from burdenshare.cli.app import main

    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, VERB_BUDGET)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(argv)
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
    except _OverBudget:
        code = -1
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return code, out.getvalue() + err.getvalue(), time.perf_counter() - started


def _serve(conn: Connection) -> None:
    """Worker loop: receive (path, store) pairs, run every verb, send back the results."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    signal.signal(signal.SIGALRM, _on_alarm)
    os.environ["COLUMNS"] = "200"
    os.environ.pop("BURDENSHARE_DEBUG", None)
    os.environ.pop("BURDENSHARE_PROGRESS", None)
    while True:
        job = conn.recv()
        if job is None:
            return
        path, store, verbs = job
        results = []
        for verb in verbs:
            argv = [a.format(path=path, store=store) for a in verb]
            code, text, seconds = _run_verb(argv)
            results.append((verb[0], code, text, seconds))
        conn.send(results)


class Worker:
    """A spawned worker process that runs the verbs; restarted if it dies."""

    def __init__(self) -> None:
        self._start()

    def _start(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self.proc.start()

    def run(
        self, path: str, store: str, verbs: tuple[tuple[str, ...], ...] = VERBS
    ) -> list[tuple[str, int, str, float]] | str:
        """The verbs' results, or why the worker died or hung."""
        self.conn.send((path, store, verbs))
        budget = VERB_BUDGET * len(verbs) + 60
        if not self.conn.poll(budget):
            self.proc.kill()
            self._start()
            return f"the worker did not answer within {budget:.0f} s (a hang)"
        try:
            results: list[tuple[str, int, str, float]] = self.conn.recv()
        except (EOFError, OSError):
            code = self.proc.exitcode
            self._start()
            return f"the worker died (exit code {code}; the memory cap or a crash)"
        return results

    def close(self) -> None:
        with contextlib.suppress(OSError, BrokenPipeError):
            self.conn.send(None)
        self.proc.join(timeout=10)
        if self.proc.is_alive():
            self.proc.kill()


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    w = Worker()
    yield w
    w.close()


# -- the checks ------------------------------------------------------------------------------------


def _runs_in(store: Path) -> int:
    """How many runs ``store`` holds (0 if the file was never created)."""
    if not store.exists():
        return 0
    from burdenshare.store import RunStore

    with RunStore.open(store, read_only=True) as st:
        return len(st.list_runs(limit=1000))


def check_mutant(
    worker: Worker, mutant: Mutant, verbs: tuple[tuple[str, ...], ...] = VERBS
) -> None:
    with tempfile.TemporaryDirectory(prefix="burdenshare-fuzz-") as tmp:
        path = Path(tmp) / f"mutant{mutant.suffix}"
        path.write_text(mutant.text, encoding="utf-8", errors="surrogatepass")
        store = Path(tmp) / "runs.duckdb"
        results = worker.run(str(path), str(store), verbs)
        assert not isinstance(results, str), f"{results}\nmutation: {mutant.how}"
        for verb, code, text, seconds in results:
            where = f"`burdenshare {verb}` on a mutant ({mutant.how}) gave exit {code}:\n{text}"
            assert code != -1, f"over the {VERB_BUDGET} s budget: {where}"
            assert code in (0, 2), where
            assert "Traceback" not in text, where
            assert "internal error" not in text, where
            if code == 2:
                assert path.name in text, f"the message must name the file: {where}"
                if verb == "validate":  # a scenario error: where in the file, and what
                    assert re.search(rf"{re.escape(path.name)}(:\d+)?: \S", text), where
                if verb == "ensemble":
                    assert _runs_in(store) == 0, f"a refused ensemble stored a run: {where}"
            assert seconds < VERB_BUDGET, where


# -- the tests -------------------------------------------------------------------------------------


def test_the_base_scenarios_are_valid_and_every_verb_succeeds(worker: Worker) -> None:
    """The mutations start from scenarios every verb accepts (else the fuzzer tests nothing)."""
    for base in _BASES:
        text = yaml.safe_dump(base, sort_keys=False, allow_unicode=True)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "base.yaml"
            path.write_text(text, encoding="utf-8")
            results = worker.run(str(path), str(Path(tmp) / "runs.duckdb"))
            assert not isinstance(results, str), results
            for verb, code, out, _ in results:
                assert code == 0, f"{verb}: {out}"
            assert _runs_in(Path(tmp) / "runs.duckdb") == 1


def test_mutants_differ_and_are_hostile() -> None:
    """The strategy does mutate: distinct texts, and hostile values among them."""
    seen: set[str] = set()
    seen_mutants: list[Mutant] = []

    @settings(max_examples=200, derandomize=True, database=None)
    @given(mutants())
    def collect(m: Mutant) -> None:
        seen.add(m.text)
        seen_mutants.append(m)

    collect()
    assert len(seen) > 100
    joined = "\n".join(seen)
    assert re.search(r"\.nan|NaN|\.inf|Infinity", joined)  # numbers made non-finite
    kinds = {how.split()[0] for m in seen_mutants for how in m.how.split("; ")[:-1]}
    assert kinds == set(MUTATIONS)  # every kind of mutation is drawn
    assert {m.suffix for m in seen_mutants} == {".yaml", ".json"}
    assert re.search(r"e\+(1[2-9]|[2-9]\d|\d{3})", joined)  # numbers made huge


_SETTINGS = {
    "derandomize": True,
    "database": None,
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}


@settings(max_examples=EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(mutant=mutants())
def test_every_verb_survives_a_mutated_scenario(worker: Worker, mutant: Mutant) -> None:
    check_mutant(worker, mutant)


@pytest.mark.slow
@settings(max_examples=SLOW_EXAMPLES, **_SETTINGS)  # type: ignore[arg-type]
@given(mutant=mutants())
def test_every_verb_survives_many_mutated_scenarios(worker: Worker, mutant: Mutant) -> None:
    check_mutant(worker, mutant, SLOW_VERBS)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))

"""Helpers shared by the benchmark drivers: the benchmark game, child processes, machine facts.

Only the project's environment imports this module (the NegMAS side, ``negmas_side.py``, is a
separate program run in its own virtualenv and imports nothing from here or from burdenshare).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
NEGMAS_VENV = HERE / ".venv-negmas"
NEGMAS_PYTHON = NEGMAS_VENV / "bin" / "python"

#: NegMAS 0.16's named aspiration exponents (negmas.negotiators.helpers.POLY_ASPIRATION_EXPONENTS):
#: aspiration(t) = 1 - t ** p, p = 4 for "boulware" and 0.25 for "conceder".
NEGMAS_BOULWARE_P = 4.0
NEGMAS_CONCEDER_P = 0.25
#: burdenshare's TimeDependent asks for 1 - t ** (1 / e) (u_min = 0): the same curve for e = 1 / p
BS_BOULWARE_E = 1.0 / NEGMAS_BOULWARE_P  # 0.25 (burdenshare's own "boulware" is e = 0.2)
BS_CONCEDER_E = 1.0 / NEGMAS_CONCEDER_P  # 4.0 (burdenshare's own "conceder" is e = 5)


def scenario_yaml(
    rounds: int = 100,
    *,
    outcomes: int = 100,
    outside_option: float = 0.0,
    reservation_a: str = "0",
    reservation_b: str | None = None,
    parties: int = 2,
    protocol: str = "",
) -> str:
    """The benchmark game as a scenario file: one integer issue ``x`` in ``0 .. outcomes - 1``.

    Party A prefers high values (ideal ``outcomes - 1``, reservation 0), party B low ones (ideal
    0, reservation ``outcomes - 1``); linear utilities, A moves first, one round a day for
    ``rounds`` days (deadline ``rounds - 1`` days after the start), no breakdown risk, discount 1.
    ``reservation_*`` may be a distribution in scenario syntax (``"{uniform: [0, 20]}"``).
    With ``parties > 2`` (issue 14) parties C, D, ... are copies of B (B's utility and outside
    option), listed after B; ``protocol`` adds protocol fields (``"kind: single_text,
    decision_rule: majority"``).
    """
    top = outcomes - 1
    res_b = str(top) if reservation_b is None else reservation_b
    start = dt.date(2020, 1, 1)
    deadline = start + dt.timedelta(days=rounds - 1)
    opt = f", outside_option: {outside_option}" if outside_option else ""
    util_a = f"{{x: {{prefers: higher, ideal: {top}, reservation: {reservation_a}}}}}"
    util_b = f"{{x: {{prefers: lower, ideal: 0, reservation: {res_b}}}}}"
    return (
        "id: bench-one-issue\n"
        f"title: one integer issue with {outcomes} outcomes\n"
        "as_of: 2020-01-01\n"
        f"issues: [{{id: x, kind: integer, range: [0, {top}]}}]\n"
        "parties:\n"
        f"  A: {{utility: {util_a}{opt}}}\n"
        f"  B: {{utility: {util_b}{opt}}}\n"
        + "".join(
            f"  {chr(ord('C') + k)}: {{utility: {util_b}{opt}}}\n" for k in range(parties - 2)
        )
        + "protocol: {first_mover: A, start: 2020-01-01, round_every_days: 1, "
        f"deadline: {deadline.isoformat()}, breakdown_risk_per_round: 0"
        + (f", {protocol}" if protocol else "")
        + "}\n"
    )


def run_child(
    python: Path | str,
    script: str,
    args: list[str],
    *,
    fresh_numba_cache: bool = True,
    timeout: float = 3600.0,
) -> dict[str, Any]:
    """Run ``python HERE/script args`` and return the JSON object on its last stdout line.

    With ``fresh_numba_cache`` the child compiles numba code into an empty temporary cache, so
    the compile time it reports is a cold one and nothing is written beside the package.
    """
    env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="bench-numba-") as cache:
        if fresh_numba_cache:
            env["NUMBA_CACHE_DIR"] = cache
        proc = subprocess.run(
            [str(python), str(HERE / script), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{script} {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-4000:]}"
        )
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    return dict(json.loads(lines[-1]))


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine() -> dict[str, Any]:
    """Facts about this machine and run (the project environment's versions)."""
    import numba
    import numpy

    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "numba": numba.__version__,
        "platform": platform.platform(),
        "executable": sys.executable,
    }


def fmt_rate(x: float) -> str:
    """A rate with thousands separators (3 significant digits above 1,000)."""
    if x >= 1000:
        digits = len(str(int(x)))
        return f"{round(x, 3 - digits):,.0f}"
    return f"{x:,.1f}"

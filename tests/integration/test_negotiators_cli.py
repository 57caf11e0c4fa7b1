"""``burdenshare negotiators`` and plug-in specs on the verbs that take negotiators (issue 12,
item 5), run as a user would: a subprocess with the plug-in's folder and a demo distribution on
``PYTHONPATH``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = Path(sys.executable).parent / "burdenshare"
PLUGINS = Path(__file__).resolve().parents[1] / "plugins"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    site = tmp_path_factory.mktemp("site")
    info = site / "bs_demo_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bs-demo-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[burdenshare.negotiators]\nnoisy-linear = bs_demo_plugin:NoisyLinear\n"
        "broken = bs_demo_plugin_nowhere:Nothing\n"
    )
    paths = [str(PLUGINS), str(site), os.environ.get("PYTHONPATH", "")]
    store = tmp_path_factory.mktemp("store") / "runs.duckdb"
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(p for p in paths if p),
        "BURDENSHARE_STORE": str(store),
        "COLUMNS": "200",
    }


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), *args], capture_output=True, text=True, env=env, timeout=300, check=False
    )


def test_negotiators_lists_builtins_and_plugins_and_a_broken_one(env: dict[str, str]) -> None:
    out = _cli(env, "negotiators", "--json")
    assert out.returncode == 0, out.stderr
    listed = {n["name"]: n for n in json.loads(out.stdout)["negotiators"]}
    assert listed["boulware"]["source"] == "built-in"
    assert listed["time-dependent"]["parameters"] == {"e": 1.0}
    noisy = listed["noisy-linear"]
    assert (noisy["source"], noisy["distribution"]) == ("entry point", "bs-demo-plugin")
    assert noisy["parameters"] == {"noise": 0.05}
    assert noisy["target"] == "bs_demo_plugin:NoisyLinear"
    assert "bs_demo_plugin_nowhere" in listed["broken"]["error"]
    table = _cli(env, "negotiators")
    assert table.returncode == 0, table.stderr
    assert "noisy-linear" in table.stdout
    assert "entry point (bs-demo-plugin)" in table.stdout
    assert "unusable" in table.stdout


def test_simulate_and_tournament_take_a_plugin_by_path_and_by_name(env: dict[str, str]) -> None:
    sim = _cli(env, "simulate", "split-the-pie", "-N", "bs_demo_plugin:NoisyLinear:noise=0.2",
               "-N", "noisy-linear", "--json")  # fmt: skip
    assert sim.returncode == 0, sim.stderr
    assert json.loads(sim.stdout)["negotiators"] == {
        "A": "bs_demo_plugin:NoisyLinear:noise=0.2",
        "B": "noisy-linear",
    }
    tour = _cli(env, "tournament", "split-the-pie", "-N", "bs_demo_plugin:NoisyLinear",
                "-N", "linear", "-r", "1", "--json")  # fmt: skip
    assert tour.returncode == 0, tour.stderr
    ranked = {r["negotiator"] for r in json.loads(tour.stdout)["ranking"]}
    assert ranked == {"bs_demo_plugin:NoisyLinear", "linear"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bs_demo_plugin_nowhere:Agent", "no module named 'bs_demo_plugin_nowhere'"),
        ("bs_demo_plugin:NotANegotiator", "is not a Negotiator subclass"),
        ("broken", "plug-in 'broken'"),
    ],
)
def test_a_bad_plugin_is_exit_2_naming_it(env: dict[str, str], spec: str, message: str) -> None:
    out = _cli(env, "simulate", "split-the-pie", "-N", spec)
    assert out.returncode == 2
    assert message in out.stderr
    assert out.stdout == ""

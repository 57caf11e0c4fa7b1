"""Negotiator spec strings and plug-ins: import paths, entry points, the catalogue (issue 12,
item 5). The plug-in is tests/plugins/bs_demo_plugin.py; entry points come from a distribution
written into a temporary folder on ``sys.path`` (importlib.metadata reads ``*.dist-info`` there).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from burdenshare.errors import SimulationError
from burdenshare.negotiation import Boulware, make_negotiator
from burdenshare.negotiation.plugins import entry_points
from burdenshare.negotiation.registry import (
    is_import_path,
    named_negotiators,
    negotiator_catalogue,
    negotiator_class,
)
from burdenshare.negotiation.specs import parse_spec, parse_value

PLUGINS = Path(__file__).resolve().parent.parent / "plugins"
ENTRY_POINTS = """\
[burdenshare.negotiators]
noisy-linear = bs_demo_plugin:NoisyLinear
broken = bs_demo_plugin_nowhere:Nothing
boulware = bs_demo_plugin:NoisyLinear
"""


def install_demo_distribution(folder: Path) -> Path:
    """Write a distribution 'bs-demo-plugin' declaring three entry points into ``folder``."""
    info = folder / "bs_demo_plugin-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bs-demo-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    return folder


@pytest.fixture
def plugin_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(PLUGINS))


@pytest.fixture
def installed(plugin_path: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.syspath_prepend(str(install_demo_distribution(tmp_path / "site")))
    entry_points.cache_clear()
    yield
    entry_points.cache_clear()


# -- the parser --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3), ("-2", -2), ("0.25", 0.25), ("1e-3", 0.001), ("frequency", "frequency")],
)
def test_values_are_ints_floats_or_bare_words(text: str, value: object) -> None:
    got = parse_value(text)
    assert got == value
    assert type(got) is type(value)


@pytest.mark.parametrize("text", ["", "a b", "x=y", "'quoted'", "0x1f"])
def test_other_values_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a number nor a bare word"):
        parse_value(text)


def test_a_name_with_parameters() -> None:
    spec = parse_spec(" Genius-Time-Dependent:e=0.2, model=frequency,accept=next ")
    assert spec.target == "genius-time-dependent"
    assert dict(spec.params) == {"e": 0.2, "model": "frequency", "accept": "next"}
    assert not spec.is_import_path


def test_an_import_path_with_parameters() -> None:
    spec = parse_spec("pkg.sub.mod:MyAgent:patience=3,style=tough")
    assert (spec.module, spec.attribute) == ("pkg.sub.mod", "MyAgent")
    assert dict(spec.params) == {"patience": 3, "style": "tough"}
    assert spec.is_import_path


def test_a_registered_name_is_never_read_as_an_import_path() -> None:
    with pytest.raises(SimulationError, match="bad parameter 'e'"):
        parse_spec("nash:e", names={"nash"})
    assert parse_spec("nash:e").is_import_path  # unregistered: a module 'nash', class 'e'


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("time-dependent:e=1,e=2", "given twice"),
        ("time-dependent:=1", "bad parameter"),
        ("time-dependent:e=a b", "bad parameter"),
        ("pkg..mod:Agent", "bad import path"),
        ("my_agents.bidders", "looks like a module without a class"),
        ("", "empty negotiator name"),
    ],
)
def test_malformed_specs_name_the_spec(spec: str, message: str) -> None:
    with pytest.raises(SimulationError, match=message) as info:
        parse_spec(spec)
    assert repr(spec) in str(info.value) or spec == ""


def test_is_import_path_imports_nothing() -> None:
    before = set(sys.modules)
    assert is_import_path("bs_demo_plugin_never_imported:Agent:x=1")
    assert not is_import_path("boulware")
    assert not is_import_path("time-dependent:e")  # malformed, not an import path
    assert "bs_demo_plugin_never_imported" not in set(sys.modules) - before


# -- import paths ------------------------------------------------------------------------------


def test_an_import_path_makes_the_plugin_with_its_parameters(plugin_path: None) -> None:
    negotiator = make_negotiator("bs_demo_plugin:NoisyLinear:noise=0.2")
    assert repr(negotiator) == "NoisyLinear(noise=0.2)"
    assert negotiator_class("bs_demo_plugin:NoisyLinear")[1] == "import path"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bs_demo_plugin_nowhere:Agent", "no module named 'bs_demo_plugin_nowhere'"),
        ("bs_demo_plugin:Missing", r"has no class 'Missing'; negotiators defined there: Noisy"),
        ("bs_demo_plugin:NotANegotiator", "is not a Negotiator subclass"),
        ("bs_demo_plugin:Unfinished", "is abstract: implement propose, respond"),
        ("bs_demo_plugin:NoisyLinear:patience=3", "takes parameters: noise; got"),
        ("bs_demo_plugin:NoisyLinear:noise=high", "refused its parameters.*TypeError"),
    ],
)
def test_a_bad_import_path_is_a_clear_error_naming_the_spec(
    plugin_path: None, spec: str, message: str
) -> None:
    with pytest.raises(SimulationError, match=message) as info:
        make_negotiator(spec)
    assert repr(spec) in str(info.value)


# -- entry points ------------------------------------------------------------------------------


def test_an_entry_point_is_used_by_its_name(installed: None) -> None:
    assert "noisy-linear" in named_negotiators()
    assert repr(make_negotiator("noisy-linear:noise=0.1")) == "NoisyLinear(noise=0.1)"
    assert negotiator_class("Noisy-Linear")[1] == "entry point"


def test_a_broken_plugin_is_named_and_leaves_the_builtins_working(installed: None) -> None:
    with pytest.raises(SimulationError, match=r"plug-in 'broken' \(entry point .*bs-demo-plugin"):
        make_negotiator("broken")
    assert isinstance(make_negotiator("boulware"), Boulware)  # a built-in wins over the plug-in


def test_the_catalogue_lists_plugins_and_why_one_is_unusable(installed: None) -> None:
    entries = {e.name: e for e in negotiator_catalogue() if e.source == "entry point"}
    assert sorted(entries) == ["boulware", "broken", "noisy-linear"]
    noisy = entries["noisy-linear"]
    assert noisy.error is None
    assert noisy.distribution == "bs-demo-plugin"
    assert dict(noisy.parameters) == {"noise": 0.05}
    assert noisy.traits["stochastic"] is True
    assert noisy.summary.startswith("Linear concession plus a uniform jitter")
    assert "continuous" in noisy.supports
    assert "multilateral" not in noisy.supports
    assert "ModuleNotFoundError" in str(entries["broken"].error)
    assert "hidden by the built-in negotiator 'boulware'" in str(entries["boulware"].error)
    builtins = [e.name for e in negotiator_catalogue() if e.source == "built-in"]
    assert builtins[:2] == ["boulware", "linear"]
    assert "time-dependent" in builtins


def test_entry_points_are_read_on_first_use_not_at_import(tmp_path: Path) -> None:
    code = (
        "import sys, burdenshare.negotiation, burdenshare.cli\n"
        "from burdenshare.negotiation.plugins import entry_points\n"
        "print(entry_points.cache_info().currsize, 'bs_demo_plugin' in sys.modules)\n"
        "from burdenshare.negotiation import make_negotiator\n"
        "make_negotiator('noisy-linear')\n"
        "print(entry_points.cache_info().currsize, 'bs_demo_plugin' in sys.modules)\n"
    )
    site = install_demo_distribution(tmp_path / "site")
    env = {"PYTHONPATH": f"{site}:{PLUGINS}:{':'.join(sys.path)}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["0 False", "1 True"]

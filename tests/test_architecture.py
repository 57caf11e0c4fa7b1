"""The import rules of docs/explanation/architecture.md ("Rules that keep it easy to change"),
enforced by reading every module of ``src/burdenshare`` with :mod:`ast` (nothing is imported).

An import is any ``import x`` / ``from x import y`` (at module level, inside a function or under
``if TYPE_CHECKING:``), a relative import resolved against its package, and any string literal
naming a ``burdenshare`` module passed to a call (``importlib.import_module("burdenshare.x")``,
``__import__``, or a lazy registry's ``_lazy("burdenshare.x", "Name", ...)``): a string is an
import that a reader cannot see, so it obeys the same rules.

The rules (each violation names the file, the line and the rule):

1. **layers**: every top-level package (or module) of ``burdenshare`` sits in exactly one layer of
   :data:`LAYERS`; a module may import from its own package and from lower layers only, never
   from a higher layer nor from another package of its own layer.
2. **edges**: ``cli`` and ``web`` call ``services`` only. At run time they may import
   :data:`EDGE_ALLOWED` (services, errors, jsonsafe and the package root for its version) and
   ``cli`` may import ``web.server`` (the ``serve`` verb starts the web app); imports of any
   other layer are allowed under ``if TYPE_CHECKING:`` only (types that annotate the records
   services return: they run nothing).
3. **charts**: only ``report`` imports matplotlib (elsewhere a ``Figure`` may be named in a
   type annotation, under ``if TYPE_CHECKING:``: it draws nothing).
"""

from __future__ import annotations

import ast
import re
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = "burdenshare"

#: the layers, lowest first (the data flow of docs/explanation/architecture.md, read off the
#: code): foundations; infrastructure that knows no scenario; the scenario and the
#: cost model it reads demand rules with; utilities; solutions in utility space; one session
#: and the analysis; the batch engine and GENIUS import; ensembles and forecasts; tournaments,
#: the record of rounds and the alliance models; reports and the shipped test kit; services;
#: the two edges. "" is the package root (``burdenshare/__init__.py``: the version).
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"errors"}),
    frozenset({"", "seeds", "params", "jsonsafe", "scales"}),
    frozenset({"store", "backends"}),
    frozenset({"costs"}),
    frozenset({"scenario"}),
    frozenset({"preferences"}),
    frozenset({"solutions"}),
    frozenset({"negotiation", "analysis"}),
    frozenset({"engine", "interop", "cooperative"}),
    frozenset({"ensemble", "forecasting"}),
    frozenset({"tournament", "history", "alliance"}),
    frozenset({"report", "testing"}),
    frozenset({"services"}),
    frozenset({"cli", "web"}),
)

#: what ``cli`` and ``web`` may import at run time besides their own package
EDGE_ALLOWED = frozenset({"services", "errors", "jsonsafe", ""})
#: the one import between the edges: ``burdenshare serve`` starts the web app
EDGE_BRIDGE = ("cli", "burdenshare.web.server")
#: the only package that draws charts
CHART_PACKAGE = "report"
CHART_LIBRARIES = frozenset({"matplotlib"})

_MODULE_STRING = re.compile(r"^burdenshare(\.[A-Za-z_]\w*)*(:[A-Za-z_][\w.]*)?$")


@dataclass(frozen=True)
class Import:
    """One import found in a module: the target module, its line, and whether it only runs
    under ``if TYPE_CHECKING:``."""

    target: str
    line: int
    type_only: bool
    how: str
    #: ``from pkg import name``: ``pkg.name`` may be a submodule or just a name of ``pkg``
    maybe_name: bool = False


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: [{self.rule}] {self.message}"


def module_name(path: Path, src: Path) -> str:
    """``src/burdenshare/a/b.py`` -> ``burdenshare.a.b`` (an ``__init__`` is its package)."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def top_package(module: str) -> str | None:
    """The top-level package of a ``burdenshare`` module ("" for the root), None outside it."""
    parts = module.split(".")
    if parts[0] != ROOT:
        return None
    return parts[1] if len(parts) > 1 else ""


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(node: ast.ImportFrom, package: str) -> list[str]:
    """The modules a ``from ... import`` reaches (relative imports against ``package``); for
    ``from pkg import name`` both ``pkg`` and ``pkg.name`` (the name may be a submodule)."""
    if node.level:
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)]
        module = ".".join([*base, node.module] if node.module else base)
    else:
        module = node.module or ""
    return [module, *(f"{module}.{a.name}" for a in node.names if a.name != "*")]


def imports_of(tree: ast.Module, module: str, is_package: bool) -> Iterator[Import]:
    """Every import of a parsed module, wherever it stands."""
    package = module if is_package else module.rpartition(".")[0]

    def walk(node: ast.AST, type_only: bool) -> Iterator[Import]:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from walk(child, True)
            for child in node.orelse:
                yield from walk(child, type_only)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno, type_only, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            targets = _resolve(node, package)
            how = f"from {'.' * node.level}{node.module or ''} import ..."
            # the package itself, and each imported name that is a submodule of it
            yield Import(targets[0], node.lineno, type_only, how)
            for target in targets[1:]:
                yield Import(target, node.lineno, type_only, how, maybe_name=True)
        elif isinstance(node, ast.Call):
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and _MODULE_STRING.match(arg.value)
                ):
                    target = arg.value.partition(":")[0]
                    yield Import(target, node.lineno, type_only, f"string {arg.value!r}")
        for child in ast.iter_child_nodes(node):
            yield from walk(child, type_only)

    yield from walk(tree, False)


def layer_of(package: str) -> int | None:
    for k, layer in enumerate(LAYERS):
        if package in layer:
            return k
    return None


def _is_module(target: str, src: Path) -> bool:
    base = src.joinpath(*target.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def check_tree(src: Path) -> list[Violation]:
    """Every violation of the rules in the ``burdenshare`` package under ``src``."""
    out: list[Violation] = []
    unplaced: set[str] = set()
    for path in sorted((src / ROOT).rglob("*.py")):
        rel = str(path.relative_to(src.parent))
        module = module_name(path, src)
        here = top_package(module)
        assert here is not None
        mine = layer_of(here)
        if mine is None:
            if here in unplaced:
                continue
            unplaced.add(here)
            out.append(
                Violation(
                    rel,
                    1,
                    "layers",
                    f"package {here!r} is in no layer: place it in LAYERS "
                    "(tests/test_architecture.py) and on the architecture page",
                )
            )
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
        seen: set[tuple[str, int]] = set()
        for imp in imports_of(tree, module, path.name == "__init__.py"):
            top = imp.target.split(".")[0]
            if top in CHART_LIBRARIES and here != CHART_PACKAGE and not imp.type_only:
                if (top, imp.line) in seen:
                    continue
                seen.add((top, imp.line))
                out.append(
                    Violation(
                        rel,
                        imp.line,
                        "charts",
                        f"{imp.how} outside {ROOT}.{CHART_PACKAGE}: charts are drawn only "
                        f"in {ROOT}/{CHART_PACKAGE}/ (pass the data to a report module)",
                    )
                )
                continue
            target_pkg = top_package(imp.target)
            if target_pkg is None or target_pkg == here:
                continue
            if imp.maybe_name and not _is_module(imp.target, src):
                continue  # a function or constant of the module already counted
            target = imp.target
            if (target_pkg, imp.line) in seen:  # one finding per package and line
                continue
            seen.add((target_pkg, imp.line))
            theirs = layer_of(target_pkg)
            name = f"{ROOT}.{target_pkg}" if target_pkg else ROOT
            if here in ("cli", "web"):
                allowed = ", ".join(sorted(a or ROOT for a in EDGE_ALLOWED))
                bridge = (here, target) == EDGE_BRIDGE
                if target_pkg not in EDGE_ALLOWED and not bridge and not imp.type_only:
                    out.append(
                        Violation(
                            rel,
                            imp.line,
                            "edges",
                            f"{imp.how} reaches {target}: cli and web call services only "
                            f"(allowed at run time: {allowed}; "
                            "other types under `if TYPE_CHECKING:`)",
                        )
                    )
                    continue
                if target_pkg in EDGE_ALLOWED or bridge or imp.type_only:
                    continue
            if theirs is None:
                out.append(Violation(rel, imp.line, "layers", f"{imp.how}: {name} is in no layer"))
            elif theirs > mine:
                out.append(
                    Violation(
                        rel,
                        imp.line,
                        "layers",
                        f"{imp.how} imports upward: {ROOT}.{here or ''} (layer {mine}) may not "
                        f"import {target} ({name}, layer {theirs})",
                    )
                )
            elif theirs == mine:
                out.append(
                    Violation(
                        rel,
                        imp.line,
                        "layers",
                        f"{imp.how} imports a sibling: {ROOT}.{here} and {name} share layer "
                        f"{mine} and stay independent (move the shared code down a layer)",
                    )
                )
    return out


# -- the project obeys the rules ------------------------------------------------------------


def test_every_package_has_a_layer() -> None:
    packages = {
        p.stem if p.is_file() else p.name
        for p in (SRC / ROOT).iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    }
    placed = set().union(*LAYERS)
    assert packages - placed == set(), "add these packages to LAYERS and the architecture page"


def test_layers_are_disjoint() -> None:
    seen: list[str] = [name for layer in LAYERS for name in layer]
    assert len(seen) == len(set(seen))


def test_the_package_obeys_the_import_rules() -> None:
    violations = check_tree(SRC)
    assert not violations, "\n" + "\n".join(map(str, violations))


def test_the_architecture_page_states_the_layers() -> None:
    """The page lists the same layers, in the same order, as this test enforces."""
    page = (SRC.parent / "docs" / "explanation" / "architecture.md").read_text(encoding="utf-8")
    for k, layer in enumerate(LAYERS):
        names = ", ".join(sorted(f"`{n}`" if n else "the root" for n in layer))
        assert f"{k}. {names}" in page, f"the page's layer {k} should read: {k}. {names}"


# -- the checker catches planted violations --------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    src = tmp_path / "src"
    for name, text in files.items():
        path = src / ROOT / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    for folder in {p.parent for p in (src / ROOT).rglob("*.py")}:
        (folder / "__init__.py").touch()
    return src


def _found(src: Path) -> list[tuple[str, int, str]]:
    return [(v.file, v.line, v.rule) for v in check_tree(src)]


def test_checker_accepts_downward_imports(tmp_path: Path) -> None:
    src = _tree(
        tmp_path,
        {
            "errors.py": "X = 1\n",
            "scenario/io.py": "from burdenshare.errors import X\n",
            "engine/batch.py": "from ..scenario import io\nfrom . import kernel\n",
            "engine/kernel.py": "import burdenshare.errors\n",
            "services/core.py": "from burdenshare.engine.batch import io\n",
            "cli/app.py": "from burdenshare import services, __version__\n"
            "from typing import TYPE_CHECKING\n"
            "if TYPE_CHECKING:\n    from burdenshare.engine import batch\n",
            "report/plots.py": "from matplotlib.figure import Figure\n",
        },
    )
    assert _found(src) == []


@pytest.mark.parametrize(
    ("name", "text", "line", "rule"),
    [
        ("scenario/io.py", "from burdenshare.engine.batch import run\n", 1, "layers"),
        (
            "scenario/io.py",
            "import os\n\n\ndef f():\n    from ..engine import batch\n",
            5,
            "layers",
        ),
        ("scenario/io.py", "from .. import engine\n", 1, "layers"),
        ("scenario/io.py", "import burdenshare.services.core\n", 1, "layers"),
        (
            "scenario/io.py",
            "import importlib\nM = importlib.import_module('burdenshare.engine.batch')\n",
            2,
            "layers",
        ),
        ("scenario/io.py", "M = __import__('burdenshare.services')\n", 1, "layers"),
        ("scenario/io.py", "R = {'x': _lazy('burdenshare.engine.batch:run', 'f')}\n", 1, "layers"),
        ("engine/kernel.py", "from burdenshare.ensemble import x\n", 1, "layers"),
        ("engine/kernel.py", "from burdenshare.interop import y\n", 1, "layers"),
        ("cli/app.py", "from burdenshare.engine.batch import run\n", 1, "edges"),
        ("web/app.py", "from burdenshare.cli import app\n", 1, "edges"),
        ("scenario/plot.py", "\n\ndef f():\n    import matplotlib.pyplot as plt\n", 4, "charts"),
        ("services/history.py", "from matplotlib.figure import Figure\n", 1, "charts"),
        ("gadgets.py", "X = 1\n", 1, "layers"),
    ],
)
def test_checker_catches_a_planted_violation(
    tmp_path: Path, name: str, text: str, line: int, rule: str
) -> None:
    base = {
        "errors.py": "X = 1\n",
        "engine/batch.py": "run = 1\n",
        "analysis/x.py": "x = 1\n",
        "interop/y.py": "y = 1\n",
        "services/core.py": "X = 1\n",
        "cli/app.py": "X = 1\n",
    }
    src = _tree(tmp_path, {**base, name: text})
    found = check_tree(src)
    assert [(v.file, v.line, v.rule) for v in found] == [(f"src/{ROOT}/{name}", line, rule)]
    assert str(found[0]).startswith(f"src/{ROOT}/{name}:{line}: [{rule}] ")


def test_make_test_runs_the_source_examples() -> None:
    """``make test`` (plain ``pytest``) collects every docstring example of ``src`` as a
    doctest, beside the examples of ``docs``."""
    import tomllib

    config = tomllib.loads((SRC.parent / "pyproject.toml").read_text(encoding="utf-8"))
    pytest_ini = config["tool"]["pytest"]["ini_options"]
    assert "src" in pytest_ini["testpaths"]
    assert "docs" in pytest_ini["testpaths"]
    assert "--doctest-modules" in pytest_ini["addopts"].split()
    assert "--doctest-glob=*.md" in pytest_ini["addopts"].split()

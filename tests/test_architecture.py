"""The layering, checked on the source: the core and the simulator never import Textual or
the UI; the UI reaches the simulator only through the demo launcher; the core never imports
the simulator; the config knows nothing of clients (`core/config` never imports `core/kube`);
and no test module imports another test module (shared code lives in the helpers modules,
fixtures in conftest.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kite_tui"
TESTS = ROOT / "tests"
HEADLESS = ["core", "sim"]
DEMO_LAUNCHER = "kite_tui.sim.launcher"
"""The one simulator module the UI may import: it starts the demo clusters."""


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, anywhere in it (functions and TYPE_CHECKING blocks
    too), relative imports resolved; ``from a import b`` counts as ``a`` and ``a.b``."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = list(path.relative_to(ROOT).with_suffix("").parts)[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def within(name: str, module: str) -> bool:
    return name == module or name.startswith(module + ".")


def offenders(paths: list[Path], bad: Callable[[str], bool]) -> list[str]:
    found = []
    for path in paths:
        for name in sorted(imported_modules(path)):
            if bad(name):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def sources(part: str) -> list[Path]:
    return sorted((PACKAGE / part).rglob("*.py"))


@pytest.mark.parametrize("part", HEADLESS)
def test_headless_packages_do_not_import_textual_or_the_ui(part: str) -> None:
    found = offenders(
        sources(part),
        lambda name: name.split(".")[0] in ("textual", "rich") or within(name, "kite_tui.ui"),
    )
    assert not found, "\n".join(found)


def test_the_ui_reaches_the_simulator_only_through_the_demo_launcher() -> None:
    found = offenders(
        sources("ui"),
        lambda name: within(name, "kite_tui.sim") and not within(name, DEMO_LAUNCHER),
    )
    assert not found, "\n".join(found)


def test_the_core_does_not_import_the_simulator() -> None:
    """The simulator may use the core (its label selectors are the core's), never the reverse."""
    found = offenders(sources("core"), lambda name: within(name, "kite_tui.sim"))
    assert not found, "\n".join(found)


def test_the_config_does_not_import_the_kube_layer() -> None:
    found = offenders(sources("core/config"), lambda name: within(name, "kite_tui.core.kube"))
    assert not found, "\n".join(found)


def test_no_test_module_imports_another_test_module() -> None:
    def is_test_module(name: str) -> bool:
        last = name.split(".")[-1]
        return within(name, "tests") and (last.startswith("test_") or last == "conftest")

    found = offenders(sorted(TESTS.rglob("*.py")), is_test_module)
    assert not found, "\n".join(found)


def loaded_by(modules: list[str], bad: tuple[str, ...]) -> list[str]:
    """The modules, among those loaded by importing ``modules`` in a fresh interpreter,
    whose names start with one of ``bad`` (a fresh process: this one has loaded everything)."""
    code = (
        f"import sys; import {', '.join(modules)}; "
        f"print('\\n'.join(m for m in sys.modules if m.startswith({bad!r})))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_importing_the_core_loads_no_textual() -> None:
    modules = [
        "kite_tui.core.manager",
        "kite_tui.core.watcher",
        "kite_tui.core.kube.feed",
        "kite_tui.core.config",
        "kite_tui.sim.server",
        "kite_tui.cli",
    ]
    found = loaded_by(modules, ("textual", "kite_tui.ui"))
    assert not found, found


def test_importing_the_config_loads_no_kube_module() -> None:
    found = loaded_by(["kite_tui.core.config"], ("kite_tui.core.kube", "kubernetes"))
    assert not found, found

"""The core and the simulator never import Textual or the UI; the UI imports the core; the
core never imports the simulator."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kite_tui"
HEADLESS = ["core", "sim"]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("part", HEADLESS)
def test_headless_packages_do_not_import_textual_or_the_ui(part: str) -> None:
    offenders = []
    for path in sorted((PACKAGE / part).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in ("textual", "rich") or name.startswith("kite_tui.ui"):
                offenders.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert not offenders, "\n".join(offenders)


def test_importing_the_core_loads_no_textual() -> None:
    code = (
        "import sys, kite_tui.core.manager, kite_tui.core.watcher, kite_tui.core.kube.feed, "
        "kite_tui.core.config_edit, kite_tui.sim.server, kite_tui.cli; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'textual' or "
        "m.startswith('kite_tui.ui')]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_core_never_imports_the_simulator() -> None:
    """The simulator may use the core (its label selectors are the core's), never the reverse."""
    offenders = [
        f"{path.relative_to(PACKAGE.parent)} imports {name}"
        for path in sorted((PACKAGE / "core").rglob("*.py"))
        for name in imported_modules(path)
        if name == "kite_tui.sim" or name.startswith("kite_tui.sim.")
    ]
    assert not offenders, "\n".join(offenders)

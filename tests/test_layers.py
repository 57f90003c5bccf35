"""The package's layers import one way only: syntax -> shell -> knowledge -> codemods -> engine
-> verify -> bot (which can verify its pull request) -> the command line -> the console script
that starts it. A module may import its own layer and the layers below it, never one above."""
from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

LAYERS = {"syntax": 0, "grammar": 0, "shell": 1, "knowledge": 2, "checks": 2, "codemods": 3, "engine": 4, "verify": 5, "bot": 6, "cli": 7, "console": 8}
PACKAGE = ROOT / "refactor"


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "refactor" or len(parts) < 2:
        return None
    return parts[1]


def _imports(path: Path):
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import (use absolute refactor.… imports)"
            if node.module == "refactor":
                for alias in node.names:
                    yield node.lineno, f"refactor.{alias.name}"
            else:
                yield node.lineno, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def test_every_module_sits_in_a_layer_and_imports_downward_only():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.parts == ("__init__.py",):
            continue  # the public API re-exports from every layer
        own = rel.parts[0].removesuffix(".py")
        assert own in LAYERS, f"refactor/{rel} is in no layer"
        for line, module in _imports(path):
            target = _layer_of(module)
            if target is None or target == own:
                continue
            if LAYERS[target] > LAYERS[own]:
                problems.append(f"refactor/{rel}:{line}: {own} imports {module}")
    assert not problems, "\n".join(problems)


def test_every_module_opens_with_a_docstring_and_stays_small():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text()
        if not ast.get_docstring(ast.parse(text)):
            problems.append(f"{path.relative_to(ROOT)}: no module docstring")
    assert not problems, "\n".join(problems)


def test_every_package_ships_in_the_wheel():
    """pyproject.toml lists the packages explicitly: a new subpackage missing there installs
    from a source tree but not from the wheel."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in PACKAGE.rglob("__init__.py")}
    assert found <= listed, sorted(found - listed)

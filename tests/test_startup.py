"""Start-up (issue 13): a one-file run imports what the file needs and nothing else. Each test
runs `dockwright` in a fresh interpreter and reads `sys.modules` at its end; the lazy tables that
make this possible are held equal to what they stand for."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Runs the CLI in-process and prints the modules it imported, as JSON, on stderr's last line.
_PROBE = """
import json, sys
sys.argv = ["dockwright", *sys.argv[1:]]
from refactor.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _imported(tmp_path: Path, dockerfile: str, *args: str) -> set[str]:
    (tmp_path / "Dockerfile").write_text(dockerfile)
    r = subprocess.run([sys.executable, "-c", _PROBE, *args, "Dockerfile"], cwd=tmp_path, capture_output=True,
                       text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    return set(json.loads(r.stderr.strip().splitlines()[-1]))


MULTI_STAGE_NODE = """FROM node:20 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
"""

SINGLE_STAGE_PYTHON = """FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
"""


def test_a_multi_stage_file_loads_no_planner_and_only_its_ecosystem(tmp_path):
    mods = _imported(tmp_path, MULTI_STAGE_NODE, "--diff")
    assert "refactor.codemods.multi_stage" in mods  # the codemod ran ...
    assert "refactor.codemods.multi_stage.gate" in mods
    # ... and declined ("already multi-stage") before its planner and strategies loaded
    assert not {m for m in mods if m.startswith("refactor.codemods.multi_stage.")} - {
        "refactor.codemods.multi_stage.gate"}
    eco = {m.rsplit(".", 1)[-1] for m in mods if m.startswith("refactor.knowledge.ecosystems.")}
    assert eco == {"scan", "steps", "node"}  # npm ci: node.py reads it, no other ecosystem
    assert not {"lark", "tarfile", "refactor.knowledge.runner_images", "refactor.verify", "refactor.bot"} & mods


def test_a_single_stage_app_loads_the_planner(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "app.py").write_text("print(1)\n")
    mods = _imported(tmp_path, SINGLE_STAGE_PYTHON, "--diff")
    assert "refactor.codemods.multi_stage.planner" in mods
    assert "refactor.codemods.multi_stage.python" in mods


def test_select_loads_only_the_named_codemod(tmp_path):
    mods = _imported(tmp_path, SINGLE_STAGE_PYTHON, "--diff", "--select", "apt-cleanup")
    assert "refactor.codemods.apt_cleanup" in mods
    assert not {"refactor.codemods.multi_stage", "refactor.codemods.non_root", "refactor.codemods.layer_order"} & mods


def _ecosystem_modules():
    from refactor.knowledge.ecosystems import _NAMES

    return {name: importlib.import_module(f"refactor.knowledge.ecosystems.{name}") for name in _NAMES}


def test_scan_knows_the_module_of_every_installer():
    from refactor.knowledge.ecosystems.scan import _INSTALLER_MODULE

    table = {tool: name for name, module in _ecosystem_modules().items() for tool in module.INSTALLERS}
    assert _INSTALLER_MODULE == table


def test_the_module_of_every_install_step_ecosystem():
    from refactor.knowledge.ecosystems import _STEP_MODULE

    table = {eco: name for name, module in _ecosystem_modules().items() for eco in module.GENERATED}
    assert _STEP_MODULE == table


@pytest.mark.parametrize("name", ["ECOSYSTEMS", "FAMILIES", "MANIFESTS", "CONTEXT_MARKERS", "LANGUAGE_TOOLS", "GENERATED"])
def test_the_lazy_tables_gather_every_ecosystem(name):
    import refactor.knowledge.ecosystems as eco

    mods = _ecosystem_modules()
    table = getattr(eco, name)
    order = [mods[n] for n in ("node", "python", "go", "rust", "ruby", "php", "java")]
    if name == "ECOSYSTEMS":
        assert table == tuple(order)
    elif name == "FAMILIES":
        first = [mods[n] for n in ("python", "node", "go", "rust", "java", "ruby")]
        want = {image: m.NAME for m in first for image in m.IMAGES}
        want.update({image: mods["php"].NAME for image in mods["php"].IMAGES})
        assert list(table.items()) == list(want.items())
    elif name == "GENERATED":
        assert table == {tool: paths for m in order for tool, paths in m.GENERATED.items()}
    else:
        want = {m.NAME: getattr(m, name) for m in order if name != "LANGUAGE_TOOLS" or m.LANGUAGE_TOOLS}
        assert list(table.items()) == list(want.items())


def test_an_unknown_attribute_is_still_an_error():
    import refactor.knowledge.ecosystems as eco

    with pytest.raises(AttributeError):
        eco.NOT_A_TABLE  # noqa: B018

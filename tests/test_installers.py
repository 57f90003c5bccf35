"""pipenv, pdm, yarn berry and workspaces: what the node ecosystem module reads of .yarnrc.yml
and pnpm-workspace.yaml, and the multi-stage decisions the fixtures do not show on their own
(an installer that lands in the virtualenv is said; berry's production-only install only where
the yarn that runs has it; a workspace member's lifecycle script keeps the install in place)."""
from __future__ import annotations

from pathlib import Path

import pytest

from refactor.engine.runner import make_selection, refactor_text
from refactor.knowledge.ecosystems.node import (
    is_yarn_berry,
    pnpm_workspace_patterns,
    workspace_patterns,
    yarn_berry_major,
    yarnrc_settings,
)

SELECT = make_selection(["multi-stage"])


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root / "Dockerfile"


def run(path: Path):
    return refactor_text(path.read_text(), path=path, selection=SELECT)


def test_yarnrc_settings_reads_linker_release_and_plugins():
    rc = yarnrc_settings(
        "nodeLinker: 'node-modules'\n\nplugins:\n  - path: .yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs\n"
        "    spec: \"@yarnpkg/plugin-workspace-tools\"\n  - .yarn/plugins/local.cjs\n\nyarnPath: .yarn/releases/yarn-3.6.4.cjs\n")
    assert rc == {"nodeLinker": "node-modules", "yarnPath": ".yarn/releases/yarn-3.6.4.cjs",
                  "plugins": [".yarn/plugins/@yarnpkg/plugin-workspace-tools.cjs", ".yarn/plugins/local.cjs"]}
    assert yarnrc_settings("")["nodeLinker"] == "pnp"  # berry's default


def test_yarn_major_prefers_the_committed_release():
    assert yarn_berry_major(yarnrc_settings("yarnPath: .yarn/releases/yarn-3.6.4.cjs\n"), {"packageManager": "yarn@4.1.0"}) == 3
    assert yarn_berry_major({}, {"packageManager": "yarn@4.5.3+sha512.abc"}) == 4
    assert yarn_berry_major({}, {}) is None


def test_berry_detection():
    assert is_yarn_berry(False, {"packageManager": "yarn@4.0.0"}, "")
    assert is_yarn_berry(False, None, "# yarn\n\n__metadata:\n  version: 8\n")
    assert not is_yarn_berry(False, {"packageManager": "yarn@1.22.22"}, "# yarn lockfile v1\n")


def test_workspace_patterns():
    assert workspace_patterns({"workspaces": {"packages": ["a/*"]}}) == ["a/*"]
    assert workspace_patterns({"workspaces": "pkgs/*"}) == ["pkgs/*"]
    # the next top-level key's list is not the workspace's
    assert pnpm_workspace_patterns("packages:\n  - 'apps/*'\n  - packages/*\nonlyBuiltDependencies:\n  - esbuild\n") == ["apps/*", "packages/*"]


PIPFILE = '[packages]\nsix = "==1.16.0"\n'


def test_pipenv_installed_with_the_dependencies_is_said_to_reach_the_runner(tmp_path):
    df = write(tmp_path, {"Pipfile": PIPFILE, "Pipfile.lock": "{}", "app.py": "",
                          "Dockerfile": "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install pipenv && pipenv install --deploy --system\nCMD [\"python\", \"app.py\"]\n"})
    edit = run(df).edits[0]
    assert "pipenv, installed in the virtualenv's RUN" in edit.rationale


def test_pipenv_in_a_run_of_its_own_stays_in_deps(tmp_path):
    df = write(tmp_path, {"Pipfile": PIPFILE, "Pipfile.lock": "{}", "app.py": "",
                          "Dockerfile": "FROM python:3.11\nRUN pip install pipenv\nWORKDIR /app\nCOPY . .\nRUN pipenv install --deploy --system\nCMD [\"python\", \"app.py\"]\n"})
    result = run(df)
    assert "RUN pip install pipenv\nWORKDIR /app\nRUN python -m venv /opt/venv" in result.output
    assert "pipenv, installed" not in result.edits[0].rationale


@pytest.mark.parametrize("cmd, reason", [
    ("pipenv install", "without --deploy or --ignore-pipfile"),
    ("pipenv install --deploy requests", "with package names edits the Pipfile"),
    ("pipenv install --deploy -r requirements.txt", "imports a requirements file"),
])
def test_pipenv_declines(tmp_path, cmd, reason):
    df = write(tmp_path, {"Pipfile": PIPFILE, "Pipfile.lock": "{}", "requirements.txt": "six\n", "app.py": "",
                          "Dockerfile": f"FROM python:3.11\nRUN pip install pipenv\nWORKDIR /app\nCOPY . .\nRUN {cmd}\nCMD [\"python\", \"app.py\"]\n"})
    result = run(df)
    assert result.output == result.original
    assert any(reason in s.reason for s in result.skips if s.codemod == "multi-stage"), result.skips


def test_pdm_without_lock_declines(tmp_path):
    df = write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\nversion = '1'\n", "app.py": "",
                          "Dockerfile": "FROM python:3.11\nRUN pip install pdm\nWORKDIR /app\nCOPY . .\nRUN pdm install --prod --no-self\nCMD [\"python\", \"app.py\"]\n"})
    result = run(df)
    assert result.output == result.original
    assert any("without pdm.lock" in s.reason for s in result.skips), result.skips


def test_pdm_installing_the_project_itself_stays_after_the_sources(tmp_path):
    df = write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\nversion = '1'\n[build-system]\nrequires = ['pdm-backend']\n",
                          "pdm.lock": "", "app.py": "",
                          "Dockerfile": "FROM python:3.11\nRUN pip install pdm\nWORKDIR /app\nCOPY . .\nRUN pdm install --prod\nCMD [\"python\", \"app.py\"]\n"})
    out = run(df).output
    builder = out.split("AS builder", 1)[1].split("AS runner", 1)[0]
    assert "COPY . .\nRUN pdm install --prod" in builder


def test_member_lifecycle_script_keeps_the_install_after_the_sources(tmp_path):
    df = write(tmp_path, {
        "package.json": '{"private": true, "workspaces": ["packages/*"], "dependencies": {"ms": "2.1.3"}}',
        "package-lock.json": "{}", "index.js": "",
        "packages/gen/package.json": '{"name": "gen", "scripts": {"postinstall": "node build.js"}}',
        "Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"index.js\"]\n"})
    out = run(df).output
    assert "COPY packages/gen/package.json" not in out
    assert "COPY . .\nRUN npm ci" in out.split("AS builder", 1)[1]


def test_berry_without_a_known_version_or_plugin_declines_when_devdependencies_exist(tmp_path):
    df = write(tmp_path, {
        ".yarnrc.yml": "nodeLinker: node-modules\n", "yarn.lock": "__metadata:\n  version: 8\n",
        "package.json": '{"dependencies": {"ms": "2.1.3"}, "devDependencies": {"eslint": "8"}}', "index.js": "",
        "Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\nCMD [\"node\", \"index.js\"]\n"})
    result = run(df)
    assert result.output == result.original
    assert any("yarn berry of unknown version" in s.reason for s in result.skips), result.skips


def test_berry_install_gets_the_release_and_the_patches_it_applies(tmp_path):
    df = write(tmp_path, {
        ".yarnrc.yml": "nodeLinker: node-modules\nyarnPath: .yarn/releases/yarn-4.5.3.cjs\n",
        ".yarn/releases/yarn-4.5.3.cjs": "", ".yarn/patches/ms-npm-2.1.3-abc.patch": "",
        "package.json": '{"dependencies": {"ms": "patch:ms@npm%3A2.1.3#~/.yarn/patches/ms-npm-2.1.3-abc.patch"}}',
        "yarn.lock": "__metadata:\n", "index.js": "",
        "Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN yarn install --immutable\nCMD [\"node\", \"index.js\"]\n"})
    deps = run(df).output.split("AS builder", 1)[0]
    assert "COPY .yarn/patches/ms-npm-2.1.3-abc.patch /app/.yarn/patches/\n" in deps
    assert "COPY .yarn/releases/yarn-4.5.3.cjs /app/.yarn/releases/\nRUN yarn install --immutable" in deps

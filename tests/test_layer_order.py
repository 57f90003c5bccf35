"""layer-order: fixtures with small build contexts per ecosystem, a made-up git history, and the
real corpus without contexts (where nothing may change).

Fixture layout (corpus/layer-order/<case>/): `context/` holds the build context's files,
`Dockerfile.before` the input, `Dockerfile.after` the expected output (absent: no change),
`dockerignore.after` the proposed .dockerignore (absent: none proposed), and `expect.json`
optional checks: {"safety": "safe"|"unsafe", "skip": "<substring of a skip reason>",
"summary": "<substring of the edit summary>"}. Names the project's own .gitignore would drop
are spelled with a marker and renamed when the context is copied to a temporary folder (outside
any git repository, so that no commit history leaks in): see RENAMES.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, read_text_exact, real_corpus, require_shared_corpus
from refactor.codemods.layer_order import CODEMOD
from refactor.engine.runner import make_selection, refactor_text, refactor_tree
from refactor.knowledge.ecosystems import install_steps
from refactor.syntax.parser import parse_dockerfile
from refactor.codemods.base import Safety

CASES_DIR = ROOT / "corpus" / "layer-order"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir()) if CASES_DIR.is_dir() else []
RENAMES = {"_git_": ".git", "_venv_": ".venv", "_pycache_": "__pycache__", "_dist_": "dist", "_build_": "build"}
SELECT = make_selection(["layer-order"])


def _copy_context(case: Path, dest: Path) -> Path:
    src = case / "context"
    ctx = dest / "context"
    if src.is_dir():
        shutil.copytree(src, ctx, symlinks=True)
    else:
        ctx.mkdir(parents=True)
    for dirpath, dirnames, filenames in os.walk(ctx, topdown=False):
        for name in dirnames + filenames:
            if name in RENAMES:
                os.rename(os.path.join(dirpath, name), os.path.join(dirpath, RENAMES[name]))
    return ctx


def _run(source: str, ctx: Path | None, dockerfile: Path | None = None):
    path = dockerfile or ((ctx / "Dockerfile") if ctx is not None else Path("Dockerfile"))
    return refactor_text(source, path, ctx, SELECT)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture(case: Path, tmp_path: Path) -> None:
    ctx = _copy_context(case, tmp_path)
    before = read_text_exact(case / "Dockerfile.before")
    result = _run(before, ctx)
    assert result.error is None, result.error
    after_file = case / "Dockerfile.after"
    expected = read_text_exact(after_file) if after_file.is_file() else before
    assert result.output == expected, "\n" + result.output
    ignore_file = case / "dockerignore.after"
    proposed = {p.name: t for p, t in result.extra_files.items()}
    if ignore_file.is_file():
        assert proposed.get(".dockerignore") == read_text_exact(ignore_file)
        assert all(p.parent.resolve() == ctx.resolve() for p in result.extra_files)
    else:
        assert proposed == {}
    expect = json.loads((case / "expect.json").read_text()) if (case / "expect.json").is_file() else {}
    reorders = [e for e in result.edits if not e.summary.startswith(("create ", "extend "))]
    if "safety" in expect:
        assert reorders and {e.safety.value for e in reorders} == {expect["safety"]}, result.edits
    elif after_file.is_file():
        assert all(e.safety is Safety.SAFE for e in reorders), result.edits
    if "skip" in expect:
        assert any(expect["skip"] in s.reason for s in result.skips), result.skips
    if "summary" in expect:
        assert any(expect["summary"] in e.summary for e in reorders), result.edits
    if "rationale" in expect:
        assert any(expect["rationale"] in e.rationale for e in reorders), result.edits
    # the output is stable and reads the same way
    assert parse_dockerfile(result.output).code == result.output
    again = _run(result.output, ctx)
    assert again.output == result.output and not [e for e in again.edits if e.codemod == "layer-order"]


def test_fixtures_exist() -> None:
    assert len(CASES) >= 20


def test_safe_only_skips_unsafe_reorders(tmp_path: Path) -> None:
    case = CASES_DIR / "npm-install-rewrites-lock"
    ctx = _copy_context(case, tmp_path)
    source = read_text_exact(case / "Dockerfile.before")
    from refactor.knowledge.context import BuildContext
    from refactor.engine.runner import Selection, refactor_tree

    safe_only = Selection((CODEMOD,), frozenset(), safe_only=True)  # selected by default, not by name
    tree, ctx_ = refactor_tree(parse_dockerfile(source), safe_only, path=ctx / "Dockerfile", build_context=BuildContext(ctx))
    assert tree.code == source and not ctx_.edits
    assert any("unsafe" in s.reason for s in ctx_.skips if s.codemod == "layer-order")


def test_per_dockerfile_ignore_file_wins(tmp_path: Path) -> None:
    case = CASES_DIR / "npm-ci-split-build"
    ctx = _copy_context(case, tmp_path)
    (ctx / ".dockerignore").write_text("node_modules\n")
    (ctx / "Dockerfile.dockerignore").write_text("package-lock.json\n")
    source = read_text_exact(case / "Dockerfile.before")
    result = refactor_text(source, ctx / "Dockerfile", ctx, SELECT)
    assert result.output == source  # the lock file is excluded by Dockerfile.dockerignore
    assert any("package-lock.json" in s.reason for s in result.skips)


# ------------------------------------------------------------------------------ git history


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@e", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_git_history_orders_copies_and_reports_counts(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "frontend").mkdir(parents=True)
    _git(repo, "init", "-q")
    files = {
        "requirements.txt": "six==1.16.0\n",
        "frontend/package.json": '{"name": "f", "version": "1.0.0", "dependencies": {"ms": "2.1.3"}}\n',
        "frontend/package-lock.json": '{"lockfileVersion": 3}\n',
        "app.py": "print('hi')\n",
    }
    for name, text in files.items():
        (repo / name).write_text(text)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "init")
    # requirements.txt changes often (5 more commits), the node manifests rarely (1 more),
    # the sources most (8 more)
    for n in range(8):
        (repo / "app.py").write_text(f"print({n})\n")
        if n < 5:
            (repo / "requirements.txt").write_text(f"six==1.16.0\n# {n}\n")
        if n == 0:
            (repo / "frontend" / "package.json").write_text('{"name": "f", "version": "1.0.1", "dependencies": {"ms": "2.1.3"}}\n')
        _git(repo, "commit", "-qam", f"change {n}")
    source = (
        "FROM python:3.11-slim\n"
        "WORKDIR /app\n"
        "COPY . .\n"
        "RUN pip install --no-cache-dir -r requirements.txt && cd frontend && npm ci --ignore-scripts\n"
        'CMD ["python", "app.py"]\n'
    )
    result = refactor_text(source, repo / "Dockerfile", repo, SELECT)
    assert result.error is None, result.error
    out = result.output.splitlines()
    # the node manifests (2 commits) come before requirements.txt (6 commits)
    assert out[2] == "COPY frontend/package.json frontend/package-lock.json ./frontend/"
    assert out[3] == "COPY requirements.txt ./"
    assert out[4].startswith("RUN pip install")
    assert out[5] == "COPY . ."
    edit = next(e for e in result.edits if e.codemod == "layer-order" and e.summary.startswith("copy"))
    assert "frontend/package-lock.json: 1 commit;" in edit.rationale
    assert "frontend/package.json: 2 commits" in edit.rationale
    assert "requirements.txt: 6 commits" in edit.rationale
    assert "(other files): 9 commits" in edit.rationale
    assert edit.safety is Safety.SAFE


def test_git_history_orders_moved_copies(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    for d in ("static", "src"):
        (repo / d).mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "requirements.txt").write_text("six==1.16.0\n")
    (repo / "static" / "logo.svg").write_text("<svg/>\n")
    (repo / "src" / "app.py").write_text("print(0)\n")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "init")
    for n in range(3):
        (repo / "src" / "app.py").write_text(f"print({n + 1})\n")
        _git(repo, "commit", "-qam", f"src {n}")
    source = (
        "FROM python:3.11-slim\n"
        "WORKDIR /app\n"
        "COPY src ./src\n"
        "COPY static ./static\n"
        "COPY requirements.txt .\n"
        "RUN pip install -r requirements.txt\n"
    )
    result = refactor_text(source, repo / "Dockerfile", repo, SELECT)
    assert result.error is None, result.error
    assert result.output.splitlines()[2:] == [
        "COPY requirements.txt .",
        "RUN pip install -r requirements.txt",
        "COPY static ./static",
        "COPY src ./src",
    ]
    edit = next(e for e in result.edits if e.codemod == "layer-order")
    assert "`COPY static ./static` (other files): 1 commits" in edit.rationale
    assert "`COPY src ./src` (other files): 4 commits" in edit.rationale


# ------------------------------------------------------------------------------ manifests API


def test_install_steps_api(tmp_path: Path) -> None:
    from refactor.knowledge.context import BuildContext

    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements.txt").write_text("-r requirements/base.txt\n-c constraints.txt\nflask\n")
    (tmp_path / "requirements" / "base.txt").write_text("six==1.16.0  # pinned\n-e ./libs/util\n")
    (tmp_path / "constraints.txt").write_text("six<2\n")
    steps = install_steps("pip install -r requirements.txt && echo done", BuildContext(tmp_path))
    assert len(steps) == 1
    st = steps[0]
    assert st.ecosystem == "pip"
    assert st.manifests == ("requirements.txt", "requirements/base.txt", "constraints.txt")
    assert st.local_deps and "libs/util" in st.local_deps[0]
    assert not st.self_contained


# ------------------------------------------------------------------------------ real corpus


def test_real_corpus_unchanged_without_context(tmp_path: Path) -> None:
    require_shared_corpus()
    files = real_corpus()
    empty = tmp_path / "empty"
    empty.mkdir()
    changed = []
    for f in files:
        source = read_text_exact(f)
        # no context at all (refactor_text would fall back to the Dockerfile's folder)
        tree, c = refactor_tree(parse_dockerfile(source), SELECT, path=f, build_context=None)
        if tree.code != source or c.edits:
            changed.append(f.name)
        # an empty context: nothing the install reads exists
        result = refactor_text(source, empty / "Dockerfile", empty, SELECT)
        assert result.error is None, result.error
        if result.output != source or result.extra_files:
            changed.append(f.name)
    assert changed == []

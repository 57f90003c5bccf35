"""Real builds: what layer-order proposes keeps the app working.

- An app that reads `.env` at run time: layer-order reorders and proposes a `.dockerignore`
  without `.env` (it names the file that reads it); the image built with that `.dockerignore` still
  prints the value from `.env`, as the original does.
- A Dockerfile that copies `requirements.txt` and then the whole tree before `pip install`: the
  install moves up, no second identical COPY appears, and the image runs the same.

Both build before and after with buildah (`--pull=never`, stand-in bases) and run the same command.
"""
from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from buildenv import requires_build_env
from refactor.engine.runner import make_selection, refactor_text
from refactor.verify.builders import BuildahBuilder

pytestmark = pytest.mark.build

IMAGE = "docker.io/library/python:3.11-slim"

DOTENV_APP = {
    "requirements.txt": "six==1.16.0\n",
    ".env": "GREETING=hello from .env\n",
    "settings.py": (
        "import os\nfrom pathlib import Path\n\n"
        "for line in Path(\".env\").read_text().splitlines():\n"
        "    key, _, value = line.partition(\"=\")\n"
        "    os.environ.setdefault(key, value)\n"
        "GREETING = os.environ[\"GREETING\"]\n"
    ),
    "main.py": "import six\nimport settings\n\nprint(settings.GREETING, six.__version__)\n",
}
DOTENV_DOCKERFILE = (
    "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\n"
    "CMD [\"python\", \"main.py\"]\n"
)

COPIED_TWICE_APP = {
    "requirements.txt": "six==1.16.0\n",
    "report/__init__.py": "",
    "report/__main__.py": "import six\nprint('report', six.__version__)\n",
}
COPIED_TWICE_DOCKERFILE = (
    "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt /app/\nCOPY . /app/\n"
    "RUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"-m\", \"report\"]\n"
)


def _context(tmp_path: Path, files: dict[str, str]) -> Path:
    ctx = tmp_path / "ctx"
    for rel, text in files.items():
        p = ctx / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return ctx


def _build_and_run(builder: BuildahBuilder, ctx: Path, text: str, tmp_path: Path, label: str, must_run: bool = True):
    dockerfile = tmp_path / f"Dockerfile.{label}"
    dockerfile.write_text(text)
    tag = f"localhost/dockwright-lo-safety-{label}-{uuid.uuid4().hex[:8]}"
    try:
        out = builder.build(ctx, dockerfile, tag, timeout=300, log_path=tmp_path / f"{label}.log")
        assert out.ok, f"{label} build failed: {out.error}\n{(tmp_path / f'{label}.log').read_text()[-2000:]}"
        run = builder.run(tag, None, timeout=60)
        if not must_run:
            return run
        assert run.ok, f"{label} run failed: {run.stderr[-1000:]}"
        return run.stdout.strip()
    finally:
        subprocess.run(["buildah", "rmi", "-f", tag], capture_output=True)


def test_dotenv_app_keeps_its_env_file(tmp_path: Path) -> None:
    requires_build_env((IMAGE,))
    ctx = _context(tmp_path, DOTENV_APP)
    result = refactor_text(DOTENV_DOCKERFILE, ctx / "Dockerfile", ctx, make_selection(["layer-order"]))
    assert result.error is None and result.output != DOTENV_DOCKERFILE
    [proposed] = result.extra_files.values()
    assert ".env" not in proposed.splitlines()
    assert any("settings.py" in s.reason and ".env" in s.reason for s in result.skips), result.skips
    builder = BuildahBuilder()
    before = _build_and_run(builder, ctx, DOTENV_DOCKERFILE, tmp_path, "before")
    (ctx / ".dockerignore").write_text(proposed)  # what --apply writes beside the Dockerfile
    after = _build_and_run(builder, ctx, result.output, tmp_path, "after")
    assert before == after and after.startswith("hello from .env")
    # what the codemod used to propose: `.env` excluded, and the app no longer starts
    (ctx / ".dockerignore").write_text(proposed + ".env\n")
    broken = _build_and_run(builder, ctx, result.output, tmp_path, "env-excluded", must_run=False)
    assert not broken.ok and "No such file" in broken.stderr


def test_manifest_copied_once(tmp_path: Path) -> None:
    requires_build_env((IMAGE,))
    ctx = _context(tmp_path, COPIED_TWICE_APP)
    result = refactor_text(COPIED_TWICE_DOCKERFILE, ctx / "Dockerfile", ctx, make_selection(["layer-order"]))
    assert result.error is None
    assert result.output.count("COPY requirements.txt") == 1
    assert result.output.index("RUN pip install") < result.output.index("COPY . /app/")
    builder = BuildahBuilder()
    before = _build_and_run(builder, ctx, COPIED_TWICE_DOCKERFILE, tmp_path, "before")
    after = _build_and_run(builder, ctx, result.output, tmp_path, "after")
    assert before == after == "report 1.16.0"

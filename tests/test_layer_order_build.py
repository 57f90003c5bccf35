"""Proof with real builds that layer-order makes the dependency install survive a source edit.

For a tiny node app (package.json + package-lock.json, dependency `ms`) and a tiny python app
(requirements.txt with six==1.16.0): build the Dockerfile, change one source file, build again
(`buildah bud --layers --pull=never`). Before the refactor the install step runs again; after it,
buildah prints "--> Using cache" for it. Timings are printed (pytest -s) for the report.
"""
from __future__ import annotations

import re
import subprocess
import uuid
from pathlib import Path

import pytest

from buildenv import requires_build_env
from refactor.verify.builders import BuildahBuilder
from refactor.engine.runner import make_selection, refactor_text

pytestmark = pytest.mark.build

NODE_LOCK = """{
  "name": "tiny-node-app",
  "version": "1.0.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
    "": {
      "name": "tiny-node-app",
      "version": "1.0.0",
      "dependencies": {
        "ms": "2.1.3"
      }
    },
    "node_modules/ms": {
      "version": "2.1.3",
      "integrity": "sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==",
      "license": "MIT"
    }
  }
}
"""

APPS = {
    "node": {
        "image": "docker.io/library/node:20-slim",
        "files": {
            "package.json": '{\n  "name": "tiny-node-app",\n  "version": "1.0.0",\n  "private": true,\n  "dependencies": {\n    "ms": "2.1.3"\n  }\n}\n',
            "package-lock.json": NODE_LOCK,
            "index.js": "console.log(require('ms')(60000));\n",
            ".dockerignore": "node_modules\n",
        },
        "dockerfile": "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci --omit=dev\nCMD [\"node\", \"index.js\"]\n",
        "install": "RUN npm ci --omit=dev",
        "source": "index.js",
    },
    "python": {
        "image": "docker.io/library/python:3.11-slim",
        "files": {
            "requirements.txt": "six==1.16.0\n",
            "app.py": "import six\nprint(six.__version__)\n",
            ".dockerignore": "__pycache__\n",
        },
        "dockerfile": "FROM python:3.11-slim\nWORKDIR /app\nCOPY . .\nRUN pip install --no-cache-dir -r requirements.txt\nCMD [\"python\", \"app.py\"]\n",
        "install": "RUN pip install --no-cache-dir -r requirements.txt",
        "source": "app.py",
    },
}


def _build(builder: BuildahBuilder, ctx: Path, dockerfile: Path, tag: str, log: Path) -> tuple[str, float]:
    out = builder.build(ctx, dockerfile, tag, timeout=300, log_path=log)
    text = log.read_text(errors="replace")
    assert out.ok, f"build failed: {out.error}\n{text[-3000:]}"
    return text, out.seconds


def install_cached(log: str, install: str) -> bool:
    """Whether buildah reused the layer of the step `install` ("--> Using cache" right after it)."""
    steps = re.split(r"^STEP \d+/\d+: ", log, flags=re.M)
    for step in steps[1:]:
        if step.startswith(install):
            return "--> Using cache" in step
    raise AssertionError(f"step {install!r} not found in the build log:\n{log[-2000:]}")


@pytest.mark.parametrize("app", sorted(APPS))
def test_install_layer_survives_source_edit(app: str, tmp_path: Path) -> None:
    spec = APPS[app]
    requires_build_env((spec["image"],))
    builder = BuildahBuilder()
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    for name, text in spec["files"].items():
        (ctx / name).write_text(text)
    before = spec["dockerfile"]
    result = refactor_text(before, ctx / "Dockerfile", ctx, make_selection(["layer-order"]))
    assert result.error is None and result.output != before, (result.error, result.skips)
    after = result.output
    assert spec["install"] in after
    tag = f"localhost/dockwright-layer-order-{app}-{uuid.uuid4().hex[:8]}"
    timings: dict[str, list[float]] = {}
    verdict: dict[str, bool] = {}
    try:
        for label, text in (("before", before), ("after", after)):
            dockerfile = tmp_path / f"Dockerfile.{label}"
            dockerfile.write_text(text)
            # a fresh token, so that neither build can come from an earlier run's cache
            src = ctx / spec["source"]
            base_src = spec["files"][spec["source"]]
            src.write_text(base_src + ("// " if app == "node" else "# ") + uuid.uuid4().hex + "\n")
            _, t1 = _build(builder, ctx, dockerfile, tag, tmp_path / f"{label}-1.log")
            src.write_text(base_src + ("// " if app == "node" else "# ") + uuid.uuid4().hex + "\n")
            log2, t2 = _build(builder, ctx, dockerfile, tag, tmp_path / f"{label}-2.log")
            timings[label] = [t1, t2]
            verdict[label] = install_cached(log2, spec["install"])
    finally:
        subprocess.run(["buildah", "rmi", "-f", tag], capture_output=True)
    print(
        f"\n[layer-order build] {app}: before: first build {timings['before'][0]:.1f}s, after a source edit "
        f"{timings['before'][1]:.1f}s (install cached: {verdict['before']}); after: {timings['after'][0]:.1f}s, "
        f"after a source edit {timings['after'][1]:.1f}s (install cached: {verdict['after']})"
    )
    assert verdict["before"] is False, "before the refactor the install should re-run after a source edit"
    assert verdict["after"] is True, "after the refactor the install layer should be reused"

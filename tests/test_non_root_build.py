"""Real builds of small apps after the non-root codemod (marked `build`): the image builds, its
config runs as the user the codemod chose, and the app still starts (prints a line as that
user, writes into its folder, exits). Needs root and the stand-in base images that
.ci/setup-buildah.sh creates; skips cleanly without them (unless
DOCKWRIGHT_REQUIRE_BUILD_TESTS=1)."""
from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest

from refactor.verify.builders import Builder, detect
from refactor.engine.runner import make_selection, refactor_text
from buildenv import requires_build_env

pytestmark = pytest.mark.build

SEL = make_selection(["non-root"])
BUILD_TIMEOUT = 240.0
RUN_TIMEOUT = 60.0


def _need(*images: str) -> Builder:
    requires_build_env(images)
    return detect("buildah")


def _refactor_and_build(builder: Builder, ctx: Path, dockerfile: str) -> tuple[str, str]:
    """Run the codemod on `dockerfile` (context `ctx`), build the result; (tag, new text)."""
    result = refactor_text(dockerfile, ctx / "Dockerfile", ctx, SEL)
    assert result.error is None, result.error
    assert result.changed, [s.reason for s in result.skips]
    (ctx / "Dockerfile").write_text(result.output)
    tag = f"localhost/dockwright-test-non-root-{uuid.uuid4().hex[:10]}"
    log = ctx.parent / f"{ctx.name}-build.log"
    outcome = builder.build(ctx, ctx / "Dockerfile", tag, timeout=BUILD_TIMEOUT, log_path=log)
    if not outcome.ok:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        pytest.fail(f"build failed: {outcome.error}\n--- Dockerfile\n{result.output}\n--- log tail\n{tail}")
    return tag, result.output


def _check(builder: Builder, tag: str, dockerfile: str, want_user: str, want_uid: str, want_out: str) -> None:
    try:
        config = builder.inspect(tag).config
        assert config.get("User") == want_user, (config.get("User"), dockerfile)
        run = builder.run(tag, None, timeout=RUN_TIMEOUT)
        assert not run.timed_out, "the app did not exit in time"
        assert run.exit_code == 0, f"exit {run.exit_code}\nstdout: {run.stdout}\nstderr: {run.stderr}"
        assert f"uid={want_uid}" in run.stdout, run.stdout
        assert want_out in run.stdout, run.stdout
    finally:
        builder.remove(tag)


def test_python_slim_app_runs_as_created_user(tmp_path):
    builder = _need("docker.io/library/python:3.11-slim")
    ctx = tmp_path / "py"
    ctx.mkdir()
    (ctx / "requirements.txt").write_text("")
    (ctx / "app.py").write_text(
        "import http.server, os\n"
        "open('started.txt', 'w').write('ok')  # the app writes into its own folder\n"
        "server = http.server.HTTPServer(('0.0.0.0', 8000), http.server.SimpleHTTPRequestHandler)\n"
        "print(f'listening on 8000 as uid={os.getuid()} gid={os.getgid()}', flush=True)\n"
        "server.server_close()\n"
    )
    tag, text = _refactor_and_build(builder, ctx, (
        "FROM python:3.11-slim\n"
        "WORKDIR /app\n"
        "COPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\n"
        "COPY . .\n"
        "EXPOSE 8000\n"
        'CMD ["python", "app.py"]\n'
    ))
    assert "useradd --system --uid 10001" in text
    _check(builder, tag, text, "10001:10001", "10001", "listening on 8000")


def test_node_slim_app_runs_as_node(tmp_path):
    builder = _need("docker.io/library/node:20-slim")
    ctx = tmp_path / "node"
    ctx.mkdir()
    (ctx / "package.json").write_text('{"name": "t", "version": "1.0.0", "private": true}\n')
    (ctx / "server.js").write_text(
        "const fs = require('fs');\n"
        "fs.writeFileSync('started.txt', 'ok'); // writes into its own folder\n"
        "console.log(`node app up as uid=${process.getuid()}`);\n"
    )
    tag, text = _refactor_and_build(builder, ctx, (
        "FROM node:20-slim\n"
        "WORKDIR /usr/src/app\n"
        "COPY package.json ./\n"
        "RUN npm install --no-audit --no-fund --offline\n"
        "COPY . .\n"
        'CMD ["node", "server.js"]\n'
    ))
    # `npm install` now runs as node, in a folder node owns
    assert text.index("USER 1000:1000") < text.index("RUN npm install")
    _check(builder, tag, text, "1000:1000", "1000", "node app up")


def test_busybox_alpine_app_runs_as_created_user(tmp_path):
    builder = _need("docker.io/library/alpine:3.19")
    probe = subprocess.run(
        ["podman", "run", "--rm", "--pull=never", "--network", "none", "docker.io/library/alpine:3.19",
         "sh", "-c", "command -v addgroup && command -v adduser"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    if probe.returncode != 0:
        pytest.skip("the alpine:3.19 stand-in has no busybox addgroup/adduser (real Alpine has them); "
                    "see .ci/setup-buildah.sh")
    ctx = tmp_path / "alpine"
    ctx.mkdir()
    (ctx / "run.txt").write_text("hello from busybox\n")
    tag, text = _refactor_and_build(builder, ctx, (
        "FROM alpine:3.19\n"
        "WORKDIR /srv/app\n"
        "COPY run.txt .\n"
        'CMD ["sh", "-c", "echo uid=$(id -u); cat run.txt; touch written"]\n'
    ))
    assert "adduser -S -u 10001 -G app app" in text
    _check(builder, tag, text, "10001:10001", "10001", "hello from busybox")


def test_scratch_binary_runs_as_numeric_user(tmp_path):
    builder = _need("docker.io/library/alpine:3.19")
    ctx = tmp_path / "scratch"
    ctx.mkdir()
    (ctx / "motd").write_text("hello from scratch\n")
    tag, text = _refactor_and_build(builder, ctx, (
        "FROM alpine:3.19 AS tools\n"
        "FROM scratch\n"
        "COPY --from=tools /bin/busybox /busybox\n"
        "COPY motd /motd\n"
        'ENTRYPOINT ["/busybox", "sh", "-c", "echo uid=$(/busybox id -u); /busybox cat /motd"]\n'
    ))
    assert "USER 65532:65532" in text
    _check(builder, tag, text, "65532:65532", "65532", "hello from scratch")


def test_user_created_with_a_fixed_uid_runs_numerically(tmp_path):
    """`useradd -u 1500 svc` and no USER: the codemod writes USER 1500:1500 (numeric, from the
    flags), never `USER svc`."""
    builder = _need("docker.io/library/python:3.11-slim")
    ctx = tmp_path / "uid"
    ctx.mkdir()
    (ctx / "app.py").write_text(
        "import os\nopen('state.txt', 'w').write('ok')\n"
        "print(f'svc up as uid={os.getuid()} gid={os.getgid()}', flush=True)\n"
    )
    tag, text = _refactor_and_build(builder, ctx, (
        "FROM python:3.11-slim\n"
        "RUN useradd --create-home --uid 1500 svc\n"
        "WORKDIR /srv/svc\n"
        "COPY app.py .\n"
        'CMD ["python", "app.py"]\n'
    ))
    assert "USER 1500:1500" in text and "USER svc" not in text
    _check(builder, tag, text, "1500:1500", "1500", "svc up")


def test_scratch_holding_a_root_filesystem_gets_its_family_user(tmp_path):
    """`FROM scratch` + `COPY --from=rootfs / /` is not an empty scratch image: the user is
    created with the copied Debian filesystem's own tools, and the app runs as it."""
    builder = _need("docker.io/library/python:3.11-slim")
    ctx = tmp_path / "rootfs"
    ctx.mkdir()
    (ctx / "app.py").write_text(
        "import os\nopen('state.txt', 'w').write('ok')\n"
        "print(f'rootfs app as uid={os.getuid()}', flush=True)\n"
    )
    tag, text = _refactor_and_build(builder, ctx, (
        "FROM python:3.11-slim AS rootfs\n"
        "FROM scratch\n"
        "COPY --from=rootfs / /\n"
        "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
        "WORKDIR /app\n"
        "COPY app.py .\n"
        'CMD ["python", "app.py"]\n'
    ))
    assert "useradd --system --uid 10001" in text
    _check(builder, tag, text, "10001:10001", "10001", "rootfs app")

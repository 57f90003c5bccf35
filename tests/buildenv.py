"""Whether real image builds can run here, for every build-marked test, and on which builders.

buildah: root, a working buildah and the stand-in base images .ci/setup-buildah.sh creates.
docker: a daemon that answers ($DOCKER_HOST, else the private one `.ci/setup-docker.sh start`
runs), holding the stand-in images it loads from podman. Without them the tests skip, unless
DOCKWRIGHT_REQUIRE_BUILD_TESTS=1 (buildah) or DOCKWRIGHT_REQUIRE_DOCKER=1 (docker), both set by
.ci/run as root: then a broken setup fails the run instead of letting it pass with every real
build skipped.

For test modules that build on both: parametrize over `builders_under_test()` and get the
builder with `builder_for(name, images)`, which skips (or fails) as above; build inside
`exclusive(builder)` where the test checks what the daemon holds afterwards. `serve_and_probe`
smoke-tests a server image the same way on either."""
from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator

import pytest

from refactor.verify.builders import BuildahBuilder, Builder, run_bounded
from refactor.verify.docker import DockerBuilder

PRIVATE_DOCKER_SOCKET = "/run/dockwright-docker/docker.sock"  # .ci/setup-docker.sh


@functools.cache
def build_env_problem() -> str | None:
    if os.geteuid() != 0:
        return "real builds need root (rootful buildah/podman); run as root after .ci/setup-buildah.sh"
    why = BuildahBuilder().unavailable_reason()
    if why:
        return f"{why}; run .ci/setup-buildah.sh"
    return None


@functools.cache
def image_exists(ref: str) -> bool:
    return subprocess.run(["podman", "image", "exists", ref], check=False, timeout=60).returncode == 0


def _require(problem: str | None, env_var: str) -> None:
    if problem and os.environ.get(env_var) == "1":
        pytest.fail(f"{env_var}=1 but: {problem}")
    if problem:
        pytest.skip(problem)


def requires_build_env(images: tuple[str, ...] | list[str] = ()) -> None:
    problem = build_env_problem()
    if problem is None:
        missing = [i for i in images if not image_exists(i)]
        if missing:
            problem = f"stand-in base images missing ({', '.join(missing)}); run .ci/setup-buildah.sh"
    _require(problem, "DOCKWRIGHT_REQUIRE_BUILD_TESTS")


# ----------------------------------------------------------------------------------------- docker
def docker_host() -> str | None:
    if os.environ.get("DOCKER_HOST"):
        return os.environ["DOCKER_HOST"]
    return f"unix://{PRIVATE_DOCKER_SOCKET}" if os.path.exists(PRIVATE_DOCKER_SOCKET) else None


@functools.cache
def docker_builder() -> DockerBuilder:
    """The docker builder the tests use: client $DOCKWRIGHT_DOCKER, else the first on PATH that
    can use BuildKit (DockerBuilder's own choice), against docker_host()."""
    return DockerBuilder(host=docker_host())


@functools.cache
def docker_problem() -> str | None:
    why = docker_builder().unavailable_reason()
    return f"{why} (.ci/setup-docker.sh start runs one)" if why else None


@functools.cache
def docker_image_exists(ref: str) -> bool:
    b = docker_builder()
    return run_bounded([b.cli, "image", "inspect", ref], timeout=60, env=b._env()).returncode == 0


def requires_docker(images: tuple[str, ...] | list[str] = ()) -> None:
    problem = docker_problem()
    if problem is None:
        missing = [i for i in images if not docker_image_exists(i)]
        if missing:
            problem = f"stand-in images missing in docker ({', '.join(missing)}); run .ci/setup-docker.sh start"
    _require(problem, "DOCKWRIGHT_REQUIRE_DOCKER")


def builders_under_test() -> tuple[str, ...]:
    """Every builder the build tests run on. docker is always listed: its tests skip when no
    daemon answers (and fail then under DOCKWRIGHT_REQUIRE_DOCKER=1), so a missing daemon shows
    in the test summary instead of shrinking the test list."""
    return ("buildah", "docker")


def builder_for(name: str, images: tuple[str, ...] | list[str] = ()) -> Builder:
    """The builder `name` (from builders_under_test), after checking it can build from `images`."""
    if name == "docker":
        requires_docker(images)
        return docker_builder()
    requires_build_env(images)
    return BuildahBuilder()


@contextlib.contextmanager
def exclusive(builder: Builder) -> Iterator[None]:
    """On docker: hold the daemon for this process alone (test runs in other processes wait).
    BuildKit's cache records name no build, so "nothing new in the cache afterwards" can only be
    checked while no other build adds records; the podman store's checks name their IDs."""
    if not isinstance(builder, DockerBuilder):
        yield
        return
    where = os.path.dirname(PRIVATE_DOCKER_SOCKET)
    lock = os.path.join(where if os.path.isdir(where) else tempfile.gettempdir(), "dockwright-tests.lock")
    with open(lock, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# ------------------------------------------------------------------------------------ leftovers
def containers(builder: Builder) -> set[str]:
    """Names of every container in the builder's store (buildah's working containers too)."""
    if isinstance(builder, DockerBuilder):
        p = run_bounded([builder.cli, "ps", "-a", "--format", "{{.Names}}"], timeout=60, env=builder._env())
        return set(p.stdout.split())
    env = {**os.environ, "PODMAN_IGNORE_CGROUPSV1_WARNING": "1"}
    out = run_bounded(["podman", "ps", "-a", "--format", "{{.Names}}"], timeout=60, env=env).stdout
    out += run_bounded(["buildah", "containers", "-a", "--format", "{{.ContainerName}}"], timeout=60, env=env).stdout
    return set(out.split())


def store_state(builder: Builder) -> dict[str, set[str]]:
    """Images, containers and build cache records: what a verify run must leave as it found."""
    return {"images": builder.image_ids(), "containers": containers(builder), "cache": builder.cache_ids()}


def new_since(builder: Builder, before: dict[str, set[str]]) -> dict[str, set[str]]:
    now = store_state(builder)
    return {k: v - before[k] for k, v in now.items() if v - before[k]}


# ---------------------------------------------------------------------------------------- probes
def serve_and_probe(builder: Builder, ref: str, probe: list[str], expect: str, seconds: float = 60) -> tuple[bool, str]:
    """Start `ref` detached (no network) and run `probe` inside it until its output holds
    `expect` or `seconds` pass. (ok, output) and the container is removed either way."""
    cli = builder.cli if isinstance(builder, DockerBuilder) else "podman"
    env = builder._env()
    name = f"dockwright-probe-{uuid.uuid4().hex[:10]}"
    start = run_bounded([cli, "run", "-d", "--rm", "--pull=never", "--network", "none", "--name", name, ref],
                        timeout=120, env=env)
    if start.returncode != 0:
        return False, start.stderr[-2000:]
    try:
        out = ""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            p = run_bounded([cli, "exec", name, *probe], timeout=30, env=env)
            out = p.stdout + p.stderr
            if p.returncode == 0 and expect in out:
                return True, out[-2000:]
            time.sleep(1)
        logs = run_bounded([cli, "logs", name], timeout=30, env=env)
        return False, (out + "\n--- logs ---\n" + logs.stdout + logs.stderr)[-3000:]
    finally:
        rm = [cli, "rm", "-f", name] if cli != "podman" else [cli, "rm", "-f", "-t", "0", name]
        run_bounded(rm, timeout=60, env=env)

"""Whether real image builds can run here, for every build-marked test: root, a working buildah
and the stand-in base images .ci/setup-buildah.sh creates. Without them the tests skip, unless
DOCKWRIGHT_REQUIRE_BUILD_TESTS=1 (set by .ci/run as root): then a broken setup fails the run
instead of letting it pass with every real build skipped."""
from __future__ import annotations

import functools
import os
import subprocess

import pytest

from refactor.verify.builders import BuildahBuilder


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


def requires_build_env(images: tuple[str, ...] | list[str] = ()) -> None:
    problem = build_env_problem()
    if problem is None:
        missing = [i for i in images if not image_exists(i)]
        if missing:
            problem = f"stand-in base images missing ({', '.join(missing)}); run .ci/setup-buildah.sh"
    if problem and os.environ.get("DOCKWRIGHT_REQUIRE_BUILD_TESTS") == "1":
        pytest.fail(f"DOCKWRIGHT_REQUIRE_BUILD_TESTS=1 but: {problem}")
    if problem:
        pytest.skip(problem)

"""Container tools behind one small interface, so `verify` can build, inspect, run and read images
without caring which tool is installed.

Rules every implementation keeps:
  * every subprocess is bounded by a timeout, and on expiry its whole process group is killed
    (builders fork helpers: runc, conmon, buildkit clients);
  * base images are never pulled (`--pull=never` where the tool has it): verification must judge
    the Dockerfile against the images already on the machine, and an accidental pull turns a
    clear "image not known" into a slow DNS failure;
  * images are built in docker format, because the OCI format silently drops SHELL, HEALTHCHECK
    and ONBUILD, which would hide exactly the differences a refactor check is after;
  * whatever a method creates (containers, mounts, exported trees) it removes before returning;
    what a build leaves (intermediate images, BuildKit cache records) the caller removes with
    `remove` and `remove_cache`, both of which the builder can enumerate (`image_ids`, `cache_ids`).
"""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from refactor.verify.extract import _unmount, safe_extract  # noqa: F401  (callers and tests read them here)
from refactor.verify.processes import (  # noqa: F401  (tests patch run_bounded here: the builders call it through this module)
    KILL_GRACE, QUICK_TIMEOUT, BuilderError, Proc, _error_line, _kill_group, produced_ids, run_bounded, split_command,
)


class NoBuilderError(RuntimeError):
    """No usable builder: `str()` says what was tried and why each one was rejected."""


@dataclass(frozen=True)
class BuildOutcome:
    ok: bool
    seconds: float
    log_path: Path
    error: str | None = None  # one line; the log has the rest
    timed_out: bool = False
    # Image IDs (prefixes) the build committed, from its log: intermediate layers that stay in the
    # store after the tag is removed unless they are removed by ID.
    produced: tuple[str, ...] = ()
    hint: str | None = None  # on failure: a known cause from the log and what to do (failure_hint)
    note: str | None = None  # how the builder deviated from a plain build, for the report


@dataclass(frozen=True)
class ImageInfo:
    size_bytes: int
    layers: int
    config: dict[str, Any]  # docker-style: User, Cmd, Entrypoint, Env, WorkingDir, ExposedPorts...


@dataclass(frozen=True)
class RunOutcome:
    exit_code: int | None  # None when it timed out
    stdout: str
    stderr: str
    seconds: float = 0.0
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


# ------------------------------------------------------------------------- features and failures
# Dockerfile features some builders lack, found by a line scan: enough to explain a failed build
# or an ignored file in the report, never used to decide a verdict (the build itself does that).
_FEATURES: dict[str, re.Pattern[str]] = {
    "heredocs (RUN <<EOF)": re.compile(r"^\s*(RUN|COPY|ADD)\b[^\n]*<<-?\s*[\"']?[A-Za-z_]", re.I | re.M),
    "RUN --mount": re.compile(r"^\s*RUN\b[^\n]*\s--mount[= ]", re.I | re.M),
    "RUN --network": re.compile(r"^\s*RUN\b[^\n]*\s--network[= ]", re.I | re.M),
    "COPY/ADD --chmod": re.compile(r"^\s*(COPY|ADD)\b[^\n]*\s--chmod[= ]", re.I | re.M),
    "COPY/ADD --link": re.compile(r"^\s*(COPY|ADD)\b[^\n]*\s--link\b", re.I | re.M),
    "COPY --parents": re.compile(r"^\s*COPY\b[^\n]*\s--parents\b", re.I | re.M),
    "ADD --checksum": re.compile(r"^\s*ADD\b[^\n]*\s--checksum[= ]", re.I | re.M),
}
PER_DOCKERFILE_IGNORE = "a .dockerignore for one Dockerfile (<Dockerfile>.dockerignore)"


def dockerfile_features(text: str) -> list[str]:
    return [name for name, pattern in _FEATURES.items() if pattern.search(text)]


# Why a failed build failed, when the log shows a cause the user can act on. Each pattern is a
# line real builders print (apt, curl, pip, npm, buildkit, the docker daemon).
_NO_NETWORK = re.compile(
    r"Temporary failure resolving|Could not resolve|Name or service not known|Temporary failure in name "
    r"resolution|getaddrinfo|EAI_AGAIN|ENOTFOUND|Network is unreachable|Failed to establish a new "
    r"connection|Connection timed out|Could not connect to",
    re.I,
)
_PULL = re.compile(
    r"pull access denied|failed to resolve source metadata|lookup registry-1\.docker\.io|manifest for \S+ not "
    r"found|repository does not exist",
    re.I,
)
_PULLED_NAME = re.compile(
    r"(?:pull access denied for|source metadata for|load metadata for|manifest for)\s+([^\s,]+)", re.I
)
_FRONTEND = re.compile(r"docker\.io/docker/dockerfile", re.I)


SYNTAX_HINT = "the `# syntax=` line makes BuildKit fetch"
_DIRECTIVE = re.compile(r"[ \t]*#[ \t]*([A-Za-z]+)[ \t]*=[^\n]*\n?")


def strip_syntax_directive(text: str) -> str:
    """`text` without its `# syntax=` parser directive (directives are the leading comment lines
    of the form `# key=value`; the first other line ends them)."""
    pos = 0
    while m := _DIRECTIVE.match(text, pos):
        if m.group(1).lower() == "syntax":
            return text[: m.start()] + text[m.end():]
        pos = m.end()
    return text


def failure_hint(log_text: str) -> str | None:
    """A sentence on what to do about a failed build, or None when the log shows nothing known."""
    if _FRONTEND.search(log_text) and _PULL.search(log_text):
        return (f"{SYNTAX_HINT} its Dockerfile frontend from Docker Hub, which is not reachable from "
                "here; remove the line or make the registry reachable")
    if _PULL.search(log_text):
        m = _PULLED_NAME.search(log_text)
        what = m.group(1).rstrip(":") if m else "a base image"
        return (f"{what} is not in the builder's image store and could not be pulled; "
                "load or pull it before verifying (verify itself never pulls)")
    if _NO_NETWORK.search(log_text):
        return ("a RUN step needed the network and could not reach it: the build containers have no "
                "working outbound network (DNS or NAT); give the builder network access or vendor the "
                "dependencies")
    return None


# ------------------------------------------------------------------------------------- builders
class Builder(ABC):
    name: ClassVar[str]
    # Dockerfile features (keys of _FEATURES, or PER_DOCKERFILE_IGNORE) this builder cannot build.
    unsupported: ClassVar[frozenset[str]] = frozenset()

    def available(self) -> bool:
        return self.unavailable_reason() is None

    def describe(self) -> str:
        """One line for the report: the tool, its version and mode where they matter."""
        return self.name

    def cannot(self, text: str, *, ignorefile: bool = False) -> list[str]:
        """What this Dockerfile (built with a proposed ignore file, if `ignorefile`) needs that
        the builder cannot do; empty when nothing known stands in the way."""
        needs = dockerfile_features(text) + ([PER_DOCKERFILE_IGNORE] if ignorefile else [])
        unsupported = self._unsupported()
        return [f for f in needs if f in unsupported]

    def _unsupported(self) -> frozenset[str]:
        return self.unsupported

    def cache_ids(self) -> set[str]:
        """IDs of build cache records kept apart from images (BuildKit's); empty for builders
        whose cache is the intermediate images themselves."""
        return set()

    def remove_cache(self, ids: set[str]) -> set[str]:
        """Remove these cache records; returns the ones that could not be removed."""
        return set(ids)

    @abstractmethod
    def unavailable_reason(self) -> str | None:
        """None when usable; otherwise why not, for the "no builder" message."""

    @abstractmethod
    def build(
        self,
        context: Path,
        dockerfile: Path,
        tag: str,
        *,
        timeout: float,
        log_path: Path,
        target: str | None = None,
        ignorefile: Path | None = None,
    ) -> BuildOutcome: ...

    @abstractmethod
    def inspect(self, ref: str) -> ImageInfo: ...

    @abstractmethod
    def filesystem(self, ref: str) -> AbstractContextManager[Path]:
        """Context manager: the image's root filesystem as a readable directory."""

    @abstractmethod
    def run(self, ref: str, command: str | Sequence[str] | None = None, *, timeout: float) -> RunOutcome:
        """Run a container like `docker run --rm IMAGE ARGS...`: the image's ENTRYPOINT is kept and
        `command` replaces CMD (None: the image's own CMD). No network: a smoke test that passes
        or fails depending on the internet proves nothing about the refactor."""

    @abstractmethod
    def remove(self, ref: str) -> bool:
        """Remove an image by tag or ID. False (no exception) if it is gone or still in use."""

    @abstractmethod
    def image_ids(self) -> set[str]:
        """Full IDs (hex, no "sha256:") of every image in the store, intermediates included."""


class _CliBuilder(Builder):
    """What podman and the docker client have in common: the same verbs and JSON."""

    cli: ClassVar[str]
    remove_after_run: ClassVar[bool] = False  # `run --rm` may return before the container is gone

    def _env(self) -> dict[str, str]:
        return dict(os.environ)

    def _quick(self, *args: str, timeout: float = QUICK_TIMEOUT) -> Proc:
        return run_bounded([self.cli, *args], timeout=timeout, env=self._env())

    def _checked(self, *args: str) -> str:
        p = self._quick(*args)
        if p.returncode != 0:
            why = "timed out" if p.timed_out else (p.stderr.strip() or f"exit status {p.returncode}")
            raise BuilderError(f"{self.cli} {' '.join(args)}: {why}")
        return p.stdout

    def _inspect_raw(self, ref: str) -> dict[str, Any]:
        data = json.loads(self._checked("image", "inspect", ref))
        if not data:
            raise BuilderError(f"{self.cli} image inspect {ref}: no such image")
        return data[0]

    def inspect(self, ref: str) -> ImageInfo:
        raw = self._inspect_raw(ref)
        config = dict(raw.get("Config") or {})
        # podman reports a docker-format image's HEALTHCHECK beside Config, not inside it
        if raw.get("Healthcheck") and not config.get("Healthcheck"):
            config["Healthcheck"] = raw["Healthcheck"]
        return ImageInfo(
            size_bytes=int(raw.get("Size") or 0),
            layers=len((raw.get("RootFS") or {}).get("Layers") or ()),
            config=config,
        )

    def _run_argv(self, name: str, ref: str, argv: list[str]) -> list[str]:
        return [self.cli, "run", "--rm", "--name", name, "--network", "none", ref, *argv]

    def run(self, ref: str, command: str | Sequence[str] | None = None, *, timeout: float) -> RunOutcome:
        name = f"dockwright-smoke-{uuid.uuid4().hex[:12]}"
        # On timeout remove the container first: the client forwards SIGTERM to it, which a
        # PID 1 without a handler ignores, and killing the client leaves it running.
        p = run_bounded(
            self._run_argv(name, ref, split_command(command)),
            timeout=timeout,
            env=self._env(),
            on_timeout=lambda: self._kill_container(name),
        )
        if p.timed_out or self.remove_after_run:
            self._kill_container(name)  # in case it was still being created, or is still there
        return RunOutcome(p.returncode, p.stdout, p.stderr, p.seconds, p.timed_out)

    def _kill_container(self, name: str) -> None:
        self._quick("rm", "-f", name)

    def remove(self, ref: str) -> bool:
        return self._quick("rmi", ref).returncode == 0

    def image_ids(self) -> set[str]:
        # podman walks every image's parent while listing; an image removed meanwhile by another
        # build on the same store fails the whole listing ("image not known"). Only a retry helps.
        for attempt in range(10):
            p = self._quick("images", "-a", "-q", "--no-trunc")
            if p.returncode == 0:
                return {ln.strip().removeprefix("sha256:") for ln in p.stdout.split() if ln.strip()}
            if "image not known" not in p.stderr or attempt == 9:
                break
            time.sleep(1)
        why = "timed out" if p.timed_out else (p.stderr.strip() or f"exit status {p.returncode}")
        raise BuilderError(f"{self.cli} images -a -q --no-trunc: {why}")

    def _build_with(
        self, argv: list[str], timeout: float, log_path: Path, env: dict[str, str] | None = None, cwd: Path | None = None,
        append: bool = False,
    ) -> BuildOutcome:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "a" if append else "w") as log:
            log.write("$ " + shlex.join(argv) + "\n")
        p = run_bounded(argv, timeout=timeout, env=env or self._env(), cwd=cwd, log_path=log_path)
        text = log_path.read_text(errors="replace")
        produced = produced_ids(text)
        if p.timed_out:
            return BuildOutcome(False, p.seconds, log_path, f"build timed out after {timeout:.0f}s", True, produced)
        if p.returncode != 0:
            return BuildOutcome(False, p.seconds, log_path, _error_line(text), False, produced, failure_hint(text))
        return BuildOutcome(True, p.seconds, log_path, None, False, produced)


# buildah 1.28 (Debian bookworm; podman 4.3 builds with it): found by building each, see
# /work/shared/docs/container-build.md section 5. ADD --checksum is for URLs, which are offline.
BUILDAH_128_UNSUPPORTED = frozenset({"heredocs (RUN <<EOF)", "COPY/ADD --link", "COPY --parents", "ADD --checksum"})


class PodmanBuilder(_CliBuilder):
    name = "podman"
    cli = "podman"
    unsupported = BUILDAH_128_UNSUPPORTED

    def _env(self) -> dict[str, str]:
        # BUILDAH_FORMAT: see module doc. The cgroup v1 warning would otherwise land in every
        # smoke test's stderr.
        return {**os.environ, "BUILDAH_FORMAT": "docker", "PODMAN_IGNORE_CGROUPSV1_WARNING": "1"}

    def unavailable_reason(self) -> str | None:
        if shutil.which(self.cli) is None:
            return f"{self.cli} not installed"
        p = self._quick("version", "--format", "{{.Client.Version}}", timeout=30)
        if p.returncode != 0:
            return f"{self.cli} does not work: {(p.stderr or p.stdout).strip()[:200] or 'timed out'}"
        return None

    def _kill_container(self, name: str) -> None:
        self._quick("rm", "-f", "-t", "0", name)  # -t 0: no stop grace period

    def _run_argv(self, name: str, ref: str, argv: list[str]) -> list[str]:
        return [self.cli, "run", "--rm", "--pull=never", "--name", name, "--network", "none", ref, *argv]

    def build(self, context, dockerfile, tag, *, timeout, log_path, target=None, ignorefile=None):
        argv = [self.cli, "build", "--pull=never", "--layers", "--force-rm", "--format", "docker", "-f", str(dockerfile), "-t", tag]
        argv += ["--target", target] if target else []
        argv += ["--ignorefile", str(ignorefile)] if ignorefile else []
        return self._build_with([*argv, str(context)], timeout, log_path)

    @contextmanager
    def filesystem(self, ref: str) -> Iterator[Path]:
        # Rootful podman mounts the image's overlay read-only in place: no copy of a 1 GB image.
        path = Path(self._checked("image", "mount", ref).strip())
        try:
            yield path
        finally:
            self._quick("image", "unmount", ref)


class BuildahBuilder(PodmanBuilder):
    """Builds with buildah; runs and mounts with podman, which shares its image store."""

    name = "buildah"

    def unavailable_reason(self) -> str | None:
        if shutil.which("buildah") is None:
            return "buildah not installed"
        if shutil.which("podman") is None:
            return "buildah found, but podman (needed to run and mount images) is not installed"
        p = run_bounded(["buildah", "version"], timeout=30, env=self._env())
        if p.returncode != 0:
            return f"buildah does not work: {(p.stderr or p.stdout).strip()[:200] or 'timed out'}"
        return super().unavailable_reason()

    def _bud_argv(self, context, dockerfile, tag, target, ignorefile) -> list[str]:
        # --layers: one layer per instruction, as docker does, so layer counts compare honestly
        argv = ["buildah", "bud", "--pull=never", "--layers", "--force-rm", "--format", "docker"]
        argv += ["-f", str(dockerfile), "-t", tag]
        argv += ["--target", target] if target else []
        argv += ["--ignorefile", str(ignorefile)] if ignorefile else []
        return [*argv, str(context)]

    def build(self, context, dockerfile, tag, *, timeout, log_path, target=None, ignorefile=None):
        return self._build_with(self._bud_argv(context, dockerfile, tag, target, ignorefile), timeout, log_path)

    def inspect(self, ref: str) -> ImageInfo:
        info = super().inspect(ref)
        # podman's view is the OCI config, which has no Shell or OnBuild; buildah's docker view does.
        p = run_bounded(["buildah", "inspect", "--type", "image", ref], timeout=QUICK_TIMEOUT, env=self._env())
        if p.returncode != 0:
            return info
        docker_cfg = (json.loads(p.stdout).get("Docker") or {}).get("config") or {}
        extra = {k: docker_cfg[k] for k in ("Shell", "OnBuild", "Healthcheck") if docker_cfg.get(k)}
        return ImageInfo(info.size_bytes, info.layers, {**info.config, **extra})


class ModernBuildahBuilder(BuildahBuilder):
    """buildah 1.39 from Debian trixie, through the `buildah-modern` wrapper that
    `.ci/setup-buildah.sh --with-modern` installs: it parses heredocs (`RUN <<EOF`), which
    bookworm's buildah 1.28 rejects. Same image store, so podman still runs and mounts.

    The wrapper runs in a private mount namespace that sees only its working directory and the
    directories in $BIND_DIRS: the build runs from the context, with the Dockerfile's (and the
    ignore file's) directory bound in."""

    name = "buildah-modern"
    wrapper = "buildah-modern"
    unsupported = frozenset({"COPY/ADD --link", "COPY --parents", "ADD --checksum"})  # buildah 1.39

    def unavailable_reason(self) -> str | None:
        if shutil.which(self.wrapper) is None:
            return "buildah-modern not installed (.ci/setup-buildah.sh --with-modern)"
        p = run_bounded([self.wrapper, "buildah", "version"], timeout=60, env=self._env())
        if p.returncode != 0:
            return f"buildah-modern does not work: {(p.stderr or p.stdout).strip()[:200] or 'timed out'}"
        return PodmanBuilder.unavailable_reason(self)

    def build(self, context, dockerfile, tag, *, timeout, log_path, target=None, ignorefile=None):
        context = Path(context).resolve()
        binds = {str(Path(f).resolve().parent) for f in (dockerfile, ignorefile) if f is not None}
        if any(" " in b for b in binds):  # the wrapper splits $BIND_DIRS on whitespace
            raise BuilderError(f"buildah-modern cannot bind a directory with a space: {sorted(binds)}")
        argv = self._bud_argv(context, Path(dockerfile).resolve(), tag, target, ignorefile)
        argv = [self.wrapper, "buildah", "build", *argv[2:]]
        # the wrapper reads $PWD, which a changed cwd does not update by itself
        env = {**self._env(), "BIND_DIRS": " ".join(sorted(binds)), "PWD": str(context)}
        return self._build_with(argv, timeout, log_path, env=env, cwd=context)


class _Docker:
    """Makes a DockerBuilder, imported on first use: refactor.verify.docker builds on this module."""

    def __new__(cls, *args, **kwargs):
        from refactor.verify.docker import DockerBuilder

        return DockerBuilder(*args, **kwargs)


BUILDERS: dict[str, type] = {
    "buildah-modern": ModernBuildahBuilder,
    "buildah": BuildahBuilder,
    "podman": PodmanBuilder,
    "docker": _Docker,
}
# buildah-modern first where it was set up: it builds everything 1.28 does, plus heredocs. Then
# buildah, which CI installs and which is the engine podman would use anyway.
AUTO_ORDER = ("buildah-modern", "buildah", "podman", "docker")


def detect(preference: str = "auto") -> Builder:
    names = AUTO_ORDER if preference == "auto" else (preference,)
    if any(n not in BUILDERS for n in names):
        raise NoBuilderError(f"unknown builder {preference!r} (choose from auto, {', '.join(BUILDERS)})")
    reasons = []
    for n in names:
        builder = BUILDERS[n]()
        why = builder.unavailable_reason()
        if why is None:
            return builder
        reasons.append(why)
    raise NoBuilderError("no usable container builder: " + "; ".join(reasons))

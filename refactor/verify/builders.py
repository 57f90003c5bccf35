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
import signal
import subprocess
import tarfile
import tempfile
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

QUICK_TIMEOUT = 120.0  # inspect, mount, rmi, create: slow only when the store is busy
KILL_GRACE = 10.0  # SIGTERM -> SIGKILL: time for buildah/podman to remove their containers

class BuilderError(RuntimeError):
    """A builder command that should not fail did (inspect, mount, ...)."""


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


# ------------------------------------------------------------------------------------ processes
@dataclass(frozen=True)
class Proc:
    returncode: int | None  # None = killed after the timeout
    stdout: str
    stderr: str
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def _kill_group(p: subprocess.Popen) -> None:
    """SIGTERM the leader alone first: buildah and podman then stop their container and remove
    their working containers themselves. Signalling the whole group at once kills runc under
    them, and buildah leaves its working container behind. SIGKILL the group if that fails."""
    try:
        p.terminate()
        p.wait(timeout=KILL_GRACE)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        p.wait(timeout=KILL_GRACE)
    except subprocess.TimeoutExpired:
        pass  # unkillable (D state): nothing more we can do; the caller reports the timeout


def run_bounded(
    argv: Sequence[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    log_path: Path | None = None,
    on_timeout: Callable[[], object] | None = None,
) -> Proc:
    """Run `argv` in its own process group; kill the group if it outlives `timeout`.

    With `log_path`, stdout and stderr go (interleaved, as a user would see them) to that file
    instead of memory: build logs can be large and must survive for the user to read.
    `on_timeout` runs before the kill, e.g. to stop a container the client cannot stop.
    """
    start = time.monotonic()
    log = open(log_path, "ab") if log_path is not None else None
    try:
        try:
            p = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=log if log is not None else subprocess.PIPE,
                stderr=subprocess.STDOUT if log is not None else subprocess.PIPE,
                env=env,
                cwd=cwd,
                start_new_session=True,
            )
        except OSError as e:
            raise BuilderError(f"cannot run {argv[0]}: {e}") from e
        try:
            out, err = p.communicate(timeout=timeout)
            code: int | None = p.returncode
        except subprocess.TimeoutExpired:
            if on_timeout is not None:
                on_timeout()
            _kill_group(p)
            # A grandchild that escaped the group could hold our pipes open forever.
            try:
                out, err = p.communicate(timeout=KILL_GRACE)
            except subprocess.TimeoutExpired:
                out, err = b"", b""
            code = None
    finally:
        if log is not None:
            log.close()
    decode = lambda b: (b or b"").decode("utf-8", "replace")
    return Proc(code, decode(out), decode(err), time.monotonic() - start)


_PRODUCED = re.compile(r"^\s*-{2,3}>\s+([0-9a-f]{10,64})\s*$", re.MULTILINE)  # buildah "--> id", docker " ---> id"


def produced_ids(log_text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_PRODUCED.findall(log_text)))


def _error_line(log_text: str) -> str:
    """The line a user most needs from a failed build log: the last error, else the last line."""
    lines = [ln.strip() for ln in log_text.splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.search(r"\berror\b", ln, re.IGNORECASE):
            return ln[:500]
    return lines[-1][:500] if lines else "build failed with no output"


def split_command(command: str | Sequence[str] | None) -> list[str]:
    if command is None:
        return []
    if isinstance(command, str):
        return shlex.split(command)
    return list(command)


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


# What each docker build mode cannot build (keys of _FEATURES / PER_DOCKERFILE_IGNORE).
DOCKER_LEGACY_UNSUPPORTED = frozenset(set(_FEATURES) | {PER_DOCKERFILE_IGNORE})
# The Dockerfile frontend built into docker 20.10 (Dockerfile syntax 1.2): RUN --mount and
# --chmod, but no heredocs or --link, unless a `# syntax=` line fetches a newer one.
DOCKER_BUILDKIT_20_UNSUPPORTED = frozenset({"heredocs (RUN <<EOF)", "COPY/ADD --link", "COPY --parents", "ADD --checksum"})
DOCKER_BUILDKIT_UNSUPPORTED = frozenset({"COPY --parents"})  # docker 23+: frontend 1.5 and newer
DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock"


def _version_tuple(text: str) -> tuple[int, ...]:
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(g) for g in m.groups() if g is not None) if m else ()


@dataclass(frozen=True)
class DockerSetup:
    """What a probe of client and daemon found, and the build mode that follows from it."""

    client: str  # path of the docker client
    client_version: tuple[int, ...]
    server_version: str
    buildkit: bool
    why_legacy: str | None = None  # when not buildkit: why, for the report


class DockerBuilder(_CliBuilder):
    """The docker client against whatever daemon DOCKER_HOST (or the client's default) names.

    BuildKit when the pair can: a client with the buildx plugin, or a pre-23 client, which drives
    the daemon's built-in BuildKit itself with DOCKER_BUILDKIT=1. A 23+ client without buildx can
    only use the legacy builder; so, unless a client is named (`cli`, or $DOCKWRIGHT_DOCKER), the
    first `docker` on PATH that can use BuildKit is taken, else the first one. DOCKER_BUILDKIT=0
    in the environment asks for the legacy builder, as it does for docker itself.
    Images are never pulled on purpose: `run` has --pull=never; `build` has no such value, so a
    base image missing from the daemon is pulled, which fails fast where no registry answers."""

    name = "docker"
    cli = "docker"

    def __init__(self, cli: str | None = None, host: str | None = None) -> None:
        self.explicit = cli or os.environ.get("DOCKWRIGHT_DOCKER") or None
        self.cli = self.explicit or "docker"
        self.host = host
        self.setup: DockerSetup | None = None

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.host:
            env["DOCKER_HOST"] = self.host
        return env

    def _host(self) -> str:
        return self._env().get("DOCKER_HOST") or DEFAULT_DOCKER_HOST

    def _user_buildkit(self) -> bool | None:
        v = os.environ.get("DOCKER_BUILDKIT", "").strip().lower()
        return {"0": False, "false": False, "1": True, "true": True}.get(v)

    # ------------------------------------------------------------------------- client and daemon
    def _candidates(self) -> list[str]:
        if self.explicit:
            found = shutil.which(self.explicit)
            return [found] if found else []
        seen, out = set(), []
        for d in os.environ.get("PATH", "").split(os.pathsep):
            f = os.path.join(d or ".", "docker")
            if os.path.isfile(f) and os.access(f, os.X_OK) and os.path.realpath(f) not in seen:
                seen.add(os.path.realpath(f))
                out.append(f)
        return out

    def _client_info(self, path: str) -> tuple[tuple[int, ...], bool]:
        """(client version, has buildx); both read locally, without the daemon."""
        v = run_bounded([path, "--version"], timeout=30, env=self._env())
        bx = run_bounded([path, "buildx", "version"], timeout=30, env=self._env())
        return _version_tuple(v.stdout), bx.returncode == 0

    def _choose_client(self) -> tuple[str, tuple[int, ...], bool] | str:
        """(path, version, buildx) of the client to use, or why there is none."""
        paths = self._candidates()
        if not paths:
            return f"docker client {self.explicit} not found" if self.explicit else "docker not installed"
        infos = [(p, *self._client_info(p)) for p in paths]
        if self._user_buildkit() is not False:
            for p, ver, buildx in infos:
                if buildx or (ver and ver < (23,)):
                    return p, ver, buildx
        p, ver, buildx = infos[0]
        if self._user_buildkit() is True and not buildx and not (ver and ver < (23,)):
            return (f"DOCKER_BUILDKIT=1 is set, but the docker client {'.'.join(map(str, ver))} ({p}) has no "
                    "buildx plugin, which BuildKit needs from docker 23 on: install docker-buildx "
                    "(docker-buildx-plugin), or unset DOCKER_BUILDKIT to build with the legacy builder")
        return p, ver, buildx

    def _daemon_problem(self, p: Proc) -> str:
        host = self._host()
        text = (p.stderr or p.stdout).strip()
        last = text.splitlines()[-1][:200] if text else ""
        if p.timed_out:
            return f"the docker daemon at {host} did not answer within 30 s"
        if "permission denied" in text.lower():
            return (f"permission denied on the docker socket ({host}): add your user to the docker group "
                    "and log in again, or run dockwright with the rights to use that socket")
        if re.search(r"Cannot connect to the Docker daemon|Is the docker daemon running|connection refused|"
                     r"no such file or directory", text, re.I):
            return (f"docker client found, but no docker daemon answers at {host}: start it (e.g. "
                    "`systemctl start docker`), or point DOCKER_HOST at one that runs")
        return f"docker client found but no daemon answered at {host}: {last or 'no output'}"

    def probe(self) -> DockerSetup | str:
        """Client and daemon as they are now: a DockerSetup, or why docker cannot be used."""
        chosen = self._choose_client()
        if isinstance(chosen, str):
            return chosen
        path, ver, buildx = chosen
        self.cli = path
        p = run_bounded([path, "version", "--format", "{{json .Server}}"], timeout=30, env=self._env())
        server = None
        if p.returncode == 0:
            try:
                server = json.loads(p.stdout)
            except ValueError:
                server = None
        if not server:  # without a daemon the client prints "null" (and exits 1)
            return self._daemon_problem(p)
        sver = str(server.get("Version") or "?")
        api = _version_tuple(str(server.get("ApiVersion") or ""))
        why = None
        if self._user_buildkit() is False:
            why = "DOCKER_BUILDKIT=0 is set"
        elif str(server.get("Os") or "linux") != "linux" or (api and api < (1, 39)):
            why = f"the daemon (docker {sver}) has no BuildKit"
        elif not buildx and not (ver and ver < (23,)):
            why = (f"the docker client {'.'.join(map(str, ver))} ({path}) has no buildx plugin, which "
                   "BuildKit needs from docker 23 on")
        return DockerSetup(path, ver, sver, why is None, why)

    def unavailable_reason(self) -> str | None:
        found = self.probe()
        if isinstance(found, str):
            return found
        self.setup = found
        return None

    def _setup(self) -> DockerSetup:
        if self.setup is None:
            why = self.unavailable_reason()
            if why:
                raise BuilderError(why)
        assert self.setup is not None
        return self.setup

    def describe(self) -> str:
        s = self._setup()
        client = f"client {'.'.join(map(str, s.client_version))} at {s.client}"
        if s.buildkit:
            return f"docker {s.server_version} ({client}), BuildKit"
        return (f"docker {s.server_version} ({client}), legacy builder because {s.why_legacy}: no heredocs, "
                "RUN --mount, --chmod or --link, and no .dockerignore per Dockerfile")

    def _unsupported(self) -> frozenset[str]:
        s = self._setup()
        if not s.buildkit:
            return DOCKER_LEGACY_UNSUPPORTED
        major = _version_tuple(s.server_version)[:1]
        return DOCKER_BUILDKIT_20_UNSUPPORTED if major and major < (23,) else DOCKER_BUILDKIT_UNSUPPORTED

    def _build_env(self) -> dict[str, str]:
        return {**self._env(), "DOCKER_BUILDKIT": "1" if self._setup().buildkit else "0"}

    # ------------------------------------------------------------------------------------- verbs
    # dockerd removes a `--rm` container after the client has returned: an rmi of its image right
    # after then fails ("image is being used by stopped container"). So: no --rm, and `run`
    # removes the container itself (remove_after_run) before it returns.
    remove_after_run = True

    def _run_argv(self, name: str, ref: str, argv: list[str]) -> list[str]:
        return [self.cli, "run", "--pull=never", "--name", name, "--network", "none", ref, *argv]

    def build(self, context, dockerfile, tag, *, timeout, log_path, target=None, ignorefile=None):
        s = self._setup()
        argv = [self.cli, "build", "-f", str(dockerfile), "-t", tag]
        # plain progress: a log a person can read (the default redraws a terminal)
        argv += ["--progress=plain"] if s.buildkit else ["--force-rm"]
        argv += ["--target", target] if target else []
        if ignorefile and s.buildkit:
            # BuildKit reads <dockerfile>.dockerignore; the legacy builder has no equivalent
            # (cannot() says so in the report).
            shutil.copyfile(ignorefile, str(dockerfile) + ".dockerignore")
        out = self._build_with([*argv, str(context)], timeout, log_path, env=self._build_env())
        if out.ok or not s.buildkit or not (out.hint or "").startswith(SYNTAX_HINT):
            return out
        return self._build_without_syntax_line(argv, Path(context), Path(dockerfile), timeout - out.seconds, out)

    def _build_without_syntax_line(
        self, argv: list[str], context: Path, dockerfile: Path, timeout: float, failed: BuildOutcome
    ) -> BuildOutcome:
        """BuildKit fetches the frontend a `# syntax=` line names from its registry, and offline
        that fails before the first instruction. buildah treats the line as the comment it is
        for every other builder; do the same, once, say so in the report, and keep the log of
        the failed attempt above the retry's."""
        text = dockerfile.read_text()
        stripped = strip_syntax_directive(text)
        if stripped == text or timeout <= 0:
            return failed
        tmp = Path(tempfile.mkdtemp(prefix="dockwright-nosyntax-"))
        try:
            copy = tmp / dockerfile.name
            copy.write_text(stripped)
            own_ignore = Path(str(dockerfile) + ".dockerignore")
            if own_ignore.is_file():
                shutil.copyfile(own_ignore, str(copy) + ".dockerignore")
            argv = [str(copy) if a == str(dockerfile) else a for a in argv]
            out = self._build_with([*argv, str(context)], timeout, failed.log_path, env=self._build_env(), append=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        note = ("its `# syntax=` line was ignored: BuildKit could not fetch that frontend from the registry, "
                "so the daemon's built-in Dockerfile frontend built it, as buildah would")
        return BuildOutcome(out.ok, failed.seconds + out.seconds, out.log_path, out.error, out.timed_out,
                            out.produced, out.hint, note)

    def cache_ids(self) -> set[str]:
        out = self._checked("system", "df", "-v", "--format", "{{json .BuildCache}}")
        try:
            records = json.loads(out or "null") or []
        except ValueError as e:
            raise BuilderError(f"docker system df: unreadable build cache list: {e}") from e
        # the client marks a record in use with a trailing "*": the same record, one ID
        return {str(r["ID"]).rstrip("*") for r in records if isinstance(r, dict) and r.get("ID")}

    def remove_cache(self, ids: set[str]) -> set[str]:
        """One prune per record (the daemon takes one id filter per call). --all: without it,
        BuildKit keeps records that are shared with images, such as a base image's. A record
        can only go once its children have, so repeat while that makes progress."""
        left = set(ids)
        while left:
            for i in sorted(left):
                self._quick("builder", "prune", "--all", "--force", "--filter", f"id={i}")
            still = left & self.cache_ids()
            if still == left:
                break
            left = still
        return left

    @contextmanager
    def filesystem(self, ref: str) -> Iterator[Path]:
        mounted = self._mount_layers(ref)
        if mounted is not None:
            try:
                yield mounted
            finally:
                _unmount(mounted)
            return
        with self._exported(ref) as root:
            yield root

    def _layer_dirs(self, ref: str) -> tuple[Path, list[str]] | None:
        """(overlay2 root, the image's layers as `l/<short id>`, top first) when the daemon keeps
        the image with overlay2 in this machine's filesystem; None otherwise (a remote daemon,
        Docker Desktop's VM, another storage driver)."""
        gd = self._inspect_raw(ref).get("GraphDriver") or {}
        data = gd.get("Data") or {}
        dirs = [d for d in [data.get("UpperDir"), *(data.get("LowerDir") or "").split(":")] if d]
        if gd.get("Name") != "overlay2" or not dirs:
            return None
        short = []
        for d in dirs:
            layer = Path(d).parent  # <root>/overlay2/<id>/diff
            try:
                short.append("l/" + (layer / "link").read_text().strip())
            except OSError:
                return None
            if not (layer.parent / short[-1]).is_dir():
                return None
        return Path(dirs[0]).parent.parent, short

    def _mount_layers(self, ref: str) -> Path | None:
        """The image's layers stacked read-only with overlayfs, as podman's `image mount` does:
        reading a 1 GB image in place instead of exporting and unpacking it. Needs root and a
        local overlay2 daemon; None (export instead) when either is missing or mount refuses."""
        if os.geteuid() != 0 or shutil.which("mount") is None:
            return None
        found = self._layer_dirs(ref)
        if found is None:
            return None
        root, layers = found
        target = Path(tempfile.mkdtemp(prefix="dockwright-fs-"))
        if len(layers) == 1:  # overlayfs wants two lower layers; one is read as it is
            argv = ["mount", "--bind", "-o", "ro", str(root / layers[0]), str(target)]
        else:
            # relative `l/<id>` paths, from the overlay2 root, as dockerd itself mounts them:
            # full paths would overflow the one-page mount option string at about 35 layers
            argv = ["mount", "-t", "overlay", "overlay", "-o", "ro,lowerdir=" + ":".join(layers), str(target)]
        p = run_bounded(argv, timeout=QUICK_TIMEOUT, cwd=root)
        if p.returncode != 0:
            shutil.rmtree(target, ignore_errors=True)
            return None
        return target

    @contextmanager
    def _exported(self, ref: str) -> Iterator[Path]:
        # docker cannot mount an image: export a (never started) container and unpack it.
        name = f"dockwright-export-{uuid.uuid4().hex[:12]}"
        tmp = Path(tempfile.mkdtemp(prefix="dockwright-fs-"))
        try:
            self._checked("create", "--name", name, "--entrypoint", "", ref, "true")
            tar_path = tmp / "fs.tar"
            p = run_bounded([self.cli, "export", "-o", str(tar_path), name], timeout=QUICK_TIMEOUT * 5,
                            env=self._env())
            if p.returncode != 0:
                raise BuilderError(f"docker export {ref}: {p.stderr.strip() or 'timed out'}")
            root = tmp / "root"
            root.mkdir()
            safe_extract(tar_path, root)
            tar_path.unlink()
            yield root
        finally:
            self._quick("rm", "-f", name)
            shutil.rmtree(tmp, ignore_errors=True)


def _unmount(target: Path) -> None:
    """Unmount and remove a mount point of _mount_layers; lazily when something still reads it."""
    if run_bounded(["umount", str(target)], timeout=QUICK_TIMEOUT).returncode != 0:
        run_bounded(["umount", "-l", str(target)], timeout=QUICK_TIMEOUT)
    try:
        target.rmdir()
    except OSError:
        pass  # still mounted: removing its contents would reach into the image's layers


def safe_extract(tar_path: Path, root: Path) -> None:
    """Unpack an exported image for reading, without trusting it.

    An image is full of absolute symlinks (/lib64/ld-linux... -> /lib/...), so tarfile's "data"
    and "tar" filters reject it, and its "fully_trusted" mode would write through a symlinked
    directory onto the host. Here: symlinks are created, never followed; a member whose parent is
    not a real directory inside `root` is skipped; devices and fifos are skipped (never compared
    by content anyway). Mode bits are kept whole (setuid matters); owners only when we are root,
    in which case both images of a comparison keep them alike.
    """
    root_real = os.path.realpath(root)
    is_root = os.geteuid() == 0
    dirs = []  # modes applied last: a read-only directory would refuse its own children
    with tarfile.open(tar_path) as tf:
        for m in tf:
            rel = os.path.normpath(m.name.lstrip("/"))
            if rel in (".", "") or rel.startswith(".."):
                continue
            dest = os.path.join(root_real, rel)
            parent = os.path.dirname(dest)
            if os.path.realpath(parent) != parent or not os.path.isdir(parent) or os.path.lexists(dest):
                continue
            if m.isdir():
                os.mkdir(dest, 0o700)
                dirs.append((dest, m))
            elif m.issym():
                os.symlink(m.linkname, dest)
                if is_root:
                    os.chown(dest, m.uid, m.gid, follow_symlinks=False)
            elif m.isfile() or m.islnk():
                src = tf.extractfile(m)
                if src is None:
                    continue
                fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
                with os.fdopen(fd, "wb") as out, src:
                    shutil.copyfileobj(src, out)
                if is_root:  # before chmod: chown clears setuid/setgid
                    os.chown(dest, m.uid, m.gid)
                os.chmod(dest, m.mode & 0o7777)
    for dest, m in reversed(dirs):
        if is_root:
            os.chown(dest, m.uid, m.gid)
        os.chmod(dest, m.mode & 0o7777)


BUILDERS: dict[str, type[Builder]] = {
    "buildah-modern": ModernBuildahBuilder,
    "buildah": BuildahBuilder,
    "podman": PodmanBuilder,
    "docker": DockerBuilder,
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

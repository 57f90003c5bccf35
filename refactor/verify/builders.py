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
  * whatever a method creates (containers, mounts, exported trees) it removes before returning.
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


# ------------------------------------------------------------------------------------- builders
class Builder(ABC):
    name: ClassVar[str]

    def available(self) -> bool:
        return self.unavailable_reason() is None

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
        if p.timed_out:
            self._kill_container(name)  # in case it was still being created
        return RunOutcome(p.returncode, p.stdout, p.stderr, p.seconds, p.timed_out)

    def _kill_container(self, name: str) -> None:
        self._quick("rm", "-f", name)

    def remove(self, ref: str) -> bool:
        return self._quick("rmi", ref).returncode == 0

    def image_ids(self) -> set[str]:
        out = self._checked("images", "-a", "-q", "--no-trunc")
        return {ln.strip().removeprefix("sha256:") for ln in out.split() if ln.strip()}

    def _build_with(
        self, argv: list[str], timeout: float, log_path: Path, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> BuildOutcome:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text("$ " + shlex.join(argv) + "\n")
        p = run_bounded(argv, timeout=timeout, env=env or self._env(), cwd=cwd, log_path=log_path)
        text = log_path.read_text(errors="replace")
        produced = produced_ids(text)
        if p.timed_out:
            return BuildOutcome(False, p.seconds, log_path, f"build timed out after {timeout:.0f}s", True, produced)
        if p.returncode != 0:
            return BuildOutcome(False, p.seconds, log_path, _error_line(text), False, produced)
        return BuildOutcome(True, p.seconds, log_path, None, False, produced)


class PodmanBuilder(_CliBuilder):
    name = "podman"
    cli = "podman"

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


class DockerBuilder(_CliBuilder):
    """The docker client against whatever daemon it is configured for. Not exercised by this
    project's CI (no daemon there); kept to the verbs whose behaviour is long-stable."""

    name = "docker"
    cli = "docker"

    def unavailable_reason(self) -> str | None:
        if shutil.which(self.cli) is None:
            return "docker not installed"
        p = self._quick("version", "--format", "{{.Server.Version}}", timeout=30)
        if p.returncode != 0:
            msg = (p.stderr or p.stdout).strip().splitlines()
            return f"docker client found but no daemon answered: {msg[-1][:200] if msg else 'timed out'}"
        return None

    def build(self, context, dockerfile, tag, *, timeout, log_path, target=None, ignorefile=None):
        # docker has no --pull=never; without --pull it uses local bases and pulls only missing ones.
        argv = [self.cli, "build", "--force-rm", "-f", str(dockerfile), "-t", tag]
        argv += ["--target", target] if target else []
        if ignorefile:
            # BuildKit reads <dockerfile>.dockerignore; the legacy builder has no equivalent.
            shutil.copyfile(ignorefile, str(dockerfile) + ".dockerignore")
        return self._build_with([*argv, str(context)], timeout, log_path)

    @contextmanager
    def filesystem(self, ref: str) -> Iterator[Path]:
        # docker cannot mount an image: export a (never started) container and unpack it.
        name = f"dockwright-export-{uuid.uuid4().hex[:12]}"
        tmp = Path(tempfile.mkdtemp(prefix="dockwright-fs-"))
        try:
            self._checked("create", "--name", name, "--entrypoint", "", ref, "true")
            tar_path = tmp / "fs.tar"
            p = run_bounded([self.cli, "export", "-o", str(tar_path), name], timeout=QUICK_TIMEOUT * 5)
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

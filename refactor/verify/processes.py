"""Bounded subprocesses for the builders: every command runs with a timeout, and on expiry its
whole process group is killed (builders fork helpers: runc, conmon, buildkit clients); what a
build log says about the images it produced and the error that ended it."""
from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


class BuilderError(RuntimeError):
    """A builder command that should not fail did (inspect, mount, ...)."""


QUICK_TIMEOUT = 120.0  # inspect, mount, rmi, create: slow only when the store is busy
KILL_GRACE = 10.0  # SIGTERM -> SIGKILL: time for buildah/podman to remove their containers


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

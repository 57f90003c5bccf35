"""The Docker daemon as a builder: BuildKit through a client that can use it (Debian's 20.10
client with DOCKER_BUILDKIT=1, or buildx), the legacy builder otherwise with what it cannot
do stated; clear messages for a daemon that is down, a socket without permission, a missing
buildx; images read in place when the daemon is local."""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from refactor.verify.builders import (
    _FEATURES,
    PER_DOCKERFILE_IGNORE,
    SYNTAX_HINT,
    BuildOutcome,
    _CliBuilder,
    strip_syntax_directive,
)
from refactor.verify.extract import _unmount, safe_extract
from refactor.verify.processes import QUICK_TIMEOUT, BuilderError, Proc, run_bounded

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

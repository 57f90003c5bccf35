"""Builders: process handling and argv/JSON plumbing without a builder; then real buildah builds
(marked `build`) against the stand-in base images that .ci/setup-buildah.sh creates."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import time
from pathlib import Path

import pytest

from buildenv import builder_for, builders_under_test, exclusive, containers, new_since, store_state
from buildenv import requires_build_env as _requires_build_env
from refactor.verify import builders
from refactor.verify import docker as docker_mod
from refactor.verify.builders import BuildahBuilder, BuilderError, NoBuilderError, PodmanBuilder, Proc
from refactor.verify.docker import DockerBuilder

BASES = (
    "docker.io/library/debian:bookworm-slim",
    "docker.io/library/python:3.11",
    "docker.io/library/python:3.11-slim",
    "docker.io/library/node:20",
    "docker.io/library/node:20-slim",
)


def requires_build_env():
    """Real builds need the stand-in bases this file builds on."""
    _requires_build_env(BASES)


# ------------------------------------------------------------------------------------ processes
def test_run_bounded_captures_output_and_status():
    p = builders.run_bounded(["sh", "-c", "echo out; echo err >&2; exit 3"], timeout=10)
    assert (p.returncode, p.stdout, p.stderr, p.timed_out) == (3, "out\n", "err\n", False)


def test_run_bounded_timeout_kills_the_whole_process_group(tmp_path):
    pidfile = tmp_path / "bg.pid"
    called = []
    start = time.monotonic()
    # a background grandchild survives its parent's SIGTERM; only a group kill reaches it
    p = builders.run_bounded(
        ["sh", "-c", f"sleep 301 & echo $! > {pidfile}; wait"],
        timeout=1,
        on_timeout=lambda: called.append(True),
    )
    assert p.timed_out and p.returncode is None
    assert called == [True]
    assert time.monotonic() - start < builders.KILL_GRACE  # sh dies on SIGTERM: no grace wait
    bg = int(pidfile.read_text())
    for _ in range(50):
        try:
            os.kill(bg, 0)
        except ProcessLookupError:
            break
        # a killed child of an exited parent is reaped by init: give it a moment
        if Path(f"/proc/{bg}/stat").exists() and Path(f"/proc/{bg}/stat").read_text().split()[2] == "Z":
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"background process {bg} outlived the timeout")


def test_run_bounded_log_path_gets_stdout_and_stderr(tmp_path):
    log = tmp_path / "b.log"
    log.write_text("$ header\n")
    p = builders.run_bounded(["sh", "-c", "echo one; echo two >&2"], timeout=10, log_path=log)
    assert p.returncode == 0 and p.stdout == ""
    assert log.read_text() == "$ header\none\ntwo\n"


def test_run_bounded_missing_program_is_a_builder_error():
    with pytest.raises(BuilderError, match="cannot run"):
        builders.run_bounded(["/nonexistent/buildah"], timeout=5)


def test_produced_ids_from_buildah_and_docker_logs():
    buildah_log = (
        "STEP 2/4: WORKDIR /src\n--> Using cache bf3ab9253b190d1202e0100d10a51019069d9f948ade68923d13b7b574614fc7\n"
        "--> bf3ab9253b1\nSTEP 3/4: COPY . .\n--> d6d211e8e86\n[2/2] COMMIT x\n--> 3c10ed71dc2\n"
        "3c10ed71dc2dcbd0f67b7431516a2a643e05bc6bb4b956d0a0633347736c9ca5\n"
    )
    assert builders.produced_ids(buildah_log) == ("bf3ab9253b1", "d6d211e8e86", "3c10ed71dc2")
    docker_log = "Step 2/3 : RUN true\n ---> Running in 0123456789ab\n ---> 5d2a1f0c9e11\nSuccessfully built 5d2a1f0c9e11\n"
    assert builders.produced_ids(docker_log) == ("5d2a1f0c9e11",)


def test_error_line_prefers_the_last_error():
    log = 'STEP 3/3: COPY nope /\nError: building at STEP "COPY nope /": checking on sources: no such file\nexit\n'
    assert builders._error_line(log).startswith('Error: building at STEP "COPY nope /"')
    assert builders._error_line("only\nlines\n") == "lines"
    assert builders._error_line("") == "build failed with no output"


def test_split_command():
    assert builders.split_command(None) == []
    assert builders.split_command("") == []
    assert builders.split_command("python -c 'import sys; print(1)'") == ["python", "-c", "import sys; print(1)"]
    assert builders.split_command(["sh", "-c", "a b"]) == ["sh", "-c", "a b"]


# --------------------------------------------------------------------------------------- detect
def _fake(name: str, reason: str | None):
    class Fake(builders.Builder):
        def unavailable_reason(self):
            return reason

        build = inspect = filesystem = run = remove = image_ids = lambda *a, **k: None

    Fake.name = name
    return Fake


def test_detect_picks_the_first_usable_builder(monkeypatch):
    monkeypatch.setattr(
        builders,
        "BUILDERS",
        {"buildah-modern": _fake("buildah-modern", "not set up"), "buildah": _fake("buildah", "buildah not installed"),
         "podman": _fake("podman", None), "docker": _fake("docker", None)},
    )
    assert builders.detect().name == "podman"
    assert builders.detect("docker").name == "docker"


def test_detect_explains_every_rejection(monkeypatch):
    monkeypatch.setattr(
        builders, "BUILDERS", {n: _fake(n, f"{n} says no") for n in ("buildah-modern", "buildah", "podman", "docker")}
    )
    with pytest.raises(NoBuilderError, match="buildah-modern says no; buildah says no; podman says no; docker says no"):
        builders.detect()
    with pytest.raises(NoBuilderError, match="^no usable container builder: podman says no$"):
        builders.detect("podman")
    with pytest.raises(NoBuilderError, match="unknown builder 'kaniko'"):
        builders.detect("kaniko")


def test_docker_client_without_daemon_is_unavailable(tmp_path):
    if shutil.which("docker") is None:
        pytest.skip("no docker client installed")
    reason = DockerBuilder(host=f"unix://{tmp_path}/docker.sock").unavailable_reason()
    assert reason == (f"docker client found, but no docker daemon answers at unix://{tmp_path}/docker.sock: "
                      "start it (e.g. `systemctl start docker`), or point DOCKER_HOST at one that runs")


def test_docker_socket_without_permission_is_explained(tmp_path):
    """A user outside the docker group, for real: the client run as `nobody` on our daemon."""
    from buildenv import docker_builder, docker_problem

    if os.geteuid() != 0 or shutil.which("runuser") is None or docker_problem():
        pytest.skip("needs root, runuser and a docker daemon")
    real = docker_builder()
    wrapper = tmp_path / "docker-as-nobody"
    wrapper.write_text(f'#!/bin/sh\nexec runuser -u nobody -- {real.cli} "$@"\n')
    wrapper.chmod(0o755)
    tmp_path.chmod(0o755)
    reason = DockerBuilder(str(wrapper), host=real.host).unavailable_reason()
    assert reason.startswith(f"permission denied on the docker socket ({real.host or docker_mod.DEFAULT_DOCKER_HOST}): "
                             "add your user to the docker group"), reason


# ------------------------------------------------------------------------------- argv and JSON
@pytest.fixture
def recorded(monkeypatch):
    calls: list[list[str]] = []

    def fake_run(argv, *, timeout, env=None, cwd=None, log_path=None, on_timeout=None):
        calls.append(list(argv))
        if log_path is not None:
            with open(log_path, "a") as f:
                f.write("STEP 1/1: FROM x\n--> abcdef123456\n")
        return Proc(0, "", "", 0.1)

    monkeypatch.setattr(builders, "run_bounded", fake_run)
    return calls


@pytest.mark.parametrize("cls,head", [(BuildahBuilder, ["buildah", "bud"]), (PodmanBuilder, ["podman", "build"])])
def test_build_argv_never_pulls_keeps_layers_and_docker_format(recorded, tmp_path, cls, head):
    ign = tmp_path / "x.dockerignore"
    out = cls().build(tmp_path / "ctx", tmp_path / "D", "localhost/t:1", timeout=60, log_path=tmp_path / "l.log",
                      target="final", ignorefile=ign)
    argv = recorded[0]
    assert argv[:2] == head and argv[-1] == str(tmp_path / "ctx")
    for flag in ("--pull=never", "--layers", "--force-rm"):
        assert flag in argv
    assert argv[argv.index("--format") + 1] == "docker"
    assert argv[argv.index("-f") + 1] == str(tmp_path / "D")
    assert argv[argv.index("-t") + 1] == "localhost/t:1"
    assert argv[argv.index("--target") + 1] == "final"
    assert argv[argv.index("--ignorefile") + 1] == str(ign)
    assert out.ok and out.produced == ("abcdef123456",)
    assert (tmp_path / "l.log").read_text().startswith("$ " + head[0])  # the command heads its log


def test_buildah_modern_builds_from_the_context_with_the_dockerfile_dir_bound(monkeypatch, tmp_path):
    seen = {}

    def fake_run(argv, *, timeout, env=None, cwd=None, log_path=None, on_timeout=None):
        seen.update(argv=list(argv), env=env, cwd=cwd)
        return Proc(0, "", "", 0.1)

    monkeypatch.setattr(builders, "run_bounded", fake_run)
    (tmp_path / "ctx").mkdir()
    (tmp_path / "scratch").mkdir()
    builders.ModernBuildahBuilder().build(
        tmp_path / "ctx", tmp_path / "scratch/D", "t", timeout=5, log_path=tmp_path / "l",
        ignorefile=tmp_path / "scratch/x.dockerignore",
    )
    assert seen["argv"][:3] == ["buildah-modern", "buildah", "build"] and "--pull=never" in seen["argv"]
    assert seen["cwd"] == (tmp_path / "ctx").resolve() and seen["env"]["PWD"] == str((tmp_path / "ctx").resolve())
    assert seen["env"]["BIND_DIRS"] == str((tmp_path / "scratch").resolve())
    with pytest.raises(BuilderError, match="space"):
        builders.ModernBuildahBuilder().build(tmp_path, tmp_path / "a b/D", "t", timeout=5, log_path=tmp_path / "l")


def test_failed_and_timed_out_builds(monkeypatch, tmp_path):
    def failing(argv, *, timeout, env=None, cwd=None, log_path=None, on_timeout=None):
        with open(log_path, "a") as f:
            f.write("STEP 2/2: RUN false\nError: building at STEP \"RUN false\": exit status 1\n")
        return Proc(1, "", "", 0.5)

    monkeypatch.setattr(builders, "run_bounded", failing)
    out = BuildahBuilder().build(tmp_path, tmp_path / "D", "t", timeout=5, log_path=tmp_path / "l")
    assert not out.ok and not out.timed_out and out.error == 'Error: building at STEP "RUN false": exit status 1'
    monkeypatch.setattr(builders, "run_bounded", lambda *a, **k: Proc(None, "", "", 5.0))
    out = BuildahBuilder().build(tmp_path, tmp_path / "D", "t", timeout=5, log_path=tmp_path / "l")
    assert not out.ok and out.timed_out and "timed out after 5s" in out.error


def test_podman_inspect_moves_healthcheck_into_config(monkeypatch):
    raw = [{"Size": 1234, "RootFS": {"Layers": ["a", "b", "c"]}, "Config": {"User": "app"},
            "Healthcheck": {"Test": ["CMD-SHELL", "true"]}}]
    monkeypatch.setattr(builders, "run_bounded", lambda argv, **k: Proc(0, json.dumps(raw), "", 0.1))
    info = PodmanBuilder().inspect("x")
    assert (info.size_bytes, info.layers) == (1234, 3)
    assert info.config == {"User": "app", "Healthcheck": {"Test": ["CMD-SHELL", "true"]}}


def test_inspect_failure_is_a_builder_error(monkeypatch):
    monkeypatch.setattr(builders, "run_bounded", lambda argv, **k: Proc(125, "", "Error: x: image not known", 0.1))
    with pytest.raises(BuilderError, match="image not known"):
        PodmanBuilder().inspect("x")


def test_image_ids_strip_the_digest_prefix(monkeypatch):
    monkeypatch.setattr(builders, "run_bounded", lambda argv, **k: Proc(0, "sha256:aa11\nsha256:bb22\n", "", 0.1))
    assert PodmanBuilder().image_ids() == {"aa11", "bb22"}


# ----------------------------------------------------------------------------------- extraction
def _tar(tmp_path: Path, members) -> Path:
    path = tmp_path / "fs.tar"
    with tarfile.open(path, "w") as tf:
        for info, data in members:
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _info(name, type_=tarfile.REGTYPE, mode=0o644, data=b"", linkname=""):
    ti = tarfile.TarInfo(name)
    ti.type, ti.mode, ti.linkname = type_, mode, linkname
    ti.size = len(data) if type_ == tarfile.REGTYPE else 0
    return ti, (data if type_ == tarfile.REGTYPE else None)


def test_safe_extract_never_writes_through_symlinks(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    tar = _tar(tmp_path, [
        _info("etc", tarfile.DIRTYPE, 0o755),
        _info("evil", tarfile.SYMTYPE, linkname=str(outside)),
        _info("evil/pwned", data=b"gotcha"),
        _info("../escape", data=b"gotcha"),
        _info("lib64", tarfile.SYMTYPE, linkname="/lib/x86_64-linux-gnu"),  # absolute links are normal
        _info("usr/bin/su", mode=0o4755, data=b"su"),  # parent missing from the archive: skipped
        _info("etc/passwd", data=b"root:x:0:0::/root:/bin/sh\n"),
        _info("etc/passwd-hard", tarfile.LNKTYPE, linkname="etc/passwd"),
        _info("etc/su", mode=0o4755, data=b"su"),
        _info("ro", tarfile.DIRTYPE, 0o555),
        _info("ro/inside", data=b"x"),
    ])
    root = tmp_path / "root"
    root.mkdir()
    builders.safe_extract(tar, root)
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "escape").exists()
    assert os.readlink(root / "lib64") == "/lib/x86_64-linux-gnu"
    assert (root / "etc/passwd-hard").read_bytes() == b"root:x:0:0::/root:/bin/sh\n"
    assert (root / "etc/su").stat().st_mode & 0o7777 == 0o4755  # setuid survives
    assert (root / "ro/inside").read_bytes() == b"x" and (root / "ro").stat().st_mode & 0o777 == 0o555
    assert not (root / "usr").exists()


# ------------------------------------------------------------------------------- docker (no daemon)
def _stub_clients(tmp_path, monkeypatch, *names):
    """Executables called `docker` in their own PATH directories, in order; returns their paths."""
    paths = []
    for n in names:
        d = tmp_path / n
        d.mkdir()
        (d / "docker").write_text("#!/bin/sh\nexit 0\n")
        (d / "docker").chmod(0o755)
        paths.append(str(d / "docker"))
    monkeypatch.setenv("PATH", os.pathsep.join(str(Path(p).parent) for p in paths))
    monkeypatch.delenv("DOCKWRIGHT_DOCKER", raising=False)
    monkeypatch.delenv("DOCKER_BUILDKIT", raising=False)
    return paths


SERVER = json.dumps({"Version": "20.10.24+dfsg1", "ApiVersion": "1.41", "Os": "linux"})


def _docker_world(monkeypatch, clients: dict[str, tuple[str, bool]], server: Proc | None = None):
    """Fake run_bounded: `clients` maps path -> (version, has buildx); the daemon answers
    `server` (default: a 20.10 daemon). Returns the argv list of every call."""
    calls: list[list[str]] = []

    def fake(argv, *, timeout, env=None, cwd=None, log_path=None, on_timeout=None):
        calls.append(list(argv))
        ver, buildx = clients[argv[0]]
        if argv[1:] == ["--version"]:
            return Proc(0, f"Docker version {ver}, build abc\n", "", 0.01)
        if argv[1:3] == ["buildx", "version"]:
            return Proc(0 if buildx else 1, "", "" if buildx else "docker: unknown command: docker buildx", 0.01)
        if argv[1] == "version":
            return server or Proc(0, SERVER + "\n", "", 0.01)
        if log_path is not None:
            with open(log_path, "a") as f:
                f.write("#9 writing image sha256:5966eab60415 done\n")
        return Proc(0, "", "", 0.01)

    monkeypatch.setattr(builders, "run_bounded", fake)
    monkeypatch.setattr(docker_mod, "run_bounded", fake)  # DockerBuilder calls it too
    return calls


def test_docker_takes_the_first_client_that_can_use_buildkit(tmp_path, monkeypatch):
    new, old = _stub_clients(tmp_path, monkeypatch, "local", "debian")
    _docker_world(monkeypatch, {new: ("28.2.2", False), old: ("20.10.24+dfsg1", False)})
    b = DockerBuilder()
    assert b.unavailable_reason() is None
    assert b.cli == old and b.setup.buildkit
    assert b.describe() == f"docker 20.10.24+dfsg1 (client 20.10.24 at {old}), BuildKit"
    # 20.10's built-in Dockerfile frontend: RUN --mount yes, heredocs no
    assert b.cannot("FROM x\nRUN --mount=type=cache,target=/c true\nRUN <<EOF\ntrue\nEOF\n") == ["heredocs (RUN <<EOF)"]
    assert b.cannot("FROM x\n", ignorefile=True) == []


def test_docker_without_buildx_falls_back_to_legacy_and_says_what_it_cannot_do(tmp_path, monkeypatch):
    (new,) = _stub_clients(tmp_path, monkeypatch, "local")
    _docker_world(monkeypatch, {new: ("28.2.2", False)})
    b = DockerBuilder()
    assert b.unavailable_reason() is None and not b.setup.buildkit
    text = b.describe()
    assert "legacy builder because the docker client 28.2.2" in text and "has no buildx plugin" in text
    df = "FROM x\nRUN --mount=type=cache,target=/c true\nCOPY --chmod=755 a /a\n"
    assert b.cannot(df, ignorefile=True) == ["RUN --mount", "COPY/ADD --chmod", builders.PER_DOCKERFILE_IGNORE]
    # ...unless the user asked for BuildKit: then the missing buildx is the answer
    monkeypatch.setenv("DOCKER_BUILDKIT", "1")
    why = DockerBuilder().unavailable_reason()
    assert why.startswith("DOCKER_BUILDKIT=1 is set, but the docker client 28.2.2") and "install docker-buildx" in why


def test_docker_buildx_client_and_docker_buildkit_0(tmp_path, monkeypatch):
    (new,) = _stub_clients(tmp_path, monkeypatch, "local")
    _docker_world(monkeypatch, {new: ("28.2.2", True)})
    b = DockerBuilder()
    assert b.unavailable_reason() is None and b.setup.buildkit
    monkeypatch.setenv("DOCKER_BUILDKIT", "0")
    b = DockerBuilder()
    assert b.unavailable_reason() is None and "legacy builder because DOCKER_BUILDKIT=0 is set" in b.describe()


@pytest.mark.parametrize("stderr,expected", [
    ("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?",
     "no docker daemon answers at unix:///var/run/docker.sock: start it"),
    ("permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: "
     "Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.24/version\": dial unix /var/run/docker.sock: connect: permission denied",
     "permission denied on the docker socket (unix:///var/run/docker.sock): add your user to the docker group"),
])
def test_docker_daemon_down_or_socket_not_permitted(tmp_path, monkeypatch, stderr, expected):
    (cli,) = _stub_clients(tmp_path, monkeypatch, "debian")
    monkeypatch.delenv("DOCKER_HOST", raising=False)
    _docker_world(monkeypatch, {cli: ("20.10.24", False)}, server=Proc(1, "null\n", stderr, 0.01))
    assert expected in DockerBuilder().unavailable_reason()


def test_docker_not_installed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("DOCKWRIGHT_DOCKER", raising=False)
    assert DockerBuilder().unavailable_reason() == "docker not installed"
    assert DockerBuilder("/nonexistent/docker").unavailable_reason() == "docker client /nonexistent/docker not found"


def test_docker_build_argv_per_mode(tmp_path, monkeypatch):
    new, old = _stub_clients(tmp_path, monkeypatch, "local", "debian")
    calls = _docker_world(monkeypatch, {new: ("28.2.2", False), old: ("20.10.24", False)})
    ign = tmp_path / "x.dockerignore"
    ign.write_text("secret\n")
    df = tmp_path / "refactored.Dockerfile"
    for cli, buildkit in ((old, True), (new, False)):
        (tmp_path / "refactored.Dockerfile.dockerignore").unlink(missing_ok=True)
        calls.clear()
        out = DockerBuilder(cli).build(tmp_path, df, "t", timeout=5, log_path=tmp_path / "l", target="final",
                                       ignorefile=ign)
        argv = calls[-1]
        assert argv[:2] == [cli, "build"] and argv[-1] == str(tmp_path) and "--pull=never" not in argv
        assert argv[argv.index("--target") + 1] == "final"
        assert ("--progress=plain" in argv) == buildkit and ("--force-rm" in argv) != buildkit
        # the proposed ignore file goes beside the Dockerfile only where BuildKit will read it
        assert (tmp_path / "refactored.Dockerfile.dockerignore").exists() == buildkit
        assert out.ok and out.produced == ()


def test_docker_ignores_a_syntax_line_whose_frontend_cannot_be_fetched(tmp_path, monkeypatch):
    (cli,) = _stub_clients(tmp_path, monkeypatch, "debian")
    _docker_world(monkeypatch, {cli: ("20.10.24", False)})
    seen = []
    plain = builders.run_bounded

    def fake(argv, *, timeout, env=None, cwd=None, log_path=None, on_timeout=None):
        if argv[1] != "build":
            return plain(argv, timeout=timeout, env=env, cwd=cwd, log_path=log_path)
        df = Path(argv[argv.index("-f") + 1])
        seen.append((df, df.read_text(), Path(str(df) + ".dockerignore").is_file()))
        with open(log_path, "a") as f:
            if df.read_text().startswith("# syntax"):
                f.write("failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: "
                        "failed to resolve source metadata for docker.io/docker/dockerfile:1: no such host\n")
                return Proc(1, "", "", 0.5)
            f.write("#5 naming to localhost/t done\n")
            return Proc(0, "", "", 0.5)

    monkeypatch.setattr(builders, "run_bounded", fake)
    monkeypatch.setattr(docker_mod, "run_bounded", fake)  # DockerBuilder calls it too
    df = tmp_path / "refactored.Dockerfile"
    df.write_text("# syntax=docker/dockerfile:1\n# escape=\\\nFROM x\n")
    ign = tmp_path / "x.dockerignore"
    ign.write_text("junk\n")
    out = DockerBuilder(cli).build(tmp_path, df, "t", timeout=60, log_path=tmp_path / "l", ignorefile=ign)
    assert out.ok and out.note.startswith("its `# syntax=` line was ignored") and out.seconds == 1.0
    (first, text1, _), (second, text2, ignore_kept) = seen
    assert first == df and second != df and not second.exists()  # a temporary copy, gone again
    assert text2 == "# escape=\\\nFROM x\n" and ignore_kept  # the other directive and the ignore file stay
    log = (tmp_path / "l").read_text()
    assert log.count("$ ") == 2 and "docker/dockerfile:1" in log and log.endswith("naming to localhost/t done\n")
    assert builders.strip_syntax_directive("# a comment\n# syntax=x\nFROM x\n") == "# a comment\n# syntax=x\nFROM x\n"


def test_docker_remove_cache_repeats_until_children_are_gone(monkeypatch):
    records = {"b-child": "a-parent", "a-parent": None, "other": None}
    pruned = []

    def fake(argv, *, timeout, env=None, cwd=None, log_path=None, on_timeout=None):
        if argv[1:3] == ["system", "df"]:
            return Proc(0, json.dumps([{"ID": i, "Parent": p or ""} for i, p in records.items()]), "", 0.01)
        if argv[1:3] == ["builder", "prune"]:
            assert "--all" in argv  # a record shared with an image goes only with --all
            rid = argv[-1].removeprefix("id=")
            pruned.append(rid)
            if rid in records and rid not in records.values():  # nothing depends on it
                del records[rid]
            return Proc(0, "", "", 0.01)
        raise AssertionError(argv)

    monkeypatch.setattr(builders, "run_bounded", fake)
    monkeypatch.setattr(docker_mod, "run_bounded", fake)  # DockerBuilder calls it too
    b = DockerBuilder("docker")
    assert b.cache_ids() == {"b-child", "a-parent", "other"}
    assert b.remove_cache({"b-child", "a-parent"}) == set()
    assert records == {"other": None} and pruned == ["a-parent", "b-child", "a-parent"]


def test_dockerfile_features_and_failure_hints():
    text = ("# syntax=docker/dockerfile:1\nFROM x\nRUN --mount=type=cache,target=/root/.cache pip install a\n"
            "COPY --link --chmod=644 a /a\nRUN <<EOF\necho hi\nEOF\nADD --checksum=sha256:00 http://x/y /y\n")
    assert builders.dockerfile_features(text) == [
        "heredocs (RUN <<EOF)", "RUN --mount", "COPY/ADD --chmod", "COPY/ADD --link", "ADD --checksum"]
    net = [
        "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'",
        "WARNING: Retrying (Retry(total=0)) after connection broken by 'NewConnectionError(': Failed to establish a "
        "new connection: [Errno -3] Temporary failure in name resolution')': /simple/six/",
        "npm ERR! request to https://registry.npmjs.org/ms failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org",
        "curl: (6) Could not resolve host: example.com",
    ]
    for line in net:
        assert "needed the network" in builders.failure_hint(f"step\n{line}\nexit 1\n"), line
    missing = ("failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to resolve source "
               "metadata for docker.io/library/nope:1: failed to do request: Head \"https://registry-1.docker.io/v2/"
               "library/nope/manifests/1\": dial tcp: lookup registry-1.docker.io on 10.255.255.53:53: no such host")
    assert builders.failure_hint(missing).startswith("docker.io/library/nope:1 is not in the builder's image store")
    legacy = "Step 1/2 : FROM nope:1\npull access denied for nope, repository does not exist or may require 'docker login'"
    assert "could not be pulled" in builders.failure_hint(legacy)
    frontend = ("failed to solve with frontend dockerfile.v0: failed to solve with frontend gateway.v0: failed to "
                "resolve source metadata for docker.io/docker/dockerfile:1: failed to do request: ... no such host")
    assert "`# syntax=` line" in builders.failure_hint(frontend)
    assert builders.failure_hint("Error: building at STEP \"RUN false\": exit status 1") is None


# ------------------------------------------------------------------------------- real builds
@pytest.fixture(params=builders_under_test())
def real(request):
    """(name, builder) for every builder under test; docker skips without a daemon."""
    builder = builder_for(request.param, BASES)
    with exclusive(builder):
        yield request.param, builder


@pytest.mark.build
def test_real_build_inspect_run_filesystem_remove(real, tmp_path):
    name, builder = real
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    (ctx / "greeting").write_text("hello from the context\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM debian:bookworm-slim\n"
        'SHELL ["/bin/bash", "-c"]\n'
        "COPY greeting /greeting\n"
        "RUN echo built > /built && chmod 4755 /built\n"
        "ENV APP_MODE=test\n"
        "WORKDIR /srv\n"
        "EXPOSE 8080\n"
        "HEALTHCHECK CMD true\n"
        "USER nobody\n"
        'CMD ["cat", "/greeting"]\n'
    )
    tag = f"localhost/dockwright-test:{os.getpid()}-basic"
    before = store_state(builder)
    out = builder.build(ctx, tmp_path / "Dockerfile", tag, timeout=120, log_path=tmp_path / "logs/b.log")
    try:
        assert out.ok, (tmp_path / "logs/b.log").read_text()
        log = out.log_path.read_text()
        assert ("STEP" in log and out.produced) if name == "buildah" else "naming to" in log  # BuildKit's plain log
        info = builder.inspect(tag)
        assert info.size_bytes > 50_000_000 and info.layers >= 3
        cfg = info.config
        assert cfg["User"] == "nobody" and cfg["WorkingDir"] == "/srv" and "8080/tcp" in cfg["ExposedPorts"]
        assert "APP_MODE=test" in cfg["Env"] and cfg["Cmd"] == ["cat", "/greeting"]
        assert cfg["Shell"] == ["/bin/bash", "-c"] and cfg["Healthcheck"]["Test"] == ["CMD-SHELL", "true"]
        assert builder.run(tag, timeout=60).stdout == "hello from the context\n"  # the image's own CMD
        r = builder.run(tag, "sh -c 'id -un; pwd; exit 4'", timeout=60)
        assert (r.exit_code, r.stdout) == (4, "nobody\n/srv\n")
        with builder.filesystem(tag) as root:
            assert (root / "built").read_text() == "built\n"
            assert (root / "built").stat().st_mode & 0o7777 == 0o4755
        if name == "buildah":
            assert not any(tag in m for m in _mounts())  # unmounted again
        else:  # read in place (overlay of the layers) here; the export fallback reads the same
            assert "dockwright-fs-" not in Path("/proc/mounts").read_text()
            with builder._exported(tag) as root:
                assert (root / "built").read_text() == "built\n"
                assert (root / "built").stat().st_mode & 0o7777 == 0o4755
    finally:
        assert builder.remove(tag)
    with pytest.raises(BuilderError):
        builder.inspect(tag)
    # What verify's cleanup does: intermediate images by ID, then BuildKit's cache records.
    for i in builder.image_ids() - before["images"]:
        builder.remove(i)
    assert builder.remove_cache(builder.cache_ids() - before["cache"]) == set()
    if name == "docker":  # the daemon is this suite's alone: nothing at all may stay behind
        assert new_since(builder, before) == {}


def _mounts() -> list[str]:
    return subprocess.run(["podman", "image", "mount"], capture_output=True, text=True, check=False).stdout.splitlines()


@pytest.mark.build
def test_real_build_failure_missing_base_fails_fast_without_pulling(real, tmp_path):
    name, builder = real
    (tmp_path / "Dockerfile").write_text("FROM docker.io/library/no-such-image-dockwright:1\nRUN true\n")
    start = time.monotonic()
    out = builder.build(tmp_path, tmp_path / "Dockerfile", "localhost/dockwright-test:nobase", timeout=120,
                        log_path=tmp_path / "b.log")
    assert not out.ok and not out.timed_out
    assert time.monotonic() - start < 20  # a pull attempt that waited on registry DNS would not be
    assert "no-such-image-dockwright" in out.error or "image not known" in out.error
    if name == "docker":  # docker tries the registry (it has no --pull=never): the hint says so
        assert out.hint.startswith("docker.io/library/no-such-image-dockwright:1 is not in the builder's image store")


@pytest.mark.build
def test_real_build_timeout_and_run_timeout_leave_nothing_running(real, tmp_path):
    name, builder = real
    # A private alias of the base names the working container after it, so that containers of
    # builds running concurrently in the same store are not mistaken for ours.
    base = f"localhost/dockwright-test-base:{os.getpid()}"
    subprocess.run([builder.cli, "tag", "docker.io/library/debian:bookworm-slim", base], check=True, env=builder._env())
    before = containers(builder)
    try:
        (tmp_path / "Dockerfile").write_text(f"FROM {base}\nRUN sleep 302\n")
        out = builder.build(tmp_path, tmp_path / "Dockerfile", "localhost/dockwright-test:slow", timeout=3,
                            log_path=tmp_path / "b.log")
        assert out.timed_out and not out.ok
        r = builder.run(base, "sleep 303", timeout=2)
        assert r.timed_out and r.exit_code is None
        assert r.seconds < 20  # not the 300 s sleep, nor SIGTERM grace periods stacked up
        if name == "buildah":
            ours = [c for c in _containers() if "dockwright-test-base" in c]
            assert not ours, f"left behind: {ours}\n{(tmp_path / 'b.log').read_text()}"
        else:
            assert containers(builder) - before == set()
        for _ in range(20):  # the daemon cancels a build whose client went away: give it a moment
            procs = subprocess.run(["ps", "-eo", "pid,stat,args"], capture_output=True, text=True, check=False).stdout
            if not [ln for ln in procs.splitlines() if "sleep 302" in ln or "sleep 303" in ln]:
                break
            time.sleep(0.5)
        else:
            pytest.fail(procs)
    finally:
        subprocess.run([builder.cli, "rmi", base], capture_output=True, check=False, env=builder._env())


def _containers() -> list[str]:
    """Every container in the store, buildah's and podman's, as "image name" lines."""
    fmt = ["--format", "{{.ImageName}} {{.ContainerName}}"]
    out = subprocess.run(["buildah", "containers", "-a", *fmt], capture_output=True, text=True, check=False).stdout
    out += subprocess.run(["podman", "ps", "-a", "--format", "{{.Image}} {{.Names}}"], capture_output=True,
                          text=True, check=False).stdout
    return out.splitlines()

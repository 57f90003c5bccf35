"""`verify` and `dockwright verify`: verdicts and exit codes over a fake builder, then real
before/after builds of a tiny python app and a tiny node app (marked `build`)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from buildenv import builder_for, builders_under_test, exclusive, new_since, store_state
from test_builders import BASES

from refactor.verify import builders as builders_mod
from refactor.verify import cli as verify_cli
from refactor.verify.docker import DockerBuilder
from refactor.verify.builders import (
    ModernBuildahBuilder,
    Builder,
    BuilderError,
    BuildOutcome,
    ImageInfo,
    NoBuilderError,
    RunOutcome,
)
from refactor.engine.exitcodes import BUILD_BROKEN, NO_BUILDER, OK, PARSE_ERROR, TOOL_ERROR
from refactor.engine.results import FileResult
from refactor.verify.session import verify


class FakeBuilder(Builder):
    """Scripted per image ("original"/"refactored", from the tag suffix)."""

    name = "fake"

    def __init__(self, root: Path, *, fail=(), time_out=(), smoke=None, configs=None, sizes=None,
                 files=None, preexisting=("cafe00000000",), build_delay=0.0, inspect_error=None):
        self.root, self.fail, self.time_out = root, set(fail), set(time_out)
        self.smoke = smoke or {}  # which -> (exit code or None for timeout, stdout)
        self.configs = configs or {}
        self.sizes = sizes or {"original": 1000, "refactored": 400}
        self.files = files or {"original": {"app.py": "x", "gcc": "big"}, "refactored": {"app.py": "x"}}
        self.images: set[str] = set(preexisting)
        self.built: dict[str, tuple[Path, Path, str, Path | None]] = {}
        self.runs: list[tuple[str, object]] = []
        self.removed: list[str] = []
        self.build_delay, self.inspect_error = build_delay, inspect_error

    @staticmethod
    def which(tag: str) -> str:
        return tag.rsplit("-", 1)[1]

    def unavailable_reason(self):
        return None

    def build(self, context, dockerfile, tag, *, timeout, log_path, target=None, ignorefile=None):
        time.sleep(self.build_delay)
        w = self.which(tag)
        self.built[w] = (context, dockerfile, dockerfile.read_text(), ignorefile and Path(ignorefile).read_text())
        log_path.write_text(f"log of {w}\n")
        ids = (f"{w[:3]}aaaaaaaa01", f"{w[:3]}aaaaaaaa02")  # what the log names: ID prefixes
        if w in self.time_out or w in self.fail:
            self.images.add(ids[0] + "ffff")  # a failed build still committed its first steps
            if w in self.time_out:
                return BuildOutcome(False, timeout, log_path, "build timed out", True, ids[:1])
            return BuildOutcome(False, 1.0, log_path, "Error: COPY failed", False, ids[:1])
        self.images.update(i + "ffff" for i in ids)
        self.images.add(tag)
        return BuildOutcome(True, 2.0, log_path, None, False, ids)

    def inspect(self, ref):
        if self.inspect_error:
            raise BuilderError(self.inspect_error)
        w = self.which(ref)
        return ImageInfo(self.sizes[w], 5 if w == "original" else 3, self.configs.get(w, {}))

    @contextmanager
    def filesystem(self, ref):
        d = self.root / f"fs-{self.which(ref)}"
        for rel, text in self.files[self.which(ref)].items():
            (d / rel).parent.mkdir(parents=True, exist_ok=True)
            (d / rel).write_text(text)
        yield d

    def run(self, ref, command=None, *, timeout):
        w = self.which(ref)
        self.runs.append((w, command))
        code, out = self.smoke.get(w, (0, "hello\n"))
        return RunOutcome(code, out, "", 0.1, code is None)

    def remove(self, ref):
        self.removed.append(ref)
        if ref in self.images:
            self.images.discard(ref)
            return True
        return False

    def image_ids(self):
        return {i for i in self.images if ":" not in i}


ORIG = "FROM python:3.11\nCOPY . /app\nCMD [\"python\", \"/app/app.py\"]\n"
REFAC = "FROM python:3.11-slim\nCOPY . /app\nUSER app\nCMD [\"python\", \"/app/app.py\"]\n"


@pytest.fixture
def ctx(tmp_path):
    c = tmp_path / "ctx"
    c.mkdir()
    (c / "app.py").write_text("print('hello')\n")
    return c


def run_fake(tmp_path, ctx, smoke=None, timeout=100.0, dockerignore=None, **kw):
    b = FakeBuilder(tmp_path, **kw)
    rep = verify(ORIG, REFAC, ctx, builder=b, smoke=smoke, timeout=timeout, keep_logs_dir=tmp_path / "logs",
                 refactored_dockerignore=dockerignore)
    return b, rep


def assert_cleaned(b: FakeBuilder):
    assert not any(":" in i for i in b.images), "a verify tag survived"
    leftover = {i for i in b.images if i != "cafe00000000"}
    assert leftover == set(), f"intermediate images left: {leftover}"
    assert "cafe00000000" in b.images  # an image that existed before is never touched


# -------------------------------------------------------------------------------------- verdicts
def test_ok_builds_both_from_files_outside_the_context_and_cleans_up(tmp_path, ctx):
    b, rep = run_fake(tmp_path, ctx, configs={"refactored": {"User": "app"}})
    assert (rep.exit_code, rep.verdict) == (OK, "ok")
    for which, text in (("original", ORIG), ("refactored", REFAC)):
        context, dockerfile, written, _ = b.built[which]
        assert context == ctx and written == text
        assert ctx.resolve() not in dockerfile.resolve().parents
        assert not dockerfile.exists()  # scratch removed
    assert sorted(p.name for p in ctx.iterdir()) == ["app.py"]  # nothing written into the context
    assert rep.diff.size_pct == -60.0 and (rep.diff.layers_a, rep.diff.layers_b) == (5, 3)
    assert [c.describe() for c in rep.diff.config] == ["User: added 'app'"]
    assert rep.diff.files.only_a == ("/gcc",)
    assert b.runs == []  # no smoke command given
    assert_cleaned(b)


def test_original_that_does_not_build_is_a_tool_error_not_a_verdict(tmp_path, ctx):
    b, rep = run_fake(tmp_path, ctx, fail={"original"})
    assert (rep.exit_code, rep.verdict) == (TOOL_ERROR, "error")
    assert "original Dockerfile does not build" in rep.message
    assert "refactored" not in b.built
    assert str(tmp_path / "logs" / "original.build.log") in rep.to_text()
    assert_cleaned(b)


def test_refactored_that_does_not_build_is_broken(tmp_path, ctx):
    b, rep = run_fake(tmp_path, ctx, fail={"refactored"}, smoke="true")
    assert (rep.exit_code, rep.verdict) == (BUILD_BROKEN, "broken")
    text = rep.to_text()
    assert "FAILED: Error: COPY failed" in text
    assert f"build log: {tmp_path / 'logs' / 'refactored.build.log'}" in text
    assert b.runs == []  # no smoke run on a broken build
    assert_cleaned(b)


@pytest.mark.parametrize("which", ["original", "refactored"])
def test_build_timeouts_give_no_verdict(tmp_path, ctx, which):
    b, rep = run_fake(tmp_path, ctx, time_out={which})
    assert rep.exit_code == TOOL_ERROR and "timed out" in rep.message
    assert_cleaned(b)


def test_smoke_failing_only_after_the_refactor_is_broken(tmp_path, ctx):
    b = FakeBuilder(tmp_path, smoke={"refactored": (1, "")})
    rep = verify(ORIG, REFAC, ctx, builder=b, smoke="python -c 'import app'", timeout=100, keep_logs_dir=tmp_path / "l")
    assert (rep.exit_code, rep.verdict) == (BUILD_BROKEN, "broken")
    assert b.runs == [("original", "python -c 'import app'"), ("refactored", "python -c 'import app'")]
    assert rep.diff is not None  # still compared: the user wants to see what changed
    assert "exit 1" in rep.to_text()
    assert_cleaned(b)


def test_smoke_failing_on_the_original_proves_nothing(tmp_path, ctx):
    b = FakeBuilder(tmp_path, smoke={"original": (2, ""), "refactored": (2, "")})
    rep = verify(ORIG, REFAC, ctx, builder=b, smoke="false", timeout=100, keep_logs_dir=tmp_path / "l")
    assert rep.exit_code == TOOL_ERROR and "on the original image too" in rep.message
    assert [w for w, _ in b.runs] == ["original"]
    assert_cleaned(b)


def test_smoke_timeout_after_refactor_is_no_verdict(tmp_path, ctx):
    b = FakeBuilder(tmp_path, smoke={"refactored": (None, "")})
    rep = verify(ORIG, REFAC, ctx, builder=b, smoke="sleep 1", timeout=100, keep_logs_dir=tmp_path / "l")
    assert rep.exit_code == TOOL_ERROR and "timed out" in rep.message


def test_smoke_output_difference_is_a_note_not_a_failure(tmp_path, ctx):
    b = FakeBuilder(tmp_path, smoke={"refactored": (0, "hello, slim\n")})
    rep = verify(ORIG, REFAC, ctx, builder=b, smoke="", timeout=100, keep_logs_dir=tmp_path / "l")
    assert rep.exit_code == OK and "passes the smoke test" in rep.message
    assert b.runs == [("original", ""), ("refactored", "")]  # "" = the images' own CMD
    assert any("output differs" in n for n in rep.notes)


def test_builder_errors_are_tool_errors_and_still_clean_up(tmp_path, ctx):
    b, rep = run_fake(tmp_path, ctx, inspect_error="podman image inspect: store locked")
    assert rep.exit_code == TOOL_ERROR and "could not be compared: podman image inspect" in rep.message
    assert_cleaned(b)

    class Crashing(FakeBuilder):
        def build(self, *a, **k):
            raise BuilderError("cannot run buildah: [Errno 2]")

    c = Crashing(tmp_path)
    rep = verify(ORIG, REFAC, ctx, builder=c, smoke=None, timeout=100, keep_logs_dir=tmp_path / "l")
    assert rep.exit_code == TOOL_ERROR and rep.message.startswith("builder failed: cannot run buildah")


def test_time_budget_covers_the_whole_run(tmp_path, ctx):
    b, rep = run_fake(tmp_path, ctx, timeout=0.2, build_delay=0.3)
    assert rep.exit_code == TOOL_ERROR and "time budget of 0s ran out before building the refactored image" in rep.message
    assert_cleaned(b)


def test_proposed_dockerignore_applies_to_the_refactored_build_only(tmp_path, ctx):
    b, _ = run_fake(tmp_path, ctx, dockerignore="*.log\n")
    assert b.built["original"][3] is None
    assert b.built["refactored"][3] == "*.log\n"


def test_undeletable_intermediates_are_reported(tmp_path, ctx):
    class Sticky(FakeBuilder):
        def remove(self, ref):
            return super().remove(ref) if ":" in ref else False

    b = Sticky(tmp_path)
    rep = verify(ORIG, REFAC, ctx, builder=b, smoke=None, timeout=100, keep_logs_dir=tmp_path / "l")
    assert rep.exit_code == OK
    assert any("4 intermediate image(s) could not be removed" in n for n in rep.notes)


def test_build_cache_records_of_the_run_are_removed_and_stuck_ones_reported(tmp_path, ctx):
    class Cached(FakeBuilder):
        """BuildKit-like: each build adds cache records; "stuck" ones cannot be removed."""

        def __init__(self, *a, stuck=(), **k):
            super().__init__(*a, **k)
            self.cache, self.stuck = {"old-record"}, set(stuck)

        def build(self, context, dockerfile, tag, **k):
            self.cache |= {f"{self.which(tag)}-r1", f"{self.which(tag)}-r2"}
            return super().build(context, dockerfile, tag, **k)

        def cache_ids(self):
            return set(self.cache)

        def remove_cache(self, ids):
            assert "old-record" not in ids  # only what appeared during the run
            self.cache -= ids - self.stuck
            return ids & self.stuck

    b = Cached(tmp_path)
    rep = verify(ORIG, REFAC, ctx, builder=b, smoke=None, timeout=100, keep_logs_dir=tmp_path / "l")
    assert rep.exit_code == OK and b.cache == {"old-record"} and not rep.notes
    b = Cached(tmp_path, stuck={"refactored-r2"}, fail={"refactored"})
    rep = verify(ORIG, REFAC, ctx, builder=b, smoke=None, timeout=100, keep_logs_dir=tmp_path / "l2")
    assert rep.verdict == "broken" and b.cache == {"old-record", "refactored-r2"}
    assert "1 build cache record(s) could not be removed (in use?)" in rep.notes


def test_report_names_the_builder_and_what_it_cannot_do(tmp_path, ctx):
    class Limited(FakeBuilder):
        unsupported = frozenset({"RUN --mount", builders_mod.PER_DOCKERFILE_IGNORE})

        def describe(self):
            return "fake 1.0, legacy"

        def build(self, context, dockerfile, tag, **k):
            out = super().build(context, dockerfile, tag, **k)
            if not out.ok:  # as _build_with does: the log's known cause
                return BuildOutcome(False, 1.0, out.log_path, out.error, False, out.produced, "a hint from the log")
            return out

    b = Limited(tmp_path, fail={"refactored"})
    refactored = REFAC + "RUN --mount=type=cache,target=/c true\n"
    rep = verify(ORIG, refactored, ctx, builder=b, smoke=None, timeout=100, keep_logs_dir=tmp_path / "l",
                 refactored_dockerignore="*.log\n")
    text = rep.to_text()
    assert text.splitlines()[1] == "  builder fake 1.0, legacy" and rep.to_dict()["builder_info"] == "fake 1.0, legacy"
    assert rep.notes == [
        "fake cannot use a .dockerignore for one Dockerfile (<Dockerfile>.dockerignore): the refactored image was "
        "built with the context's own .dockerignore, not the proposed one",
        "fake as set up here cannot build RUN --mount, which the refactored Dockerfile uses",
        "refactored build: a hint from the log",
    ]


def test_json_report_is_complete_and_parseable(tmp_path, ctx):
    _, rep = run_fake(tmp_path, ctx, smoke="", configs={"original": {"Env": ["A=1"]}, "refactored": {"Env": ["A=2"]}})
    d = json.loads(rep.to_json())
    assert d["exit_code"] == 0 and d["verdict"] == "ok" and d["builder"] == "fake"
    assert d["diff"]["size_delta"] == -600 and d["diff"]["size_pct"] == -60.0
    assert d["diff"]["config"] == [{"key": "Env.A", "before": "1", "after": "2"}]
    assert d["diff"]["files"]["only_a"] == ["/gcc"] and d["diff"]["files"]["only_a_count"] == 1
    assert d["original_build"]["log_path"].endswith("original.build.log")
    assert d["smoke_refactored"]["exit_code"] == 0


# ------------------------------------------------------------------------------------------- CLI
@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    """A Dockerfile in a git repo, a fake refactor (appends a marker line) and a fake verify."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git = lambda *a: subprocess.run(["git", "-C", str(repo), *a], check=True, capture_output=True)
    git("init", "-q")
    git("config", "user.email", "t@example.com")
    git("config", "user.name", "t")
    (repo / "Dockerfile").write_text("FROM debian:bookworm-slim\n")
    git("add", "Dockerfile")
    git("commit", "-q", "-m", "init")
    seen = {}

    def fake_refactor(source, path, context):
        seen["refactor"] = (source, path, context)
        return FileResult(path, source, source + "# refactored\n")

    def fake_verify(original, refactored, context, **kw):
        seen["verify"] = (original, refactored, context, kw)
        (kw["keep_logs_dir"] / "original.build.log").write_text("log")
        from refactor.verify.session import VerifyReport

        return VerifyReport(seen.get("exit", OK), "ok", "fine", builder="fake", logs_dir=kw["keep_logs_dir"])

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # kept logs land here, not in /tmp
    monkeypatch.setattr(verify_cli, "refactor_source", fake_refactor)
    monkeypatch.setattr(verify_cli, "verify", fake_verify)
    monkeypatch.setattr(verify_cli, "detect_builder", lambda pref: FakeBuilder(tmp_path))
    return repo, seen


def invoke(*args):
    return CliRunner().invoke(verify_cli.verify_command, [str(a) for a in args])


def test_cli_modified_tracked_file_is_verified_against_git_head(cli_env):
    repo, seen = cli_env
    (repo / "Dockerfile").write_text("FROM debian:bookworm-slim\nRUN true\n")
    res = invoke(repo / "Dockerfile", "--smoke", "true", "--timeout", "99")
    assert res.exit_code == OK, res.output
    original, refactored, context, kw = seen["verify"]
    assert original == "FROM debian:bookworm-slim\n"  # committed text
    assert refactored == "FROM debian:bookworm-slim\nRUN true\n# refactored\n"  # refactor of the working tree
    assert context == repo and kw["smoke"] == "true" and kw["timeout"] == 99.0
    assert "original: git HEAD" in res.output
    assert not kw["keep_logs_dir"].exists()  # logs dropped on success


def test_cli_unmodified_or_untracked_file_is_its_own_original(cli_env, tmp_path):
    repo, seen = cli_env
    assert invoke(repo / "Dockerfile").exit_code == OK
    assert seen["verify"][0] == "FROM debian:bookworm-slim\n"
    loose = tmp_path / "loose"
    loose.mkdir()
    (loose / "Dockerfile.prod").write_text("FROM alpine:3.19\n")
    ctx = tmp_path / "elsewhere"
    ctx.mkdir()
    assert invoke(loose / "Dockerfile.prod", "--context", ctx).exit_code == OK
    assert seen["verify"][0] == "FROM alpine:3.19\n" and seen["verify"][2] == ctx


def test_cli_failure_keeps_logs_and_passes_the_exit_code(cli_env):
    repo, seen = cli_env
    seen["exit"] = BUILD_BROKEN
    res = invoke(repo / "Dockerfile")
    assert res.exit_code == BUILD_BROKEN
    logs = seen["verify"][3]["keep_logs_dir"]
    assert (logs / "original.build.log").exists() and f"build logs kept in {logs}" in res.output


def test_cli_no_builder_exits_5(cli_env, monkeypatch):
    repo, _ = cli_env

    def none(pref):
        raise NoBuilderError("no usable container builder: buildah not installed; podman not installed")

    monkeypatch.setattr(verify_cli, "detect_builder", none)
    res = invoke(repo / "Dockerfile", "--format", "json")
    assert res.exit_code == NO_BUILDER
    d = json.loads(res.output)
    assert d["verdict"] == "no-builder" and "buildah not installed" in d["message"]


def test_cli_nothing_to_verify_exits_0_without_a_builder(cli_env, monkeypatch):
    repo, _ = cli_env
    monkeypatch.setattr(verify_cli, "refactor_source", lambda s, p, c: FileResult(p, s, s))
    monkeypatch.setattr(verify_cli, "detect_builder", lambda pref: pytest.fail("no builder needed"))
    res = invoke(repo / "Dockerfile")
    assert res.exit_code == OK and "UNCHANGED" in res.output


def test_cli_refactor_error_and_unreadable_file(cli_env, tmp_path, monkeypatch):
    repo, _ = cli_env
    monkeypatch.setattr(
        verify_cli, "refactor_source", lambda s, p, c: FileResult(p, s, s, error=f"{p}:1:1: refused: not idempotent")
    )
    res = invoke(repo / "Dockerfile")
    assert res.exit_code == TOOL_ERROR and "refused: not idempotent" in res.output
    (tmp_path / "bin").write_bytes(b"FROM x\x00")
    assert invoke(tmp_path / "bin").exit_code == PARSE_ERROR
    assert invoke(tmp_path / "missing").exit_code == PARSE_ERROR


def test_cli_passes_a_proposed_dockerignore(cli_env, monkeypatch):
    repo, seen = cli_env
    monkeypatch.setattr(
        verify_cli, "refactor_source",
        lambda s, p, c: FileResult(p, s, s + "# x\n", extra_files={Path(".dockerignore"): ".git\n", Path("x.txt"): "y"}),
    )
    res = invoke(repo / "Dockerfile")
    assert seen["verify"][3]["refactored_dockerignore"] == ".git\n"
    assert "proposed files not used by the build: x.txt" in res.output


# ----------------------------------------------------------------------------------- real builds
@pytest.fixture(params=builders_under_test())
def real(request):
    """(name, builder) for every builder under test; docker skips without a daemon."""
    builder = builder_for(request.param, BASES)
    with exclusive(builder):
        yield request.param, builder


@pytest.fixture
def buildah():
    return builder_for("buildah", BASES)


@pytest.fixture
def docker():
    builder = builder_for("docker", BASES)
    with exclusive(builder):
        yield builder


def write(dirpath: Path, files: dict[str, str]) -> Path:
    dirpath.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (dirpath / name).write_text(text)
    return dirpath


def assert_left_nothing(builder: Builder, rep, before: dict[str, set[str]]):
    """verify's tags are gone, and so is every image its builds committed, every container and
    every build cache record, unless verify said it could not remove some. On buildah only what
    our builds' logs name is checked: the podman store is shared with whatever else builds on
    this machine, and another build may have stacked its own layers on one of ours meanwhile
    (rmi then refuses, rightly). The docker daemon is this suite's alone: nothing new may stay."""
    new = new_since(builder, before)
    left = sorted({i for b in (rep.original_build, rep.refactored_build) if b for p in b.produced
                   for i in new.get("images", ()) if i.startswith(p)})
    if left:
        assert any(f"{len(left)} intermediate image(s) could not be removed" in n for n in rep.notes), left
    tags = subprocess.run([builder.cli, "images", "--format", "{{.Repository}}:{{.Tag}}"], capture_output=True,
                          text=True, check=False, env=builder._env()).stdout
    assert "dockwright-verify" not in tags
    if isinstance(builder, DockerBuilder):
        assert new == {}, new
    else:
        assert not {c for c in new.get("containers", ()) if "dockwright" in c}, new


@pytest.mark.build
def test_real_leftover_check_sees_a_container(docker):
    """assert_left_nothing is only worth something if store_state sees what a run leaves."""
    b = docker
    before = store_state(b)
    name = f"dockwright-leftover-{time.monotonic_ns()}"
    env = b._env()
    subprocess.run([b.cli, "create", "--name", name, "debian:bookworm-slim", "true"], check=True, env=env,
                   capture_output=True)
    try:
        assert new_since(b, before) == {"containers": {name}}
    finally:
        subprocess.run([b.cli, "rm", name], check=True, env=env, capture_output=True)
    assert new_since(b, before) == {}


PY_APP = {
    "app.py": "import six, sys\nprint(f'hello from python {sys.version.split()[0]}, six {six.__version__}')\n",
    "requirements.txt": "six==1.16.0\n",
}
PY_ORIGINAL = """\
FROM python:3.11
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir -r requirements.txt
CMD ["python", "app.py"]
"""
PY_REFACTORED = """\
FROM python:3.11-slim AS deps
RUN python -m venv /opt/venv
COPY requirements.txt /tmp/
RUN /opt/venv/bin/pip install --no-cache-dir -r /tmp/requirements.txt

FROM python:3.11-slim
COPY --from=deps /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN useradd --create-home app
WORKDIR /app
COPY app.py /app/
USER app
CMD ["python", "app.py"]
"""


@pytest.mark.build
def test_real_python_full_to_slim_multistage(real, tmp_path):
    _, builder = real
    ctx = write(tmp_path / "py", PY_APP)
    before = store_state(builder)
    rep = verify(PY_ORIGINAL, PY_REFACTORED, ctx, builder=builder, smoke="", timeout=300, keep_logs_dir=tmp_path / "logs")
    assert rep.exit_code == OK, rep.to_text() + "".join(p.read_text() for p in (tmp_path / "logs").glob("*.log"))
    assert rep.smoke_original.stdout == rep.smoke_refactored.stdout == "hello from python 3.11.2, six 1.16.0\n"
    d = rep.diff
    assert d.size_a > 800_000_000 and d.size_b < 250_000_000 and d.size_pct < -70
    keys = {c.key: c for c in d.config}
    assert keys["User"].before is None and keys["User"].after == "app"
    assert keys["Env.PATH"].after.startswith("/opt/venv/bin:")
    assert "/usr/bin/gcc-12" in d.files.only_a and "/opt/venv/bin/python" in d.files.only_b
    assert "/app/requirements.txt" in d.files.only_a  # no longer copied into the final image
    assert_left_nothing(builder, rep, before)


NODE_APP = {
    "package.json": '{ "name": "tiny", "version": "1.0.0", "private": true, "dependencies": { "ms": "2.1.3" } }\n',
    "index.js": "const ms = require('ms');\nconsole.log(`hello from node ${process.version}: ${ms(60000)}`);\n",
}
NODE_ORIGINAL = """\
FROM node:20
WORKDIR /usr/src/app
COPY . .
RUN npm install --no-audit --no-fund
CMD ["node", "index.js"]
"""
NODE_REFACTORED = """\
FROM node:20-slim
WORKDIR /home/node/app
RUN chown node:node /home/node/app
USER node
COPY --chown=node:node package.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY --chown=node:node index.js ./
CMD ["node", "index.js"]
"""


@pytest.mark.build
def test_real_node_full_to_slim_nonroot(real, tmp_path):
    _, builder = real
    ctx = write(tmp_path / "node", NODE_APP)
    before = store_state(builder)
    rep = verify(NODE_ORIGINAL, NODE_REFACTORED, ctx, builder=builder, smoke="", timeout=300,
                 keep_logs_dir=tmp_path / "logs")
    assert rep.exit_code == OK, rep.to_text()
    assert rep.smoke_refactored.stdout == rep.smoke_original.stdout == "hello from node v20.20.2: 1m\n"
    d = rep.diff
    assert d.size_b < d.size_a * 0.4
    keys = {c.key: c for c in d.config}
    assert keys["User"].after == "node" and keys["WorkingDir"].after == "/home/node/app"
    assert "/home/node/app/node_modules/ms/index.js" in d.files.only_b
    assert "/usr/src/app/node_modules/ms/index.js" in d.files.only_a
    assert_left_nothing(builder, rep, before)


@pytest.mark.build
def test_real_broken_refactor_and_smoke_regression(real, tmp_path):
    _, builder = real
    ctx = write(tmp_path / "c", {"marker.txt": "here\n", "junk.txt": "junk\n", ".dockerignore": "junk.txt\n"})
    original = "FROM debian:bookworm-slim\nCOPY . /ctx/\nRUN cp /ctx/marker.txt /marker\n"
    broken = "FROM debian:bookworm-slim\nCOPY . /ctx/\nCOPY missing.txt /\n"
    before = store_state(builder)
    rep = verify(original, broken, ctx, builder=builder, smoke="cat /marker", timeout=120, keep_logs_dir=tmp_path / "l1")
    assert (rep.exit_code, rep.verdict) == (BUILD_BROKEN, "broken")
    assert "missing.txt" in rep.refactored_build.log_path.read_text()
    assert f"build log: {rep.refactored_build.log_path}" in rep.to_text()
    assert_left_nothing(builder, rep, before)

    # Builds, but drops the file the smoke test needs; and a proposed .dockerignore is honoured
    # for the refactored build alone (the original keeps the context's, which hides junk.txt).
    regressed = "FROM debian:bookworm-slim\nCOPY . /ctx/\n"
    before = store_state(builder)
    rep = verify(original, regressed, ctx, builder=builder, smoke="cat /marker", timeout=120,
                 keep_logs_dir=tmp_path / "l2", refactored_dockerignore="junk.txt\n.dockerignore\n")
    assert (rep.exit_code, rep.verdict) == (BUILD_BROKEN, "broken"), rep.to_text()
    assert rep.smoke_original.stdout == "here\n" and rep.smoke_refactored.exit_code == 1
    assert rep.diff.files.only_a == ("/ctx/.dockerignore", "/marker")
    assert rep.diff.files.only_b == ()
    assert_left_nothing(builder, rep, before)


@pytest.mark.build
def test_real_cli_reports_the_broken_build_log(real, tmp_path, monkeypatch):
    name, builder = real
    if isinstance(builder, DockerBuilder):  # the CLI's docker: the daemon and client under test
        monkeypatch.setenv("DOCKER_HOST", builder._host())
        monkeypatch.setenv("DOCKWRIGHT_DOCKER", builder.cli)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    write(tmp_path / "c", {"Dockerfile": "FROM debian:bookworm-slim\nRUN echo ok\n"})
    monkeypatch.setattr(
        verify_cli, "refactor_source", lambda s, p, c: FileResult(p, s, s + "RUN exit 7\n")
    )
    res = invoke(tmp_path / "c" / "Dockerfile", "--builder", name, "--timeout", "120")
    assert res.exit_code == BUILD_BROKEN, res.output
    log_line = next(ln for ln in res.output.splitlines() if "build log:" in ln)
    log = Path(log_line.split("build log:", 1)[1].strip())
    try:
        assert log.name == "refactored.build.log" and log.parent.name.startswith("dockwright-verify-logs-")
        assert re.search(r"exit status 7|exit code: 7|returned a non-zero code: 7", log.read_text())
        assert f"build logs kept in {log.parent}" in res.output
    finally:
        shutil.rmtree(log.parent, ignore_errors=True)


@pytest.mark.build
def test_real_heredoc_needs_buildah_modern(buildah, tmp_path):
    """buildah 1.28 cannot parse heredocs: that is no verdict on the refactor (exit 4). The
    trixie buildah from `setup-buildah.sh --with-modern` builds the same pair."""
    ctx = write(tmp_path / "h", {"app.sh": "echo app\n"})
    original = "FROM debian:bookworm-slim\nRUN <<EOT\nset -e\necho one > /one\necho two > /two\nEOT\n"
    refactored = "FROM debian:bookworm-slim\nRUN <<EOT\nset -e\necho one > /one\nEOT\n"
    rep = verify(original, refactored, ctx, builder=buildah, smoke=None, timeout=120, keep_logs_dir=tmp_path / "l1")
    assert rep.exit_code == TOOL_ERROR and "original Dockerfile does not build" in rep.message
    modern = ModernBuildahBuilder()
    why = modern.unavailable_reason()
    if why:
        pytest.skip(why)
    before = store_state(modern)
    rep = verify(original, refactored, ctx, builder=modern, smoke="cat /one", timeout=120,
                 keep_logs_dir=tmp_path / "l2", refactored_dockerignore="*.md\n")
    assert rep.exit_code == OK, rep.to_text() + rep.refactored_build.log_path.read_text()
    assert rep.smoke_refactored.stdout == "one\n"
    assert rep.diff.files.only_a == ("/two",)
    assert_left_nothing(modern, rep, before)


@pytest.mark.build
def test_real_docker_heredoc_and_what_the_builder_says_it_cannot_do(docker, tmp_path):
    """docker 20.10's built-in BuildKit has no heredocs: no verdict (exit 4), and the report says
    why; RUN --mount and a per-Dockerfile .dockerignore it does."""
    ctx = write(tmp_path / "h", {"keep.txt": "keep\n", "junk.txt": "junk\n"})
    heredoc = "FROM debian:bookworm-slim\nRUN <<EOT\necho one > /one\nEOT\n"
    before = store_state(docker)
    rep = verify(heredoc, heredoc + "RUN true\n", ctx, builder=docker, smoke=None, timeout=120,
                 keep_logs_dir=tmp_path / "l1")
    if docker.cannot(heredoc):  # a newer daemon would build it
        assert rep.exit_code == TOOL_ERROR and "original Dockerfile does not build" in rep.message
        assert any("cannot build heredocs (RUN <<EOF), which the original Dockerfile uses" in n for n in rep.notes)
    mounts = "FROM debian:bookworm-slim\nCOPY . /ctx/\nRUN --mount=type=cache,target=/var/cache/x echo > /var/cache/x/y\n"
    rep = verify(mounts, mounts + "RUN true\n", ctx, builder=docker, smoke="cat /ctx/keep.txt", timeout=120,
                 keep_logs_dir=tmp_path / "l2", refactored_dockerignore="junk.txt\n")
    assert rep.exit_code == OK, rep.to_text() + rep.original_build.log_path.read_text()
    assert rep.builder_info.endswith("BuildKit") and rep.to_text().splitlines()[1].startswith("  builder docker ")
    assert rep.diff.files.only_a == ("/ctx/junk.txt",)  # the proposed .dockerignore was used
    assert_left_nothing(docker, rep, before)  # the cache mount's record included


@pytest.mark.build
def test_real_docker_legacy_builder_reports_what_it_cannot_do(docker, tmp_path, monkeypatch):
    """The legacy builder (DOCKER_BUILDKIT=0, or a client without buildx): it still verifies
    plain Dockerfiles, and the report says what it cannot do instead of failing mysteriously."""
    bk = docker
    monkeypatch.setenv("DOCKER_BUILDKIT", "0")
    legacy = DockerBuilder(bk.cli, bk.host)
    assert legacy.unavailable_reason() is None and not legacy.setup.buildkit
    ctx = write(tmp_path / "c", {"keep.txt": "keep\n", "junk.txt": "junk\n"})
    original = "FROM debian:bookworm-slim\nCOPY . /ctx/\nRUN echo one > /one\nRUN echo two > /two\n"
    refactored = "FROM debian:bookworm-slim\nCOPY . /ctx/\nRUN echo one > /one && echo two > /two\n"
    before = store_state(legacy)
    rep = verify(original, refactored, ctx, builder=legacy, smoke="cat /one", timeout=120,
                 keep_logs_dir=tmp_path / "l1", refactored_dockerignore="junk.txt\n")
    assert rep.exit_code == OK, rep.to_text()
    assert "legacy builder because DOCKER_BUILDKIT=0 is set" in rep.builder_info
    assert any(n.startswith("docker cannot use a .dockerignore for one Dockerfile") for n in rep.notes), rep.notes
    assert rep.diff.files.only_a == () and (rep.diff.layers_a, rep.diff.layers_b) == (4, 3)  # base, COPY, RUNs
    assert rep.original_build.produced  # the legacy builder commits an image per step...
    assert_left_nothing(legacy, rep, before)  # ...and verify removes them all
    rep = verify("FROM debian:bookworm-slim\nRUN --mount=type=tmpfs,target=/t true\n", refactored, ctx,
                 builder=legacy, smoke=None, timeout=120, keep_logs_dir=tmp_path / "l2")
    assert rep.exit_code == TOOL_ERROR
    assert any("cannot build RUN --mount, which the original Dockerfile uses" in n for n in rep.notes), rep.notes
    assert_left_nothing(legacy, rep, before)


@pytest.mark.build
def test_real_build_that_needs_the_network_it_lacks_is_explained(real, tmp_path):
    """A RUN step that cannot reach its index: broken, and a note says it was the network."""
    _, builder = real
    ctx = write(tmp_path / "n", {"keep.txt": "keep\n"})
    original = "FROM python:3.11-slim\nCOPY keep.txt /\n"
    refactored = original + ("RUN python -c \"import urllib.request; "
                             "urllib.request.urlopen('http://pypi.dockwright.invalid/simple/six/', timeout=10)\"\n")
    before = store_state(builder)
    rep = verify(original, refactored, ctx, builder=builder, smoke=None, timeout=180, keep_logs_dir=tmp_path / "l")
    assert rep.verdict == "broken", rep.to_text()
    assert any(n.startswith("refactored build: a RUN step needed the network and could not reach it")
               for n in rep.notes), rep.to_text() + rep.refactored_build.log_path.read_text()
    assert_left_nothing(builder, rep, before)


@pytest.mark.build
def test_real_apply_verify_writes_only_what_builds(real, tmp_path, monkeypatch):
    """`dockwright --apply --verify` with the real engine and a real builder: the refactored
    file is written only after both images built and passed the smoke command."""
    from refactor.cli import main

    _, builder = real
    monkeypatch.setattr(verify_cli, "detect_builder", lambda pref: builder)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    app = write(tmp_path / "app", {
        "hello.txt": "hello\n",
        "Dockerfile": "FROM debian:bookworm-slim\nRUN apt-get update\nRUN apt-get install -y netbase\n"
                      "COPY hello.txt /hello.txt\nCMD [\"cat\", \"/hello.txt\"]\n",
    })
    original = (app / "Dockerfile").read_text()
    before = store_state(builder)
    res = CliRunner().invoke(main, ["--apply", "--verify", "--smoke", "", str(app / "Dockerfile")])
    assert res.exit_code == 0, res.output
    written = (app / "Dockerfile").read_text()
    assert written != original and "USER 10001:10001" in written and "rm -rf /var/lib/apt/lists/*" in written
    assert not list(tmp_path.glob("dockwright-verify-logs-*"))  # no logs kept on success
    # a refactor that breaks the build is not written: here a smoke command only the original passes
    (app / "Dockerfile").write_text(original)
    res = CliRunner().invoke(main, ["--apply", "--verify", "--smoke", "sh -c 'test $(id -u) = 0'", str(app / "Dockerfile")])
    assert res.exit_code != 0 and "not written: verify: the smoke command passes on the original" in res.output
    assert (app / "Dockerfile").read_text() == original
    for logs in tmp_path.glob("dockwright-verify-logs-*"):
        shutil.rmtree(logs)
    if isinstance(builder, DockerBuilder):
        assert new_since(builder, before) == {}


def test_verify_for_apply_judges_original_against_output(monkeypatch, tmp_path):
    """`refactor --apply --verify` asks one question per file: may it be written?"""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    result = FileResult(ctx / "Dockerfile", ORIG, REFAC)
    fake = FakeBuilder(tmp_path)
    monkeypatch.setattr(verify_cli, "detect_builder", lambda pref: fake)
    ok, message = verify_cli.verify_for_apply(result, ctx, "true")
    assert ok and "builds and passes the smoke test" in message
    assert fake.built["original"][2] == ORIG and fake.built["refactored"][2] == REFAC
    assert not list(tmp_path.glob("dockwright-verify-logs-*"))  # nothing kept on success

    broken = FakeBuilder(tmp_path, fail={"refactored"})
    monkeypatch.setattr(verify_cli, "detect_builder", lambda pref: broken)
    ok, message = verify_cli.verify_for_apply(result, ctx, None)
    assert not ok and "refactored Dockerfile does not" in message and "refactored.build.log" in message

    def none(pref):
        raise NoBuilderError("no usable container builder: docker not installed")

    monkeypatch.setattr(verify_cli, "detect_builder", none)
    assert verify_cli.verify_for_apply(result, ctx, None) == (False, "no usable container builder: docker not installed")


@pytest.mark.build
def test_verify_sizes_for_the_bot(real, tmp_path):
    """The bot's --verify: sizes of both images when the refactor builds; a broken refactor
    raises, so the bot leaves the file out."""
    from refactor.verify.session import verify_sizes

    df = tmp_path / "Dockerfile"
    original = "FROM debian:bookworm-slim\nRUN echo one > /one\nRUN echo two > /two\nCMD [\"cat\", \"/one\"]\n"
    refactored = "FROM debian:bookworm-slim\nRUN echo one > /one && echo two > /two\nCMD [\"cat\", \"/one\"]\n"
    df.write_text(original)
    _, builder = real
    before = store_state(builder)
    sizes = verify_sizes(df, original, refactored, timeout=300, builder=builder)
    assert sizes is not None and sizes["size_before"] > 10_000_000 and sizes["size_after"] > 10_000_000
    with pytest.raises(RuntimeError, match="logs") as broken:
        verify_sizes(df, original, "FROM debian:bookworm-slim\nRUN exit 3\n", timeout=300, builder=builder)
    logs = Path(re.search(r"\(build logs: (.+)\)$", str(broken.value)).group(1))
    assert (logs / "refactored.build.log").is_file()  # kept for the bot's user to read
    shutil.rmtree(logs)
    if isinstance(builder, DockerBuilder):
        assert new_since(builder, before) == {}

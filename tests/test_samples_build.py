"""Proof that a refactor with every codemod on never breaks an image (issue 11, item 6): each
sample build context in corpus/samples/<name>/ (a Dockerfile written as people write them, the
app's files and a `smoke.json`) is refactored with the default selection, built before and after
with buildah (`--pull=never --layers`, docker format, stand-in bases of .ci/setup-buildah.sh) and
smoke-tested in both; the user the image runs as is checked against what a correct refactor does.

smoke.json keys:
  class            what the sample stands for (the thing a naive refactor breaks)
  expect           text the smoke test must print (or the probe must read)
  command          argv replacing CMD for the smoke run (ENTRYPOINT kept), e.g. for base images
  probe, port      a server: start the image detached and run `probe` inside it until `expect`
                   shows; `{port}` is the image's exposed port (`port` when it exposes several)
  after_port       the port the refactored image serves on, when the refactor moves it (80 -> 8080)
  healthcheck      true: the image must have a HEALTHCHECK, and it must pass in the container
  expect_user      "root": the refactored image must still run as root
  expect_nonroot   true: it must run as a non-root, numeric `uid:gid` USER
  must_skip        codemods that must decline (no edit, a skip reason the user can read)
  must_edit        codemods that must have edited the file
  after_must_match [{"regex", "why"}] on the refactored Dockerfile
  build, why_no_build  false + reason: refactor checks only (the input cannot be built here)
Every sample also gets: the engine must not refuse the file, and no stage may gain a duplicate
instruction. A sample the refactor leaves unchanged is built once (the after image is the same).

Needs root and the stand-in images; skips cleanly otherwise (fails instead when
DOCKWRIGHT_REQUIRE_BUILD_TESTS=1). Every check of a sample runs before its test fails, so the
table shows everything that is wrong at once. The table is printed by the last test (`pytest
-s`) and written to $DOCKWRIGHT_REPORT_DIR/samples-build.json when that is set."""
from __future__ import annotations

import json
import os
import re
import shutil
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from buildenv import requires_build_env
from conftest import ROOT, read_text_exact
from refactor import parse_dockerfile
from refactor.engine import make_selection, refactor_text
from refactor.verify.builders import BuildahBuilder, BuilderError, run_bounded

SAMPLES_DIR = ROOT / "corpus" / "samples"
SAMPLES = sorted(d for d in SAMPLES_DIR.iterdir() if (d / "smoke.json").is_file())
KEYS = {"class", "expect", "command", "probe", "port", "after_port", "healthcheck", "expect_user", "expect_nonroot",
        "must_skip", "must_edit", "after_must_match", "build", "why_no_build"}
BUILD_TIMEOUT = 300.0
PROBE_SECONDS = 45
TAG = "localhost/dockwright-samples/{app}:{which}"
ROOT_USERS = {"", "root", "0", "root:root", "0:0", "root:0", "0:root"}
ROWS: dict[str, dict] = {}
# Build failures that say nothing about the Dockerfile: retried once.
_TRANSIENT = ("layer not known", "Temporary failure resolving", "Could not resolve host", "Connection timed out",
              "getaddrinfo EAI_AGAIN")  # node's word for the resolver's temporary failure (yarn, npm)


def _env() -> dict[str, str]:
    return {**os.environ, "BUILDAH_FORMAT": "docker", "PODMAN_IGNORE_CGROUPSV1_WARNING": "1"}


def base_images(text: str) -> list[str]:
    df = parse_dockerfile(text)
    names = {s.name.lower() for s in df.stages if s.name}
    return sorted({s.base_image for s in df.stages if s.base_image.lower() not in names and s.base_image != "scratch"})


def duplicates_added(before: str, after: str) -> list[str]:
    """Instructions that occur more often within one stage of `after` than in any stage of
    `before`: what a refactor that copies a line twice leaves behind."""
    def per_stage(text: str) -> list[Counter]:
        return [Counter(" ".join(i.logical.split()) for i in s.instructions) for s in parse_dockerfile(text).stages]

    most_before: Counter = Counter()
    for c in per_stage(before):
        most_before |= c
    return sorted({line for c in per_stage(after) for line, n in c.items() if n > 1 and n > most_before[line]})


def is_root(user: str | None) -> bool:
    return (user or "").strip() in ROOT_USERS


def check_refactor(spec: dict, before: str, result) -> list[str]:
    """What is wrong with the refactor itself, before anything is built."""
    problems = []
    if result.error is not None:
        problems.append(f"engine refused the file: {result.error}")
        return problems
    edited = {e.codemod for e in result.edits}
    for cm in spec.get("must_skip", ()):
        if cm in edited:
            lines = sorted({e.line for e in result.edits if e.codemod == cm})
            summary = next(e.summary for e in result.edits if e.codemod == cm)
            problems.append(f"{cm} should have declined but edited (line {lines}: {summary})")
        elif not any(s.codemod == cm and s.reason for s in result.skips):
            problems.append(f"{cm} made no edit but gave no skip reason")
    for cm in spec.get("must_edit", ()):
        if cm not in edited:
            why = "; ".join(s.reason for s in result.skips if s.codemod == cm) or "no reason given"
            problems.append(f"{cm} should have edited but did not ({why})")
    for rule in spec.get("after_must_match", ()):
        if not re.search(rule["regex"], result.output):
            problems.append(f"refactored Dockerfile fails /{rule['regex']}/: {rule['why']}")
    for line in duplicates_added(before, result.output):
        problems.append(f"duplicate instruction added: {line}")
    return problems


def exposed_port(config: dict, spec: dict) -> int:
    ports = sorted(int(p.split("/")[0]) for p in (config.get("ExposedPorts") or {}))
    if spec.get("port") in ports or not ports:
        return int(spec.get("port", 80))
    return ports[0]  # a refactor that moved the server (80 -> 8080) moves EXPOSE with it


def healthcheck_argv(config: dict) -> list[str] | None:
    test = (config.get("Healthcheck") or {}).get("Test") or []
    if not test or test[0] == "NONE":
        return None
    if test[0] == "CMD-SHELL":
        return ["/bin/sh", "-c", test[1]]
    return list(test[1:]) if test[0] == "CMD" else list(test)


def _poll(name: str, argv: list[str], expect: str | None) -> tuple[bool, str]:
    out = ""
    deadline = time.monotonic() + PROBE_SECONDS
    while time.monotonic() < deadline:
        p = run_bounded(["podman", "exec", name, *argv], timeout=30, env=_env())
        out = p.stdout + p.stderr
        if p.returncode == 0 and (expect is None or expect in out):
            return True, out
        state = run_bounded(["podman", "inspect", "--format", "{{.State.Running}}", name], timeout=30, env=_env())
        if state.stdout.strip() != "true":
            break  # the server exited: no point in waiting
        time.sleep(1)
    return False, out


def smoke(builder: BuildahBuilder, ref: str, spec: dict, config: dict, which: str = "before") -> tuple[bool, str]:
    """`docker run IMAGE [command]` (no network) must print `expect`; a server is started
    detached and probed from inside the container, and its HEALTHCHECK must pass too."""
    expect = spec["expect"]
    if not spec.get("probe"):
        r = builder.run(ref, spec.get("command"), timeout=120)
        out = r.stdout + r.stderr
        return (r.ok and expect in out), out[-2000:]
    name = f"dockwright-sample-{uuid.uuid4().hex[:10]}"
    start = run_bounded(["podman", "run", "-d", "--pull=never", "--network", "none", "--name", name, ref],
                        timeout=120, env=_env())
    if start.returncode != 0:
        return False, start.stderr[-2000:]
    try:
        port = str(spec["after_port"] if which == "after" and "after_port" in spec else exposed_port(config, spec))
        ok, out = _poll(name, [a.replace("{port}", port) for a in spec["probe"]], expect)
        hc = healthcheck_argv(config)
        if ok and spec.get("healthcheck") and hc is None:
            ok, out = False, "the image has no HEALTHCHECK"
        if ok and hc is not None:
            ok, hc_out = _poll(name, hc, None)
            out = f"{out}\n--- HEALTHCHECK {hc}: {'ok' if ok else 'FAILED'}\n{hc_out}"
        if not ok:
            logs = run_bounded(["podman", "logs", name], timeout=30, env=_env())
            out += "\n--- logs ---\n" + logs.stdout + logs.stderr
        return ok, out[-3000:]
    finally:
        run_bounded(["podman", "rm", "-f", "-t", "0", name], timeout=60, env=_env())


@pytest.fixture(scope="module")
def builder():
    return BuildahBuilder()


def test_there_are_enough_samples_and_their_specs_are_valid():
    assert len(SAMPLES) >= 20
    for app in SAMPLES:
        spec = json.loads((app / "smoke.json").read_text())
        assert set(spec) <= KEYS, (app.name, set(spec) - KEYS)
        assert spec.get("class"), app.name
        if spec.get("build", True):
            assert spec.get("expect"), app.name
        else:
            assert spec.get("why_no_build"), app.name
        assert not (spec.get("expect_user") and spec.get("expect_nonroot")), app.name


@pytest.mark.build
@pytest.mark.parametrize("app", SAMPLES, ids=[a.name for a in SAMPLES])
def test_sample_builds_and_runs_after_refactor(app: Path, builder, tmp_path):
    spec = json.loads((app / "smoke.json").read_text())
    before_text = read_text_exact(app / "Dockerfile")
    t0 = time.monotonic()
    result = refactor_text(before_text, path=app / "Dockerfile", selection=make_selection())
    row: dict = {
        "sample": app.name,
        "class": spec["class"],
        "edited": sorted({e.codemod for e in result.edits}),
        "skips": {s.codemod: s.reason for s in result.skips},
        "extra_files": sorted(str(p.relative_to(app)) if p.is_absolute() else str(p) for p in result.extra_files),
        "after_dockerfile": result.output,
    }
    ROWS[app.name] = row
    problems = check_refactor(spec, before_text, result)
    row["problems"] = problems
    if not spec.get("build", True):
        row["not_built"] = spec["why_no_build"]
        assert not problems, "\n".join(problems) + "\n--- refactored Dockerfile\n" + result.output
        return
    try:
        requires_build_env(sorted(set(base_images(before_text)) | set(base_images(result.output))))
    except pytest.skip.Exception:
        if problems:  # the refactor is wrong whether or not it can be built here
            pytest.fail("\n".join(problems))
        raise

    # The after context is a copy with the new Dockerfile and the files the refactor proposes
    # (a .dockerignore...): what the user's checkout holds after `dockwright --apply`.
    after_ctx = tmp_path / "after"
    shutil.copytree(app, after_ctx, symlinks=True)
    (after_ctx / "Dockerfile").write_text(result.output)
    for path, text in result.extra_files.items():
        target = after_ctx / (Path(path).relative_to(app) if Path(path).is_absolute() else Path(path))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)

    created: list[str] = []
    # A refactor that changed nothing gives the same context, hence the same image: build once.
    contexts = {"before": app, "after": after_ctx} if result.changed else {"before": app}
    try:
        # Both builds at once: they are independent, and mostly wait on I/O and the network.
        with ThreadPoolExecutor(max_workers=2) as pool:
            futures = {which: pool.submit(builder.build, ctx, ctx / "Dockerfile", TAG.format(app=app.name, which=which),
                                          timeout=BUILD_TIMEOUT, log_path=tmp_path / f"{which}.log")
                       for which, ctx in contexts.items()}
            outcomes = {which: f.result() for which, f in futures.items()}
        for which, outcome in outcomes.items():
            # buildah's layer cache is shared by the whole store: another build's cleanup can
            # remove a cached layer between lookup and use; and a package mirror's name can fail
            # to resolve for a moment. Neither says anything about the refactor: build once more.
            log = outcome.log_path.read_text(errors="replace") if not outcome.ok else ""
            if not outcome.ok and any(sign in log for sign in _TRANSIENT):
                ctx = contexts[which]
                outcomes[which] = builder.build(ctx, ctx / "Dockerfile", TAG.format(app=app.name, which=which),
                                                timeout=BUILD_TIMEOUT, log_path=tmp_path / f"{which}-retry.log")
        for which, outcome in outcomes.items():
            tag = TAG.format(app=app.name, which=which)
            created += [tag, *outcome.produced]
            row[f"build_{which}"] = outcome.ok
            row[f"build_{which}_seconds"] = round(outcome.seconds, 1)
            if not outcome.ok:
                tail = "\n".join(outcome.log_path.read_text(errors="replace").splitlines()[-15:])
                problems.append(f"{which} build failed: {outcome.error}\n{tail}")
                continue
            try:
                info = builder.inspect(tag)
            except BuilderError as e:  # the store is shared: name what happened in the table
                problems.append(f"{which} image missing right after its build (removed by another process?): {e}")
                continue
            row[f"bytes_{which}"] = info.size_bytes
            row[f"user_{which}"] = info.config.get("User") or ""
            ok, out = smoke(builder, tag, spec, info.config, which)
            row[f"smoke_{which}"] = ok
            if not ok:
                problems.append(f"{which} smoke test failed: expected {spec['expect']!r} in:\n{out}")
        if not result.changed:  # the after image is the before image
            row["unchanged"] = True
            row["build_after_seconds"] = 0.0
            for field in ("build", "bytes", "user", "smoke"):
                if f"{field}_before" in row:
                    row[f"{field}_after"] = row[f"{field}_before"]
        if row.get("build_after"):
            user = row["user_after"]
            if spec.get("expect_user") == "root" and not is_root(user):
                problems.append(f"image must stay root but runs as USER {user!r}")
            if spec.get("expect_nonroot"):
                if is_root(user):
                    problems.append("image should run as a non-root user but runs as root")
                elif not re.fullmatch(r"\d+:\d+", user):
                    problems.append(f"USER {user!r} is not numeric uid:gid (hadolint DL3066; the README promises it)")
    finally:
        for ref in reversed(created):
            builder.remove(ref)
        row["seconds"] = round(time.monotonic() - t0, 1)
    assert not problems, "\n".join(problems) + "\n--- refactored Dockerfile\n" + result.output


def _mb(n: int | None) -> str:
    return f"{n / 1e6:.0f}MB" if n else "-"


def _yn(v: bool | None) -> str:
    return "-" if v is None else ("ok" if v else "FAIL")


def test_samples_table():
    if not ROWS:
        pytest.skip("no sample ran (run the whole module)")
    lines = [f"{'sample':<26} {'build b/a':<10} {'smoke b/a':<10} {'size before/after':<18} "
             f"{'user before/after':<24} {'edited by':<44} result"]
    for r in ROWS.values():
        if "not_built" in r:
            build = smoke_ = "n/a"
        else:
            build = f"{_yn(r.get('build_before'))}/{_yn(r.get('build_after'))}"
            smoke_ = f"{_yn(r.get('smoke_before'))}/{_yn(r.get('smoke_after'))}"
        users = f"{r.get('user_before', '-') or 'root'}/{r.get('user_after', '-') or 'root'}" if "user_before" in r else "-"
        lines.append(f"{r['sample']:<26} {build:<10} {smoke_:<10} "
                     f"{_mb(r.get('bytes_before')) + '/' + _mb(r.get('bytes_after')):<18} {users:<24} "
                     f"{','.join(r['edited']) or '(unchanged)':<44} {'FAIL' if r['problems'] else 'ok'}")
    failing = sum(1 for r in ROWS.values() if r["problems"])
    seconds = sum(r.get("seconds", 0) for r in ROWS.values())
    lines.append(f"{len(ROWS) - failing}/{len(ROWS)} samples ok, {seconds:.0f}s of builds and smoke tests")
    print("\n" + "\n".join(lines))
    out_dir = os.environ.get("DOCKWRIGHT_REPORT_DIR")
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "samples-build.json").write_text(json.dumps(list(ROWS.values()), indent=2) + "\n")

"""multi-stage, proved with real builds: every sample app in corpus/multi-stage that has a
`smoke.json` is built before and after the split with buildah (`--pull=never --layers`, docker
format) on the full stand-in base images, both images pass the same smoke test (the app prints,
or answers an in-container probe with, the expected text), and the final images shrink: the
median cut must reach 70%.

Needs root and the stand-in images of .ci/setup-buildah.sh; skips cleanly otherwise (fails
instead when DOCKWRIGHT_REQUIRE_BUILD_TESTS=1). Apps marked `"slow": true` in smoke.json run
only with DOCKWRIGHT_SLOW_TESTS=1 or `-m slow`. The table of sizes is printed by the last test
(`pytest -s`) and written to $DOCKWRIGHT_REPORT_DIR/multi-stage-build.json when that is set."""
from __future__ import annotations

import json
import os
import statistics
import time
import uuid
from pathlib import Path

import pytest

from conftest import ROOT, read_text_exact
from refactor.verify.builders import BuildahBuilder, run_bounded
from refactor.engine.runner import make_selection, refactor_text
from refactor.syntax.parser import parse_dockerfile
from buildenv import requires_build_env

pytestmark = pytest.mark.build

CORPUS = ROOT / "corpus" / "multi-stage"
APPS = sorted(d for d in CORPUS.iterdir() if (d / "smoke.json").is_file())
BUILD_TIMEOUT = 420.0
TAG = "localhost/dockwright-multi-stage/{app}:{which}"
RESULTS: dict[str, dict] = {}
CREATED: list[str] = []


def _env() -> dict[str, str]:
    return {**os.environ, "BUILDAH_FORMAT": "docker", "PODMAN_IGNORE_CGROUPSV1_WARNING": "1"}


def requires(images: list[str]) -> None:
    requires_build_env(images)


def base_images(text: str) -> list[str]:
    df = parse_dockerfile(text)
    names = {s.name.lower() for s in df.stages if s.name}
    return sorted({s.base_image for s in df.stages if s.base_image.lower() not in names and s.base_image != "scratch"})


def slow_enabled(config) -> bool:
    return os.environ.get("DOCKWRIGHT_SLOW_TESTS") == "1" or "slow" in (config.getoption("-m") or "")


@pytest.fixture(scope="module")
def builder():
    b = BuildahBuilder()
    yield b
    for ref in reversed(CREATED):
        b.remove(ref)


def smoke(builder: BuildahBuilder, ref: str, spec: dict) -> tuple[bool, str]:
    """Run the image as `docker run IMAGE` would (no network); with a probe, start it in the
    background and run the probe inside it until the expected text shows or 60 s pass."""
    expect = spec["expect"]
    if not spec.get("probe"):
        r = builder.run(ref, None, timeout=120)
        out = r.stdout + r.stderr
        return (r.ok and expect in out), out[-2000:]
    name = f"dockwright-ms-{uuid.uuid4().hex[:10]}"
    start = run_bounded(["podman", "run", "-d", "--rm", "--pull=never", "--network", "none", "--name", name, ref],
                        timeout=120, env=_env())
    if start.returncode != 0:
        return False, start.stderr[-2000:]
    try:
        out = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            p = run_bounded(["podman", "exec", name, *spec["probe"]], timeout=30, env=_env())
            out = p.stdout + p.stderr
            if p.returncode == 0 and expect in out:
                return True, out[-2000:]
            time.sleep(1)
        logs = run_bounded(["podman", "logs", name], timeout=30, env=_env())
        return False, (out + "\n--- logs ---\n" + logs.stdout + logs.stderr)[-3000:]
    finally:
        run_bounded(["podman", "rm", "-f", "-t", "0", name], timeout=60, env=_env())


@pytest.mark.parametrize("app", APPS, ids=[a.name for a in APPS])
def test_split_builds_runs_and_shrinks(app: Path, builder, tmp_path, request):
    spec = json.loads((app / "smoke.json").read_text())
    if spec.get("slow") and not slow_enabled(request.config):
        pytest.skip("slow (set DOCKWRIGHT_SLOW_TESTS=1 or use -m slow)")
    before_text = read_text_exact(app / "Dockerfile")
    result = refactor_text(before_text, path=app / "Dockerfile", selection=make_selection(["multi-stage"]))
    assert result.error is None and result.output != before_text, (result.error, result.skips)
    requires(sorted(set(base_images(before_text)) | set(base_images(result.output))))
    after_file = tmp_path / "Dockerfile.after"  # outside the context: the context stays as it is
    after_file.write_text(result.output)
    row: dict = {"app": app.name}
    for which, dockerfile in (("before", app / "Dockerfile"), ("after", after_file)):
        tag = TAG.format(app=app.name, which=which)
        outcome = builder.build(app, dockerfile, tag, timeout=BUILD_TIMEOUT, log_path=tmp_path / f"{which}.log")
        CREATED.append(tag)
        CREATED.extend(outcome.produced)
        row[f"{which}_seconds"] = round(outcome.seconds, 1)
        assert outcome.ok, f"{which} build failed: {outcome.error}\n" + outcome.log_path.read_text()[-4000:]
        row[f"{which}_bytes"] = builder.inspect(tag).size_bytes
        ok, out = smoke(builder, tag, spec)
        row[f"{which}_smoke"] = ok
        assert ok, f"{which} smoke test failed: expected {spec['expect']!r} in:\n{out}"
    row["cut"] = 1 - row["after_bytes"] / row["before_bytes"]
    RESULTS[app.name] = row
    assert row["after_bytes"] < row["before_bytes"]


def test_median_size_cut_is_at_least_70_percent():
    if len(RESULTS) < 3:
        pytest.skip(f"only {len(RESULTS)} apps built (run the whole module)")
    lines = [f"{'app':<28} {'before':>9} {'after':>9} {'cut':>6}  smoke  build s (before/after)"]
    for r in RESULTS.values():
        lines.append(f"{r['app']:<28} {r['before_bytes'] / 1e6:>7.0f}MB {r['after_bytes'] / 1e6:>7.0f}MB "
                     f"{r['cut'] * 100:>5.1f}%  {'ok' if r['before_smoke'] and r['after_smoke'] else 'FAIL':<5}  "
                     f"{r['before_seconds']}/{r['after_seconds']}")
    median = statistics.median(r["cut"] for r in RESULTS.values())
    lines.append(f"median cut {median * 100:.1f}% over {len(RESULTS)} apps")
    report = "\n".join(lines)
    print("\n" + report)
    out_dir = os.environ.get("DOCKWRIGHT_REPORT_DIR")
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "multi-stage-build.json").write_text(json.dumps(list(RESULTS.values()), indent=2) + "\n")
    assert median >= 0.70, report

"""multi-stage, proved with real builds: every sample app in corpus/multi-stage that has a
`smoke.json` is built before and after the split on the full stand-in base images, both images
pass the same smoke test (the app prints, or answers an in-container probe with, the expected
text), and the final images shrink: the median cut must reach 70%.

Builders: each app is built on one of buildah (`--pull=never --layers`, docker format) and docker
(BuildKit), alternating, so that every app is proved and both builders build half of them within
CI's time; DOCKWRIGHT_ALL_BUILDERS=1 builds every app on both (for the per-builder table).

Needs root and the stand-in images of .ci/setup-buildah.sh; skips cleanly otherwise (fails
instead when DOCKWRIGHT_REQUIRE_BUILD_TESTS=1). Apps marked `"slow": true` in smoke.json run
only with DOCKWRIGHT_SLOW_TESTS=1 or `-m slow`. The table of sizes is printed by the last test
(`pytest -s`) and written to $DOCKWRIGHT_REPORT_DIR/multi-stage-build.json when that is set."""
from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

import pytest

from conftest import ROOT, read_text_exact
from refactor.verify.builders import Builder
from refactor.engine.runner import make_selection, refactor_text
from refactor.syntax.parser import parse_dockerfile
from buildenv import builder_for, builders_under_test, exclusive, serve_and_probe

pytestmark = pytest.mark.build

CORPUS = ROOT / "corpus" / "multi-stage"
APPS = sorted(d for d in CORPUS.iterdir() if (d / "smoke.json").is_file())
BUILD_TIMEOUT = 420.0
TAG = "localhost/dockwright-multi-stage/{app}:{which}"
RESULTS: dict[tuple[str, str], dict] = {}
CREATED: dict[str, tuple[Builder, list[str], set[str]]] = {}  # builder -> (it, refs, cache before)


def cases() -> list[tuple[Path, str]]:
    names = builders_under_test()
    if os.environ.get("DOCKWRIGHT_ALL_BUILDERS") == "1":
        return [(app, b) for app in APPS for b in names]
    return [(app, names[i % len(names)]) for i, app in enumerate(APPS)]


def base_images(text: str) -> list[str]:
    df = parse_dockerfile(text)
    names = {s.name.lower() for s in df.stages if s.name}
    return sorted({s.base_image for s in df.stages if s.base_image.lower() not in names and s.base_image != "scratch"})


def slow_enabled(config) -> bool:
    return os.environ.get("DOCKWRIGHT_SLOW_TESTS") == "1" or "slow" in (config.getoption("-m") or "")


@pytest.fixture(scope="module", autouse=True)
def cleanup():
    """Afterwards: every image the module built (tags, then intermediates, children first) and,
    on docker, the BuildKit cache records that appeared meanwhile."""
    yield
    for builder, refs, cache_before in CREATED.values():
        with exclusive(builder):
            for ref in reversed(refs):
                builder.remove(ref)
            builder.remove_cache(builder.cache_ids() - cache_before)


def use(name: str, images: list[str]) -> Builder:
    builder = builder_for(name, images)
    if name not in CREATED:
        CREATED[name] = (builder, [], builder.cache_ids())
    return builder


def smoke(builder: Builder, ref: str, spec: dict) -> tuple[bool, str]:
    """Run the image as `docker run IMAGE` would (no network); with a probe, start it in the
    background and run the probe inside it until the expected text shows or 60 s pass."""
    expect = spec["expect"]
    if not spec.get("probe"):
        r = builder.run(ref, None, timeout=120)
        out = r.stdout + r.stderr
        return (r.ok and expect in out), out[-2000:]
    return serve_and_probe(builder, ref, spec["probe"], expect, seconds=60)


@pytest.mark.parametrize("app,builder_name", cases(), ids=[f"{a.name}-{b}" for a, b in cases()])
def test_split_builds_runs_and_shrinks(app: Path, builder_name: str, tmp_path, request):
    spec = json.loads((app / "smoke.json").read_text())
    if spec.get("slow") and not slow_enabled(request.config):
        pytest.skip("slow (set DOCKWRIGHT_SLOW_TESTS=1 or use -m slow)")
    before_text = read_text_exact(app / "Dockerfile")
    result = refactor_text(before_text, path=app / "Dockerfile", selection=make_selection(["multi-stage"]))
    assert result.error is None and result.output != before_text, (result.error, result.skips)
    builder = use(builder_name, sorted(set(base_images(before_text)) | set(base_images(result.output))))
    with exclusive(builder):  # other test runs on the same daemon wait, so cache checks stay exact
        build_and_smoke(app, builder_name, builder, spec, result.output, tmp_path)


def build_and_smoke(app: Path, builder_name: str, builder: Builder, spec: dict, after_text: str, tmp_path: Path) -> None:
    after_file = tmp_path / "Dockerfile.after"  # outside the context: the context stays as it is
    after_file.write_text(after_text)
    row: dict = {"app": app.name, "builder": builder_name}
    tag_format = TAG.replace("{app}", "{app}-" + builder_name)
    for which, dockerfile in (("before", app / "Dockerfile"), ("after", after_file)):
        tag = tag_format.format(app=app.name, which=which)
        outcome = builder.build(app, dockerfile, tag, timeout=BUILD_TIMEOUT, log_path=tmp_path / f"{which}.log")
        CREATED[builder_name][1].extend([*outcome.produced, tag])
        row[f"{which}_seconds"] = round(outcome.seconds, 1)
        assert outcome.ok, f"{which} build failed: {outcome.error}\n" + outcome.log_path.read_text()[-4000:]
        row[f"{which}_bytes"] = builder.inspect(tag).size_bytes
        ok, out = smoke(builder, tag, spec)
        row[f"{which}_smoke"] = ok
        assert ok, f"{which} smoke test failed: expected {spec['expect']!r} in:\n{out}"
    row["cut"] = 1 - row["after_bytes"] / row["before_bytes"]
    RESULTS[app.name, builder_name] = row
    assert row["after_bytes"] < row["before_bytes"]


def test_median_size_cut_is_at_least_70_percent():
    if len(RESULTS) < 3:
        pytest.skip(f"only {len(RESULTS)} apps built (run the whole module)")
    lines = [f"{'app':<28} {'builder':<8} {'before':>9} {'after':>9} {'cut':>6}  smoke  build s (before/after)"]
    for r in RESULTS.values():
        lines.append(f"{r['app']:<28} {r['builder']:<8} {r['before_bytes'] / 1e6:>7.0f}MB {r['after_bytes'] / 1e6:>7.0f}MB "
                     f"{r['cut'] * 100:>5.1f}%  {'ok' if r['before_smoke'] and r['after_smoke'] else 'FAIL':<5}  "
                     f"{r['before_seconds']}/{r['after_seconds']}")
    median = statistics.median(r["cut"] for r in RESULTS.values())
    lines.append(f"median cut {median * 100:.1f}% over {len(RESULTS)} builds")
    report = "\n".join(lines)
    print("\n" + report)
    out_dir = os.environ.get("DOCKWRIGHT_REPORT_DIR")
    if out_dir:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "multi-stage-build.json").write_text(json.dumps(list(RESULTS.values()), indent=2) + "\n")
    assert median >= 0.70, report

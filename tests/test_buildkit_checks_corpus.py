"""The BuildKit build-check codemods over the real Dockerfiles of the shared corpus (skipped when
it is absent): no errors, every output parses with BuildKit's parser, a second run changes
nothing, the findings of the rules they fix go down (dockwright's own detection, which follows
BuildKit's checks), hadolint reports fewer of the overlapping rules and no rule it did not report
before, and where BuildKit's and hadolint's rules overlap the two detections agree."""
from __future__ import annotations

import collections
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import read_text_exact, real_corpus, require_shared_corpus
from oracle import oracle_commands
from refactor import parse_dockerfile
from refactor.checks.findings import lint_dockerfile
from refactor.checks.rules import RULES
from refactor.engine.runner import make_selection, refactor_text

FIXERS = sorted({r.codemod for r in RULES.values() if r.codemod})
OVERLAP = ("DL4000", "DL3025", "DL3000", "DL3006", "DL3007", "DL3029", "DL4003", "DL4004", "DL3012")


@pytest.fixture(scope="module")
def results():
    require_shared_corpus()
    sel = make_selection(FIXERS)
    return [(p, refactor_text(read_text_exact(p), p, Path("/nonexistent-context"), sel)) for p in real_corpus()]


def _findings(text: str) -> collections.Counter:
    return collections.Counter(f.rule for f in lint_dockerfile(parse_dockerfile(text), include_fixable=True))


def test_no_errors_and_outputs_parse_with_buildkit(results):
    assert [r.error for _, r in results if r.error] == []
    assert not [s for _, r in results for s in r.skips if "internal error" in s.reason]
    assert sum(r.changed for _, r in results) >= 50
    for p, r in results:
        if r.changed:
            assert not isinstance(oracle_commands(r.output), tuple), p.name


def test_second_run_changes_nothing(results):
    sel = make_selection(FIXERS)
    for p, r in results:
        if r.changed:
            again = refactor_text(r.output, p, Path("/nonexistent-context"), sel)
            assert again.output == r.output and not again.edits, p.name


def test_fixed_rules_go_down_and_no_finding_appears(results):
    before, after = collections.Counter(), collections.Counter()
    for p, r in results:
        b, a = _findings(r.original), _findings(r.output)
        assert set(a) <= set(b), (p.name, set(a) - set(b))
        for rule in a:
            assert a[rule] <= b[rule], (p.name, rule)
        before.update(b)
        after.update(a)
    fixed = [name for name, rule in RULES.items() if rule.codemod]
    assert sum(before[r] for r in fixed) >= 100
    # What is left are the cases the codemods decline with a reason (mixed quoting, SHELL...).
    assert sum(after[r] for r in fixed) * 20 < sum(before[r] for r in fixed), {r: (before[r], after[r]) for r in fixed}


def _hadolint(paths: list[Path]) -> dict[str, list[dict]]:
    exe = shutil.which("hadolint") or str(Path(__file__).resolve().parent.parent / ".venv/bin/hadolint")
    out = subprocess.run([exe, "--no-fail", "--format", "json", *map(str, paths)],
                         capture_output=True, text=True, timeout=600)
    per_file: dict[str, list[dict]] = collections.defaultdict(list)
    for item in json.loads(out.stdout or "[]"):
        per_file[Path(item["file"]).name].append(item)
    return per_file


@pytest.fixture(scope="module")
def hadolint_runs(results, tmp_path_factory):
    changed = [(p, r) for p, r in results if r.changed]
    out_dir = tmp_path_factory.mktemp("after")
    outs = []
    for p, r in changed:
        q = out_dir / p.name
        q.write_bytes(r.output.encode("utf-8"))
        outs.append(q)
    everything = _hadolint([p for p, _ in results])
    return changed, everything, _hadolint(outs)


def test_hadolint_overlapping_rules_go_down_and_no_new_rule(hadolint_runs):
    changed, before, after = hadolint_runs
    totals_before, totals_after = collections.Counter(), collections.Counter()
    for p, _ in changed:
        b = collections.Counter(i["code"] for i in before[p.name])
        a = collections.Counter(i["code"] for i in after[p.name])
        assert set(a) <= set(b), (p.name, set(a) - set(b))
        for rule in OVERLAP:
            assert a[rule] <= b[rule], (p.name, rule)
        totals_before.update(b)
        totals_after.update(a)
    assert totals_after["DL4000"] < totals_before["DL4000"]
    assert totals_after["DL3025"] < totals_before["DL3025"]
    assert sum(totals_after[r] for r in OVERLAP) < sum(totals_before[r] for r in OVERLAP)


def test_detection_agrees_with_hadolint(results, hadolint_runs):
    """MAINTAINER (DL4000) line for line; a shell-form CMD/ENTRYPOINT BuildKit reports is one
    hadolint reports (DL3025); the first relative WORKDIR of a stage BuildKit reports is one
    hadolint reports (DL3000, which also reports every later one)."""
    _, before, _ = hadolint_runs
    pairs = {"MaintainerDeprecated": "DL4000", "JSONArgsRecommended": "DL3025", "WorkdirRelativePath": "DL3000"}
    for p, r in results:
        theirs = before[p.name]
        if any(i["code"] == "DL1000" for i in theirs):
            continue  # hadolint cannot parse the file: it reports nothing else
        ours = lint_dockerfile(parse_dockerfile(r.original), include_fixable=True)
        for rule, code in pairs.items():
            mine = {f.line for f in ours if f.rule == rule}
            hado = {i["line"] for i in theirs if i["code"] == code}
            if rule == "MaintainerDeprecated":
                assert mine == hado, (p.name, rule, mine, hado)
            else:
                assert mine <= hado, (p.name, rule, mine - hado)

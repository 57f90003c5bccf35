"""The package-manager cleanup codemods over the 298 real Dockerfiles: outputs parse with
BuildKit, comments and untouched instructions survive byte for byte, a second run changes
nothing, and hadolint reports no more of the rules they answer and no rule it did not report
before."""
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
from refactor.engine.runner import make_selection, refactor_text

CLEANUP = ["apt-cleanup", "apk-no-cache", "rpm-cleanup", "pip-no-cache", "node-cache-clean"]
RULES = ("DL3009", "DL3014", "DL3015", "DL3019", "DL3042", "DL3060")


@pytest.fixture(scope="module")
def results():
    require_shared_corpus()
    files = real_corpus()
    sel = make_selection(CLEANUP)
    # An empty context: these codemods never read it, and the real contexts are unknown.
    return [(p, refactor_text(read_text_exact(p), p, Path("/nonexistent-context"), sel)) for p in files]


def test_no_errors_and_a_real_share_changes(results):
    assert [r.error for _, r in results if r.error] == []
    assert not [s for _, r in results for s in r.skips if "internal error" in s.reason]
    changed = sum(r.changed for _, r in results)
    assert changed >= 100, changed


def test_outputs_parse_with_buildkit(results):
    for p, r in results:
        if r.changed:
            assert not isinstance(oracle_commands(r.output), tuple), p.name


def test_comments_kept(results):
    for p, r in results:
        if not r.changed:
            continue
        before = collections.Counter(l.strip() for l in r.original.splitlines() if l.strip().startswith("#"))
        after = collections.Counter(l.strip() for l in r.output.splitlines() if l.strip().startswith("#"))
        assert not (before - after), p.name


def test_untouched_instructions_byte_identical(results):
    for p, r in results:
        if not r.changed:
            continue
        edited_lines = {e.line for e in r.edits}
        out_codes = [i.code_without_leading for i in parse_dockerfile(r.output).instructions]
        out_text = r.output
        for inst in parse_dockerfile(r.original).instructions:
            if inst.start.line in edited_lines:
                continue
            code = inst.code_without_leading
            # An instruction may be absorbed into an edited neighbour (a lone `apt-get update`).
            assert code in out_codes or code.strip() in out_text, (p.name, inst.start.line)


def test_second_run_changes_nothing(results):
    sel = make_selection(CLEANUP)
    for p, r in results:
        if r.changed:
            again = refactor_text(r.output, p, Path("/nonexistent-context"), sel)
            assert again.output == r.output and not again.edits, p.name


def _hadolint(paths: list[Path]) -> dict[str, collections.Counter]:
    exe = shutil.which("hadolint") or str(Path(__file__).resolve().parent.parent / ".venv/bin/hadolint")
    out = subprocess.run([exe, "--no-fail", "--format", "json", *map(str, paths)],
                         capture_output=True, text=True, timeout=300)
    per_file: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for item in json.loads(out.stdout or "[]"):
        per_file[Path(item["file"]).name][item["code"]] += 1
    return per_file


def test_hadolint_fewer_findings_and_no_new_rules(results, tmp_path):
    changed = [(p, r) for p, r in results if r.changed]
    outs = []
    for p, r in changed:
        q = tmp_path / p.name
        q.write_bytes(r.output.encode("utf-8"))
        outs.append(q)
    before = _hadolint([p for p, _ in changed])
    after = _hadolint(outs)
    totals_before, totals_after = collections.Counter(), collections.Counter()
    for p, _ in changed:
        b, a = before[p.name], after[p.name]
        totals_before.update(b)
        totals_after.update(a)
        assert set(a) <= set(b), (p.name, set(a) - set(b))
        for rule in RULES:
            assert a[rule] <= b[rule], (p.name, rule)
    assert sum(totals_after[r] for r in RULES) < sum(totals_before[r] for r in RULES) / 4

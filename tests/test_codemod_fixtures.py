"""Before/after fixtures: `corpus/<codemod-id>/<case>.before.Dockerfile` with its
`<case>.after.Dockerfile` (none: the codemod must change nothing). Each case runs only its
codemod, must give the expected text exactly, and must be stable when run again."""
from __future__ import annotations

from pathlib import Path

import pytest

from oracle import oracle_commands
from refactor import parse_dockerfile
from refactor.codemods import by_id
from refactor.engine.runner import make_selection, refactor_text

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
CASES = sorted(
    p for d in CORPUS.iterdir() if d.is_dir() and d.name in by_id() for p in d.glob("*.before.Dockerfile")
)


def _read(p: Path) -> str:
    return p.read_bytes().decode("utf-8")


@pytest.mark.parametrize("before", CASES, ids=[f"{p.parent.name}/{p.name[:-len('.before.Dockerfile')]}" for p in CASES])
def test_fixture(before: Path):
    codemod = before.parent.name
    after = before.with_name(before.name.replace(".before.", ".after."))
    source = _read(before)
    selection = make_selection([codemod])
    result = refactor_text(source, before, before.parent, selection)
    assert result.error is None, result.error
    expected = _read(after) if after.exists() else source
    assert result.output == expected
    if after.exists():
        assert result.edits and all(e.codemod == codemod for e in result.edits)
        assert parse_dockerfile(result.output).code == result.output
        assert not isinstance(oracle_commands(result.output), tuple), "BuildKit cannot parse the output"
    again = refactor_text(result.output, before, before.parent, selection)
    assert again.output == result.output and not again.edits


def test_there_are_fixtures_for_each_cleanup_codemod():
    have = {p.parent.name for p in CASES}
    assert {"apt-cleanup", "apk-no-cache", "rpm-cleanup", "pip-no-cache", "node-cache-clean"} <= have

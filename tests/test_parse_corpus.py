"""Every real Dockerfile round-trips byte for byte and reads exactly as BuildKit reads it."""
from __future__ import annotations

import pytest

from conftest import read_text_exact, real_corpus, shared_params
from oracle import oracle_commands
from refactor import parse_dockerfile
from refactor.syntax.commands import buildkit_commands

FILES = real_corpus()


@pytest.mark.shared_corpus
def test_shared_corpus_is_present():
    assert len(FILES) == 298


@pytest.mark.shared_corpus
@pytest.mark.parametrize("path", shared_params(FILES))
def test_real_file_round_trips_and_matches_buildkit(path):
    text = read_text_exact(path)
    df = parse_dockerfile(text)
    assert df.code.encode("utf-8") == path.read_bytes()
    assert buildkit_commands(df) == oracle_commands(text)


@pytest.mark.shared_corpus
@pytest.mark.parametrize("path", shared_params(FILES))
def test_internal_reparse_equals_the_lalr_parse(path):
    # The engine re-parses its own output with `reparse_generated`; it must build the very
    # tree the LALR parser builds.
    from refactor.syntax.parser import reparse_generated

    text = read_text_exact(path)
    assert reparse_generated(text).deep_equals(parse_dockerfile(text))

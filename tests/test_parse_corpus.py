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
def test_direct_build_equals_the_lalr_parse(path):
    # parse_dockerfile builds the CST straight from the lexer's lines; it must build the very
    # tree grammar/dockerfile.lark's LALR parser builds, positions included.
    from refactor.syntax.lalr import parse_dockerfile_lalr

    text = read_text_exact(path)
    ours, reference = parse_dockerfile(text), parse_dockerfile_lalr(text)
    assert ours.deep_equals(reference)
    assert [(i.start, i.end_line) for i in ours.instructions] == [(i.start, i.end_line) for i in reference.instructions]

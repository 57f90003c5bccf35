"""The quick part of the fuzz campaign (tests/fuzz/): mutated fixtures, with the checks of the
long run. Every input round-trips or raises a clean ParseError and reads as BuildKit reads it
(documented differences aside); the engine, with all codemods or one, with and without a build
context, raises nothing, refuses nothing, swallows no internal error, and its output is read by
BuildKit, keeps comments, line ending and escape character, is idempotent and took under 2 s.

Hypothesis drives the generator's random choices, so a failure shrinks to a few mutations.
`DOCKWRIGHT_FUZZ_EXAMPLES` scales the number of examples (long runs: tests/fuzz/campaign.py).
"""
from __future__ import annotations

import os

import pytest
from fuzz.checks import check_engine, check_parse, failures
from fuzz.generate import Generator, codemod_ids, load_seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("DOCKWRIGHT_FUZZ_EXAMPLES", "120"))
# Fixtures only: the quick run must not depend on the shared corpus being present.
GEN = Generator(0, load_seeds(include_shared=False))

SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                    database=None)


def _explain(text: str, found) -> str:
    return f"{found}\ninput: {text[:600]!r}"


@SETTINGS
@given(st.randoms(use_true_random=False))
def test_mutated_inputs_parse_like_buildkit(rng):
    case = GEN.build(rng, heavy=False)
    found, _ = check_parse(case.text)
    assert not failures(found), _explain(case.text, found)


@SETTINGS
@given(st.randoms(use_true_random=False), st.sampled_from((None, *[(c,) for c in codemod_ids()])),
       st.booleans())
def test_engine_on_mutated_inputs(rng, select, with_context):
    case = GEN.build(rng, heavy=False)
    found, df = check_parse(case.text)
    if df is None:
        return
    context = (case.context or GEN.contexts[rng.randrange(len(GEN.contexts))]) if with_context else None
    found, _ = check_engine(case.text, select, context, df)
    assert not failures(found), _explain(case.text, found)


@settings(max_examples=max(3, EXAMPLES // 40), deadline=None, suppress_health_check=list(HealthCheck),
          database=None)
@given(st.randoms(use_true_random=False))
def test_engine_on_big_and_adversarial_inputs(rng):
    """10,000-line files, 100k-character logical lines, deep nesting, lines at BuildKit's limit."""
    from fuzz import generate as g

    mutate = rng.choice([g.m_big_file, g.m_long_logical, g.m_deep_nesting, g.m_long_line])
    text = mutate(rng, rng.choice(GEN.seeds).text)
    found, df = check_parse(text)
    assert not failures(found), _explain(text, found)
    if df is not None:
        found, _ = check_engine(text, None, None, df)
        assert not failures(found), _explain(text, found)


@pytest.mark.parametrize("index", range(8))
def test_campaign_inputs_are_reproducible(index):
    assert GEN.case(index).text == Generator(0, GEN.seeds).case(index).text

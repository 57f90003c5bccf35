"""The hand-written shell parser (refactor/shell/grammar.py) against its reference, Lark's LALR
parser of grammar/shell.lark (refactor/shell/lalr.py): the same tree for every token sequence the
grammar takes, and the same offending token for every one it does not (the place the error
recovery folds into an opaque unit)."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from refactor.shell import lalr
from refactor.shell import parse as shell_parse
from refactor.shell.grammar import ShellSyntaxError, parse_types

TYPES = ["WORD", "ASSIGNMENT", "IO_NUMBER", "REDIR", "AND_IF", "OR_IF", "PIPE", "PIPE_AMP",
         "SEMI", "AMP", "NEWLINE", "BANG", "OPAQUE", "BAD"]
ROOT = Path(__file__).resolve().parent.parent


def shape(node, types: list[str]):
    """The tree as nested tuples, a token as (type, index): the hand-written parser's tokens are
    their indices, Lark's are tokens."""
    if hasattr(node, "data"):
        return (str(node.data), tuple(shape(c, types) for c in node.children))
    if type(node) is int:
        return (types[node], node)
    return (str(node.type), node.start_pos)


def outcome(parse, types: list[str]):
    try:
        return shape(parse(types), types)
    except ShellSyntaxError as exc:
        return ("error", exc.index)


def test_the_grammar_file_is_the_reference() -> None:
    assert lalr.grammar_text() == (ROOT / "grammar" / "shell.lark").read_text(encoding="utf-8")


def test_every_sequence_up_to_four_tokens() -> None:
    """Exhaustive over the 14 token types: 41,371 sequences, each parsed or rejected at the same
    token by both parsers."""
    checked = errors = 0
    for n in range(0, 5):
        for seq in itertools.product(TYPES, repeat=n):
            types = list(seq)
            mine = outcome(parse_types, types)
            assert mine == outcome(lalr.parse_types, types), types
            checked += 1
            errors += mine[0] == "error"
    assert checked == sum(14 ** n for n in range(5))
    assert 0 < errors < checked


def test_lark_tree_in_index_form() -> None:
    """The form the CST builder reads Lark's tree in (tokens as indices) keeps its shape."""
    for n in range(0, 4):
        for seq in itertools.product(TYPES, repeat=n):
            types = list(seq)
            assert outcome(lalr.parse_types_indexed, types) == outcome(lalr.parse_types, types), types


# sequences that look like scripts: mostly words and operators, a few of everything else
_LIKELY = st.sampled_from(["WORD"] * 6 + ["ASSIGNMENT", "IO_NUMBER", "REDIR", "REDIR", "AND_IF",
                           "AND_IF", "OR_IF", "PIPE", "PIPE_AMP", "SEMI", "AMP", "NEWLINE",
                           "NEWLINE", "BANG", "OPAQUE", "BAD"])


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LIKELY, max_size=40))
def test_generated_sequences(types: list[str]) -> None:
    assert outcome(parse_types, types) == outcome(lalr.parse_types, types)


def _scripts(bodies) -> int:
    """parse_shell with the hand-written parser and with the reference gives the same CST."""
    count = 0
    for body, escape in bodies:
        mine = shell_parse._parse(body, escape)
        original = shell_parse.parse_types
        shell_parse.parse_types = lalr.parse_types_indexed
        try:
            reference = shell_parse._parse(body, escape)
        finally:
            shell_parse.parse_types = original
        assert mine == reference, body[:200]
        count += 1
    return count


def test_corpus_run_bodies_parse_alike() -> None:
    """Every shell-form RUN body of the fixtures, sample apps and fuzz regressions (and of the
    shared corpus when it is present) gives the same CST with either parser."""
    from test_shell import _escape_of, run_bodies

    from conftest import SHARED_REAL

    roots = [ROOT / "corpus"] + ([SHARED_REAL] if SHARED_REAL.is_dir() else [])
    bodies = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if not path.is_file() or "Dockerfile" not in path.name and path.parent.name != "real":
                continue
            if path.name == "MANIFEST.tsv":
                continue
            text = path.read_bytes().decode("utf-8", errors="surrogateescape")
            escape = _escape_of(text)
            bodies.extend((b, escape) for b in run_bodies(text, escape))
    assert _scripts(bodies) > 1000


def test_error_recovery_alike() -> None:
    """Scripts the grammar rejects fold into opaque units at the same places."""
    cases = ["a && && b", "a ;; b", "x | ! y", "( a ) b", "a > ; b", "f() { x; }; y",
             "a && \n\n b || ! c | d", "2> a b", "! ! a", "a; ; b", "case x in a) y;; esac z",
             "{ { { a } } }", "x=1 y=2 cmd >o <i 2>&1 | z &", "a &\n&& b"]
    assert _scripts([(c, "\\") for c in cases]) == len(cases)


def test_a_run_does_not_import_lark() -> None:
    import subprocess
    import sys

    code = ("import sys; from refactor.shell import parse_shell; "
            "parse_shell('if a; then b; fi && c | d > e'); print('lark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    assert out.stdout.strip() == "False"


def test_fast_node_constructors_make_the_dataclass_nodes() -> None:
    from refactor.shell.parse import _new_part, _new_word
    from refactor.shell.words import Word, WordPart

    inner = (WordPart("literal", "a", "a", (), span=(1, 2)),)
    a = WordPart("double_quoted", '"a"', '"a"', inner, span=(0, 3))
    b = _new_part("double_quoted", '"a"', '"a"', inner, (0, 3))
    assert (a, hash(a), repr(a), a.span) == (b, hash(b), repr(b), b.span)
    w, v = Word(" ", (a,), span=(0, 3)), _new_word(" ", (b,), (0, 3))
    assert (w, repr(w), w.span, w.value, w.code) == (v, repr(v), v.span, v.value, v.code)
    assert v._memo is not _new_word(" ", (b,), (0, 3))._memo  # one memo per node

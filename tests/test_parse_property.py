"""Property: for generated Dockerfile-like text, either we round-trip it byte for byte and read
it exactly as BuildKit does, or we raise a clean ParseError exactly when BuildKit rejects it."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracle import oracle_commands
from refactor import ParseError, parse_dockerfile
from refactor.syntax.commands import buildkit_commands

EXAMPLES = int(os.environ.get("DOCKWRIGHT_PROPERTY_EXAMPLES", "1500"))

keywords = st.sampled_from([
    "FROM", "RUN", "run", "Run", "COPY", "ADD", "ENV", "LABEL", "ARG", "CMD", "ENTRYPOINT",
    "SHELL", "EXPOSE", "WORKDIR", "USER", "VOLUME", "HEALTHCHECK", "ONBUILD", "onbuild RUN",
    "MAINTAINER", "STOPSIGNAL", "FROBNICATE", "",
])
words = st.sampled_from([
    "a", "b=c", 'x="y z"', "'q r'", '"s"', "--mount=type=cache,target=/x", "--from=a",
    '--chown="a b"', "--", "-x", "[\"a\",\"b\"]", "['a']", '["a", 1]', "[]", "$X", "${X:-y}",
    "${X", "\\\\", "\\", "`", "#", "é", "中", "\t", "  ", "=", "AS", "CMD", "NONE", "&&",
    "echo", "k v", "\"<<NO\"", "cat<<EOF", "\\<<EOF", "<<$X", "<<E\\OF", "<<\"E O F\"",
])
markers = st.sampled_from(["<<EOF", "<<-EOF", "3<<EOF", "<<'EOF'", '<<"EOF"', "<<END", "<<-END"])
continuations = st.sampled_from(["\\\n", "\\ \n", "\\\t\n", "`\n", "\\\r\n", "\\\n  # c\n", "\\\n\n"])
newlines = st.sampled_from(["\n", "\n", "\n", "\r\n"])
spaces = st.sampled_from([" ", " ", "  ", "\t"])
fragment = st.one_of(words, words, markers, continuations, spaces)


@st.composite
def instruction(draw):
    parts = draw(st.lists(fragment, max_size=6))
    text = draw(keywords)
    for p in parts:
        text += draw(spaces) + p
    text += draw(newlines)
    # Heredoc bodies: lines, possibly a terminator (tab-indented for <<-).
    for _ in range(text.count("<<")):
        body = draw(st.lists(st.sampled_from(["x\n", "  y\r\n", "\n", "# not a comment\n"]), max_size=3))
        term = draw(st.sampled_from(["EOF\n", "\tEOF\n", "END\n", "\tEND\r\n", "E O F\n", "$X\n", ""]))
        text += "".join(body) + term
    return text


trivia = st.sampled_from([
    "# comment\n", "\n", "   \n", "# escape=`\n", "#\n", "  # indented\n", "\t\n", "\r\n",
])
header = st.lists(
    st.sampled_from(["# escape=`\n", "# escape=\\\n", "# syntax=x\n", "#escape = `\n", "# foo=bar\n"]),
    max_size=2,
)
tails = st.sampled_from(["", "RUN x", "RUN a \\", "EOF", "# c"])


@st.composite
def dockerfile_text(draw):
    text = draw(st.sampled_from(["", "", "\ufeff"])) + "".join(draw(header))
    for item in draw(st.lists(st.one_of(instruction(), instruction(), trivia), max_size=8)):
        text += item
    return text + draw(tails)


def _lalr(text: str):
    """The grammar's LALR parse: the tree, or the error as (message, line, column)."""
    from refactor.syntax.lalr import parse_dockerfile_lalr

    try:
        return parse_dockerfile_lalr(text)
    except ParseError as e:
        return (e.message, e.line, e.column)


def check(text: str) -> None:
    theirs = oracle_commands(text)
    reference = _lalr(text)
    try:
        df = parse_dockerfile(text)
    except ParseError as e:
        assert isinstance(theirs, tuple), f"we reject what BuildKit accepts: {e.message}"
        assert e.line >= 1 and e.column >= 1
        assert reference == (e.message, e.line, e.column), "the LALR parser disagrees"
        return
    assert df.code == text
    # The direct builder makes the very tree the grammar's LALR parser makes, positions included.
    assert not isinstance(reference, tuple), f"the LALR parser rejects it: {reference}"
    assert reference.deep_equals(df)
    assert [(i.start, i.end_line) for i in reference.instructions] == [(i.start, i.end_line) for i in df.instructions]
    assert not isinstance(theirs, tuple), f"BuildKit rejects this: {theirs[1]}"
    assert buildkit_commands(df) == theirs


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(dockerfile_text())
def test_generated_dockerfiles_match_buildkit(text):
    check(text)


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(alphabet=st.sampled_from(list("RUNFROM \t\n\r\\`#<>-=\"'[],$:{}EOFx")), max_size=60))
def test_arbitrary_text_matches_buildkit(text):
    check(text)


def test_deep_equals_of_instructions_and_leaves_is_the_generic_comparison():
    # Instruction, Piece and the line nodes write Node.deep_equals out (the engine's read-back
    # compares every node of each output): the same answer for a change in any compared field.
    from refactor.syntax.nodes import BlankLine, Comment, HeredocBody, Node, Piece

    df = parse_dockerfile("# c\n\nRUN a \\\n  # in\n  b\nCOPY <<EOF /x\nbody\nEOF\n")
    run, copy = df.instructions
    variants = [
        run, run.with_changes(start=None, end_line=9),  # positions are not compared
        run.with_changes(indent=" "), run.with_changes(newline="\r\n"), run.with_changes(escape="`"),
        run.with_changes(leading=run.leading[:1]), run.with_changes(leading=(Comment("# d"), BlankLine())),
        run.with_changes(leading=(BlankLine(), run.leading[1])),
        run.with_changes(pieces=run.pieces[:-1]), run.with_changes(pieces=(Piece("ARG", "RUN"), *run.pieces[1:])),
        run.with_changes(pieces=(Piece("KEYWORD", "Run"), *run.pieces[1:])),
        copy, copy.with_changes(heredocs=()), copy.with_changes(heredocs=(HeredocBody(("body\n",), "EOF", "\r\n"),)),
    ]
    for a in (run, copy):
        for b in variants:
            assert a.deep_equals(b) == Node.deep_equals(a, b)
            assert a.deep_equals(b) == (b in (a, variants[1]) if a is run else b is a)
    for a, b, same in [(Comment("# x"), BlankLine("# x"), False), (Comment("# x", "\n"), Comment("# x", "\r\n"), False),
                       (Comment("# x"), Comment("# x"), True), (Piece("ARG", "a"), Piece("WS", "a"), False),
                       (Piece("ARG", "a"), Piece("ARG", "b"), False), (Piece("ARG", "a"), Piece("ARG", "a"), True)]:
        assert a.deep_equals(b) == Node.deep_equals(a, b) == same


def test_a_files_text_is_kept_per_tree_and_an_edited_tree_prints_its_own():
    df = parse_dockerfile("FROM alpine\nRUN echo a\n")
    assert df.code == "FROM alpine\nRUN echo a\n" and df.code is df.code  # printed once
    shorter = df.with_changes(instructions=df.instructions[:1])
    assert shorter.code == "FROM alpine\n" and df.code == "FROM alpine\nRUN echo a\n"


def test_an_instructions_cmd_is_that_of_its_own_text_however_it_was_made():
    # `cmd` is a slot the parser fills and __post_init__ computes (not a property of the text):
    # an edit of the keyword, a node made directly and a pickled one each read their own text.
    import pickle

    from refactor.syntax.nodes import Instruction, Piece

    run = parse_dockerfile("run a\n").instructions[0]
    copy = run.with_changes(pieces=(Piece("KEYWORD", "Copy"), *run.pieces[1:]))
    made = Instruction((), "", (Piece("KEYWORD", "onbuild"), Piece("WS", " "), Piece("ARG", "RUN x")), "\n")
    blank = Instruction((), "", (), "\n")
    assert (run.cmd, copy.cmd, made.cmd, blank.cmd) == ("RUN", "COPY", "ONBUILD", "")
    assert [pickle.loads(pickle.dumps(i)).cmd for i in (run, copy)] == ["RUN", "COPY"]
    assert all(i.cmd == i.keyword.upper() for i in (run, copy, made, blank))

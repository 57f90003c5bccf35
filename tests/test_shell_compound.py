"""Compound commands in the shell CST: `if`/`elif`/`else`, `for`/`while`/`until`/`select`
loops, `case`, `{ …; }` groups, `( … )` subshells and function definitions are cut into their
keywords and bodies, losslessly; the commands inside are reachable (`walk_units`,
`all_commands`) and editable through the whole script's edit API; what cannot be cut stays one
opaque unit, as before."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refactor.shell import parse_shell
from refactor.shell.commands import Compound, Opaque


def only_unit(text: str):
    script = parse_shell(text)
    assert script.code == text
    (unit,) = script.units()
    return script, unit


@pytest.mark.parametrize(
    "text, kind, keywords, bodies",
    [
        ("if [ -f x ]; then a; fi", "if", ["if", "then", "fi"], [" [ -f x ]; ", " a; "]),
        ("if a; then b; elif c; then d; else e; fi", "if", ["if", "then", "elif", "then", "else", "fi"],
         [" a; ", " b; ", " c; ", " d; ", " e; "]),
        ("for p in a b; do pip install $p; done", "for", ["for", " p in a b; ", "do", "done"], [" pip install $p; "]),
        ("while read l; do echo $l; done < list", "while", ["while", "do", "done", " < list"], [" read l; ", " echo $l; "]),
        ("until false\ndo\n  x\ndone", "until", ["until", "do", "done"], [" false\n", "\n  x\n"]),
        ("select o in a b; do break; done", "select", ["select", " o in a b; ", "do", "done"], [" break; "]),
        ("case $x in\n a|b) one ;;\n (c) two;;\n *) three\nesac", "case",
         ["case", " $x in", "\n a|b)", ";;", "\n (c)", ";;", "\n *)", "esac"], [" one ", " two", " three\n"]),
        ("{ a; b; }", "group", ["{", "}"], [" a; b; "]),
        ("(cd x && make)", "subshell", ["(", ")"], ["cd x && make"]),
        ("f() { echo hi; }", "function", ["f()"], [" { echo hi; }"]),
        ("function g { echo; }", "function", ["function g"], [" { echo; }"]),
        ("! { ldd x | grep y; }", "group", ["! ", "{", "}"], [" ldd x | grep y; "]),
    ],
)
def test_each_form_is_cut_into_keywords_and_bodies(text, kind, keywords, bodies):
    _, unit = only_unit(text)
    assert type(unit) is Compound and unit.kind == kind
    assert list(unit.keywords) == keywords
    assert [b.code for b in unit.bodies] == bodies
    assert "".join(p.code for p in unit.parts) == unit.raw


def test_continuations_and_comments_inside_a_body_are_kept():
    text = "if true; then \\\n  apt-get install \\\n   # a comment\n   foo; \\\nfi"
    script, unit = only_unit(text)
    (install,) = [c for c in script.all_commands() if c.name == "apt-get"]
    assert install.subcommand().value == "install"
    assert [w.value for w in install.args_without_flags()] == ["install", "foo"]


def test_nested_commands_are_reachable_and_editable_in_place():
    text = "apt-get update && if [ x ]; then for p in a b; do apt-get install $p; done; fi && echo ok"
    script = parse_shell(text)
    names = [c.name for c in script.all_commands()]
    assert names == ["apt-get", "[", "apt-get", "echo"]
    assert [c.name for c in script.commands()] == ["apt-get", "echo"]  # the top level only
    install = script.all_commands()[2]
    assert [c.kind for c in script.compounds_around(install)] == ["if", "for"]
    assert script.compounds_around(script.commands()[0]) == ()
    edited = script.insert_after(install.subcommand(), "-y")
    assert edited.code == text.replace("install $p", "install -y $p")
    assert edited.all_commands()[2].has_flag("-y")


def test_what_cannot_be_cut_stays_opaque():
    for text, reason in [
        ("[[ $a == b ]]", "[["),
        ("(( i++ ))", "arith"),
        ("if a; then b", "if"),  # unterminated
        ("for i do echo $i; done", "for"),  # no `in` and no separator: not cut
        ("cat <<EOF\nx\nEOF", "heredoc"),
    ]:
        script = parse_shell(text)
        assert script.code == text
        assert [type(u) for u in script.units()] == [Opaque]
        assert script.units()[0].reason == reason
        assert script.unmodelled() == script.units()


def test_a_compound_is_still_opaque_to_code_that_does_not_look_inside():
    script = parse_shell("if a; then apt-get install x; fi")
    assert script.has_opaque and isinstance(script.units()[0], Opaque)
    assert script.commands() == ()
    assert script.unmodelled() == ()


def test_deep_nesting_is_bounded():
    depth = 400
    text = "if a; then " * depth + "b" + "; fi" * depth
    started = time.process_time()
    script = parse_shell(text)
    assert script.code == text
    assert time.process_time() - started < 30  # a hang, not a speed target (benchmarks/ has those)
    unit = script.units()[0]
    assert type(unit) is Compound
    assert script.unmodelled()  # below the depth limit the rest stays one opaque unit


_SIMPLE = st.sampled_from(["a", "echo $x", "apt-get install -y curl", "rm -rf /tmp/*", "x=1 y", "cd /app", "true"])


def _compound(inner):
    return st.one_of(
        st.builds(lambda c, b: f"if {c}; then {b}; fi", inner, inner),
        st.builds(lambda c, b, e: f"if {c}; then\n  {b}\nelse {e}; fi", inner, inner, inner),
        st.builds(lambda b: f"for i in 1 2; do {b}; done", inner),
        st.builds(lambda c, b: f"while {c}; do {b}; done", inner, inner),
        st.builds(lambda b: f"{{ {b}; }}", inner),
        st.builds(lambda b: f"({b})", inner),
        st.builds(lambda b, c: f"case $v in a) {b};; *) {c};; esac", inner, inner),
    )


_SCRIPT = st.recursive(_SIMPLE, lambda inner: st.one_of(
    _compound(inner),
    st.builds(lambda a, b, op: f"{a}{op}{b}", inner, inner, st.sampled_from([" && ", " || ", "; ", " | ", " \\\n  && "])),
), max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_SCRIPT)
def test_generated_compound_scripts_round_trip_and_reach_every_command(text):
    script = parse_shell(text)
    assert script.code == text
    for unit in script.walk_units():
        assert text[unit.span[0]:unit.span[1]] == unit.raw
        if type(unit) is Compound:
            assert "".join(p.code for p in unit.parts) == unit.raw
    # every simple command of the generator is found at some depth
    for needle in ("apt-get install -y curl", "rm -rf /tmp/*"):
        expected = text.count(needle)
        found = sum(1 for c in script.all_commands() if c.raw == needle)
        assert found == expected or script.unmodelled()

"""One fixture per edge case of the field notes (corpus/parse): round trip and BuildKit parity,
or, for `error-*` fixtures, a ParseError exactly where BuildKit also rejects the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from oracle import oracle_commands
from refactor import ParseError, parse_dockerfile
from refactor.syntax.commands import buildkit_commands

FIXTURES = sorted((Path(__file__).resolve().parent.parent / "corpus" / "parse").glob("*.Dockerfile"))


def _read(p: Path) -> str:
    return p.read_bytes().decode("utf-8")


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_fixture(path):
    text = _read(path)
    theirs = oracle_commands(text)
    if path.stem.startswith("error-"):
        assert isinstance(theirs, tuple), "BuildKit accepts this file; it is no error fixture"
        with pytest.raises(ParseError) as e:
            parse_dockerfile(text)
        assert e.value.line >= 1 and e.value.column >= 1
        assert e.value.message == theirs[1].split(": ", 1)[-1] or e.value.message in theirs[1]
        return
    df = parse_dockerfile(text)
    assert df.code == text
    assert buildkit_commands(df) == theirs


def test_fixtures_cover_the_field_notes():
    names = {p.stem for p in FIXTURES}
    for needed in [
        "directives-syntax-escape-check", "directive-after-comment-is-comment", "backtick-escape",
        "continuation-comments-and-blanks", "trailing-space-after-escape", "eof-inside-continuation",
        "heredoc-basic", "heredoc-chomp", "heredoc-quoted", "heredoc-several", "heredoc-fd",
        "heredoc-after-flags", "heredoc-after-continuation", "heredoc-command-after-marker",
        "heredoc-quoted-marker-is-not", "exec-and-shell-form", "invalid-json-is-shell-form",
        "flags", "flag-then-continuation", "onbuild", "env-legacy-and-equals",
        "case-insensitive-keywords", "unknown-instruction", "crlf", "bom", "tabs",
        "no-final-newline", "error-unterminated-heredoc", "error-invalid-escape",
        "error-repeated-escape", "error-no-instructions",
    ]:
        assert needed in names


def test_escape_directive_switches_continuation_char():
    df = parse_dockerfile(_read(FIXTURES[0].parent / "backtick-escape.Dockerfile"))
    assert df.escape == "`"
    copy = df.instructions[1]
    assert copy.value == ("C:\\app", "C:\\app")  # a backslash is literal under `escape=``
    assert df.instructions[2].value == ("powershell -Command     Write-Host hi;     Write-Host bye",)


def test_check_directive_is_a_directive():
    # Current BuildKit knows `check`; the oracle (BuildKit 0.12) predates it, so this is ours only.
    df = parse_dockerfile("# check=skip=all\n# escape=`\nFROM x\nRUN a `\n  b\n")
    assert [d.key for d in df.directives] == ["check", "escape"]
    assert df.instructions[1].value == ("a   b",)


def test_semantic_view():
    text = (
        "# syntax=docker/dockerfile:1\n"
        "ARG V=1\n"
        "FROM --platform=linux/amd64 python:3.11 AS Build\n"
        "# installs things\n"
        "RUN --mount=type=cache,target=/root/.cache pip install x\n"
        "FROM scratch\n"
        "COPY --from=Build /app /app\n"
        "CMD [\"/app\"]\n"
    )
    df = parse_dockerfile(text)
    assert [(d.key, d.value) for d in df.directives] == [("syntax", "docker/dockerfile:1")]
    s0, s1 = df.stages
    assert (s0.base_image, s0.name, s0.platform) == ("python:3.11", "Build", "linux/amd64")
    assert (s1.base_image, s1.name, s1.platform) == ("scratch", None, None)
    run = s0.instructions[1]
    assert run.cmd == "RUN" and run.form == "shell"
    assert run.flag_value("mount") == "type=cache,target=/root/.cache"
    assert run.comments == ("installs things",)
    assert run.start is not None and run.start.line == 5
    cmd = s1.instructions[-1]
    assert cmd.form == "exec" and cmd.value == ("/app",)

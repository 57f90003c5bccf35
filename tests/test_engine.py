"""The engine's guarantees, with small test codemods that behave well or badly on purpose."""
from __future__ import annotations

from pathlib import Path

import pytest

from refactor.codemods.base import Codemod, Context, Safety
from refactor.syntax.edit import new_instruction, remove_instruction, replace_instruction, with_body
from refactor.engine.runner import Selection, make_selection, refactor_text
from refactor.syntax.nodes import Dockerfile


class Shout(Codemod):
    """Upper-cases `echo` arguments in RUN: a well-behaved, idempotent codemod."""

    id = "shout"
    summary = "shout"
    rationale = "test"
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        for inst in df.instructions:
            if inst.cmd == "RUN" and inst.args.startswith("echo ") and inst.args != inst.args.upper():
                from refactor.syntax.pragmas import is_ignored

                if is_ignored(inst, self.id):
                    ctx.skip(self, "ignored", inst)
                    continue
                new = with_body(inst, inst.args.upper())
                df = replace_instruction(df, inst, new)
                ctx.edit(self, inst, "upper-cased")
        return df


class Sneaky(Shout):
    """Changes an instruction without saying so."""

    id = "sneaky"

    def transform(self, df, ctx):
        first = df.instructions[0]
        if first.args == "other":
            return df
        df = replace_instruction(df, first, new_instruction("FROM other", df))
        last = df.instructions[-1]
        df = replace_instruction(df, last, new_instruction("RUN changed", df))
        ctx.edit(self, last, "changed the last one")
        return df


class DropsComments(Shout):
    """Drops every comment above an instruction (all at once: idempotent, but loses comments)."""

    id = "drops-comments"

    def transform(self, df, ctx):
        for inst in df.instructions:
            if inst.leading:
                ctx.edit(self, inst, "dropped comments")
                df = replace_instruction(df, inst, inst.with_changes(leading=()))
        return df


class Flipper(Shout):
    """Never converges: adds a line every run."""

    id = "flipper"

    def transform(self, df, ctx):
        last = df.instructions[-1]
        ctx.edit(self, last, "appended")
        return df.with_changes(instructions=df.instructions + (new_instruction("RUN again", df),))


class Adder(Shout):
    """Adds `RUN added` at the end when it is missing: idempotent on its own."""

    id = "adder"

    def transform(self, df, ctx):
        if df.instructions[-1].args == "added":
            return df
        ctx.edit(self, df.instructions[-1], "added")
        return df.with_changes(instructions=df.instructions + (new_instruction("RUN added", df),))


class Undoer(Shout):
    """Removes a trailing `RUN added`: idempotent on its own, but undoes Adder."""

    id = "undoer"

    def transform(self, df, ctx):
        last = df.instructions[-1]
        if last.args != "added":
            return df
        ctx.edit(self, last, "removed")
        return remove_instruction(df, last)


class Remover(Shout):
    id = "remover"

    def transform(self, df, ctx):
        for inst in df.instructions:
            if inst.cmd == "MAINTAINER":
                ctx.edit(self, inst, "removed MAINTAINER")
                return remove_instruction(df, inst)
        return df


class Risky(Shout):
    id = "risky"
    safety = Safety.SAFE

    def transform(self, df, ctx):
        for inst in df.instructions:
            if inst.cmd == "RUN" and "risky" not in inst.args:
                ctx.edit(self, inst, "risky", safety=Safety.UNSAFE)
                df = replace_instruction(df, inst, with_body(inst, inst.args + " risky"))
        return df


def sel(*codemods, safe_only=False, explicit=()):
    return Selection(tuple(codemods), frozenset(explicit), safe_only)


SRC = "FROM debian\n# say hi\nRUN echo hi \\\n    there\n# keep me\nRUN true\n"


def test_good_codemod_edits_and_everything_else_stays():
    r = refactor_text(SRC, Path("Dockerfile"), None, sel(Shout()))
    assert r.error is None
    assert r.output == "FROM debian\n# say hi\nRUN ECHO HI     THERE\n# keep me\nRUN true\n"
    assert [e.codemod for e in r.edits] == ["shout"]
    assert r.edits[0].line == 3


def test_no_change_returns_input_unchanged():
    r = refactor_text("FROM x\nRUN true\n", Path("Dockerfile"), None, sel(Shout()))
    assert not r.changed and r.output == r.original and not r.edits


def test_unclaimed_change_is_refused():
    r = refactor_text(SRC, Path("Dockerfile"), None, sel(Sneaky()))
    assert r.error and "no codemod claimed" in r.error
    assert r.error.startswith("Dockerfile:1:1:")  # the FROM it changed
    assert r.output == SRC


def test_lost_comment_is_refused():
    r = refactor_text(SRC, Path("Dockerfile"), None, sel(DropsComments()))
    assert r.error and "comment would be lost" in r.error
    assert r.error.startswith("Dockerfile:2:1:")  # the line of the lost comment


def test_codemod_that_changes_its_own_output_is_dropped_not_the_file():
    r = refactor_text(SRC, Path("Dockerfile"), None, sel(Flipper(), Shout()))
    assert r.error is None
    assert r.output == "FROM debian\n# say hi\nRUN ECHO HI     THERE\n# keep me\nRUN true\n"
    [skip] = [s for s in r.skips if s.codemod == "flipper"]
    assert "not idempotent" in skip.reason and skip.line == 6
    assert [e.codemod for e in r.edits] == ["shout"]


def test_codemods_undoing_each_other_are_refused_at_the_round_limit():
    r = refactor_text(SRC, Path("Dockerfile"), None, sel(Adder(), Undoer()))
    assert r.error and "fixed point" in r.error and "adder" in r.error
    assert r.error.startswith("Dockerfile:6:1: refused:")
    assert r.output == SRC


def test_removed_instruction_keeps_its_comments():
    r = refactor_text("FROM x\n# who\nMAINTAINER me\nRUN true\n", Path("D"), None, sel(Remover()))
    assert r.output == "FROM x\n# who\nRUN true\n"


def test_pragma_protects_an_instruction():
    src = "FROM x\n# dockwright: ignore[shout]\nRUN echo a\nRUN echo b\n"
    r = refactor_text(src, Path("D"), None, sel(Shout()))
    assert r.output == "FROM x\n# dockwright: ignore[shout]\nRUN echo a\nRUN ECHO B\n"
    src_all = "FROM x\n# dockwright: ignore\nRUN echo a\n"
    assert not refactor_text(src_all, Path("D"), None, sel(Shout())).changed


def test_pragma_is_enforced_even_if_a_codemod_forgets():
    class Careless(Shout):
        id = "careless"

        def transform(self, df, ctx):
            inst = df.instructions[1]
            if "x" in inst.args:
                return df
            ctx.edit(self, inst, "x")
            return replace_instruction(df, inst, with_body(inst, inst.args + " x"))

    src = "FROM x\n# dockwright: ignore[careless]\nRUN echo a\n"
    r = refactor_text(src, Path("D"), None, sel(Careless()))
    assert not r.changed
    assert any("dockwright: ignore" in s.reason for s in r.skips)


def test_skip_file_pragma():
    r = refactor_text("# dockwright: skip-file\nFROM x\nRUN echo a\n", Path("D"), None, sel(Shout()))
    assert not r.changed and r.skips
    r = refactor_text("FROM x\n\n# dockwright: skip-file\nRUN echo a\n", Path("D"), None, sel(Shout()))
    assert not r.changed and [s.line for s in r.skips] == [3]


def test_unsafe_edit_needs_consent():
    r = refactor_text(SRC, Path("D"), None, sel(Risky(), safe_only=True))
    assert not r.changed
    assert any("unsafe" in s.reason for s in r.skips)
    r = refactor_text(SRC, Path("D"), None, sel(Risky(), safe_only=True, explicit=("risky",)))
    assert r.changed and r.edits[0].safety is Safety.UNSAFE


def test_parse_error_is_reported_not_raised():
    r = refactor_text("FROM x\nENV A\n", Path("Dockerfile"), None, sel(Shout()))
    assert r.error == "Dockerfile:2:1: ENV must have two arguments"
    assert r.output == r.original


def test_selection_rejects_unknown_ids():
    with pytest.raises(ValueError, match="unknown codemod"):
        make_selection(["no-such-codemod"])


def test_every_codemod_reaches_its_own_fixed_point_on_loops_it_cannot_follow():
    # `done done` is valid shell the parser keeps opaque: appending the list cleanup after it
    # would be read as part of the loop, and added again on every run.
    src = ("FROM debian\nRUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates"
           " && for a in 1; do for b in 2; do echo; done done\n")
    r = refactor_text(src, Path("Dockerfile"), None, make_selection())
    assert r.error is None and not r.changed
    [skip] = [s for s in r.skips if s.codemod == "apt-cleanup"]
    assert "does not follow" in skip.reason and skip.line == 2
    loops = (Path(__file__).resolve().parent.parent / "corpus" / "samples" / "apt-nested-loops" / "Dockerfile").read_text()
    r = refactor_text(loops, Path("Dockerfile"), None, make_selection(["apt-cleanup"]))
    assert r.error is None and r.output.count("rm -rf /var/lib/apt/lists/*") == 1


def test_no_reported_line_is_zero():
    src = "FROM python:3.12\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"app.py\"]\n"
    r = refactor_text(src, Path("Dockerfile"), None, make_selection())
    assert r.skips and all(s.line > 0 for s in r.skips)
    assert all(e.line > 0 for e in r.edits)


@pytest.mark.parametrize("src, line", [
    ('FROM alpine:3.20\nRUN mkdir /data && \\\n{% if base == "alpine" %}\n    apk --no-cache add curl && \\\n{% endif %}\n    echo done\n', 3),
    ('FROM php:8.2-apache\nENTRYPOINT ["docker-entrypoint.sh"]\n{{ if env.version != "cli" then ( -}}\nCMD ["apache2-foreground"]\n{{ ) end -}}\n', 3),
    ("FROM php:{{ nodes['phpVersion'].description }}-cli-alpine\nCMD [\"php\"]\n", 1),
])
def test_a_template_is_left_alone_with_the_reason(src, line):
    r = refactor_text(src, Path("Dockerfile"), None, make_selection())
    assert r.error is None and not r.changed and not r.edits
    [skip] = r.skips
    assert skip.codemod == "*" and "a template, not a Dockerfile" in skip.reason and skip.line == line


def test_go_template_arguments_inside_an_instruction_are_no_template():
    r = refactor_text('FROM debian\nRUN apt-get install -y curl && docker inspect --format "{{.State}}" x\n',
                      Path("Dockerfile"), None, make_selection(["apt-cleanup"]))
    assert r.changed


class Renamer(Shout):
    """Renames the first stage (`AS build` -> `AS built`) but not the `--from` that names it."""

    id = "renamer"

    def transform(self, df, ctx):
        first = df.instructions[0]
        if not first.args.endswith(" AS build"):
            return df
        ctx.edit(self, first, "renamed the stage")
        return replace_instruction(df, first, new_instruction(first.code.replace(" AS build", " AS built"), df))


STAGES = "FROM debian AS build\nRUN echo hi\nFROM debian\nCOPY --from=build /a /a\n"


def test_an_output_that_breaks_the_stage_graph_is_dropped():
    r = refactor_text(STAGES, Path("Dockerfile"), None, sel(Renamer()))
    assert r.output == STAGES
    assert any("breaks the stage graph" in s.reason for s in r.skips), r.skips


def test_an_edit_that_leaves_the_graph_instructions_alone_keeps_the_graph():
    # Shout edits a RUN of a multi-stage file: the FROM and COPY --from nodes stay, accepted
    r = refactor_text(STAGES, Path("Dockerfile"), None, sel(Shout()))
    assert "RUN ECHO HI" in r.output and not r.skips


# --- the bound on edits per file (refactor.codemods.base.MAX_EDITS) -------------------------------

class Swallows(Shout):
    """Catches the engine's TooManyEdits and goes on (a codemod bug the engine must not trust)."""

    id = "swallows"

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        from refactor.codemods.base import TooManyEdits

        out = df
        for inst in df.instructions:
            if inst.cmd == "RUN" and inst.args.startswith("echo ") and inst.args != inst.args.upper():
                out = replace_instruction(out, inst, with_body(inst, inst.args.upper()))
                try:
                    ctx.edit(self, inst, "upper-cased")
                except TooManyEdits:
                    pass
        return out


def _echoes(n: int) -> str:
    return "FROM debian\n# keep\n" + "".join(f"RUN echo a{k}\n" for k in range(n))


def test_a_file_needing_the_most_edits_dockwright_makes_is_refactored():
    from refactor.codemods.base import MAX_EDITS

    r = refactor_text(_echoes(MAX_EDITS), Path("Dockerfile"), None, sel(Shout()))
    assert r.error is None and r.changed and len(r.edits) == MAX_EDITS


def test_a_file_needing_more_edits_is_left_as_it_is_with_the_reason():
    from refactor.codemods.base import MAX_EDITS

    text = _echoes(MAX_EDITS + 1)
    r = refactor_text(text, Path("Dockerfile"), None, sel(Shout()))
    assert r.error is None and not r.internal_errors
    assert not r.changed and r.output == text and not r.edits
    assert [(s.codemod, s.line) for s in r.skips] == [("*", 1)]
    assert f"more than {MAX_EDITS:,} edits" in r.skips[0].reason
    # the same when the codemod catches the exception and goes on
    r = refactor_text(text, Path("Dockerfile"), None, sel(Swallows()))
    assert not r.changed and r.output == text and not r.edits and r.skips[0].codemod == "*"


def test_the_bound_applies_to_the_edits_of_the_whole_file():
    from refactor.codemods.base import MAX_EDITS

    half = MAX_EDITS // 2 + 1
    text = "FROM debian\n" + "".join(f"RUN echo a{k}\n" for k in range(half)) + "".join(
        f"LABEL k{k} v\n" for k in range(half))
    r = refactor_text(text, Path("Dockerfile"), None, sel(Shout(), *make_selection(["legacy-key-value"]).codemods))
    assert not r.changed and r.output == text and r.skips[-1].codemod == "*"


def test_the_collector_waits_during_a_file_and_is_restored_after(monkeypatch):
    import gc

    seen = []

    class Probe(Shout):
        id = "probe"

        def transform(self, df, ctx):
            seen.append(gc.isenabled())
            return df

    assert gc.isenabled()
    refactor_text(SRC, Path("Dockerfile"), None, sel(Probe()))
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a caller's own choice is left as it was
    try:
        refactor_text(SRC, Path("Dockerfile"), None, sel(Probe()))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_body_text_kept_on_an_instruction_is_its_own():
    """body_text is kept on the node each codemod asks it of: an edited instruction is a new node,
    with its own."""
    from refactor.syntax.edit import body_text
    from refactor.syntax.parser import parse_dockerfile

    run = parse_dockerfile("FROM alpine\nRUN --mount=type=cache,target=/c apk add \\\n  curl\n").instructions[1]
    assert body_text(run) == "apk add \\\n  curl" and body_text(run) is body_text(run)
    edited = with_body(run, "apk add --no-cache curl")
    assert body_text(edited) == "apk add --no-cache curl"
    assert body_text(run) == "apk add \\\n  curl"

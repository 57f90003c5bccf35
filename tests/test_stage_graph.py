"""The stage graph (refactor.syntax.stage_graph) as BuildKit's dockerfile2llb resolves it, and the
engine's rule: a codemod whose output breaks a rule the input kept is dropped for that file, with
the reason and the line, while the file's other codemods still apply."""
from __future__ import annotations

from pathlib import Path

import pytest

from refactor.codemods.base import Codemod, Context, Safety
from refactor.engine.runner import Selection, make_selection, refactor_text
from refactor.syntax.edit import new_instruction, replace_instruction, with_body
from refactor.syntax.nodes import Dockerfile
from refactor.syntax.parser import parse_dockerfile
from refactor.syntax.stage_graph import analyze, new_problems, stage_graph_problems, unresolved_stage_names

ROOT = Path(__file__).resolve().parent.parent


def kinds(text: str) -> list[str]:
    return [p.kind for p in analyze(parse_dockerfile(text)).problems]


GOOD = """\
ARG PY=3.12
FROM --platform=$BUILDPLATFORM python:${PY}-slim AS Base
RUN true
FROM base AS build
COPY --from=BASE /a /b
COPY --from=0 /a /b
FROM nginx AS nginx
RUN --mount=type=cache,target=/root/.cache --mount=from=build,target=/src,source=/x true
COPY --from=composer /usr/bin/composer /usr/bin/composer
COPY --from=docker.io/library/busybox:1.36 /bin/busybox /bin/busybox
FROM build
COPY --from=nginx /etc/nginx /etc/nginx
"""


def test_a_sound_graph_has_no_problem():
    df = parse_dockerfile(GOOD)
    assert stage_graph_problems(df) == []
    g = analyze(df)
    assert g.names == ("base", "build", "nginx", None)
    targets = {(r.kind, r.name): r.target for r in g.references}
    assert targets[("FROM", "base")] == 0  # stage names are lower-cased
    assert targets[("COPY --from", "BASE")] == 0  # --from is looked up case-insensitively
    assert targets[("RUN --mount from", "build")] == 1
    assert targets[("FROM", "nginx")] is None  # `FROM nginx AS nginx` is the image: FROM sees earlier stages only
    assert targets[("COPY --from", "composer")] is None  # an image


@pytest.mark.parametrize("text, kind", [
    ("FROM alpine AS deps\nCOPY --from=builder /a /a\nFROM deps AS builder\nRUN x\n", "cycle"),
    ("FROM alpine AS a\nCOPY --from=a /x /y\n", "self-reference"),
    ("FROM alpine\nCOPY --from=later /x /y\nFROM alpine AS later\n", "later-stage"),
    ("FROM alpine\nCOPY --from=3 /x /y\n", "bad-index"),
    ("FROM alpine\nCOPY --from=$STAGE /x /y\n", "from-variable"),
    ("FROM python:${PY}\n", "undeclared-arg"),
    ("FROM alpine AS b\nFROM alpine AS B\n", "duplicate-name"),
    ("FROM alpine AS 1st\n", "invalid-name"),
    ("FROM alpine AS builder\nFROM Builder\n", "from-case"),
    ("FROM app\nFROM alpine AS app\n", "from-later"),
    ("ARG BASE=\nFROM ${BASE}\n", "blank-base"),
    ("FROM golang\nFROM alpine\nRUN --mount=from=0,target=/go true\n", "mount-index"),
])
def test_problems(text, kind):
    assert kind in kinds(text)


def test_args_before_the_first_from_and_builtin_args_are_declared():
    assert kinds("ARG V=3\nFROM python:$V\nARG LATE\n") == []
    assert kinds("FROM --platform=$TARGETPLATFORM alpine:${TAG:-3.19}\n") == []
    assert kinds("FROM alpine\nARG V=3\nFROM python:$V\n") == ["undeclared-arg"]  # a stage's ARG is not global


def test_unresolved_bare_names_are_listed_for_restructuring_codemods():
    text = (ROOT / "corpus" / "samples" / "broken-stage-ref" / "Dockerfile").read_text()
    df = parse_dockerfile(text)
    assert stage_graph_problems(df) == []  # `--from=builder` could be an image
    assert [r.name for r in unresolved_stage_names(df)] == ["builder"]
    # a bare word could be an image (`--from=composer`) or a deleted stage: listed either way
    assert [r.name for r in unresolved_stage_names(parse_dockerfile(GOOD))] == ["composer"]


def test_new_problems_names_a_lost_stage():
    before = parse_dockerfile("FROM a AS builder\nRUN x\nFROM b\nCOPY --from=builder /x /y\n")
    after = parse_dockerfile("FROM b\nCOPY --from=builder /x /y\n")
    [p] = new_problems(before, after)
    assert p.kind == "lost-stage" and "builder" in p.message
    assert new_problems(before, before) == []


# --- the engine ------------------------------------------------------------------------------


class RenameStage(Codemod):
    """Renames stage `builder` to `build` in its FROM only: the COPY --from now names nothing."""

    id = "rename-stage"
    summary = rationale = "test"
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        for inst in df.instructions:
            if inst.cmd == "FROM" and inst.args.endswith(" AS builder"):
                ctx.edit(self, inst, "renamed")
                return replace_instruction(df, inst, with_body(inst, inst.args.replace(" AS builder", " AS build")))
        return df


class CopyFromLater(Codemod):
    """Makes the first stage copy from the last: a cycle through the final stage's FROM."""

    id = "copy-from-later"
    summary = rationale = "test"
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        first = df.stages[0].from_instruction
        if any(i.flag_value("from") == "final" for i in df.instructions):
            return df
        ctx.edit(self, first, "copy from the final stage")
        items = list(df.instructions)
        items.insert(1, new_instruction("COPY --from=final /x /x", df))
        return df.with_changes(instructions=tuple(items))


class Doubler(Codemod):
    """Copies the first COPY right under itself."""

    id = "doubler"
    summary = rationale = "test"
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        copies = [i for i in df.instructions if i.cmd == "COPY"]
        if not copies or len(copies) > 1:
            return df
        ctx.edit(self, copies[0], "doubled")
        items = list(df.instructions)
        k = items.index(copies[0])
        items.insert(k + 1, new_instruction(copies[0].logical.strip(), df))
        return df.with_changes(instructions=tuple(items))


class Upper(Codemod):
    """A well-behaved codemod: upper-cases `echo` arguments."""

    id = "upper"
    summary = rationale = "test"
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        for inst in df.instructions:
            if inst.cmd == "RUN" and inst.args.startswith("echo ") and inst.args != inst.args.upper():
                ctx.edit(self, inst, "upper")
                df = replace_instruction(df, inst, with_body(inst, inst.args.upper()))
        return df


SRC = "FROM golang AS builder\nRUN echo build\nFROM alpine AS final\nCOPY --from=builder /app /app\nRUN echo run\n"


def run(text: str, *codemods: Codemod):
    return refactor_text(text, Path("Dockerfile"), None, Selection(tuple(codemods)))


def test_output_that_loses_a_stage_is_dropped_and_other_codemods_still_apply():
    r = run(SRC, RenameStage(), Upper())
    assert r.error is None
    assert r.output == SRC.replace("echo build", "ECHO BUILD").replace("echo run", "ECHO RUN")
    [skip] = [s for s in r.skips if s.codemod == "rename-stage"]
    assert "stage graph" in skip.reason and "builder" in skip.reason
    assert skip.line == 4  # the COPY --from that would name nothing
    assert {e.codemod for e in r.edits} == {"upper"}


def test_output_with_a_cycle_is_dropped():
    r = run(SRC, CopyFromLater())
    assert r.error is None and not r.changed
    [skip] = r.skips
    assert "refers to a later stage" in skip.reason or "circle" in skip.reason


def test_a_problem_the_input_already_had_does_not_drop_a_codemod():
    broken = "FROM alpine AS a\nCOPY --from=a /x /y\nRUN echo hi\n"
    r = run(broken, Upper())
    assert r.error is None and r.output == broken.replace("echo hi", "ECHO HI")


def test_output_with_a_repeated_instruction_is_dropped():
    r = run("FROM alpine\nCOPY a /a\nRUN echo x\n", Doubler(), Upper())
    assert r.output == "FROM alpine\nCOPY a /a\nRUN ECHO X\n"
    [skip] = [s for s in r.skips if s.codemod == "doubler"]
    assert "repeats `COPY a /a`" in skip.reason and skip.line == 2


def test_layer_order_declines_on_a_broken_input(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    (tmp_path / "package-lock.json").write_text('{"lockfileVersion": 3}')
    text = ("FROM node:20 AS deps\nCOPY --from=app /x /x\nFROM deps AS app\nWORKDIR /app\nCOPY . .\n"
            "RUN npm ci\nCMD [\"node\", \"server.js\"]\n")
    r = refactor_text(text, tmp_path / "Dockerfile", tmp_path, make_selection(["layer-order"]))
    assert not r.changed
    [skip] = [s for s in r.skips if s.codemod == "layer-order"]
    assert "stage graph is broken" in skip.reason and skip.line in (1, 2)
    fixed = text.replace("COPY --from=app /x /x\n", "")
    assert refactor_text(fixed, tmp_path / "Dockerfile", tmp_path, make_selection(["layer-order"])).changed


def test_new_problems_names_an_index_that_now_means_another_stage():
    before = parse_dockerfile("FROM golang AS b\nRUN x\nFROM alpine\nCOPY --from=0 /x /y\n")
    after = parse_dockerfile("FROM debian AS deps\nFROM golang AS b\nRUN x\nFROM alpine\nCOPY --from=0 /x /y\n")
    [p] = new_problems(before, after)
    assert p.kind == "shifted-index" and p.line == 5
    same = parse_dockerfile("FROM golang AS b\nRUN y\nFROM alpine\nCOPY --from=0 /x /y\n")
    assert new_problems(before, same) == []


def test_lines_are_the_inputs_for_parsed_instructions_and_the_trees_for_new_ones():
    """A reference or problem of an instruction the parser read keeps its input line; one a
    codemod made gets the line where it sits in the edited tree (counted only then)."""
    from refactor.syntax.edit import insert_before

    df = parse_dockerfile("FROM golang AS b\nRUN x\nFROM alpine\nCOPY --from=b /x /y\n")
    assert [r.line for r in analyze(df).references] == [1, 3, 4]
    edited = insert_before(df, df.instructions[0], [new_instruction("FROM debian AS a\n", df),
                                                    new_instruction("RUN \\\n  y\n", df)])
    edited = insert_before(edited, edited.instructions[-1], [new_instruction("COPY --from=9 /a /b\n", df)])
    graph = analyze(edited)
    assert [r.line for r in graph.references] == [1, 1, 3, 7, 4]
    [p] = graph.problems
    assert p.kind == "bad-index" and p.line == 7


def test_a_tree_of_the_same_graph_instructions_shares_the_graph_and_no_other_does():
    """analyze() keeps a graph for the next tree made of the same FROM, pre-FROM, and flagged
    COPY/RUN nodes (an edit elsewhere leaves it): a changed one of those, or one a codemod made
    (whose line is where it sits), is analysed afresh."""
    from refactor.syntax.edit import insert_before

    df = parse_dockerfile("ARG V=1\nFROM golang:$V AS b\nRUN x\nFROM alpine\nRUN y\nCOPY --from=b /x /y\n")
    graph = analyze(df)
    run_y = df.instructions[4]
    elsewhere = replace_instruction(df, run_y, with_body(run_y, "z"))
    assert analyze(elsewhere) is graph
    copy = df.instructions[-1]
    renamed = replace_instruction(df, copy, new_instruction("COPY --from=c /x /y\n", df))
    assert [r.name for r in analyze(renamed).references] == ["golang:1", "alpine", "c"]
    mounted = replace_instruction(df, run_y, new_instruction("RUN --mount=from=b,target=/m y\n", df))
    assert [r.kind for r in analyze(mounted).references] == ["FROM", "FROM", "RUN --mount from", "COPY --from"]
    assert [r.kind for r in analyze(elsewhere).references] == ["FROM", "FROM", "COPY --from"]
    bad = new_instruction("COPY --from=9 /a /b\n", df)
    one = replace_instruction(df, copy, [copy, bad])
    [p] = analyze(one).problems
    assert p.line == 7
    shifted = insert_before(one, run_y, [new_instruction("ENV A=1\n", df)])
    [p] = analyze(shifted).problems
    assert p.line == 8

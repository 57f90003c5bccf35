"""Runs codemods over one Dockerfile and refuses to emit anything it cannot vouch for.

For each file: parse; run the selected codemods in the registry's fixed order, round after round
until a round changes nothing; after every codemod check that it touched no instruction a
pragma protects, made no unsafe edit it was not allowed to make, recorded what it changed, broke
no rule of the stage graph the input kept (refactor.syntax.stage_graph: every stage reference
resolves to an earlier stage or an image, no cycle, FROM's ARGs declared, no stage lost), and that
running it again on its own output changes nothing (each codemod is idempotent on its own: the
round limit never decides). A codemod that fails one of these is dropped for the file, with the
reason, and the file's other codemods still apply.
At the end check that every instruction no codemod touched is still there, unchanged, that every
comment line of the input is still in the output, and that the output text reads back as the
very tree the codemods built. Codemods are pure functions of the tree, so that last round, a
fixed point, is also the proof that a second run over the output changes nothing. Any failure:
the file's output is its input, and the result says why.
"""
from __future__ import annotations

import gc
import re
import sys
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from refactor.codemods import REGISTRY, by_id
from refactor.codemods.base import MAX_EDITS, Codemod, Context, Safety, Skip, TooManyEdits
from refactor.knowledge.context import BuildContext, real_path
from refactor.syntax.edit import CannotPlace, EditError
from refactor.syntax.errors import ParseError
from refactor.syntax.nodes import Comment, Continuation, Dockerfile, Instruction
from refactor.syntax.parser import parse_dockerfile, reparse_generated
from refactor.syntax.pragmas import ignored_codemods, skips_file
from refactor.syntax.stage_graph import graph_inputs, new_problems
from refactor.engine.results import FileResult

MAX_ROUNDS = 8
# A line that is a template directive (Jinja, Go templates, Twig, Liquid...), or a FROM whose
# image is filled in by one: the file is a template rendered into Dockerfiles, not one itself,
# and what reads as its instructions (a shell line after a `{% if %}` inside a continuation) is
# not what any rendered Dockerfile holds.
_TEMPLATE = re.compile(
    r"^[ \t]*(\{%.*%\}|\{\{.*\}\}|\{#.*#\})[ \t]*\\?[ \t]*\r?$|^[ \t]*FROM[ \t][^\n]*\{\{", re.M | re.I
)


@dataclass(frozen=True)
class Selection:
    """Which codemods run, and whether unsafe edits are allowed."""

    codemods: tuple[Codemod, ...]
    explicit: frozenset[str] = frozenset()  # named in --select: consent to any safety class
    safe_only: bool = False

    def allows_unsafe(self, codemod: Codemod) -> bool:
        return not self.safe_only or codemod.id in self.explicit


def make_selection(
    select: list[str] | None = None, ignore: list[str] | None = None, safe_only: bool = False
) -> Selection:
    """Default: every registered codemod. `select` narrows (and consents), `ignore` removes,
    `safe_only` drops unsafe codemods and unsafe edits unless they were selected by name."""
    ignore_set = set(ignore or ())
    unknown = [x for x in [*(select or ()), *ignore_set] if x not in by_id()]
    if unknown:
        raise ValueError(f"unknown codemod id: {', '.join(unknown)} (known: {', '.join(by_id())})")
    explicit = frozenset(select or ())
    chosen = []
    for cm in REGISTRY:
        if select and cm.id not in explicit:
            continue
        if cm.id in ignore_set:
            continue
        if safe_only and cm.safety is Safety.UNSAFE and cm.id not in explicit:
            continue
        chosen.append(cm)
    return Selection(tuple(chosen), explicit, safe_only)


# The last output the engine read back and the tree it read: the CLI lints that very text right
# after (refactor.cli._lint_comments), in the same process; one entry, so memory stays flat.
_READ_BACK: tuple[str, Dockerfile] | None = None


@contextmanager
def collector_paused(release):
    """Python's cyclic collector off while the block runs, then `release()` (which drops what
    the block kept, so that reference counting frees it) and the collector on again; nothing
    when it was off already (the console script's start-up, an enclosing pause)."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            release()
            gc.enable()


def forget_file() -> None:
    """Drop what the engine keeps of the last file (its read-back tree, its shell parses): the
    trees go by reference counting, before a collection would scan them."""
    global _READ_BACK
    _READ_BACK = None
    _forget_shell_parses()
    real_path.cache_clear()


def _forget_shell_parses() -> None:
    shell_parse = sys.modules.get("refactor.shell.parse")  # absent: no shell parsed yet
    if shell_parse is not None:
        shell_parse.forget_parses()


def read_back(output: str) -> Dockerfile | None:
    """The tree `parse_dockerfile(output)` gives, when `output` is the last output the engine
    checked (it parsed it then), else None."""
    last = _READ_BACK
    return last[1] if last is not None and (last[0] is output or last[0] == output) else None


class _Rejected(Exception):
    """The engine refuses the file's output; `line` is the input line the refusal is about."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line or 1


def _comment_lines(df: Dockerfile) -> Counter[str]:
    """Every comment line of the file: above instructions, inside continuations, at the end."""
    lines: Counter[str] = Counter()
    for inst in df.instructions:
        for t in inst.leading:
            if type(t) is Comment:
                lines[t.text.strip()] += 1
        for p in inst.pieces:
            if type(p) is Continuation:
                for t in p.lines:
                    if type(t) is Comment:
                        lines[t.text.strip()] += 1
    for t in df.trailing:
        if type(t) is Comment:
            lines[t.text.strip()] += 1
    return lines


def _run_once(
    df: Dockerfile, selection: Selection, ctx: Context, settled: dict[str, Dockerfile]
) -> Dockerfile:
    """One round over the codemods. `settled` maps a codemod to the tree it last left alone:
    codemods are pure, so on that same tree it would leave it alone again."""
    start, protected = df, None  # the round's inline ignores, read once a codemod changes the tree
    for codemod in selection.codemods:
        if settled.get(codemod.id) is df:
            continue
        before_edits, before_touched = len(ctx.edits), set(ctx.touched)
        before_skips = len(ctx.skips)
        ctx.options["allow_unsafe"] = selection.allows_unsafe(codemod)
        try:
            new = codemod.transform(df, ctx)
        except TooManyEdits:
            raise  # the whole file is left as it is (refactor_tree)
        except CannotPlace as e:  # the input leaves no place for the change (a line at BuildKit's limit)
            del ctx.edits[before_edits:]
            del ctx.skips[before_skips:]
            ctx.touched = before_touched
            ctx.skip(codemod, f"{e}; change dropped")
            settled[codemod.id] = df
            continue
        except Exception as e:  # a codemod bug must not take the run down: drop its changes
            line = ctx.edits[before_edits].line if len(ctx.edits) > before_edits else 0
            del ctx.edits[before_edits:]
            del ctx.skips[before_skips:]
            ctx.touched = before_touched
            # Protect the file, and say so loudly: the result carries the error (exit 123).
            ctx.internal_errors.append((codemod.id, line or ctx.file_line, f"{type(e).__name__}: {e}"))
            ctx.skip(codemod, f"internal error, change dropped: {type(e).__name__}: {e}")
            settled[codemod.id] = df
            continue
        if ctx.over_limit:  # the codemod caught TooManyEdits: its output is not what it meant
            raise TooManyEdits(codemod.id)
        if new is df:
            settled[codemod.id] = df
            continue
        if protected is None:
            protected = {id(i): ignored_codemods(i) for i in start.instructions}
        problem = _check_codemod_output(new, df, codemod, selection, ctx, before_edits, before_touched, protected)
        if problem is None:
            problem = _not_idempotent(new, codemod, ctx)
        if problem:
            message, line = problem
            first_edit = ctx.edits[before_edits].line if len(ctx.edits) > before_edits else 0
            del ctx.edits[before_edits:]
            del ctx.skips[before_skips:]
            ctx.touched = before_touched
            ctx.skip(codemod, message, line=line or first_edit or None)
            settled[codemod.id] = df
            continue
        df = new
        settled[codemod.id] = new  # _not_idempotent just ran it on `new`: nothing to change
    return df


def _graph_inputs(df: Dockerfile) -> tuple[int, ...]:
    """The identities of the instructions the stage graph is read from (stage_graph.graph_inputs):
    equal for two trees, their graphs are equal (nodes are immutable)."""
    return tuple(map(id, graph_inputs(df)))


def _adjacent_duplicates(df: Dockerfile) -> dict[tuple, str]:
    """Instructions that come twice in a row, compared as BuildKit reads them (keyword, flags,
    arguments, heredoc bodies: `ENV a b` is `ENV a=b`): a codemod must not make one. Kept on
    the tree: one codemod's output is the next one's input."""
    memo = df._memo
    if "adjacent_duplicates" not in memo:
        memo["adjacent_duplicates"] = _find_adjacent_duplicates(df)
    return memo["adjacent_duplicates"]


def _find_adjacent_duplicates(df: Dockerfile) -> dict[tuple, str]:
    out = {}
    prev = None
    for inst in df.instructions:
        key = (inst.cmd, inst.flags, inst.value, tuple(h.content for h in inst.heredocs))
        if prev is not None and key == prev and inst.cmd != "FROM":
            out[key] = inst.logical.strip()
        prev = key
    return out


def _not_idempotent(new: Dockerfile, codemod: Codemod, ctx: Context) -> tuple[str, int] | None:
    """Run the codemod again on its own output, with a scratch context: a codemod must reach its
    own fixed point in one call, so the engine's round limit never decides when it stops."""
    scratch = Context(path=ctx.path, build_context=ctx.build_context, options=dict(ctx.options),
                      file_line=ctx.file_line, edit_limit=MAX_EDITS)
    try:
        again = codemod.transform(new, scratch)
    except TooManyEdits:
        return f"would change its own output again, in more than {MAX_EDITS:,} places: not idempotent, change dropped", 0
    except Exception as e:
        ctx.internal_errors.append((codemod.id, ctx.file_line, f"on its own output: {type(e).__name__}: {e}"))
        return f"internal error on its own output, change dropped: {type(e).__name__}: {e}", 0
    if again is new:
        return None
    what = f" ({scratch.edits[0].summary})" if scratch.edits else ""
    # Line 0: the skip reports the line of the codemod's first edit in the input.
    return (f"would change its own output again{what}: not idempotent, change dropped", 0)


def _check_codemod_output(
    new: Dockerfile,
    old: Dockerfile,
    codemod: Codemod,
    selection: Selection,
    ctx: Context,
    before_edits: int,
    before_touched: set[int],
    protected: dict[int, frozenset[str] | None],
) -> tuple[str, int] | None:
    """Why the codemod's output `new` (of `old`) is refused, and the input line it is about."""
    # Each new instruction was parsed when it was made (refactor.edit); the whole output is
    # parsed again once, at the end (refactor_text).
    if len(ctx.edits) == before_edits:
        return "changed the file without recording an edit (refused)", 0
    for tid in ctx.touched - before_touched:
        ids = protected.get(tid)
        if ids is not None and (not ids or codemod.id in ids):
            return "an inline `# dockwright: ignore` protects an instruction it would change", 0
    if not selection.allows_unsafe(codemod):
        if any(e.safety is Safety.UNSAFE for e in ctx.edits[before_edits:]):
            return "made an unsafe edit while only safe edits are allowed; change dropped", 0
    grown = _grown_past_analysis(old, new)
    if grown:
        return grown
    before = _adjacent_duplicates(old)
    doubled = [text for key, text in _adjacent_duplicates(new).items() if key not in before]
    if doubled:
        text = doubled[0]
        return f"its output repeats `{text[:60]}` right under itself; change dropped", 0
    if _graph_inputs(old) == _graph_inputs(new):
        return None  # the very instructions the stage graph is made of, in the same places
    broken = new_problems(old, new)
    if broken:
        return f"its output breaks the stage graph, which the input kept: {broken[0].message}; change dropped", broken[0].line
    return None


def refactor_tree(
    df: Dockerfile,
    selection: Selection,
    *,
    path: Path | None = None,
    build_context: BuildContext | None = None,
    options: dict[str, object] | None = None,
) -> tuple[Dockerfile, Context]:
    """Run the codemods to a fixed point; returns the new tree and what happened. `options`
    are the user's codemod settings (e.g. `runner_base`)."""
    ctx = Context(path=path, build_context=build_context, options=dict(options or {}))
    final = df.stages[-1].from_instruction if df.stages else None
    if final is not None and final.start is not None:
        ctx.file_line = final.start.line
    _too_long_to_analyse(df, ctx)
    settled: dict[str, Dockerfile] = {}
    original = df
    ctx.edit_limit = MAX_EDITS
    for _ in range(MAX_ROUNDS):
        edits_before = len(ctx.edits)
        try:
            new = _run_once(df, selection, ctx, settled)
        except TooManyEdits:
            return original, _too_many_edits(ctx)
        if new is df or len(ctx.edits) == edits_before:
            break
        df = new
    else:
        # Each codemod is idempotent on its own (checked in _run_once): only two codemods
        # undoing each other's edits can get here.
        line = ctx.edits[edits_before].line if len(ctx.edits) > edits_before else 1
        ids = ", ".join(sorted({e.codemod for e in ctx.edits[edits_before:]}))
        raise _Rejected(f"the codemods did not reach a fixed point in {MAX_ROUNDS} rounds ({ids} still changing)", line)
    return df, ctx


def _too_many_edits(ctx: Context) -> Context:
    """The file is left as it is: what the codemods did so far is dropped, what the engine said
    about the whole file and any internal error are kept."""
    ctx.edits.clear()
    ctx.touched.clear()
    ctx.extra_files.clear()
    ctx.skips[:] = [s for s in ctx.skips if s.codemod == "*"]
    ctx.skips.append(Skip("*", f"this file needs more than {MAX_EDITS:,} edits, the most dockwright makes in one "
                          "file (the Dockerfiles of 201 real repositories need at most 15): left as it is",
                          ctx.file_line))
    return ctx


_SHELL_CODE = frozenset({"RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK", "ONBUILD"})

# The most text dockwright reads as one Dockerfile: parsing alone is linear, but the analyses of
# ten megabytes take seconds (a fuzzed 10 MB file: 5.4 s), and no Dockerfile is that large.
MAX_FILE = 2**20  # characters
# The most a file it analyses may hold: instructions, and shell code in all (RUN bodies, CMDs,
# heredocs; but for those over MAX_ANALYSED, which are not read). Every analysis is linear, but
# each instruction costs tenths of a millisecond over the codemods (a RUN of installs up to
# 0.7 ms): 10,000 multi-command RUNs took 1.6-2.7 s. The largest of 2,356 real Dockerfiles holds
# 254 instructions and 9.3 KB of shell code; at these bounds the slowest generated shapes take
# under 0.7 s.
MAX_INSTRUCTIONS = 2_000
MAX_SHELL = 128 * 1024  # characters


def _shell_size(inst: Instruction) -> int:
    """The longest shell text of the instruction: its logical line or a heredoc body."""
    if inst.cmd not in _SHELL_CODE:
        return 0
    size = len(inst.logical)
    for h in inst.heredocs:
        size = max(size, sum(map(len, h.lines)))
    return size


def _too_big_to_analyse(df: Dockerfile) -> str | None:
    """Why the file is left as it is, unanalysed, when it holds more than the engine analyses."""
    count = len(df.instructions)
    if count > MAX_INSTRUCTIONS:
        return (f"this file holds {count:,} instructions, over the {MAX_INSTRUCTIONS:,} dockwright analyses in one "
                "file (the largest of 2,356 real Dockerfiles holds 254): left as it is")
    from refactor.shell.parse import MAX_ANALYSED

    shell = 0
    for inst in df.instructions:
        if inst.cmd in _SHELL_CODE and _shell_size(inst) <= MAX_ANALYSED:  # longer: one opaque unit, not read
            shell += len(inst.logical) + sum(len(line) for h in inst.heredocs for line in h.lines)
    if shell > MAX_SHELL:
        return (f"this file holds {shell / 1024:,.0f} KB of shell code to analyse, over the {MAX_SHELL // 1024} KB "
                "dockwright analyses in one file (the largest of 2,356 real Dockerfiles holds 9 KB): left as it is")
    return None


def _too_long_to_analyse(df: Dockerfile, ctx: Context) -> None:
    """Say which instructions hold shell code over the size the shell layer analyses: their
    shell code is one opaque unit, which no codemod edits."""
    from refactor.shell.parse import MAX_ANALYSED

    for inst in df.instructions:
        size = _shell_size(inst)
        if size > MAX_ANALYSED:
            line = inst.start.line if inst.start is not None else 0
            ctx.skips.append(Skip("*", f"this {inst.cmd} holds {size / 1024:,.0f} KB of shell code, over the "
                                  f"{MAX_ANALYSED // 1024} KB dockwright analyses: its shell code is left as it is", line))


def _grown_past_analysis(old: Dockerfile, new: Dockerfile) -> tuple[str, int] | None:
    """A codemod must not make shell code the next round cannot read (over the size the shell
    layer analyses): its later rounds, and every other codemod, would see one opaque unit."""
    from refactor.shell.parse import MAX_ANALYSED

    kept = {id(i) for i in old.instructions}
    for inst in new.instructions:
        if id(inst) not in kept:
            size = _shell_size(inst)
            if size > MAX_ANALYSED:
                return (f"its output holds {size / 1024:,.0f} KB of shell code in one {inst.cmd}, over the "
                        f"{MAX_ANALYSED // 1024} KB dockwright analyses; change dropped", 0)
    return None


def _untouched_survive(original: Dockerfile, output: Dockerfile, touched: set[int]) -> str | None:
    """Every instruction no codemod claimed is in the output, byte for byte (the comment and
    blank lines above it may have grown: a removed neighbour's comments move down to it)."""
    present = {id(i) for i in output.instructions}
    available = Counter(i.code_without_leading for i in output.instructions if id(i) not in touched)
    for inst in original.instructions:
        if id(inst) in touched:
            continue
        code = inst.code_without_leading
        if id(inst) in present or available[code] > 0:
            available[code] -= 1
            continue
        line = inst.start.line if inst.start else 0
        return f"line {line}: an instruction no codemod claimed was changed or removed"
    return None


def _comment_line(df: Dockerfile, text: str) -> int:
    """The input line of comment `text` (stripped), for a refusal that names it."""
    for number, line in enumerate(df.code.splitlines(), start=1):
        if line.strip() == text:
            return number
    return 1


def refactor_text(
    source: str,
    path: Path | None = None,
    context: Path | None = None,
    selection: Selection | None = None,
    options: dict[str, object] | None = None,
) -> FileResult:
    """Refactor one Dockerfile's text. Never raises for bad input: the error is in the result."""
    # Reference counting frees what refactoring a file allocates (syntax and shell trees,
    # analyses), but for a few small cycles (~300 objects a file: closures, memo entries that
    # point back at their node), which wait until the file is done. Running meanwhile, the cyclic
    # collector would scan the growing trees again and again: a third of the engine's time on a
    # file of 10,000 RUNs.
    # The shell trees the codemods shared go when it is done, not in a collection's scan.
    with collector_paused(_forget_shell_parses):
        return _refactor_text(source, path, context, selection, options)


def _refactor_text(
    source: str,
    path: Path | None,
    context: Path | None,
    selection: Selection | None,
    options: dict[str, object] | None,
) -> FileResult:
    global _READ_BACK
    # The previous file's read-back, shell parses and resolved paths: memory stays that of one
    # file, and links may change between files.
    forget_file()
    name = str(path) if path is not None else "<stdin>"
    file_path = path if path is not None else Path("<stdin>")
    selection = selection or make_selection()
    if len(source) > MAX_FILE:
        reason = (f"this file holds {len(source) / 2**20:,.1f} MB of text, over the {MAX_FILE // 2**20} MB dockwright "
                  "reads (the largest of 3,409 real Dockerfiles is 20 KB): left as it is")
        return FileResult(file_path, source, source, skips=(Skip("*", reason, 1),))
    template = _TEMPLATE.search(source)
    if template is not None:
        line = source.count("\n", 0, template.start()) + 1
        text = source.splitlines()[line - 1].strip()[:60]
        reason = f"a template, not a Dockerfile (line {line}: `{text}`): left alone"
        return FileResult(file_path, source, source, skips=(Skip("*", reason, line),))
    try:
        df = parse_dockerfile(source)
    except ParseError as e:
        return FileResult(file_path, source, source, error=e.format(name))
    if skips_file(df):
        line = next((n for n, text in enumerate(source.splitlines(), 1)
                     if text.lstrip().startswith("#") and "skip-file" in text), 1)
        return FileResult(file_path, source, source, skips=(Skip("*", "`# dockwright: skip-file`", line),))
    too_big = _too_big_to_analyse(df)
    if too_big is not None:
        final = df.stages[-1].from_instruction if df.stages else None
        line = final.start.line if final is not None and final.start is not None else 1
        return FileResult(file_path, source, source, skips=(Skip("*", too_big, line),))
    root = context if context is not None else (path.parent if path is not None else None)
    build_context = BuildContext(root, path) if root is not None and root.is_dir() else None
    try:
        out, ctx = refactor_tree(df, selection, path=path, build_context=build_context, options=options)
        internal = tuple(f"{name}:{line}:1: internal error in {cm} (a dockwright bug; its change was dropped): {msg}"
                         for cm, line, msg in ctx.internal_errors)
        if out is df and not ctx.extra_files:
            return FileResult(file_path, source, source, skips=tuple(ctx.skips), internal_errors=internal)
        problem = _untouched_survive(df, out, ctx.touched)
        line = int(problem.split(":", 1)[0].removeprefix("line ")) if problem else 1
        if problem is None:
            missing = _comment_lines(df) - _comment_lines(out)
            if missing:
                lost = next(iter(missing))
                problem, line = f"a comment would be lost: {lost!r}", _comment_line(df, lost)
        if problem is None:
            broken = new_problems(df, out)
            if broken:
                problem, line = f"the output breaks the stage graph, which the input kept: {broken[0].message}", broken[0].line
        output = out.code
        if problem is None:
            try:
                reparsed = reparse_generated(output)
            except ParseError as err:
                codemods = ", ".join(sorted({edit.codemod for edit in ctx.edits}))
                first = ctx.edits[0].line if ctx.edits else 1
                raise _Rejected(f"the output of {codemods} does not parse: {err.format(name)}", first) from None
            if reparsed.code != output or not reparsed.deep_equals(out):
                first = ctx.edits[0].line if ctx.edits else 1
                raise _Rejected("the output does not read back as the tree the codemods built", first)
            _READ_BACK = (output, reparsed)
            # `out` is a fixed point: the last round ran every codemod without a change. The
            # output reads back as that very tree, and codemods are pure, so a second run over
            # the output would change nothing: the result is idempotent.
        if problem is not None:
            return FileResult(file_path, source, source, error=f"{name}:{line or 1}:1: refused: {problem}")
    except _Rejected as e:
        return FileResult(file_path, source, source, error=f"{name}:{e.line}:1: refused: {e}")
    except (ParseError, EditError) as e:
        line = getattr(e, "line", None) or 1
        return FileResult(file_path, source, source, error=f"{name}:{line}:1: refused: {e}")
    return FileResult(
        file_path,
        source,
        output,
        edits=tuple(ctx.edits),
        skips=tuple(ctx.skips),
        extra_files=dict(ctx.extra_files),
        internal_errors=internal,
    )

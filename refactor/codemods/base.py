"""What a codemod is, what it may ask of the run, and what it reports (Edit, Skip, Safety).

A codemod is a small class in its own module: an id, a one-line summary, the rationale a
reviewer reads, a safety class, and `transform(df, ctx) -> Dockerfile`. It is pure: it reads
the build context only through `ctx.build_context`, records each change with `ctx.edit(...)`
and each refusal with `ctx.skip(...)`, and returns the same object when it changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from refactor.syntax.nodes import Dockerfile, Instruction

if TYPE_CHECKING:
    from refactor.knowledge.context import BuildContext


class Safety(str, Enum):
    SAFE = "safe"  # the image behaves the same
    UNSAFE = "unsafe"  # runtime behaviour may change


@dataclass(frozen=True)
class Edit:
    """One change a codemod made to one file."""

    codemod: str
    safety: Safety
    summary: str  # one line: what changed
    rationale: str  # why, and what it saves
    line: int  # 1-based line of the instruction in the input


@dataclass(frozen=True)
class Skip:
    """A codemod declined to act; `reason` says why, for the user."""

    codemod: str
    reason: str
    line: int = 0


def rationale_from_doc(doc: str) -> str:
    """The `Why` section of a codemod module's docstring, which is also the user's rationale."""
    why = doc.split("\nWhy\n", 1)[1].split("\n\nExample", 1)[0]
    return "\n".join(line.strip() for line in why.strip().splitlines())


class Codemod:
    id: ClassVar[str]
    summary: ClassVar[str]
    rationale: ClassVar[str]
    safety: ClassVar[Safety]
    # Which hadolint rules the codemod answers, for the README and SARIF output.
    hadolint: ClassVar[tuple[str, ...]] = ()

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        raise NotImplementedError


# The most edits dockwright makes in one file, all codemods together: a file that needs more is
# left as it is (refactor.engine.runner). The Dockerfiles of 201 real repositories need at most
# 15. Each edit is a new instruction (or shell body) parsed and checked, up to a millisecond: a
# generated file of 1,000 RUNs to fix took over 1 s, which no bound on a file's size prevents.
MAX_EDITS = 200


class TooManyEdits(Exception):
    """Raised by `Context.edit` past the context's `edit_limit`."""


@dataclass
class Context:
    """Per-file state shared by the codemods of one run."""

    path: Path | None = None
    build_context: BuildContext | None = None
    options: dict[str, object] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    extra_files: dict[Path, str] = field(default_factory=dict)
    # Original instructions a codemod replaced or removed (by identity), so the engine can prove
    # that every other instruction is unchanged.
    touched: set[int] = field(default_factory=set)
    # The line an edit or skip about the whole file reports (the engine sets it to the final
    # stage's FROM): a reported line is never 0.
    file_line: int = 1
    # Exceptions a codemod raised (a dockwright bug): the engine drops that codemod's change and
    # reports each one as an error, never only as a skip. (codemod id, line, "Type: message").
    internal_errors: list[tuple[str, int, str]] = field(default_factory=list)
    _seen: set[Skip] = field(default_factory=set, repr=False, compare=False)
    _seen_count: int = field(default=0, repr=False, compare=False)
    # Set by the engine (MAX_EDITS): `edit` raises TooManyEdits rather than record more edits,
    # and `over_limit` says so even to an engine whose codemod caught the exception.
    edit_limit: int | None = None
    over_limit: bool = False

    def edit(
        self,
        codemod: Codemod,
        inst: Instruction | None,
        summary: str,
        *,
        safety: Safety | None = None,
        rationale: str | None = None,
        touched: tuple[Instruction, ...] = (),
        line: int | None = None,
    ) -> None:
        if self.edit_limit is not None and len(self.edits) >= self.edit_limit:
            self.over_limit = True
            raise TooManyEdits(f"more than {self.edit_limit:,} edits")
        if line is None:
            line = _line_of(inst, *touched) or self.file_line
        self.edits.append(
            Edit(codemod.id, safety or codemod.safety, summary, rationale or codemod.rationale, line)
        )
        for t in (inst, *touched):
            if t is not None:
                self.touched.add(id(t))

    def skip(self, codemod: Codemod, reason: str, inst: Instruction | None = None, *, line: int | None = None) -> None:
        if line is None:
            line = _line_of(inst) or self.file_line
        s = Skip(codemod.id, reason, line)
        # A set answers "already recorded" (a linear search per skip was quadratic in files of
        # thousands of skips); rebuilt when the engine has dropped skips from the list.
        if len(self.skips) != self._seen_count:
            self._seen = set(self.skips)
        if s not in self._seen:
            self.skips.append(s)
            self._seen.add(s)
        self._seen_count = len(self.skips)


def _line_of(*insts: Instruction | None) -> int:
    """The input line of the first of `insts` the parser read (an edit made on a new instruction
    reports the line of the original it replaced); 0 only when there is none."""
    for inst in insts:
        if inst is not None and inst.start is not None:
            return inst.start.line
    return 0

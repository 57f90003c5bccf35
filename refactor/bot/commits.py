"""How the bot turns refactored files into commits: one commit per codemod where the hunks of
a file can be told apart (split_by_codemod), planned in a fixed order (plan_commits)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from refactor.bot import gitops, pr_body
from refactor.codemods.base import Edit, Safety
from refactor.engine.results import FileResult


@dataclass
class Change:
    path: str  # repository-relative posix path of the Dockerfile
    result: FileResult
    extra: dict[str, str] = field(default_factory=dict)  # repository-relative path -> text
    sizes: dict | None = None
    verify_note: str | None = None


@dataclass
class PlannedCommit:
    codemods: list[str]
    files: dict[str, str]  # path -> full text after this commit
    edits: list[tuple[str, Edit]]

    def message(self) -> str:
        paths = sorted({p for p, _ in self.edits} | set(self.files))
        where = paths[0] if len(paths) == 1 else f"{len(paths)} files"
        if len(self.codemods) == 1:
            subject = f"dockwright: {self.codemods[0]} in {where}"
        elif self.codemods:
            subject = f"dockwright: {', '.join(self.codemods)} in {where}"
        else:
            subject = f"dockwright: refactor {where}"
        body = []
        for path, e in self.edits:
            flag = "" if e.safety == Safety.SAFE else " [unsafe: runtime behaviour may change]"
            body.append(f"- {path}:{e.line}: {e.summary}{flag}")
        for path in sorted(self.files):
            if not any(p == path for p, _ in self.edits):
                body.append(f"- {path}")
        rationales = []
        for _, e in self.edits:
            r = (e.rationale or "").strip()
            if r and r not in rationales:
                rationales.append(r)
        text = subject + "\n\n" + "\n".join(body)
        if rationales:
            text += "\n\n" + "\n\n".join(rationales)
        trailer = ", ".join(self.codemods) if self.codemods else "dockwright"
        return text + f"\n\n{gitops.TRAILER}: {trailer}\n"


_ESCAPE_DIRECTIVE = re.compile(r"^#\s*escape\s*=\s*(\S)\s*$", re.IGNORECASE)


def _escape_char(lines: list[str]) -> str:
    for line in lines:
        s = line.strip()
        if not s.startswith("#"):
            break
        m = _ESCAPE_DIRECTIVE.match(s)
        if m:
            return m.group(1)
    return "\\"


def _hunks(a: list[str], b: list[str]):
    """The changed regions between two line lists. A replaced block with as many lines after as
    before is cut into one hunk per line, so neighbouring lines edited by different codemods can
    still land in different commits."""
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    hunks = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1 > 1:
            hunks += [("replace", i1 + k, i1 + k + 1, j1 + k, j1 + k + 1) for k in range(i2 - i1)
                      if a[i1 + k] != b[j1 + k]]
        else:
            hunks.append((tag, i1, i2, j1, j2))
    return hunks


def _apply(a: list[str], b: list[str], hunks, chosen: set[int]) -> str:
    out: list[str] = []
    pos = 0
    for k, (_tag, i1, i2, j1, j2) in enumerate(hunks):
        out.extend(a[pos:i1])
        out.extend(b[j1:j2] if k in chosen else a[i1:i2])
        pos = i2
    out.extend(a[pos:])
    return "".join(out)


def split_by_codemod(result: FileResult) -> dict[str, set[int]] | None:
    """Which diff hunks each codemod made, when every hunk belongs to exactly one codemod.

    A hunk belongs to the codemods whose `Edit.line` falls inside the instruction(s) it touches
    (continuation lines are followed back to the instruction's first line). None when any hunk is
    ambiguous or a codemod gets no hunk: the file then goes into one combined commit, which is
    always exact."""
    mods = pr_body.codemods_of(result)
    a, b = result.original.splitlines(True), result.output.splitlines(True)
    hunks = _hunks(a, b)
    if not mods or not hunks:
        return None
    if len(mods) == 1:
        return {mods[0]: set(range(len(hunks)))}
    esc = _escape_char(a)

    def continues(line: str) -> bool:
        s = line.rstrip("\r\n").rstrip(" \t")
        return s.endswith(esc) and not s.lstrip().startswith("#")

    assign: dict[str, set[int]] = {}
    for k, (_tag, i1, i2, _j1, _j2) in enumerate(hunks):
        lo, hi = (i1 + 1, i2) if i2 > i1 else (max(1, i1), i1 + 1)
        while lo > 1 and continues(a[lo - 2]):
            lo -= 1
        owners = {e.codemod for e in result.edits if lo <= e.line <= hi}
        if len(owners) != 1:
            return None
        assign.setdefault(owners.pop(), set()).add(k)
    if set(assign) != set(mods):
        return None
    return assign


def plan_commits(changes: list[Change]) -> list[PlannedCommit]:
    order: list[str] = []
    for ch in changes:
        for c in pr_body.codemods_of(ch.result):
            if c not in order:
                order.append(c)
    splits = {ch.path: split_by_codemod(ch.result) for ch in changes}
    applied: dict[str, set[int]] = {ch.path: set() for ch in changes}
    commits: list[PlannedCommit] = []
    for codemod in order:
        files: dict[str, str] = {}
        edits: list[tuple[str, Edit]] = []
        for ch in changes:
            split = splits[ch.path]
            if not split or codemod not in split:
                continue
            applied[ch.path] |= split[codemod]
            a, b = ch.result.original.splitlines(True), ch.result.output.splitlines(True)
            files[ch.path] = _apply(a, b, _hunks(a, b), applied[ch.path])
            edits += [(ch.path, e) for e in ch.result.edits if e.codemod == codemod]
        if files:
            commits.append(PlannedCommit([codemod], files, edits))
    rest_files: dict[str, str] = {}
    rest_edits: list[tuple[str, Edit]] = []
    rest_mods: list[str] = []
    for ch in changes:
        if not splits[ch.path]:
            rest_files[ch.path] = ch.result.output
            rest_edits += [(ch.path, e) for e in ch.result.edits]
            rest_mods += [c for c in pr_body.codemods_of(ch.result) if c not in rest_mods]
        rest_files.update(ch.extra)
    if rest_files:
        commits.append(PlannedCommit(rest_mods, rest_files, rest_edits))
    return commits

"""Presenting results: the explanation block before each diff, JSON and SARIF findings, and the
exit code of a run."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from refactor.engine import exitcodes
from refactor.engine.diffing import unified_diff
from refactor.engine.results import FileResult


def display_path(result: FileResult) -> str:
    return result.path.as_posix()


def file_diff(result: FileResult) -> str:
    parts = []
    if result.output != result.original:
        parts.append(unified_diff(result.original, result.output, display_path(result)))
    for extra, text in sorted(result.extra_files.items()):
        old = extra.read_text("utf-8") if extra.is_file() else ""
        if old != text:
            parts.append(unified_diff(old, text, extra.as_posix(), new_file=not extra.exists()))
    return "".join(parts)


def explanation(result: FileResult, verbose: bool = False) -> str:
    """Lines starting with `#`, which `patch` skips as leading text before each file's diff:
    each codemod's edits, then once its rationale."""
    lines = [f"# {display_path(result)}: {len(result.edits)} edit{'s' * (len(result.edits) != 1)}"]
    order: list[str] = []
    for e in result.edits:
        if e.codemod not in order:
            order.append(e.codemod)
    for codemod in order:
        edits = [e for e in result.edits if e.codemod == codemod]
        for e in edits:
            where = f"line {e.line}" if e.line else "new"
            lines.append(f"#   [{e.codemod}] ({e.safety.value}) {where}: {e.summary}")
        for r in edits[0].rationale.strip().splitlines():
            lines.append(f"#       {r.strip()}" if r.strip() else "#")
    if verbose:
        for s in result.skips:
            where = f" line {s.line}" if s.line else ""
            lines.append(f"#   skipped [{s.codemod}]{where}: {s.reason}")
    return "\n".join(lines) + "\n"


def skip_lines(result: FileResult) -> str:
    out = []
    for s in result.skips:
        where = f":{s.line}" if s.line else ""
        out.append(f"{display_path(result)}{where}: skipped [{s.codemod}]: {s.reason}\n")
    return "".join(out)


def result_json(result: FileResult, with_diff: bool) -> dict:
    d = {
        "path": display_path(result),
        "changed": result.changed,
        "error": result.error,
        "internal_errors": list(result.internal_errors),
        "edits": [
            {"codemod": e.codemod, "safety": e.safety.value, "line": e.line, "summary": e.summary,
             "rationale": e.rationale}
            for e in result.edits
        ],
        "skips": [{"codemod": s.codemod, "line": s.line, "reason": s.reason} for s in result.skips],
        "extra_files": sorted(p.as_posix() for p in result.extra_files),
    }
    if with_diff:
        d["diff"] = file_diff(result)
    return d


def sarif(results: Iterable[FileResult]) -> dict:
    from refactor.codemods import REGISTRY

    rules = [
        {
            "id": c.id,
            "shortDescription": {"text": c.summary},
            "fullDescription": {"text": c.rationale.strip()},
            "properties": {"safety": c.safety.value, "hadolint": list(c.hadolint)},
        }
        for c in REGISTRY
    ]
    out = []
    for r in results:
        for e in r.edits:
            out.append({
                "ruleId": e.codemod,
                "level": "warning" if e.safety.value == "safe" else "note",
                "message": {"text": f"{e.summary} ({e.safety.value})"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": display_path(r)},
                    "region": {"startLine": max(e.line, 1)},
                }}],
            })
        if r.error:
            out.append({
                "ruleId": "parse-error",
                "level": "error",
                "message": {"text": r.error},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": display_path(r)}}}],
            })
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "dockwright", "rules": rules}}, "results": out}],
    }


@dataclass
class Report:
    """The run's totals and problems, added up file by file."""
    check: bool = False
    changed: int = 0
    edits: int = 0
    errors: int = 0
    refused: int = 0
    internal: int = 0  # codemod exceptions (a dockwright bug), each reported as an error
    problems: list[str] = field(default_factory=list)

    def add(self, result: FileResult) -> None:
        self.internal += len(result.internal_errors)
        if result.error:
            if ": refused: " in result.error:
                self.refused += 1
            else:
                self.errors += 1
        elif result.changed:
            self.changed += 1
            self.edits += len(result.edits)

    @property
    def return_code(self) -> int:
        if self.refused or self.internal:
            return exitcodes.INTERNAL_ERROR
        if self.errors or self.problems:
            return exitcodes.PARSE_ERROR
        if self.check and self.changed:
            return exitcodes.WOULD_CHANGE
        return exitcodes.OK

    def summary(self, verb: str) -> str:
        s = f"{self.changed} file{'s' * (self.changed != 1)} {verb}, {self.edits} edit{'s' * (self.edits != 1)}"
        if self.errors or self.problems:
            s += f", {self.errors + len(self.problems)} error{'s' * (self.errors + len(self.problems) != 1)}"
        if self.refused:
            s += f", {self.refused} refused by the engine's checks"
        if self.internal:
            s += f", {self.internal} internal error{'s' * (self.internal != 1)} (changes dropped; please report)"
        return s

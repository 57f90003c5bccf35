"""The text of the bot's pull request: title, summary table, per-change rationale and safety,
image sizes when `--verify` ran, and how to reproduce it locally.

Pure functions of the `FileResult`s (no git, no network), so they are easy to test and the body is
identical from one run to the next when nothing changed (the bot then skips the PATCH)."""
from __future__ import annotations

import difflib
import shlex
from dataclasses import dataclass, field

from refactor.codemods.base import Safety
from refactor.engine.results import FileResult

MARKER = "<!-- dockwright-bot -->"
GITHUB_BODY_LIMIT = 65536  # characters GitHub accepts in a pull request body


@dataclass
class FileReport:
    """One refactored file as the PR shows it."""

    path: str  # repository-relative, posix
    result: FileResult
    sizes: dict | None = None  # {"size_before": int, "size_after": int} when --verify built it
    verify_note: str | None = None  # why there are no sizes (verify not run, or failed to build)
    extra_files: dict[str, str] = field(default_factory=dict)  # repository-relative path -> text


@dataclass
class LeftOut:
    path: str
    reason: str


def line_counts(before: str, after: str) -> tuple[int, int]:
    """(lines added, lines removed), as a unified diff counts them."""
    a, b = before.splitlines(), after.splitlines()
    added = removed = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, removed


def codemods_of(result: FileResult) -> list[str]:
    seen: list[str] = []
    for edit in result.edits:
        if edit.codemod not in seen:
            seen.append(edit.codemod)
    return seen


def human_size(n: int | float) -> str:
    n = float(n)
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"  # pragma: no cover


def size_cell(sizes: dict | None) -> str:
    if not sizes or sizes.get("size_before") is None or sizes.get("size_after") is None:
        return "—"
    before, after = sizes["size_before"], sizes["size_after"]
    cell = f"{human_size(before)} → {human_size(after)}"
    if before:
        pct = (after - before) * 100.0 / before
        cell += f" ({pct:+.1f}%)"
    return cell


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def render_title(reports: list[FileReport]) -> str:
    n = len(reports)
    unsafe = any(e.safety == Safety.UNSAFE for r in reports for e in r.result.edits)
    title = f"Refactor {n} Dockerfile{'s' if n != 1 else ''} with dockwright"
    if unsafe:
        title += " (includes changes to review)"
    return title


def render_body(reports: list[FileReport], *, base: str, branch: str, verified: bool,
                left_out: list[LeftOut] | None = None, errors: list[LeftOut] | None = None) -> str:
    left_out = left_out or []
    errors = errors or []
    n_edits = sum(len(r.result.edits) for r in reports)
    lines: list[str] = [
        MARKER,
        "## dockwright: Dockerfile refactoring",
        "",
        f"dockwright made {n_edits} change{'s' if n_edits != 1 else ''} to {len(reports)} "
        f"file{'s' if len(reports) != 1 else ''} on `{base}`, one commit per codemod on `{branch}` "
        "where the changes can be told apart. Everything not listed below is byte-for-byte unchanged.",
        "",
    ]
    header = "| File | Codemods | Lines | Image size (before → after) |" if verified else \
        "| File | Codemods | Lines |"
    lines += [header, "|---|---|---|---|" if verified else "|---|---|---|"]
    for r in reports:
        added, removed = line_counts(r.result.original, r.result.output)
        mods = ", ".join(_code(c) for c in codemods_of(r.result)) or "—"
        row = f"| {_cell(_code(r.path))} | {_cell(mods)} | +{added} / −{removed} |"
        if verified:
            row += f" {_cell(size_cell(r.sizes) if r.sizes else (r.verify_note or '—'))} |"
        lines.append(row)
        for extra, text in r.extra_files.items():
            row = f"| {_cell(_code(extra))} (new, beside {_cell(_code(r.path))}) | — | +{len(text.splitlines())} / −0 |"
            lines.append(row + (" — |" if verified else ""))
    lines.append("")

    unsafe = [(r, e) for r in reports for e in r.result.edits if e.safety == Safety.UNSAFE]
    if unsafe:
        lines += [
            f"> **Review needed:** {len(unsafe)} change{'s' if len(unsafe) != 1 else ''} below "
            "{} marked *unsafe*: the image may behave differently at run time.".format(
                "is" if len(unsafe) == 1 else "are"),
            "",
        ]

    lines += ["### Changes", ""]
    for r in reports:
        lines.append(f"#### {_code(r.path)}")
        lines.append("")
        if verified:
            if r.sizes:
                lines.append(f"Built before and after: {size_cell(r.sizes)}.")
            else:
                lines.append(f"Not built: {r.verify_note or 'no image size was reported'}.")
            lines.append("")
        for e in r.result.edits:
            safety = "safe" if e.safety == Safety.SAFE else "⚠️ unsafe — runtime behaviour may change"
            lines.append(f"- **{_code(e.codemod)}** (line {e.line}, {safety}): {e.summary}")
            if e.rationale:
                lines.append(f"  {e.rationale.strip()}".replace("\n", "\n  "))
        if not r.result.edits:
            lines.append("- Whitespace or layout only.")
        for extra in r.extra_files:
            lines.append(f"- Adds {_code(extra)} beside it.")
        lines.append("")

    if left_out or errors:
        lines += ["### Not in this pull request", ""]
        for item in left_out:
            lines.append(f"- {_code(item.path)}: {item.reason}")
        for item in errors:
            lines.append(f"- {_code(item.path)}: could not be processed: {item.reason}")
        lines.append("")

    paths = " ".join(_shell_quote(r.path) for r in reports)
    lines += [
        "### Reproduce locally",
        "",
        "```sh",
        "pip install dockwright",
        f"git checkout {_shell_quote(base)}",
        f"dockwright --diff {paths}",
        f"dockwright --apply {paths}   # to make the same edits yourself",
        "```",
        "",
        f"Merging applies the changes. Closing this pull request is fine too: the bot does not reopen "
        "it for the same changes, only when the Dockerfiles change again. Do not push to "
        f"`{branch}` yourself: the bot stops rather than overwrite commits it did not write.",
    ]
    body = "\n".join(lines) + "\n"
    if len(body) > GITHUB_BODY_LIMIT:
        note = "\n\n… (truncated: run `dockwright --diff` locally for the full list)\n"
        body = body[: GITHUB_BODY_LIMIT - len(note)] + note
    return body


def _shell_quote(text: str) -> str:
    return shlex.quote(text)

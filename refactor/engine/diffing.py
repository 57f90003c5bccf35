"""Unified diffs that `patch -p1` applies to give exactly what `--apply` writes."""
from __future__ import annotations

import difflib
import re

_LINES = re.compile(r"[^\n]*\n|[^\n]+")

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(old: str, new: str, path: str, *, new_file: bool = False, context: int = 3) -> str:
    # Split at "\n" only: str.splitlines would also cut at \r, \f, \x1c... inside lines.
    a = _LINES.findall(old)
    b = _LINES.findall(new)
    out: list[str] = []
    from_name = "/dev/null" if new_file else f"a/{path}"
    for line in difflib.unified_diff(a, b, from_name, f"b/{path}", n=context):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\n") + "\n")
            continue
        if not line.endswith("\n"):
            out.append(line + "\n")
            out.append(_NO_NEWLINE)
        else:
            out.append(line)
    return "".join(out)


def colorize(diff: str) -> str:
    import click

    out = []
    for line in _LINES.findall(diff):
        if line.startswith(("+++", "---")):
            out.append(click.style(line, bold=True))
        elif line.startswith("@@"):
            out.append(click.style(line, fg="cyan"))
        elif line.startswith("+"):
            out.append(click.style(line, fg="green"))
        elif line.startswith("-"):
            out.append(click.style(line, fg="red"))
        else:
            out.append(line)
    return "".join(out)

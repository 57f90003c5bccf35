"""Unified diffs that `patch -p1` applies to give exactly what `--apply` writes.

Lines are matched by difflib's SequenceMatcher, as `difflib.unified_diff` matches them, while
the two texts have at most `_DIFFLIB_LINES` lines together (every real Dockerfile: the largest
of 3,409 has 511). Its matching is quadratic on long texts whose lines repeat (a 10,000-line file
of similar blocks took 3 s to diff, more than the refactoring), so longer texts are matched in
linear-logarithmic time, as patience diff does: the common head and tail are matched, then the
lines found exactly once in each text anchor the longest run of them in the same order, and the
gaps between anchors are matched the same way, by SequenceMatcher once they are small. A gap with
no such line that is still large is shown as replaced: a coarser diff, as exact."""
from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter

_LINES = re.compile(r"[^\n]*\n|[^\n]+")

_NO_NEWLINE = "\\ No newline at end of file\n"

_DIFFLIB_LINES = 2_000  # both texts together; beyond, the anchored matching
_SMALL_GAP = 250_000  # lines of one side times lines of the other: a gap SequenceMatcher matches


def unified_diff(old: str, new: str, path: str, *, new_file: bool = False, context: int = 3) -> str:
    # Split at "\n" only: str.splitlines would also cut at \r, \f, \x1c... inside lines.
    a = _LINES.findall(old)
    b = _LINES.findall(new)
    from_name = "/dev/null" if new_file else f"a/{path}"
    matcher = difflib.SequenceMatcher(None, a, b) if len(a) + len(b) <= _DIFFLIB_LINES else _anchored(a, b)
    out: list[str] = []
    for group in matcher.get_grouped_opcodes(context):
        if not out:
            out.append(f"--- {from_name}\n")
            out.append(f"+++ b/{path}\n")
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                _lines(out, " ", a[i1:i2])
                continue
            if tag in ("replace", "delete"):
                _lines(out, "-", a[i1:i2])
            if tag in ("replace", "insert"):
                _lines(out, "+", b[j1:j2])
    return "".join(out)


def _lines(out: list[str], mark: str, lines: list[str]) -> None:
    for line in lines:
        out.append(mark + line)
        if not line.endswith("\n"):
            out.append("\n")
            out.append(_NO_NEWLINE)


def _range(start: int, stop: int) -> str:
    """A hunk's line range as `diff -u` writes it (difflib's `_format_range_unified`)."""
    beginning = start + 1
    length = stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def _anchored(a: list[str], b: list[str]) -> difflib.SequenceMatcher:
    """A SequenceMatcher whose matching blocks are found by anchoring on unique lines."""
    blocks: list[tuple[int, int, int]] = []
    todo = [(0, len(a), 0, len(b))]
    while todo:
        alo, ahi, blo, bhi = todo.pop()
        i, j = alo, blo
        while i < ahi and j < bhi and a[i] == b[j]:
            i += 1
            j += 1
        if i > alo:
            blocks.append((alo, blo, i - alo))
        alo, blo = i, j
        i, j = ahi, bhi
        while i > alo and j > blo and a[i - 1] == b[j - 1]:
            i -= 1
            j -= 1
        if i < ahi:
            blocks.append((i, j, ahi - i))
        ahi, bhi = i, j
        if alo == ahi or blo == bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= _SMALL_GAP:
            sub = difflib.SequenceMatcher(None, a[alo:ahi], b[blo:bhi])
            blocks.extend((alo + x, blo + y, n) for x, y, n in sub.get_matching_blocks() if n)
            continue
        anchors = _unique_anchors(a, alo, ahi, b, blo, bhi)
        pi, pj = alo, blo
        for i, j in anchors:
            blocks.append((i, j, 1))
            todo.append((pi, i, pj, j))
            pi, pj = i + 1, j + 1
        if anchors:
            todo.append((pi, ahi, pj, bhi))
        # no anchor: the gap stays unmatched, one replace
    blocks.sort()
    merged: list[list[int]] = []
    for i, j, n in blocks:
        if merged and merged[-1][0] + merged[-1][2] == i and merged[-1][1] + merged[-1][2] == j:
            merged[-1][2] += n
        else:
            merged.append([i, j, n])
    matcher = difflib.SequenceMatcher(None, (), ())
    matcher.matching_blocks = [difflib.Match(i, j, n) for i, j, n in merged] + [difflib.Match(len(a), len(b), 0)]
    return matcher


def _unique_anchors(a, alo, ahi, b, blo, bhi) -> list[tuple[int, int]]:
    """The longest run, in order in both, of the lines found once in a[alo:ahi] and once in
    b[blo:bhi] (patience sorting)."""
    in_a = Counter(a[alo:ahi])
    in_b = Counter(b[blo:bhi])
    where_b = {b[j]: j for j in range(blo, bhi) if in_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(alo, ahi) if in_a[a[i]] == 1 and a[i] in where_b]
    tails: list[int] = []  # the smallest last j of an increasing run of each length
    tail_at: list[int] = []  # the pair ending that run
    back: list[int] = []  # each pair's predecessor in its run
    for k, (_, j) in enumerate(pairs):
        n = bisect.bisect_left(tails, j)
        back.append(tail_at[n - 1] if n else -1)
        if n == len(tails):
            tails.append(j)
            tail_at.append(k)
        else:
            tails[n] = j
            tail_at[n] = k
    run: list[tuple[int, int]] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        run.append(pairs[k])
        k = back[k]
    run.reverse()
    return run


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

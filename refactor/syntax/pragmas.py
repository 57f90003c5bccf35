"""Inline suppression: `# dockwright: ignore[apt-cleanup,non-root]` (or a bare
`# dockwright: ignore`) in the comment lines directly above an instruction, and
`# dockwright: skip-file` on any comment line of the file."""
from __future__ import annotations

import re

from refactor.syntax.nodes import Comment, Dockerfile, Instruction

_IGNORE = re.compile(r"#\s*dockwright:\s*ignore(?:\[([^\]]*)\])?\s*$", re.I)
_SKIP_FILE = re.compile(r"#\s*dockwright:\s*skip-file\s*$", re.I)


def ignored_codemods(inst: Instruction) -> frozenset[str] | None:
    """The codemod ids suppressed for `inst`; an empty set means all of them; None: none."""
    ids: set[str] = set()
    everything = False
    for t in inst.leading:
        if not isinstance(t, Comment):
            continue
        m = _IGNORE.search(t.text.strip())
        if m is None:
            continue
        if m.group(1) is None:
            everything = True
        else:
            ids.update(x.strip() for x in m.group(1).split(",") if x.strip())
    if everything:
        return frozenset()
    return frozenset(ids) if ids else None


def is_ignored(inst: Instruction, codemod_id: str) -> bool:
    ids = ignored_codemods(inst)
    return ids is not None and (not ids or codemod_id in ids)


def skips_file(df: Dockerfile) -> bool:
    comments = [d.text for d in df.directives]
    for inst in df.instructions:
        comments += [t.text for t in inst.leading if isinstance(t, Comment)]
    comments += [t.text for t in df.trailing if isinstance(t, Comment)]
    return any(_SKIP_FILE.search(c.strip()) for c in comments)

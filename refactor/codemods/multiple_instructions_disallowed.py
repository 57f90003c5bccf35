"""multiple-instructions-disallowed: a CMD, ENTRYPOINT or HEALTHCHECK overridden later in the same
stage is removed.

What it does
    In each stage, keeps only the last CMD, the last ENTRYPOINT and the last HEALTHCHECK; the
    earlier ones, which the image never uses, are removed. The comment lines above a removed
    instruction stay in the file (they move down to the next instruction): dockwright never
    drops a comment.

Why
    Only the last one of each takes effect; BuildKit reports the earlier ones (build check
    MultipleInstructionsDisallowed), hadolint too (DL4003 CMD, DL4004 ENTRYPOINT, DL3012
    HEALTHCHECK). A reader who stops at the first one is misled about what the container runs.

Example
    CMD ["npm", "run", "dev"]
    CMD ["node", "server.js"]    →   CMD ["node", "server.js"]

Safety
    Safe: the image config is the same (an ENTRYPOINT still resets an inherited CMD exactly
    when the stage sets none, which removing an earlier ENTRYPOINT or CMD does not change).
    ONBUILD instructions are left alone.
"""
from __future__ import annotations

from refactor.codemods._checks import error_note, gate, remove_instructions
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.nodes import Dockerfile

RULE = "MultipleInstructionsDisallowed"
KINDS = ("CMD", "ENTRYPOINT", "HEALTHCHECK")


class MultipleInstructionsDisallowed(Codemod):
    id = "multiple-instructions-disallowed"
    summary = "overridden CMD/ENTRYPOINT/HEALTHCHECK removed"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL4003", "DL4004", "DL3012")

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        remove: set[int] = set()
        notes = []
        for stage in df.stages:
            for kind in KINDS:
                found = [i for i in stage.instructions if i.cmd == kind]
                last = found[-1] if found else None
                for inst in found[:-1]:
                    if g.runs(inst) and g.runs(last):
                        remove.add(id(inst))
                        notes.append((inst, kind, last.start.line if last.start else 0))
        if not remove:
            return df
        # In one pass: removing one at a time re-lists the whole file each time.
        new_df, heirs = remove_instructions(df, remove)
        for inst, kind, line in notes:
            heir = heirs.get(id(inst))
            # The next instruction kept receives the removed one's comment lines: claimed too.
            ctx.edit(self, inst, f"removed {kind}: the {kind} on line {line} overrides it{error_note(df, RULE)}",
                     touched=(heir,) if heir is not None else ())
        return new_df


CODEMOD = MultipleInstructionsDisallowed()

"""maintainer-deprecated: `MAINTAINER` becomes the OCI authors label.

What it does
    Replaces `MAINTAINER <text>` with `LABEL org.opencontainers.image.authors="<text>"`, the
    text exactly as written (quotes, `$` and the escape character escaped so the label holds the
    same characters), in the keyword's own case.

Why
    MAINTAINER has been deprecated since Docker 1.13; BuildKit reports it (build check
    MaintainerDeprecated) and hadolint too (DL4000). The OCI label is what registries, scanners
    and `docker inspect` show as the image's authors.

Example
    MAINTAINER Jane Doe <jane@example.com>
    →   LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"

Safety
    Safe: nothing the container runs changes. The image config's legacy `Author` field is no
    longer set; the label carries the same text. Declines where the stage already sets the
    authors label (the MAINTAINER would silently override or be overridden), inside ONBUILD,
    and where a comment line sits inside the instruction's continuation lines.
"""
from __future__ import annotations

from refactor.codemods._checks import error_note, gate, apply_replacements
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.edit import _keep_position, new_instruction
from refactor.syntax.nodes import Continuation, Dockerfile

RULE = "MaintainerDeprecated"
LABEL = "org.opencontainers.image.authors"


def double_quoted(text: str, escape: str) -> str:
    """`text` as a double-quoted word that BuildKit's word processing reads back unchanged."""
    out = []
    for ch in text:
        if ch in ('"', "$", escape):
            out.append(escape)
        out.append(ch)
    return '"' + "".join(out) + '"'


class MaintainerDeprecated(Codemod):
    id = "maintainer-deprecated"
    summary = "MAINTAINER becomes LABEL org.opencontainers.image.authors"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL4000",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        repl: dict = {}  # applied at the end, in one pass
        for stage in df.stages:
            sets_label = any(i.cmd == "LABEL" and LABEL in i.value[::2] for i in stage.instructions)
            for inst in stage.instructions:
                if inst.cmd != "MAINTAINER" or not g.runs(inst):
                    continue
                if sets_label:
                    ctx.skip(self, f"the stage already sets {LABEL}: left as written", inst)
                    continue
                if any(isinstance(p, Continuation) and p.lines for p in inst.pieces):
                    ctx.skip(self, "comment lines inside the instruction: left as written", inst)
                    continue
                text = inst.args
                if not text:
                    continue
                keyword = "label" if inst.keyword.islower() else "LABEL"
                new = new_instruction(f"{inst.indent}{keyword} {LABEL}={double_quoted(text, inst.escape)}",
                                      inst, leading=inst.leading)
                if not inst.newline:
                    new = new.with_changes(newline="")  # it ends the file without a line break: so does the LABEL
                new = _keep_position(new, inst)
                if new.value != (LABEL, double_quoted(text, inst.escape)):
                    ctx.skip(self, "the label would not read back as the same text", inst)
                    continue
                repl[id(inst)] = new
                ctx.edit(self, new, f"MAINTAINER → LABEL {LABEL}{error_note(df, RULE)}", touched=(inst,))
        return apply_replacements(df, repl)


CODEMOD = MaintainerDeprecated()

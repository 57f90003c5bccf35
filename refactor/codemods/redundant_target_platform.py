"""redundant-target-platform: `FROM --platform=$TARGETPLATFORM` loses the flag.

What it does
    Removes `--platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`) from FROM.

Why
    A stage is built for the target platform by default; BuildKit reports the flag as redundant
    (build check RedundantTargetPlatform), and hadolint's DL3029 asks not to use `--platform`
    with FROM at all. Without the flag, the stage reads as what it is: the default.

Example
    FROM --platform=$TARGETPLATFORM alpine   →   FROM alpine

Safety
    Safe: TARGETPLATFORM is the platform the stage is built for anyway. Declines where the file
    redefines TARGETPLATFORM with a global `ARG TARGETPLATFORM=...` default, and where the flag
    is not followed by a blank on its line.
"""
from __future__ import annotations

from refactor.codemods._checks import error_note, gate, apply_replacements
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.edit import _keep_position, reparse_instruction
from refactor.syntax.nodes import Dockerfile, Piece

RULE = "RedundantTargetPlatform"
REDUNDANT = ("--platform=$TARGETPLATFORM", "--platform=${TARGETPLATFORM}")


class RedundantTargetPlatform(Codemod):
    id = "redundant-target-platform"
    summary = "FROM --platform=$TARGETPLATFORM loses the redundant flag"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL3029",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        repl: dict = {}  # applied at the end, in one pass
        redefined = False
        for inst in df.instructions:
            if inst.cmd == "FROM":
                break
            if inst.cmd == "ARG" and any(w.split("=", 1)[0] == "TARGETPLATFORM" and "=" in w for w in inst.value):
                redefined = True
        for inst in list(df.instructions):
            if inst.cmd != "FROM" or not g.runs(inst):
                continue
            pieces = inst.pieces
            hit = [k for k, p in enumerate(pieces) if isinstance(p, Piece) and p.kind == "FLAG" and p.text in REDUNDANT]
            if not hit:
                continue
            if redefined:
                ctx.skip(self, "a global ARG gives TARGETPLATFORM a default: the flag may not be redundant", inst)
                continue
            k = hit[0]
            if k + 1 >= len(pieces) or not (isinstance(pieces[k + 1], Piece) and pieces[k + 1].kind == "WS"):
                ctx.skip(self, "the flag ends its line: left as written", inst)
                continue
            rest = pieces[:k] + pieces[k + 2:]
            text = inst.indent + "".join(p.code for p in rest) + inst.newline
            new = _keep_position(reparse_instruction(text, inst.escape, inst.leading), inst)
            if new.flag_value("platform") is not None or new.value != inst.value:
                ctx.skip(self, "the rewritten FROM would not read back the same: left as written", inst)
                continue
            repl[id(inst)] = new
            ctx.edit(self, new, f"removed {pieces[k].text}{error_note(df, RULE)}", touched=(inst,))
        return apply_replacements(df, repl)


CODEMOD = RedundantTargetPlatform()

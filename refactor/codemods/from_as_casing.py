"""from-as-casing: the `AS` of a FROM in the case of its `FROM`.

What it does
    `FROM node:20 as build` becomes `FROM node:20 AS build` (and `from x AS y` becomes
    `from x as y`). A keyword in mixed case (`From`) is left to consistent-instruction-casing,
    as BuildKit leaves it.

Why
    BuildKit reports an `AS` whose case differs from its `FROM` (build check FromAsCasing); a
    file that reads one way is easier to scan and to grep.

Example
    FROM golang:1.22 as build   →   FROM golang:1.22 AS build

Safety
    Safe: `AS` is matched case-insensitively; the image is the same. Declines where the word is
    broken by a line continuation.
"""
from __future__ import annotations

from refactor.codemods._checks import error_note, gate, replace_arg_word, apply_replacements
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.nodes import Dockerfile

RULE = "FromAsCasing"


class FromAsCasing(Codemod):
    id = "from-as-casing"
    summary = "AS in the case of its FROM"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        repl: dict = {}  # applied at the end, in one pass
        for inst in list(df.instructions):
            if inst.cmd != "FROM" or len(inst.value) < 3 or not g.runs(inst):
                continue
            kw, as_word = inst.keyword, inst.value[1]
            if kw == kw.lower():
                want = as_word.lower()
            elif kw == kw.upper():
                want = as_word.upper()
            else:
                continue  # BuildKit: an inconsistent FROM is ConsistentInstructionCasing's finding
            if want == as_word:
                continue
            new = replace_arg_word(inst, 1, want)
            if new is None or new.value[1] != want:
                ctx.skip(self, "the AS word is broken by a line continuation: left as written", inst)
                continue
            repl[id(inst)] = new
            ctx.edit(self, new, f"{as_word} → {want}{error_note(df, RULE)}", touched=(inst,))
        return apply_replacements(df, repl)


CODEMOD = FromAsCasing()

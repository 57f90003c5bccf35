"""legacy-key-value: `ENV key value` and `LABEL key value` become `key=value`.

What it does
    Rewrites the legacy whitespace-separated form of ENV and LABEL to `key=value`. BuildKit
    reads the legacy form as: the key is the first word, the value is the rest of the logical
    line, blanks inside it kept. The new value is that same text: as written when it is one word
    (`ENV PATH /opt/bin:$PATH` → `ENV PATH=/opt/bin:$PATH`), else wrapped in double quotes
    (`ENV MSG hello  world` → `ENV MSG="hello  world"`, both blanks kept). Line continuations and
    the comment lines inside them stay where they are.

Why
    BuildKit reports the legacy form (build check LegacyKeyValueFormat) and may drop it; it is
    also a trap: `ENV A b c` sets A to `b c`, not A=b and c. With `key=value` several variables
    fit one instruction and the meaning is plain.

Example
    ENV NODE_ENV production     →   ENV NODE_ENV=production
    LABEL description My app    →   LABEL description="My app"

Safety
    Safe: BuildKit reads the same key and the same value (each new instruction is checked against
    the old one's value before it is kept). Declines, with the reason, where the value mixes
    quotes or escapes with blanks (re-quoting it is not provably the same), where the key is not
    a plain word, and where a comment line sits between the key and the value.
"""
from __future__ import annotations

from refactor.codemods._checks import error_note, gate, apply_replacements
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax import buildkit
from refactor.syntax.edit import _keep_position, reparse_instruction
from refactor.syntax.nodes import Continuation, Dockerfile, Instruction, Piece

RULE = "LegacyKeyValueFormat"


def is_legacy(inst: Instruction) -> bool:
    """BuildKit's parseNameVal takes the legacy branch: the first word has no `=`."""
    memo = inst._memo  # nodes are immutable: the answer is asked each round, computed once
    if "legacy_kv" not in memo:
        words = buildkit._parse_words(inst.args, inst.escape)
        memo["legacy_kv"] = bool(words) and "=" not in words[0]
    return memo["legacy_kv"]


def _logical_map(inst: Instruction) -> tuple[str, list[int], str]:
    """The argument text as BuildKit assembles it, the physical offset of each of its characters,
    and the physical text (from the first argument piece to the end of the instruction)."""
    start = next(i for i, p in enumerate(inst.pieces) if isinstance(p, Piece) and p.kind == "ARG")
    logical: list[str] = []
    offsets: list[int] = []
    physical = ""
    for p in inst.pieces[start:]:
        if isinstance(p, Piece):
            for k, ch in enumerate(p.text):
                logical.append(ch)
                offsets.append(len(physical) + k)
        physical += p.code
    return "".join(logical), offsets, physical


class LegacyKeyValue(Codemod):
    id = "legacy-key-value"
    summary = "ENV/LABEL key value becomes key=value"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        repl: dict = {}  # applied at the end, in one pass
        for inst in df.instructions:
            if inst.cmd not in ("ENV", "LABEL") or inst.heredocs or not g.runs(inst):
                continue
            try:
                if not is_legacy(inst):
                    continue
            except buildkit.BuildKitError:
                continue
            new, reason = self._rewrite(inst)
            if new is None:
                ctx.skip(self, reason, inst)
                continue
            repl[id(inst)] = new
            ctx.edit(self, new, f"{inst.cmd} {inst.value[0]} … → {inst.value[0]}=…{error_note(df, RULE)}",
                     touched=(inst,))
        return apply_replacements(df, repl)

    def _rewrite(self, inst: Instruction) -> tuple[Instruction | None, str]:
        key, value = inst.value
        escape = inst.escape
        logical, offsets, physical = _logical_map(inst)
        if not logical.startswith(key) or not key or any(c in key for c in ('"', "'", escape)):
            return None, f"the key {key!r} is not a plain word: left as written"
        end = len(logical.rstrip("".join(buildkit.GO_SPACE)))
        vstart = logical.index(value, len(key)) if value else -1
        if vstart < 0 or logical[vstart:end] != value:
            return None, "could not locate the value in the text: left as written"
        key_end = offsets[len(key) - 1] + 1
        v0, v1 = offsets[vstart], offsets[end - 1] + 1
        gap = physical[key_end:v0]
        if any(("#" in line) for line in gap.splitlines()[1:]):
            return None, "a comment line between the key and the value: left as written"
        words = buildkit._parse_words(value, escape)
        if words == [value]:
            new_value = physical[v0:v1]
        elif not any(c in value for c in ('"', "'", escape)):
            new_value = '"' + physical[v0:v1] + '"'
        else:
            return None, "the value mixes quotes or escapes with blanks: re-quoting it is not provably the same"
        head = inst.indent + "".join(p.code for p in inst.pieces[: len(inst.pieces) - len(_arg_tail(inst))])
        text = head + physical[:key_end] + "=" + new_value + physical[v1:] + inst.newline
        try:
            new = reparse_instruction(text, escape, inst.leading)
        except Exception as e:  # noqa: BLE001 - any failure means: do not touch it
            return None, f"the rewritten instruction does not parse ({e}): left as written"
        expected = value if words == [value] else '"' + value + '"'
        if new.value != (key, expected) or new.cmd != inst.cmd:
            return None, "the rewritten instruction would not read back the same: left as written"
        return _keep_position(new, inst), ""


def _arg_tail(inst: Instruction) -> tuple:
    start = next(i for i, p in enumerate(inst.pieces) if isinstance(p, Piece) and p.kind == "ARG")
    return inst.pieces[start:]


CODEMOD = LegacyKeyValue()

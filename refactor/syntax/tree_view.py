"""`dockwright parse` without --json: a readable outline of the tree."""
from __future__ import annotations

from refactor.syntax.nodes import Continuation, Dockerfile, Instruction


def _short(text: str, width: int = 60) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= width else text[: width - 1] + "…"


def _instruction_line(inst: Instruction, start: int, end: int) -> str:
    span = f"{start}" if start == end else f"{start}-{end}"
    bits = [f"{span:>9}  {inst.keyword or '(empty)'}"]
    if inst.sub_instruction:
        bits.append(f"→ {inst.sub_instruction}")
    if inst.flags:
        bits.append("flags=" + " ".join(inst.flags))
    bits.append(f"[{inst.form}]")
    bits.append(_short(" ".join(inst.value) if inst.is_json else inst.args))
    notes = []
    conts = sum(1 for p in inst.pieces if isinstance(p, Continuation))
    if conts:
        notes.append(f"{conts} continuation{'s' * (conts > 1)}")
    if inst.heredocs:
        notes.append("heredocs " + ", ".join(m.name for m in inst.heredoc_markers))
    if inst.comments:
        notes.append(f"{len(inst.comments)} comment{'s' * (len(inst.comments) > 1)} above")
    if notes:
        bits.append("(" + "; ".join(notes) + ")")
    return "  ".join(bits)


def render_tree(df: Dockerfile, name: str) -> str:
    lines = [f"{name}: escape {df.escape!r}, {len(df.instructions)} instructions, {len(df.stages)} stages"]
    if df.bom:
        lines.append("  BOM")
    for d in df.directives:
        lines.append(f"  directive {d.key} = {d.value}")
    stage_of = {}
    for stage in df.stages:
        for inst in stage.instructions:
            stage_of[id(inst)] = stage
    current = None
    for inst, start, end in df.line_spans():
        stage = stage_of.get(id(inst))
        if stage is not current and stage is not None:
            current = stage
            label = f' "{stage.name}"' if stage.name else ""
            plat = f" platform {stage.platform}" if stage.platform else ""
            lines.append(f"  stage {stage.index}{label}: {stage.base_image}{plat}")
        lines.append("  " + _instruction_line(inst, start, end))
    return "\n".join(lines)

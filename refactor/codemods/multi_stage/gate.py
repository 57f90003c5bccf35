"""The multi-stage codemod's first look at a file: the checks that need no ecosystem knowledge
(one stage, nothing but ARGs before FROM, a CMD, a FROM it reads, a base image it knows), in the
planner's order and with its reasons. A file declined here loads none of the planner, whose
strategies and knowledge modules are most of a one-file run's start-up (benchmarks/startup.py).
`_Decline` carries the reason the codemod skips."""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from refactor.syntax.nodes import Comment, Continuation

if TYPE_CHECKING:
    from refactor.knowledge.runner_images import Base
    from refactor.syntax.nodes import Dockerfile, Instruction, Stage


class _Decline(Exception):
    def __init__(self, reason: str, inst: Instruction | None = None) -> None:
        super().__init__(reason)
        self.inst = inst


class Candidate(NamedTuple):
    """A single-stage file on a base image whose family the planner knows."""

    stage: Stage
    from_inst: Instruction
    base_text: str  # the FROM image as written
    global_args: dict[str, str]  # the ARG defaults before FROM
    base: Base


def candidate(df: Dockerfile) -> Candidate:
    """The file's single stage and base image, or `_Decline` with the reason."""
    stages = df.stages
    if len(stages) > 1:
        raise _Decline("already multi-stage")
    if not stages:
        raise _Decline("no FROM instruction")
    stage = stages[0]
    from_inst = stage.from_instruction
    for inst in df.instructions:
        if inst.cmd == "FROM":
            break
        if inst.cmd != "ARG":
            raise _Decline(f"{inst.cmd} before FROM", inst)
    if any(i.cmd == "ONBUILD" for i in stage.instructions):
        raise _Decline("has ONBUILD triggers: a base image for other builds, not an app", None)
    for inst in stage.instructions:
        # the split rewrites and moves instructions whole: a comment line inside one would
        # have no place in the new stages
        if any(type(p) is Continuation and any(type(t) is Comment for t in p.lines) for p in inst.pieces):
            raise _Decline("a comment line inside an instruction's continuation: not split", inst)
    if not any(i.cmd in ("CMD", "ENTRYPOINT") for i in stage.instructions):
        raise _Decline("no CMD or ENTRYPOINT: a base or toolchain image, not an app to run")
    bad_flags = [f for f in from_inst.flags if not f.startswith("--platform=")]
    if bad_flags:
        raise _Decline(f"FROM flag {bad_flags[0]} not understood", from_inst)
    fv = from_inst.value
    if not fv or (len(fv) not in (1, 3)):
        raise _Decline("FROM not understood", from_inst)
    from refactor.knowledge.runner_images import parse_base
    from refactor.knowledge.stage_images import expand_from, global_args

    base_text = fv[0]
    args = global_args(df)
    base = parse_base(expand_from(base_text, args))
    if base is None:
        raise _Decline(f"base image {base_text} is not one whose build I understand "
                       "(official python, node, golang, rust, ruby, php or JDK images)", from_inst)
    if base.windows:
        raise _Decline("Windows base images are not supported", from_inst)
    return Candidate(stage, from_inst, base_text, args, base)

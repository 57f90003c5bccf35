"""The state of one non-root analysis: the file, its final stage and chain, the walked steps,
the run's context; with the commands of an instruction (parsed once) and the start command in
effect. The checks, the choice of user and the edits are mixins from the modules beside it."""
from __future__ import annotations

from refactor.codemods.base import Context
from refactor.codemods.non_root.edits import Edits
from refactor.codemods.non_root.image_kind import ImageKind
from refactor.codemods.non_root.needs_root import NeedsRoot
from refactor.codemods.non_root.scripts import Scripts
from refactor.codemods.non_root.steps import SYSTEM_DIRS, Step, commands_of, inside
from refactor.codemods.non_root.user import ChooseUser
from refactor.knowledge import baseimages as bi
from refactor.knowledge import stage_images as si
from refactor.shell.parse import SimpleCommand
from refactor.syntax.nodes import Dockerfile, Instruction, Stage


class Analysis(ImageKind, NeedsRoot, Scripts, ChooseUser, Edits):
    def __init__(self, df: Dockerfile, final: Stage, chain: list[Stage], steps: list[Step], end: Step, ctx: Context):
        self.df = df
        self.final = final
        self.chain = chain
        self.all_steps = steps
        self.steps = [s for s in steps if s.final]
        self.end = end
        self.ctx = ctx
        self.ref = bi.parse_image(chain[-1].base_image)  # `si.root_image`, from the chain at hand
        self.family = si.stage_family(df, final, chain)
        self.insts = [s.inst for s in steps]
        # a scratch stage holding another stage's root filesystem or /etc/passwd: that
        # stage's RUN steps (its packages, its users) count too (image_kind.py)
        self.copied_steps: list[Step] = []
        self.passwd_from: str | None = None
        self.users_family = self.family
        if self.family is bi.Family.SCRATCH:
            self.read_copied_root()
        self.app_dir = end.cwd
        self.dedicated = (
            self.app_dir is not None and self.app_dir not in SYSTEM_DIRS and not inside(self.app_dir, "/root")
        )
        self._cmds: dict[int, tuple[list[SimpleCommand], bool]] = {}
        self._starts: tuple[Instruction, ...] | None = None

    @property
    def build_steps(self) -> list[Step]:
        """The steps whose RUNs made the image's files: the chain's, and those of a stage whose
        root filesystem or /etc/passwd a scratch stage copies."""
        return self.copied_steps + self.all_steps

    def commands(self, inst: Instruction) -> tuple[list[SimpleCommand], bool]:
        key = id(inst)
        if key not in self._cmds:
            self._cmds[key] = commands_of(inst)
        return self._cmds[key]

    def start_insts(self) -> tuple[Instruction, ...]:
        """The ENTRYPOINT and CMD in effect (the last of each in the chain)."""
        if self._starts is None:  # asked by several checks, of instructions that do not change
            entry = cmd = None
            for i in self.insts:
                kind = i.cmd
                if kind == "ENTRYPOINT":
                    entry = i
                elif kind == "CMD":
                    cmd = i
            self._starts = tuple(i for i in (entry, cmd) if i is not None)
        return self._starts


"""What one COPY/ADD of a stage writes into the image: its entries (context path -> image path),
whether it comes from the build context, and whether it touches a given image path."""
from __future__ import annotations

from dataclasses import dataclass, field

from refactor.codemods.layer_order.paths import _cj, _paths_meet, _strictly_under_maybe, _subpaths
from refactor.knowledge.context import BuildContext
from refactor.syntax.nodes import Instruction


@dataclass
class _Entry:
    """One path a COPY puts in the image, and where it comes from."""
    image: str  # absolute or symbolic image path
    cpath: str | None  # context path ("" = root); None when not from the context
    is_dir: bool
    alt: str | None = None  # other possible image path (a single file copied to a dest without "/")


@dataclass
class _Copy:
    """A COPY or ADD of the stage, read for the reordering."""
    inst: Instruction
    index: int  # in the stage
    flags: dict[str, str]
    sources: list[str]
    dest: str
    dest_image: str | None
    from_context: bool
    entries: list[_Entry] = field(default_factory=list)
    movable: str | None = None  # None when it may move; else why not
    has_dir_source: bool = False

    def touches(self, p: str, bc: BuildContext | None) -> bool:
        """Whether this copy writes `p`, something under it, or one of its parents."""
        if not self.from_context or bc is None:
            d = self.dest_image
            return d is None or _paths_meet(p, d)
        for e in self.entries:
            for img in filter(None, (e.image, e.alt)):
                if e.is_dir:
                    for sub in _subpaths(p, img):
                        if bc.sends_anything_under(_cj(e.cpath or "", sub)):
                            return True
                    if _strictly_under_maybe(img, p) and bc.sends_anything_under(e.cpath or ""):
                        return True
                elif _paths_meet(p, img):
                    return True
        return False

    def writes_at(self, p: str, bc: BuildContext) -> str | None:
        """The context path this copy writes at image path `p`, if any."""
        for e in reversed(self.entries):
            if e.is_dir:
                for sub in _subpaths(p, e.image):
                    c = _cj(e.cpath or "", sub)
                    if bc.sent(c):
                        return c
            elif p in (e.image, e.alt):
                return e.cpath
        return None


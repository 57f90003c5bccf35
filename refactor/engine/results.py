"""What a refactoring run produces for one file: the edits made, the codemods that declined, and
the new text. The CLI, `verify` and the bot all read these; none of them re-runs a codemod."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from refactor.codemods.base import Edit, Safety, Skip


@dataclass(frozen=True)
class FileResult:
    """What refactoring one file gave: its output, edits, skips or error."""
    path: Path
    original: str
    output: str  # equals `original` when nothing changed or on error
    edits: tuple[Edit, ...] = ()
    skips: tuple[Skip, ...] = ()
    error: str | None = None  # "path:line:col: message" when the file could not be processed
    # Other files the refactor proposes beside the Dockerfile (e.g. a .dockerignore): path -> text.
    extra_files: dict[Path, str] = field(default_factory=dict)
    # "path:line:col: internal error in <codemod> ...": a codemod raised; its change was dropped.
    internal_errors: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.error is None and (self.output != self.original or bool(self.extra_files))

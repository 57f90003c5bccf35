"""dockwright: lossless, BuildKit-exact Dockerfile refactoring."""
from refactor.syntax.errors import ParseError
from refactor.syntax.nodes import (
    BlankLine,
    Comment,
    Continuation,
    Directive,
    Dockerfile,
    Heredoc,
    HeredocBody,
    Instruction,
    Piece,
    Position,
    REMOVE,
    Stage,
    Visitor,
)
from refactor.syntax.parser import parse_dockerfile

__all__ = [
    "BlankLine", "Comment", "Continuation", "Directive", "Dockerfile", "Heredoc", "HeredocBody",
    "Instruction", "ParseError", "Piece", "Position", "REMOVE", "Stage", "Visitor",
    "parse_dockerfile",
]

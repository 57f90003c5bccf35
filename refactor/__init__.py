"""dockwright: lossless, BuildKit-exact Dockerfile refactoring."""
from .errors import ParseError
from .nodes import (
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
from .parser import parse_dockerfile

__all__ = [
    "BlankLine", "Comment", "Continuation", "Directive", "Dockerfile", "Heredoc", "HeredocBody",
    "Instruction", "ParseError", "Piece", "Position", "REMOVE", "Stage", "Visitor",
    "parse_dockerfile",
]

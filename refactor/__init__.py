"""dockwright: lossless, BuildKit-exact Dockerfile refactoring.

The public API (parse_dockerfile, ParseError, the node classes) loads on first use (PEP 562), so
that `import refactor.cli` for `dockwright --help` does not load the parser; the dataclasses'
methods come compiled from refactor.syntax.codecache."""
from __future__ import annotations

from refactor.syntax import codecache

codecache.install()  # before any module of the package defines a dataclass

# pyproject.toml's version (tests/test_cli.py holds them equal), for `dockwright --version`:
# asking the installed distribution loads importlib.metadata (email, zipfile, csv), 30% of that command
__version__ = "0.1.0"

__all__ = [
    "BlankLine", "Comment", "Continuation", "Directive", "Dockerfile", "Heredoc", "HeredocBody",
    "Instruction", "ParseError", "Piece", "Position", "REMOVE", "Stage", "Visitor",
    "parse_dockerfile",
]


def __getattr__(name: str):
    if name == "ParseError":
        from refactor.syntax.errors import ParseError

        return ParseError
    if name == "parse_dockerfile":
        from refactor.syntax.parser import parse_dockerfile

        return parse_dockerfile
    if name in __all__:
        from refactor.syntax import nodes

        return getattr(nodes, name)
    # Not an attribute: lets `from refactor import verify` fall through to the subpackage.
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})

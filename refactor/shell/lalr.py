"""grammar/shell.lark run by Lark's LALR parser: the reference that refactor/shell/grammar.py,
the hand-written parser dockwright runs, is held equal to by the tests (same tree, same place of
a syntax error). Nothing at run time imports this module, so a run never imports Lark for the
shell layer.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Optional

from lark import Lark, Token
from lark.exceptions import UnexpectedInput
from lark.lexer import Lexer

from refactor.shell.grammar import ShellSyntaxError, Tree

_parser: Optional[Lark] = None
_parser_lock = threading.Lock()


class TokenListLexer(Lexer):
    """Feeds the parser a ready token list (module level so that Lark can pickle a reference to
    it in its cache)."""

    def __init__(self, lexer_conf):  # signature required by Lark
        pass

    def lex(self, data):  # type: ignore[override]
        return iter(data)


def grammar_text() -> str:
    """The text of shell.lark: the installed package resource, else the repository file."""
    try:
        from importlib.resources import files

        return (files("refactor.grammar") / "shell.lark").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError, OSError, TypeError):
        repo_file = Path(__file__).resolve().parents[2] / "grammar" / "shell.lark"
        return repo_file.read_text(encoding="utf-8")


def cache_dir() -> Optional[Path]:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "dockwright"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return path if os.access(path, os.W_OK) else None


CACHE_NAME = "shell-grammar-reference.lark-cache"


def build_parser(grammar: str, folder: Optional[Path]) -> Lark:
    kwargs = dict(parser="lalr", lexer=TokenListLexer, maybe_placeholders=False)
    if folder is None:
        return Lark(grammar, **kwargs)
    final = folder / CACHE_NAME
    if final.exists():
        # Lark checks the grammar hash stored in the file and rebuilds it when stale.
        return Lark(grammar, cache=str(final), **kwargs)
    # First run: write a private file, then move it into place atomically so that concurrent
    # processes never read a half-written cache.
    tmp = folder / f".shell-grammar.{os.getpid()}.{threading.get_ident()}.tmp"
    parser = None
    try:
        parser = Lark(grammar, cache=str(tmp), **kwargs)
        os.replace(tmp, final)
    except OSError:
        pass
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass
    return parser if parser is not None else Lark(grammar, **kwargs)


def parser() -> Lark:
    global _parser
    if _parser is None:
        with _parser_lock:
            if _parser is None:
                _parser = build_parser(grammar_text(), cache_dir())
    return _parser


def parse_types(types: list[str]):
    """Lark's tree of the token types (tokens carry their index as `start_pos`), or
    ShellSyntaxError at the token where the LALR parser stopped."""
    try:
        return parser().parse([Token(t, t, start_pos=k) for k, t in enumerate(types)])
    except UnexpectedInput as exc:
        tok = getattr(exc, "token", None)
        if tok is None or tok.type == "$END" or not isinstance(tok.start_pos, int):
            raise ShellSyntaxError(len(types)) from None
        raise ShellSyntaxError(tok.start_pos) from None


def index_tree(tree, types: list[str]) -> Tree:
    """Lark's tree in the form refactor/shell/grammar.py builds (each token as its index in the
    token list), for the CST builder; a token whose type is not the one at its index fails."""
    children = []
    for child in tree.children:
        if hasattr(child, "data"):
            children.append(index_tree(child, types))
        else:
            if types[child.start_pos] != child.type:
                raise AssertionError(f"token {child.start_pos} is {child.type}, not {types[child.start_pos]}")
            children.append(child.start_pos)
    return Tree(str(tree.data), children)


def parse_types_indexed(types: list[str]) -> Tree:
    """`parse_types` in the form refactor/shell/grammar.py builds (see `index_tree`)."""
    return index_tree(parse_types(types), types)

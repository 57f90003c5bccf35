"""Builds the Lark LALR parser for grammar/shell.lark (imported lazily by refactor.shell)."""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Optional

from lark import Lark
from lark.lexer import Lexer


class TokenListLexer(Lexer):
    """Feeds the parser the token list made by refactor.shell_lexer.lex (module level so that
    Lark can pickle a reference to it in its cache)."""

    def __init__(self, lexer_conf):  # signature required by Lark
        pass

    def lex(self, data):  # type: ignore[override]
        return iter(data)


def build_parser(grammar: str, cache_dir: Optional[Path]) -> Lark:
    kwargs = dict(parser="lalr", lexer=TokenListLexer, maybe_placeholders=False)
    if cache_dir is None:
        return Lark(grammar, **kwargs)
    final = cache_dir / "shell-grammar.lark-cache"
    if final.exists():
        # Lark checks the grammar hash stored in the file and rebuilds it when stale.
        return Lark(grammar, cache=str(final), **kwargs)
    # First run: write a private file, then move it into place atomically so that concurrent
    # processes never read a half-written cache.
    tmp = cache_dir / f".shell-grammar.{os.getpid()}.{threading.get_ident()}.tmp"
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

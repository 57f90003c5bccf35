"""Regular expressions compiled on first use (start-up, issue 13).

A module-level `re.compile(...)` costs 0.05-0.5 ms at import, and a one-file run imports many
patterns it never uses (the non-root signs of programs the file does not run, the config files
it does not have). `lazy(pattern, flags)` stands for `re.compile(pattern, flags)`: the pattern
compiles at the first call of one of its methods, after which the compiled pattern's own bound
methods sit in the instance, so a use costs what it did. Only for patterns used through their
methods (`search`, `match`, `fullmatch`, `sub`, `subn`, `split`, `findall`, `finditer`) and
`.pattern`: a LazyPattern is not an `re.Pattern` for `re.sub(p, ...)` or `isinstance`.
tests/test_startup.py compiles every one the package defines.
"""
from __future__ import annotations

import re

_METHODS = ("search", "match", "fullmatch", "sub", "subn", "split", "findall", "finditer")


class LazyPattern:
    """`re.compile(pattern, flags)`, compiled when first used."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def compiled(self) -> re.Pattern[str]:
        p = self.__dict__.get("_compiled")
        if p is None:
            p = self._compiled = re.compile(self.pattern, self._flags)
            for name in _METHODS:  # from now on found in the instance, before the class's
                setattr(self, name, getattr(p, name))
        return p

    def search(self, *args):
        return self.compiled().search(*args)

    def match(self, *args):
        return self.compiled().match(*args)

    def fullmatch(self, *args):
        return self.compiled().fullmatch(*args)

    def sub(self, *args, **kwargs):
        return self.compiled().sub(*args, **kwargs)

    def subn(self, *args, **kwargs):
        return self.compiled().subn(*args, **kwargs)

    def split(self, *args, **kwargs):
        return self.compiled().split(*args, **kwargs)

    def findall(self, *args):
        return self.compiled().findall(*args)

    def finditer(self, *args):
        return self.compiled().finditer(*args)

    def __getattr__(self, name: str):  # flags, groups, groupindex: the compiled pattern's
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)

    def __repr__(self) -> str:
        return repr(self.compiled())


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)

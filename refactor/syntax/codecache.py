"""The compiled methods of dataclasses, kept between runs (start-up, issue 13).

`@dataclass` writes the source of each class's `__init__`, `__repr__`, `__eq__`, `__hash__` and
frozen `__setattr__`/`__delattr__` and compiles it with `exec` when the class is defined: ~0.15 ms
a method, a third of a one-file run's import time for the ~60 classes it defines. `install()`
gives the `dataclasses` module an `exec` that looks the source text of a class of a `refactor`
module up in a table of code objects and compiles only what is not there; the table is read from,
and new entries written back to (at exit, when there are new ones),
`$XDG_CACHE_HOME/dockwright/dataclass-methods.<cache tag>.marshal` (~/.cache by default). A code
object is what `compile` makes of that very text (the key is the whole text; no future flag is
inherited, as when `dataclasses` calls `exec` itself), so every class behaves as before; a missing,
unreadable or foreign cache file only means compiling as before. Python's own .pyc files cannot
hold these methods: their source exists only while the class is being made.
DOCKWRIGHT_NO_CODE_CACHE=1 turns the table off (every method compiled, as without it).
"""
from __future__ import annotations

import builtins
import marshal
import os
import sys
import types

_MAX_ENTRIES = 4096  # more: the file is rewritten with only this run's entries (old class shapes go)

_table: dict[str, object] = {}
_used: set[str] = set()
_new = False
_loaded = False
_path: str | None = None


def _cache_file() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dockwright", f"dataclass-methods.{sys.implementation.cache_tag}.marshal")


def _exec(source, globals=None, locals=None, /):
    global _new
    # only dockwright's own classes (dataclasses passes the defining module's namespace): other
    # libraries' classes, a test suite's, would only grow the file every run reads
    if type(source) is str and type(globals) is dict and str(globals.get("__name__")).startswith("refactor."):
        if not _loaded:
            _load()
        code = _table.get(source)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            _table[source] = code
            _new = True
        _used.add(source)
        source = code
    return builtins.exec(source, globals, locals)


def _load() -> None:
    """Read the table, on the first class made (`dockwright --help` makes none)."""
    global _loaded
    _loaded = True
    if _path is None:
        return
    try:
        with open(_path, "rb") as f:
            data = f.read()  # one read: marshal.load(f) reads object by object, ten times slower
        table = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return
    if isinstance(table, dict):
        _table.update((k, v) for k, v in table.items() if type(k) is str and type(v) is types.CodeType)


def save() -> None:
    """Write the table back when this run compiled something new (at exit)."""
    if not _new or _path is None:
        return
    table = _table if len(_table) <= _MAX_ENTRIES else {k: _table[k] for k in _used}
    tmp = f"{_path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(_path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(marshal.dumps(table))
        os.replace(tmp, _path)  # atomic: parallel runs each write a whole file
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def install() -> None:
    """Route `dataclasses`' compiling through the table; at most once per process."""
    global _path
    import atexit
    import dataclasses

    if getattr(dataclasses, "exec", None) is _exec or cache_disabled():
        return
    _path = _cache_file()
    dataclasses.exec = _exec  # a module global: shadows the builtin for that module only
    atexit.register(save)


def cache_disabled() -> bool:
    return bool(os.environ.get("DOCKWRIGHT_NO_CODE_CACHE"))

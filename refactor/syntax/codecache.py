"""The compiled methods of dataclasses, kept between runs (start-up, issue 13).

`@dataclass` writes the source of each class's `__init__`, `__repr__`, `__eq__`, `__hash__` and
frozen `__setattr__`/`__delattr__` and compiles it with `exec` when the class is defined: ~0.15 ms
a method, a third of a one-file run's import time for the ~60 classes it defines. `install()`
gives the `dataclasses` module an `exec` that looks the source text of a class of a `refactor`
module up in that module's table of code objects and compiles only what is not there. Each
module's table is a file, `$XDG_CACHE_HOME/dockwright/dataclass-methods.<cache tag>/<module>`
(~/.cache by default), read when the module makes its first class and written back at exit when
the run compiled something new for it, with the entries this run used (a module makes its
classes when imported: a changed class's old methods go). A code object is what `compile` makes
of that very text (the key is the whole text; no future flag is inherited, as when `dataclasses`
calls `exec` itself), so every class behaves as before; a missing, unreadable or foreign file
only means compiling as before. Python's own .pyc files cannot hold these methods: their source
exists only while the class is being made. DOCKWRIGHT_NO_CODE_CACHE=1 turns the tables off.
"""
from __future__ import annotations

import builtins
import marshal
import os
import sys
import types

_tables: dict[str, dict[str, types.CodeType]] = {}  # module -> source text -> code
_used: dict[str, dict[str, types.CodeType]] = {}  # what this run looked up, per module
_new: set[str] = set()  # modules that compiled something not in their file
_folder: str | None = None


def _cache_folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "dockwright", f"dataclass-methods.{sys.implementation.cache_tag}")


def _exec(source, globals=None, locals=None, /):
    # only dockwright's own classes (dataclasses passes the defining module's namespace): other
    # libraries' classes, a test suite's, would only add files every run reads
    module = globals.get("__name__") if type(globals) is dict else None
    if type(source) is str and type(module) is str and module.startswith("refactor."):
        table = _tables.get(module)
        if table is None:
            table = _tables[module] = _load(module)
        code = table.get(source)
        if code is None:
            code = table[source] = compile(source, "<string>", "exec", dont_inherit=True)
            _new.add(module)
        _used.setdefault(module, {})[source] = code
        source = code
    return builtins.exec(source, globals, locals)


def _load(module: str) -> dict[str, types.CodeType]:
    if _folder is None:
        return {}
    try:
        with open(os.path.join(_folder, module), "rb") as f:
            data = f.read()  # one read: marshal.load(f) reads object by object, ten times slower
        table = marshal.loads(data)
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {k: v for k, v in table.items() if type(k) is str and type(v) is types.CodeType}


def save() -> None:
    """Write back the tables of the modules that compiled something new (at exit)."""
    if not _new or _folder is None:
        return
    try:
        os.makedirs(_folder, exist_ok=True)
    except OSError:
        return
    for module in sorted(_new):
        path = os.path.join(_folder, module)
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            with open(tmp, "wb") as f:
                f.write(marshal.dumps(_used.get(module, {})))
            os.replace(tmp, path)  # atomic: parallel runs each write a whole file
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _new.clear()


def install() -> None:
    """Route `dataclasses`' compiling through the tables; at most once per process."""
    global _folder
    import atexit
    import dataclasses

    if getattr(dataclasses, "exec", None) is _exec or os.environ.get("DOCKWRIGHT_NO_CODE_CACHE"):
        return
    _folder = _cache_folder()
    dataclasses.exec = _exec  # a module global: shadows the builtin for that module only
    atexit.register(save)

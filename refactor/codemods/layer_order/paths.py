"""Path arithmetic for layer-order: image paths (absolute, or relative to the base image's
unknown working directory, written `{base}/...`), context paths, and whether two of them meet."""
from __future__ import annotations

from functools import lru_cache

import posixpath
import re

from refactor.knowledge.context import go_clean
from refactor.syntax.nodes import Instruction

BASE = "{base}"  # the base image's working directory, unknown
# Where system package managers write. The base image's working directory (unknown when the
# stage sets no WORKDIR) is assumed not to lie inside these.
_SYSTEM = ("/usr", "/etc", "/var/lib", "/var/cache", "/var/log", "/lib", "/lib64", "/bin", "/sbin")
_HOME = ("/usr", "/root", "/home", "/tmp")


def _symbolic(p: str) -> bool:
    return p == BASE or p.startswith(BASE + "/")


@lru_cache(maxsize=8192)  # a pure function of short strings, asked the same paths again and again
def _ijoin(workdir: str, p: str) -> str | None:
    """An image path: `p` made absolute against `workdir` (which may be symbolic)."""
    if p.startswith("/"):
        return go_clean(p)
    j = go_clean(workdir + "/" + p)
    if not (j.startswith("/") or _symbolic(j)):
        return None
    return j


def _under(p: str, d: str) -> bool:
    return p == d or d == "/" and p.startswith("/") or p.startswith(d.rstrip("/") + "/")


def _rel(p: str, d: str) -> str:
    if p == d:
        return ""
    return p[len(d.rstrip("/")) + 1 :] if d != "/" else p[1:]


def _cj(a: str, b: str) -> str:
    j = go_clean(posixpath.join(a or ".", b or "."))
    return "" if j == "." else j


def _vars_in(text: str) -> set[str]:
    return set(re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", text))


def _defined_vars(inst: Instruction) -> set[str]:
    if inst.cmd == "ARG":
        return {v.split("=", 1)[0] for v in inst.value}
    if inst.cmd == "ENV":
        v = inst.value
        return {v[k] for k in range(0, len(v), 2)}
    return set()



def _candidates(p: str, d: str) -> list[str]:
    """The possible relative paths of `p` under `d` (d possibly symbolic: the base working
    directory may be any prefix of p)."""
    if not _symbolic(d):
        if _symbolic(p):
            return []
        return [_rel(p, d)] if _under(p, d) else []
    tail = d[len(BASE):]  # "" or "/app"
    if _symbolic(p):
        return [_rel(p, d)] if _under(p, d) else []
    out = []
    parts = p.split("/")
    for k in range(1, len(parts) + 1):
        base = "/".join(parts[:k]) or "/"
        if base != "/" and any(_under(base, s) for s in _SYSTEM):
            break
        full = go_clean(base + tail) if tail else base
        if _under(p, full) and _rel(p, full) not in out:
            out.append(_rel(p, full))
    return out


_subpaths = _candidates


def _paths_meet(a: str, b: str) -> bool:
    if _symbolic(a) == _symbolic(b):
        return _under(a, b) or _under(b, a)
    sym, conc = (a, b) if _symbolic(a) else (b, a)
    return bool(_candidates(conc, sym)) or not any(_under(conc, s) for s in _SYSTEM)


def _strictly_under_maybe(inner: str, outer: str) -> bool:
    """`inner` (a copy's destination) may lie inside `outer` (a path something else writes)."""
    if _symbolic(inner) and not _symbolic(outer):
        return not any(_under(outer, s) for s in _SYSTEM)  # the base working directory could be anywhere else
    if _symbolic(outer) and not _symbolic(inner):
        return True
    return inner != outer and _under(inner, outer)


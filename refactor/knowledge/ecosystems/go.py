"""Go: `go mod download` and what it reads (go.mod, go.sum, go.work, local `replace`s); the
modules that need cgo; development commands a start command must not be; the golang base
images."""
from __future__ import annotations

import posixpath
import re

from refactor.knowledge.ecosystems.steps import StepReader, context_join
from refactor.syntax.lazy_re import lazy


def _go(cmd, args, index, cwd, ctx, resolve, generated):
    pos = [a for a in args if a is None or not a.startswith("-")]
    if pos[:2] != ["mod", "download"] or any(a is None for a in pos):
        return None
    s = StepReader("go", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    gm = s.need("go.mod")
    s.maybe("go.sum")
    text = s.read(gm) or ""
    for target in local_replacements(text):
        s.local.append(f"replace => {target}")
    d = s.cdir or ""
    while True:
        if s.ctx.exists(context_join(d, "go.work")):
            s.unknown.append(f"{context_join(d, 'go.work')}: a Go workspace reads every used module's go.mod")
            break
        if d in ("", "."):
            break
        d = posixpath.dirname(d)
    return s.freeze()


def local_replacements(go_mod: str) -> list[str]:
    """The folders go.mod's `replace` directives point to (`=> ./lib`, `=> ../shared`,
    `=> /abs`): `go mod download` reads each one's go.mod."""
    return [m.group(1) for m in re.finditer(r"=>\s*(\.{1,2}/\S*|/\S+)", go_mod)]


DEV_GO_PATTERNS = (
    (lazy(r"(?:^|[\s;&|(/])go\s+run\b"), "`go run` compiles at run time"),
    (lazy(r"(?:^|[\s;&|(/])air\b"), "air rebuilds on file changes"),
    (lazy(r"(?:^|[\s;&|(/])(?:dlv|reflex|CompileDaemon)\b"), "a development tool"),
)


# Go modules that need cgo.
GO_CGO_MODULES = ("github.com/mattn/go-sqlite3", "github.com/confluentinc/confluent-kafka-go",
                  "gopkg.in/gographics/imagick", "github.com/libgit2/git2go")


NAME = "go"
IMAGES = ("golang",)
MANIFESTS = ("go.mod", "go.sum", "go.work", "go.work.sum")
CONTEXT_MARKERS = ("go.mod",)
LANGUAGE_TOOLS: frozenset[str] = frozenset()
INSTALLERS = {"go": _go}
GENERATED = {"go": ()}

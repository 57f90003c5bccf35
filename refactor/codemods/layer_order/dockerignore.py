"""The `.dockerignore` layer-order proposes beside a reorder: entries for what exists in the
context (or the ecosystem generates) and the image does not need, appended to the user's file.

An entry is left out, with a skip that names the file and the line, when anything reads it
(refactor.knowledge.runtime_reads: `.env` loaded by dotenv or `--env-file`, `.git` read by a
version-from-git build tool, a folder named as a path in the code, the scripts or the Dockerfile);
`node_modules` only when the Dockerfile installs its own, build outputs (`dist`, `build`,
`target`) only when the Dockerfile builds them."""
from __future__ import annotations

import os
import re

from refactor.codemods.base import Codemod, Context, Safety
from refactor.codemods.layer_order.paths import _cj
from refactor.codemods.layer_order.plan import _short
from refactor.knowledge.context import BuildContext, go_clean, real_path
from refactor.knowledge.ecosystems import generated_paths, installing, scan
from refactor.knowledge.ecosystems.scan import may_install
from refactor.knowledge.runtime_reads import find_reads
from refactor.syntax.nodes import Dockerfile
from refactor.syntax.lazy_re import lazy

# A RUN that builds what `dist`, `build` or `target` hold: the context's copy is then not needed.
_BUILDS = lazy(
    r"\b(npm|yarn|pnpm|bun)\s+(run\s+)?build\b|\bcargo\s+build\b|\bmvn\w*\b|\bgradlew?\b|\btsc\b"
    r"|\bvite\s+build\b|\bnext\s+build\b|\bwebpack\b|\bpython\d*\s+-m\s+build\b|\bsetup\.py\b"
)
_OUTPUTS = ("dist", "build", "target")
_CANDIDATES = (
    (".git", "the git history"),
    ("node_modules", "installed by the image's own npm/yarn/pnpm step"),
    (".venv", "a local virtualenv"),
    ("venv", "a local virtualenv"),
    ("**/__pycache__", "Python byte-code caches"),
    ("dist", "a build output"),
    ("build", "a build output"),
    ("target", "a build output"),
    (".gradle", "Gradle's project cache"),
    (".env", "local environment secrets"),
    (".env.*", "local environment secrets"),
    ("**/*.log", "log files"),
)


def _propose_dockerignore(codemod: Codemod, df: Dockerfile, ctx: Context, bc: BuildContext, record: bool) -> None:
    # only when something copies the whole context root, or a project folder inside it
    copies = [i for i in df.instructions if i.cmd in ("COPY", "ADD") and i.flag_value("from") is None
              and not i.heredocs and len(i.value) >= 2]
    roots = [i for i in copies if any(go_clean(s.lstrip("/")) == "." for s in i.value[:-1])]
    folders = sorted({go_clean(s.lstrip("/")) for i in copies for s in i.value[:-1]} - {"."})
    folders = [f for f in folders if not f.startswith("..") and "*" not in f and bc.is_dir(f)]
    if not roots and not folders:
        return
    di = bc.dockerignore
    ecosystems: set[str] = set()
    nested: dict[str, str] = {}  # what an install writes below the root (a workspace member's node_modules)
    mentioned = set()
    for inst in df.instructions:
        if inst.cmd == "RUN" and may_install(inst.logical):
            try:
                for c in scan(inst, bc if roots else None):
                    if c.step is not None:
                        ecosystems.add(c.step.ecosystem)
                        for out in c.step.outputs:
                            if "/" in out and out.rsplit("/", 1)[-1] == "node_modules":
                                nested.setdefault(out, c.step.ecosystem)
            except Exception:  # pragma: no cover - analysis must never break the run
                pass
        text = inst.logical
        if inst.cmd in ("COPY", "ADD", "RUN", "CMD", "ENTRYPOINT", "ENV", "VOLUME"):
            mentioned.add(text)
    generated = {g for e in ecosystems for g in generated_paths(e)}
    builds = any(inst.cmd == "RUN" and _BUILDS.search(inst.logical) for inst in df.instructions)
    first = roots[0] if roots else next(
        (i for i in copies if i.start is not None and any(go_clean(s.lstrip("/")) in folders for s in i.value[:-1])),
        copies[0])
    line = first.start.line if first.start is not None else None
    entries: list[tuple[str, str]] = []
    candidates: list[tuple[str, str, list[str]]] = []
    top = bc.listdir("")
    # A root pattern without `**/` matches at the context root only: a project copied from a
    # sub-folder (`COPY react-app .`) brings that folder's own node_modules, which a developer's
    # checkout holds and the reordered COPY would put over the freshly installed one.
    for folder in folders:
        for name, why in _generated_in(folder, ecosystems, bc):
            path = f"{folder}/{name}"
            if not di.excludes(path) and not _referenced(path, mentioned):
                candidates.append((path, why, [path]))
    for pattern, why in (_CANDIDATES if roots else ()):
        present = _present(bc, pattern, top)
        if not present and pattern not in generated:
            continue
        if present and all(di.excludes(p) for p in present):
            continue
        if not present and _covered(di, pattern):
            continue
        if pattern in ("dist", "build", "target", ".env", ".env.*", "venv") and not present:
            continue
        names = present or [pattern]
        if any(_referenced(n, mentioned) for n in names):
            continue
        if pattern == "venv" and not bc.exists("venv/pyvenv.cfg"):
            continue
        if pattern == "node_modules" and pattern not in generated:
            ctx.skip(codemod, "node_modules is in the build context and no RUN installs node packages: "
                     "the image may use it, so it is not proposed for .dockerignore", line=line)
            continue
        if pattern in _OUTPUTS and pattern not in generated and not builds:
            ctx.skip(codemod, f"{pattern}/ is in the build context and no RUN builds it: the image may "
                     "use it, so it is not proposed for .dockerignore", line=line)
            continue
        candidates.append((pattern, why, names))
    for path, tool in nested.items():
        if bc.exists(path) and not di.excludes(path) and not _referenced(path, mentioned) \
                and not any(path == c[0] for c in candidates):
            candidates.append((path, f"installed by the image's own {tool} step (a workspace member)", [path]))
    # Never exclude what the app (or its build) reads: search the code, scripts and Dockerfile.
    # What the image's own install or build writes (node_modules after `npm ci`, target after
    # `cargo build`) is recreated in the image: code that names it reads the image's copy.
    probe = [n for pattern, _, names in candidates if pattern != "**/__pycache__" and pattern not in generated
             for n in names]
    reads = _reads(df, ctx, bc, probe) if probe else {}
    for pattern, why, names in candidates:
        read = next((reads[n] for n in names if n in reads), None) if pattern not in generated else None
        if read is not None:
            ctx.skip(codemod, f"{read.name} is not proposed for .dockerignore: {read}", line=line)
            continue
        entries.append((pattern, why))
    if not entries:
        return
    f = bc.ignore_file
    target = f if f is not None else bc.path / ".dockerignore"
    old = di.text if f is not None else None
    if f is not None and old is None:
        return  # unreadable: leave it alone
    nl = "\r\n" if old and "\r\n" in old else "\n"
    text = old or ""
    if text and not text.endswith(("\n", "\r")):
        text += nl
    if text:
        text += nl
    text += "# added by dockwright (layer-order): not needed in the image" + nl
    text += "".join(p + nl for p, _ in entries)
    if not record:
        if target not in ctx.extra_files:
            ctx.skip(codemod, f"{target.name} {'lacks' if f is not None else 'is missing;'} entries for "
                     f"{', '.join(p for p, _ in entries)} (proposed together with a reorder only)", line=line)
        return
    ctx.extra_files[target] = text
    if record:
        what = ", ".join(f"{p} ({w})" for p, w in entries)
        ctx.edit(
            codemod, None,
            f"{'extend' if f is not None else 'create'} {target.name}: {', '.join(p for p, _ in entries)}",
            safety=Safety.UNSAFE, line=line,
            rationale=(
                "The broad COPY sends these into the image: " + what + ". Excluding them keeps the "
                "image and the build context small and keeps secrets and host-built files out; the "
                "user's entries are kept byte for byte. No code, script or instruction in the "
                "context names them. Unsafe: files the image used to contain are no longer copied."
            ),
        )


def _reads(df: Dockerfile, ctx: Context, bc: BuildContext, probe: list[str]) -> dict:
    """What reads each of `probe` (refactor.knowledge.runtime_reads): the context's code and
    scripts but the Dockerfile itself, and its instructions."""
    texts = {f"`{_short(i)}` (line {i.start.line if i.start else '?'})": i.logical
             for i in df.instructions if i.cmd in ("RUN", "CMD", "ENTRYPOINT", "ENV", "HEALTHCHECK")}
    own = []
    if ctx.path is not None:
        try:
            own.append(real_path(ctx.path).relative_to(bc.root).as_posix())  # bc.root is resolved
        except (ValueError, OSError):
            pass
    return find_reads(bc.root, probe, texts, skip=tuple(own))


def _generated_in(folder: str, tools: set[str], bc: BuildContext) -> list[tuple[str, str]]:
    """What an install the Dockerfile runs writes inside a project folder it copies: the folder
    holds the ecosystem's marker file (package.json for node_modules)."""
    out = []
    for eco in installing(tools):  # the others generate none of `tools`
        if not any(bc.exists(f"{folder}/{m}") for m in eco.CONTEXT_MARKERS):
            continue
        for tool, paths in eco.GENERATED.items():
            if tool in tools:
                out += [(p, f"installed by the image's own {tool} step") for p in paths
                        if "*" not in p and (p, f"installed by the image's own {tool} step") not in out]
    return out


def _present(bc: BuildContext, pattern: str, top: list[str]) -> list[str]:
    # The walks are asked once per context: layer-order proposes each round, and again on its
    # own output.
    if pattern == "**/__pycache__":
        return bc.asked("dockerignore:pycache", "", lambda _: [f.rsplit("/", 1)[0] for f in _find(
            bc, lambda rel, name, is_dir: is_dir and name == "__pycache__")][:5])
    if pattern == "**/*.log":
        return bc.asked("dockerignore:logs", "", lambda _: _find(
            bc, lambda rel, name, is_dir: not is_dir and name.endswith(".log"))[:5])
    if pattern == ".env.*":
        return [n for n in top if n.startswith(".env.") and not n.endswith((".example", ".sample", ".template", ".dist"))]
    if pattern in top:
        return [pattern]
    return []


def _find(bc: BuildContext, pred) -> list[str]:
    out = []
    count = 0
    for dirpath, dirnames, filenames in os.walk(bc.root):
        dirnames[:] = sorted(d for d in dirnames if d not in (".git", "node_modules", ".venv", "venv"))
        rel_dir = os.path.relpath(dirpath, bc.root).replace(os.sep, "/")
        rel_dir = "" if rel_dir == "." else rel_dir
        for d in dirnames:
            if pred(rel_dir, d, True):
                out.append(_cj(rel_dir, d) + "/x")
        for f in filenames:
            count += 1
            if pred(rel_dir, f, False):
                out.append(_cj(rel_dir, f))
        if count > 20000 or len(out) > 20:
            break
    return out


def _covered(di, pattern: str) -> bool:
    probe = pattern.replace("**/", "").replace("*", "x")
    return di.excludes(probe) or di.excludes("a/" + probe)


def _referenced(name: str, texts: set[str]) -> bool:
    name = name.rstrip("/").removesuffix("/x")
    if name.startswith("**/"):
        return False
    rx = re.compile(r"(^|[\s\"'=/:])(\./)?" + re.escape(name) + r"($|[\s\"'/,\]])")
    return any(rx.search(t) for t in texts)


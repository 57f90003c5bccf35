"""layer-order: copy the dependency manifests and install the dependencies before the sources.

What it does
    In a stage where a broad copy (`COPY . .`, `COPY . /app`, `ADD . .`, `COPY src ./src`) comes
    before the RUN that installs dependencies, it copies exactly the files that install reads
    (package.json and the lock file that exists, requirements files with the ones they include,
    pyproject.toml with its lock, go.mod/go.sum, Gemfile(.lock), composer.json/lock, pom.xml...)
    right before the install, and moves the broad copy after it. A RUN that installs and then
    builds (`npm ci && npm run build`) is split at the `&&` between the two.

Why
    A layer is rebuilt when anything it copies changes. With the sources copied first, every
    source edit re-runs the dependency install; with the manifests first, that layer is reused
    until the dependencies change. When the build context is in a git repository, independent
    COPY steps are ordered from the least to the most often changed path (`git log` counts,
    shown in the explanation); without git: manifests, then configuration, then sources.

Example
    COPY . .                        COPY package.json package-lock.json ./
    RUN npm ci && npm run build  →  RUN npm ci
                                    COPY . .
                                    RUN npm run build

Safety
    Safe when the analysis proves the image's files are the same: the install reads nothing but
    the copied manifests (no lifecycle scripts, no local path dependencies, no install of the
    project itself), every instruction the broad copy moves past neither reads nor writes what it
    copies (ENV/ARG it uses, WORKDIR, other COPYs, RUNs: only commands known to touch system
    paths), the install writes nothing the context also sends (node_modules...), and the new COPY
    keeps the broad copy's destination and --chown/--chmod/--link flags. Unsafe (applied only when
    unsafe edits are allowed) when the install may rewrite a manifest that the broad copy then
    restores (`npm install` and package-lock.json), when the context sends what the install
    writes, or when build logic is code (Gradle). Anything else unproven is skipped, with the
    reason. Without a build context nothing changes. A missing or incomplete `.dockerignore` is
    proposed (appended to, never rewritten) for what exists in the context or the ecosystem
    generates: .git, node_modules, .venv, __pycache__, build outputs, .env files, logs.

References
    Docker docs, "Optimize cache usage in builds: order your layers"; npm scripts (lifecycle
    order); moby/patternmatcher (.dockerignore matching).
"""
from __future__ import annotations

import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from refactor.knowledge.context import BuildContext, go_clean
from refactor.syntax.edit import body_text, keyword_case, line_ending, prefix_text, reparse_instruction
from refactor.knowledge.manifests import GENERATED, CommandInfo, InstallStep, scan
from refactor.syntax.nodes import BlankLine, Comment, Dockerfile, Instruction, Stage
from refactor.codemods.base import Safety, Codemod, Context

BASE = "{base}"  # the base image's working directory, unknown
_PASS = frozenset({"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL", "MAINTAINER", "ONBUILD", "SHELL", "USER"})
_CARRY_FLAGS = ("chown", "chmod", "link")
_ARCHIVE = re.compile(r"\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst|lz|lzma))$")
# Where system package managers write. The base image's working directory (unknown when the
# stage sets no WORKDIR) is assumed not to lie inside these.
_SYSTEM = ("/usr", "/etc", "/var/lib", "/var/cache", "/var/log", "/lib", "/lib64", "/bin", "/sbin")
_HOME = ("/usr", "/root", "/home", "/tmp")
_PKG = {"apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper"}
_PATH_CMDS = {"mkdir", "rm", "rmdir", "chown", "chmod", "chgrp", "ln", "touch"}
_USERADD = {"useradd", "adduser", "groupadd", "addgroup"}
_USERMOD = {"usermod", "groupmod", "userdel", "groupdel", "deluser", "delgroup"}
_NOOP = {"true", ":", "set", "ulimit", "update-ca-certificates", "ldconfig", "locale-gen", "echo", "printf", "sleep", "uname", "id", "whoami", "env"}


class LayerOrder(Codemod):
    id = "layer-order"
    summary = "Copy dependency manifests and install dependencies before copying the sources"
    rationale = (
        "A layer is rebuilt when anything it copies changes: with the whole source tree copied "
        "before the dependency install, every source edit re-runs the install. Copying only the "
        "files the install reads first lets the builder reuse the install layer until the "
        "dependencies themselves change."
    )
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        bc = ctx.build_context
        if bc is not None and ctx.path is not None and bc.dockerfile is None:
            own = Path(str(ctx.path) + ".dockerignore")
            if own.is_file():
                bc = BuildContext(bc.path, ctx.path)
        changed = False
        for _ in range(24):
            new = self._once(df, ctx, bc)
            if new is df:
                break
            df = new
            changed = True
        if bc is not None:
            _propose_dockerignore(self, df, ctx, bc, record=changed)
        return df

    # ------------------------------------------------------------------------------------

    def _once(self, df: Dockerfile, ctx: Context, bc: BuildContext | None) -> Dockerfile:
        for stage in df.stages:
            an = _StageAnalysis(df, stage, bc)
            for i, inst in enumerate(stage.instructions):
                if inst.cmd != "RUN":
                    continue
                plan = an.plan(i)
                if plan is None:
                    continue
                if isinstance(plan, str):
                    ctx.skip(self, plan, inst)
                    continue
                if plan.unsafe and not ctx.options.get("allow_unsafe", True):
                    ctx.skip(self, "would reorder, but " + "; ".join(plan.unsafe) + " (an unsafe edit; not allowed in this run)", inst)
                    continue
                try:
                    new = plan.apply(df)
                except _Refuse as e:
                    ctx.skip(self, str(e), inst)
                    continue
                ctx.edit(
                    self, inst, plan.summary(),
                    safety=Safety.UNSAFE if plan.unsafe else Safety.SAFE,
                    rationale=plan.rationale(self.rationale),
                    touched=tuple(c.inst for c in plan.moved),
                )
                return new
        return df


class _Refuse(Exception):
    pass


# ------------------------------------------------------------------------------ path helpers


def _symbolic(p: str) -> bool:
    return p == BASE or p.startswith(BASE + "/")


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


# ------------------------------------------------------------------------------------ copies


@dataclass
class _Entry:
    image: str  # absolute or symbolic image path
    cpath: str | None  # context path ("" = root); None when not from the context
    is_dir: bool
    alt: str | None = None  # other possible image path (a single file copied to a dest without "/")


@dataclass
class _Copy:
    inst: Instruction
    index: int  # in the stage
    flags: dict[str, str]
    sources: list[str]
    dest: str
    dest_image: str | None
    from_context: bool
    entries: list[_Entry] = field(default_factory=list)
    movable: str | None = None  # None when it may move; else why not
    has_dir_source: bool = False

    def touches(self, p: str, bc: BuildContext | None) -> bool:
        """Whether this copy writes `p`, something under it, or one of its parents."""
        if not self.from_context or bc is None:
            d = self.dest_image
            return d is None or _paths_meet(p, d)
        for e in self.entries:
            for img in filter(None, (e.image, e.alt)):
                if e.is_dir:
                    for sub in _subpaths(p, img):
                        if bc.sends_anything_under(_cj(e.cpath or "", sub)):
                            return True
                    if _strictly_under_maybe(img, p) and bc.sends_anything_under(e.cpath or ""):
                        return True
                elif _paths_meet(p, img):
                    return True
        return False

    def writes_at(self, p: str, bc: BuildContext) -> str | None:
        """The context path this copy writes at image path `p`, if any."""
        for e in reversed(self.entries):
            if e.is_dir:
                for sub in _subpaths(p, e.image):
                    c = _cj(e.cpath or "", sub)
                    if bc.sent(c):
                        return c
            elif p in (e.image, e.alt):
                return e.cpath
        return None


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


# ---------------------------------------------------------------------------------- analysis


@dataclass
class _Plan:
    an: "_StageAnalysis"
    run: Instruction
    run_index: int
    infos: list[CommandInfo]
    split_at: int | None  # index of the first command that stays after the copies (None: no split)
    state_cmds: list  # leading cd/set commands repeated in the second RUN
    steps: list[InstallStep]
    moved: list[_Copy]
    groups: list[tuple[str, list[str]]]  # (dest text, context paths) for the new COPYs, ordered
    group_counts: list[int | None]
    counts: dict[str, int] | None
    moved_counts: list[int | None]
    unsafe: list[str]
    like: _Copy

    def summary(self) -> str:
        files = [p for _, ps in self.groups for p in ps]
        cmds = ", ".join(f"`{s.command}`" for s in self.steps)
        moved = ", ".join(f"`{_short(c.inst)}`" for c in self.moved)
        if files:
            s = f"copy {', '.join(files)} before {cmds} and {moved} after it"
        else:
            s = f"move {moved} after {cmds}"
        if self.split_at is not None:
            s += " (the RUN is split after the install)"
        return s

    def rationale(self, base: str) -> str:
        parts = [base]
        if self.counts is not None:
            bits = [f"{p}: {n} commit{'s' if n != 1 else ''}" for p, n in self.counts.items()]
            mc = [f"`{_short(c.inst)}` (other files): {n} commits" for c, n in zip(self.moved, self.moved_counts) if n is not None]
            parts.append("Git history, least changed first: " + "; ".join(bits + mc) + ".")
        else:
            parts.append("No git history for the build context: manifests first, then configuration, then sources.")
        if self.unsafe:
            parts.append("Not proven the same image: " + "; ".join(self.unsafe) + ".")
        return " ".join(parts)

    # -------------------------------------------------------------------------------------

    def apply(self, df: Dockerfile) -> Dockerfile:
        run = self.run
        like = self.like.inst
        kw = keyword_case(df, "COPY")
        flags = " ".join(f for f in like.flags if f.split("=", 1)[0].lstrip("-").lower() in _CARRY_FLAGS)
        new_copies: list[Instruction] = []
        lead_blanks = _leading_blanks(self.moved[0].inst) if self.moved else ()
        for n, (dest, paths) in enumerate(self.groups):
            for p in paths:
                if re.search(r"[\s\"'$\\*?\[]", p):
                    raise _Refuse(f"manifest path {p!r} would need quoting")
            text = " ".join(x for x in (kw, flags, *paths, dest) if x)
            new_copies.append(_new(text, run, leading=lead_blanks if n == 0 else ()))
        first_run, second_run = self._split(run)
        moved_insts = [c.inst for c in self.moved]
        items: list[Instruction] = []
        moved_ids = {id(i) for i in moved_insts}
        for inst in df.instructions:
            if id(inst) in moved_ids:
                continue
            if inst is run:
                items.extend(new_copies)
                items.append(first_run)
                items.extend(moved_insts)
                if second_run is not None:
                    items.append(second_run)
                continue
            items.append(inst)
        # the instruction that ends the file keeps the file's (missing) final line ending
        if df.instructions and df.instructions[-1].newline == "" and not df.trailing:
            nl = line_ending(like) or "\n"
            for k in range(len(items) - 1):
                if items[k].newline == "":
                    items[k] = items[k].with_changes(newline=nl)
            if items[-1].newline != "":
                items[-1] = items[-1].with_changes(newline="")
        return df.with_changes(instructions=tuple(items))

    def _split(self, run: Instruction) -> tuple[Instruction, Instruction | None]:
        if self.split_at is None:
            return run, None
        from refactor.shell.parse import parse_shell

        body = body_text(run)
        script = parse_shell(body, run.escape)
        units = script.units()
        last = units[self.split_at - 1]
        nxt = units[self.split_at]
        head = body[: last.span[1]]
        cut = body[last.span[1] : nxt.span[0]]
        tail = body[nxt.span[0] :]
        state = "".join(u.raw + " && " for u in self.state_cmds)
        nl = line_ending(run)
        prefix = prefix_text(run)
        first = reparse_instruction(prefix + head + (run.newline or nl), run.escape, run.leading)
        comments = tuple(
            Comment(line.rstrip("\r"), nl) for line in cut.split("\n") if line.strip().startswith("#")
        )
        second_text = prefix + state + tail + (run.newline or nl)
        second = reparse_instruction(second_text, run.escape, comments)
        return first, second


def _short(inst: Instruction) -> str:
    text = inst.logical.strip()
    return text if len(text) <= 60 else text[:57] + "..."


def _leading_blanks(inst: Instruction) -> tuple:
    out = []
    for t in inst.leading:
        if isinstance(t, BlankLine):
            out.append(BlankLine(t.text, t.newline))
        else:
            break
    return tuple(out)


def _new(text: str, like: Instruction, leading=()) -> Instruction:
    nl = line_ending(like)
    return reparse_instruction(like.indent + text + nl, like.escape, leading)


class _StageAnalysis:
    def __init__(self, df: Dockerfile, stage: Stage, bc: BuildContext | None) -> None:
        self.df = df
        self.stage = stage
        self.bc = bc
        self.ins = list(stage.instructions)
        self.workdirs: list[str | None] = []
        self.users: list[str] = []
        wd: str | None = BASE
        user = ""
        for inst in self.ins:
            self.workdirs.append(wd)
            self.users.append(user)
            if inst.cmd == "WORKDIR" and inst.value:
                wd = _ijoin(wd, inst.value[0]) if wd is not None else None
            if inst.cmd == "USER" and inst.value:
                user = inst.value[0]
        self._copies: dict[int, _Copy] = {}

    # --- copies ---------------------------------------------------------------------------

    def copy(self, i: int) -> _Copy:
        if i in self._copies:
            return self._copies[i]
        inst = self.ins[i]
        flags: dict[str, str] = {}
        for f in inst.flags:
            name, _, val = f.partition("=")
            flags[name.lstrip("-").lower()] = val
        vals = list(inst.value)
        sources, dest = vals[:-1], (vals[-1] if vals else "")
        wd = self.workdirs[i]
        dest_image = _ijoin(wd, dest) if wd is not None and dest and "$" not in dest else (
            go_clean(dest) if dest.startswith("/") and "$" not in dest else None
        )
        c = _Copy(inst, i, flags, sources, dest, dest_image, False)
        why = None
        if inst.heredocs or inst.heredoc_markers:
            why = "copies a heredoc"
        elif "from" in flags:
            why = "copies from another stage or image"
        elif set(flags) - {"chown", "chmod", "link"}:
            why = f"has flag(s) {', '.join('--' + f for f in sorted(set(flags) - {'chown', 'chmod', 'link'}))}"
        elif not sources:
            why = "has no source"
        elif any("$" in s for s in sources) or "$" in dest:
            why = "uses a variable in a path"
        elif any("://" in s or s.startswith("git@") for s in sources):
            why = "downloads a URL"
        elif dest_image is None:
            why = "destination cannot be resolved"
        self.bc_entries(c)
        c.movable = why
        self._copies[i] = c
        return c

    def bc_entries(self, c: _Copy) -> None:
        if c.flags.get("from") is not None or any("://" in s for s in c.sources) or c.inst.heredocs:
            return
        bc = self.bc
        if bc is None or c.dest_image is None:
            return
        c.from_context = True
        expanded: list[tuple[str, bool]] = []
        for s in c.sources:
            cp = go_clean(s.lstrip("/")) if s not in ("/", "") else "."
            cp = "" if cp == "." else cp
            if not bc.inside(cp):
                c.movable = "a source leaves the build context"
                continue
            if any(ch in cp for ch in "*?["):
                d, pat = posixpath.split(cp)
                if any(ch in d for ch in "*?["):
                    c.movable = "a wildcard in a folder name"
                    continue
                import fnmatch

                for name in bc.listdir(d):
                    full = _cj(d, name)
                    if fnmatch.fnmatchcase(name, pat) and bc.sent(full):
                        expanded.append((full, bc.is_dir(full)))
                continue
            expanded.append((cp, bc.is_dir(cp) if cp else True))
        many = len(expanded) > 1 or any(ch in s for s in c.sources for ch in "*?[")
        dest_dir = c.dest.endswith("/") or many or c.dest in (".", "./")
        for cp, is_dir in expanded:
            if is_dir:
                c.has_dir_source = True
                c.entries.append(_Entry(c.dest_image, cp, True))
                if c.inst.cmd == "ADD":
                    pass  # a folder is copied, never extracted
            else:
                if c.inst.cmd == "ADD" and _ARCHIVE.search(cp):
                    c.movable = "ADD extracts an archive"
                name = posixpath.basename(cp)
                if dest_dir:
                    c.entries.append(_Entry(_ijoin(c.dest_image, name) or c.dest_image, cp, False))
                else:
                    c.entries.append(_Entry(c.dest_image, cp, False, alt=_ijoin(c.dest_image, name)))

    # --- the plan for one RUN ----------------------------------------------------------------

    def plan(self, r: int):
        run = self.ins[r]
        if run.is_json or run.heredocs:
            return None
        # Is there a broad copy before this RUN in the stage at all? (cheap; scanning is not)
        if self.bc is None:
            if not any(self.ins[k].cmd in ("COPY", "ADD") and self.ins[k].flag_value("from") is None
                       and any(go_clean(s) in (".", "/") for s in self.ins[k].value[:-1]) for k in range(1, r)):
                return None
        elif not any(self.ins[k].cmd in ("COPY", "ADD") and self._is_broad(k) for k in range(1, r)):
            return None
        infos = scan(run, self.bc, self._resolver(r))
        installs = [c for c in infos if c.step is not None]
        if not installs:
            return None
        if self.bc is None:
            return "no build context: cannot tell which manifests the install reads (pass --context)"
        for flag in run.flags:
            if flag.startswith("--mount") and "type=cache" not in flag and "type=secret" not in flag and "type=ssh" not in flag and "type=tmpfs" not in flag:
                return f"`{flag}` may read files the install needs"
        # the leading commands: state (cd/set), independent commands and self-contained installs
        state_cmds: list = []
        lead: list[CommandInfo] = []
        split_at = None
        seen_install = False
        roots = self._env_roots(r)
        for ci in infos:
            if ci.kind == "cd" or (ci.kind == "other" and _is_state(ci.unit)):
                state_cmds.append(ci.unit)
                lead.append(ci)
                continue
            if ci.kind == "install":
                if not ci.step.self_contained:
                    if not seen_install:
                        return _first_problem(ci.step)
                    split_at = ci.index
                    break
                seen_install = True
                lead.append(ci)
                continue
            if ci.kind == "other" and _independent_cmd(ci.unit, lambda p: False, roots) is None:
                lead.append(ci)
                continue
            if not seen_install:
                return None  # something else runs before the install: leave this RUN alone
            split_at = ci.index
            break
        steps = [c.step for c in lead if c.step is not None]
        if not steps:
            return None
        if split_at is not None:
            ops = [x for x in _script_items(run) if hasattr(x, "op")]
            if any(o.op != "&&" for o in ops):
                return "the install is followed by other commands joined by something else than `&&`: splitting the RUN would change what a failure does"
        # manifests -> image paths -> which copy provides each
        need: dict[str, str] = {}  # context path -> image path
        img_dirs: dict[int, str] = {}
        for st in steps:
            if st.context_dir is None or st.dir is None or self.workdirs[r] is None:
                return _first_problem(st)
            img_dir = _ijoin(self.workdirs[r], st.dir or ".")
            if img_dir is None:
                return "cannot resolve where the install runs"
            img_dirs[id(st)] = img_dir
            for m in st.manifests:
                img = _ijoin(img_dir, posixpath.relpath(m or ".", st.context_dir or "."))
                if img is None:
                    return f"cannot resolve where {m} is in the image"
                need[m] = img
        # a file inside a folder that is copied whole needs no copy of its own
        for m in list(need):
            if any(o != m and _under(m, o) and self.bc.is_dir(o) for o in need):
                del need[m]
        # walk back from the RUN: which copies move after it
        moved: list[_Copy] = []
        provider: dict[str, _Copy] = {}
        for m, img in need.items():
            prov = None
            for k in range(r - 1, 0, -1):
                inst = self.ins[k]
                if inst.cmd in ("COPY", "ADD"):
                    c = self.copy(k)
                    if not c.from_context:
                        if c.touches(img, self.bc):
                            return f"{m} is written by `{_short(inst)}`, which does not copy it from the build context"
                        continue
                    at = c.writes_at(img, self.bc)
                    if at is not None:
                        if at != m:
                            return f"`{_short(inst)}` puts {at} where the install reads {m}"
                        prov = c
                        break
            if prov is None:
                return f"cannot tell which instruction copies {m} into the image"
            provider[m] = prov
        for k in range(r - 1, 0, -1):
            inst = self.ins[k]
            if inst.cmd not in ("COPY", "ADD"):
                continue
            c = self.copy(k)
            if not c.from_context:
                continue
            provided = {m for m, p in provider.items() if p is c}
            only_manifests = all(e.cpath in provided or e.cpath in need for e in c.entries)
            if only_manifests:
                continue
            if c.movable is not None:
                if c.has_dir_source:
                    return f"the broad copy `{_short(inst)}` cannot move: it {c.movable}"
                break
            why = self._blocker(c, k, r, lead, steps, skip={id(x.inst) for x in moved})
            if why is not None:
                if c.has_dir_source or provided:
                    return why
                break
            moved.append(c)
        moved.reverse()
        if not moved or not any(c.has_dir_source for c in moved):
            return None
        moved_set = {id(c) for c in moved}
        # a provider that stays but was overwritten... provided by a moved copy -> new COPY
        m_paths = [m for m in need if id(provider[m]) in moved_set]
        unsafe: list[str] = []
        for st in steps:
            if not st.provable:
                unsafe.append(f"`{st.command}` runs build scripts, which may read other files")
            for w in st.rewrites:
                if w in provider and id(provider[w]) in moved_set:
                    unsafe.append(f"`{st.command}` may rewrite {w}, which the moved copy then restores from the build context")
            for out in st.outputs:
                img = _ijoin(img_dirs[id(st)], posixpath.relpath(out or ".", st.context_dir or "."))
                for c in moved:
                    if img and c.touches(img, self.bc):
                        unsafe.append(f"the build context sends {out}, which `{st.command}` writes: the moved copy would put it over the installed one (add it to .dockerignore)")
                        break
        # the like copy (flags) of the new COPYs: the (latest) moved copy that provides manifests
        providers = [c for c in moved if any(id(provider[m]) == id(c) for m in m_paths)]
        if len({tuple(sorted((k, v) for k, v in c.flags.items())) for c in providers}) > 1:
            return "the manifests come from copies with different --chown/--chmod flags"
        like = providers[-1] if providers else moved[-1]
        # directory modes seen by the install
        if self.users[r] not in ("", "root", "0", "0:0", "root:root"):
            for m in m_paths:
                d = posixpath.dirname(m)
                top = next((e.cpath or "" for e in provider[m].entries if e.is_dir and _under(m, e.cpath or m) or e.cpath == ""), m)
                while d and d != top and self.bc.is_dir(d):
                    try:
                        mode = stat.S_IMODE(os.stat(self.bc.root / d).st_mode)
                    except OSError:
                        mode = 0o755
                    if mode != 0o755:
                        unsafe.append(f"{d}/ has mode {mode:o}: the new COPY creates it with 755 for the install running as {self.users[r]}")
                        break
                    d = posixpath.dirname(d)
        groups = self._groups(m_paths, need, provider, like)
        counts = None
        group_counts: list[int | None] = [None] * len(groups)
        moved_counts: list[int | None] = [None] * len(moved)
        if self.bc.git_root is not None and (groups or moved):
            counts = {}
            for _, ps in groups:
                for p in ps:
                    counts[p] = self.bc.commit_count([p]) or 0
            group_counts = [self.bc.commit_count(ps) for _, ps in groups]
            for n, c in enumerate(moved):
                srcs = [e.cpath or "." for e in c.entries]
                moved_counts[n] = self.bc.commit_count(srcs, exclude=list(need))
            order = sorted(range(len(groups)), key=lambda k: (group_counts[k] or 0, k))
            groups = [groups[k] for k in order]
            group_counts = [group_counts[k] for k in order]
            counts = dict(sorted(counts.items(), key=lambda kv: (kv[1], kv[0])))
            if len(moved) > 1 and self._independent_copies(moved):
                order = sorted(range(len(moved)), key=lambda k: (moved_counts[k] or 0, k))
                moved = [moved[k] for k in order]
                moved_counts = [moved_counts[k] for k in order]
        else:
            order = sorted(range(len(groups)), key=lambda k: (_static_rank(groups[k][1], steps), k))
            groups = [groups[k] for k in order]
        return _Plan(self, run, r, infos, split_at, state_cmds if split_at is not None else [], steps, moved,
                     groups, group_counts, counts, moved_counts, list(dict.fromkeys(unsafe)), like)

    def _groups(self, m_paths, need, provider, like: _Copy) -> list[tuple[str, list[str]]]:
        """New COPY instructions: one per destination folder (folders get their own)."""
        out: dict[str, list[str]] = {}
        order: list[str] = []
        for m in m_paths:
            c = provider[m]
            img = need[m]
            entry = next((e for e in c.entries if e.is_dir and _candidates(img, e.image)), None)
            if entry is None:  # a file source of a several-file copy: its folder is the destination
                dest = _dest_text(c.dest, "")
                if dest not in out:
                    out[dest] = [dest]
                    order.append(dest)
                out[dest].append(m)
                continue
            rel_in_copy = _rel(m, entry.cpath) if entry.cpath else m
            if self.bc.is_dir(m):
                dest = _dest_text(c.dest, rel_in_copy)
                key = "dir:" + m
                out[key] = [m]
                order.append(key)
                out[key].insert(0, dest)
                continue
            sub = posixpath.dirname(rel_in_copy)
            dest = _dest_text(c.dest, sub)
            if dest not in out:
                out[dest] = [dest]
                order.append(dest)
            out[dest].append(m)
        return [(out[k][0], out[k][1:]) for k in order]

    def _independent_copies(self, copies: list[_Copy]) -> bool:
        for a in copies:
            for b in copies:
                if a is not b and a.dest_image and b.dest_image and _paths_meet(a.dest_image, b.dest_image):
                    if a.has_dir_source or b.has_dir_source:
                        return False
                    if any(e.image == f.image for e in a.entries for f in b.entries):
                        return False
        return True

    def _resolver(self, r: int):
        wd = self.workdirs[r]

        def resolve(path: str) -> str | None:
            if wd is None or "$" in path or path.startswith("~"):
                return None
            img = _ijoin(wd, path)
            if img is None or self.bc is None:
                return None
            for k in range(r - 1, 0, -1):
                inst = self.ins[k]
                if inst.cmd in ("COPY", "ADD"):
                    c = self.copy(k)
                    if not c.from_context:
                        d = c.dest_image
                        if d is None or _paths_meet(img, d) and (_under(img, d) or _symbolic(d) != _symbolic(img)):
                            return None
                        continue
                    for e in reversed(c.entries):
                        if e.is_dir:
                            subs = _candidates(img, e.image)
                            if subs:
                                cp = _cj(e.cpath or "", subs[0])
                                if cp == (e.cpath or "") or self.bc.is_dir(cp):
                                    return cp
                        elif e.cpath is not None:
                            for fimg in filter(None, (e.image, e.alt)):
                                if posixpath.dirname(fimg) == img:
                                    return posixpath.dirname(e.cpath)
            return None

        return resolve

    def _is_broad(self, k: int) -> bool:
        c = self.copy(k)
        return c.from_context and c.has_dir_source

    def _env_roots(self, r: int) -> list[str]:
        roots = list(_HOME)
        for inst in self.ins[1:r]:
            if inst.cmd == "ENV":
                v = inst.value
                for n in range(0, len(v) - 1, 2):
                    if v[n] in ("PATH", "VIRTUAL_ENV", "PYTHONUSERBASE", "PIP_TARGET", "NPM_CONFIG_PREFIX", "GEM_HOME", "BUNDLE_PATH", "PNPM_HOME", "npm_config_prefix"):
                        for part in re.sub(r"[\"']", "", v[n + 1]).split(":"):
                            if part.startswith("/"):
                                roots.append(posixpath.dirname(go_clean(part)) if part.rstrip("/").endswith("/bin") else go_clean(part))
                            elif "$" not in part and part:
                                roots.append("?")
        return roots

    def _blocker(self, c: _Copy, k: int, r: int, lead: list[CommandInfo], steps: list[InstallStep], skip=frozenset()) -> str | None:
        """Why copy `c` (at k) cannot move after the RUN at r, or None."""
        bc = self.bc
        used = _vars_in(" ".join([*c.sources, c.dest, *c.flags.values()]))
        roots = self._env_roots(r)
        for j in range(k + 1, r + 1):
            y = self.ins[j]
            cmd = y.cmd
            if id(y) in skip:
                continue  # moves too, and stays after this copy
            if j == r:
                touch = lambda p: c.touches(p, bc)  # noqa: E731
                for ci in lead:
                    if ci.kind == "other":
                        why = _independent_cmd(ci.unit, touch, roots, chown_names=_chown_names(c))
                        if why:
                            return f"`{ci.unit.raw}` {why}"
                return None
            if cmd in ("ENV", "ARG"):
                if _defined_vars(y) & used:
                    return f"`{_short(y)}` changes a variable that `{_short(c.inst)}` uses"
                continue
            if cmd in _PASS:
                continue
            if cmd == "WORKDIR":
                if not c.dest.startswith("/"):
                    return f"`{_short(y)}` changes the folder `{_short(c.inst)}` copies into"
                wd = self.workdirs[j + 1] if j + 1 < len(self.workdirs) else None
                if wd is None or c.touches(wd, bc) or (c.dest_image and _paths_meet(wd, c.dest_image)):
                    return f"`{_short(y)}` creates a folder where `{_short(c.inst)}` copies"
                continue
            if cmd in ("COPY", "ADD"):
                other = self.copy(j)
                if other.from_context and other.entries:
                    for e in other.entries:
                        for img in filter(None, (e.image, e.alt)):
                            if c.touches(img, bc):
                                return f"`{_short(y)}` writes where `{_short(c.inst)}` copies"
                else:
                    d = other.dest_image
                    if d is None or c.touches(d, bc):
                        return f"`{_short(y)}` writes where `{_short(c.inst)}` copies"
                continue
            if cmd == "RUN":
                why = _independent_run(y, lambda p: c.touches(p, bc), roots, _chown_names(c))
                if why:
                    return f"`{_short(y)}` runs between the copy and the install and {why}"
                continue
            return f"`{_short(y)}` runs between the copy and the install"
        return None


def _first_problem(step: InstallStep) -> str:
    probs = step.problems
    return f"`{step.command}`: " + (probs[0] if probs else "not understood")


def _static_rank(paths: list[str], steps: list[InstallStep]) -> int:
    config = {p for s in steps for p in s.config}
    return min((1 if p in config else 0) for p in paths) if paths else 2


def _dest_text(dest: str, sub: str) -> str:
    if dest in (".", "./"):
        return "./" + (sub + "/" if sub else "")
    base = dest.rstrip("/")
    if base == "":
        return "/" + (sub + "/" if sub else "")
    return base + "/" + (sub + "/" if sub else "")


def _script_items(run: Instruction):
    from refactor.shell.parse import parse_shell

    return parse_shell(body_text(run), run.escape).items


def _is_state(unit) -> bool:
    name = getattr(unit, "name", None)
    if name == "set":
        return True
    return False


def _chown_names(c: _Copy) -> bool:
    v = c.flags.get("chown", "")
    return bool(v) and not re.fullmatch(r"\d+(:\d+)?", v)


def _word_path(w) -> str | None:
    """The static path a word names (glob tails cut off), or None when it expands."""
    if w.has_expansion:
        return None
    text = w.value if w.value is not None else w.text
    if w.has_glob:
        parts = text.split("/")
        keep = []
        for p in parts:
            if any(ch in p for ch in "*?["):
                break
            keep.append(p)
        text = "/".join(keep) or "/"
    return text


def _independent_run(inst: Instruction, touches, roots, chown_names: bool) -> str | None:
    if inst.is_json:
        return "is in exec form"
    if inst.heredocs:
        return "has a heredoc"
    for flag in inst.flags:
        if flag.startswith("--mount") and "type=bind" in flag or flag.startswith("--mount") and "type=" not in flag:
            return "mounts files"
    from refactor.shell.parse import Opaque, parse_shell

    script = parse_shell(body_text(inst), inst.escape)
    for u in script.units():
        if isinstance(u, Opaque):
            return "has shell code this analysis does not follow"
        why = _independent_cmd(u, touches, roots, chown_names=chown_names)
        if why:
            return f"`{u.raw}` {why}"
    return None


def _independent_cmd(cmd, touches, roots, chown_names: bool = False) -> str | None:
    """None when the command neither reads nor writes what `touches` says the moved copy
    writes; else why not."""
    from refactor.shell.parse import Opaque

    if isinstance(cmd, Opaque):
        return "is shell code this analysis does not follow"
    for r in cmd.redirects:
        if r.fd_number is not None and r.operator in (">&", "<&"):
            continue
        t = r.target
        if t.value in ("/dev/null", "/dev/stdout", "/dev/stderr") or r.operator in (">&", "<&") and (t.value or "").isdigit():
            continue
        p = _word_path(t)
        if p is None or not p.startswith("/"):
            return "redirects to a relative or computed path"
        if touches(p):
            return f"writes {p}, where the copy puts files"
    for a in cmd.assignments:
        if a.has_command_substitution:
            return "runs a command substitution"
    for w in cmd.words:
        if w.has_command_substitution:
            return "runs a command substitution"
    name = (cmd.name or "").rsplit("/", 1)[-1]
    args = cmd.args
    vals = [w.value for w in args]
    if not cmd.words:
        return None
    if name in _NOOP:
        return None
    if name in _PKG:
        for w in args:
            v = w.value if w.value is not None else w.text
            if "/" in v and not v.startswith("-") or v.endswith((".deb", ".rpm", ".apk")):
                return "installs a package file"
        for p in _SYSTEM:
            if touches(p):
                return f"installs into {p}, where the copy puts files"
        return None
    if name in _USERMOD:
        return "changes users" if chown_names else _paths_ok(args, touches, ("/etc", "/home"))
    if name in _USERADD:
        for p in ("/etc", "/home", "/var"):
            if touches(p):
                return f"writes {p}, where the copy puts files"
        for w in args:
            v = w.value
            if v is not None and v.startswith("/") and touches(v):
                return f"creates {v}, where the copy puts files"
        return None
    if name in _PATH_CMDS:
        return _paths_ok(args, touches, ())
    if name in ("pip", "pip3") or re.match(r"^pip\d", name) or re.match(r"^python\d?(\.\d+)?$", name) and vals[:2] == ["-m", "pip"]:
        rest = vals[2:] if name.startswith("python") else vals
        if not rest:
            return "runs pip"
        if rest[0] in ("config", "cache"):
            return None
        if rest[0] != "install":
            return "runs pip"
        for v in rest[1:]:
            if v is None:
                return "installs a computed requirement"
            if v.startswith("-") and v.split("=")[0] in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "--prefix", "--root", "-f", "--find-links"):
                return "reads or writes project files"
            if not v.startswith("-") and (v.startswith((".", "/", "~")) or "/" in v.split("@")[0] and "://" not in v):
                return "installs a local path"
        for p in roots:
            if p == "?" or touches(p):
                return "installs into a folder the copy writes"
        return None
    if name in ("npm", "yarn", "pnpm"):
        v = [x for x in vals if x is not None]
        glob = "-g" in v or "--global" in v or (name == "yarn" and v[:1] == ["global"])
        if (v[:2] in (["cache", "clean"], ["config", "set"]) or v[:1] == ["set"]) or (glob and (v[:1] in (["install"], ["i"], ["add"], ["global"]))):
            for p in roots:
                if p == "?" or touches(p):
                    return "installs into a folder the copy writes"
            return None
        return f"runs {name} in the project"
    if name == "corepack":
        if vals[:1] == ["enable"] or (vals[:1] == ["prepare"] and len(vals) >= 2 and vals[1] and "@" in vals[1]):
            return None
        return "reads package.json"
    if name == "gem" and vals[:1] == ["install"] and all(v is not None and not v.endswith(".gem") and "/" not in v for v in vals[1:]):
        return None
    if name in ("curl", "wget"):
        outs = [cmd.option_value("-o", "--output", value_flags=("-o", "--output")), cmd.option_value("-O", "--output-document", value_flags=("-O", "--output-document"))] if name == "wget" else [cmd.option_value("-o", "--output", value_flags=("-o", "--output"))]
        outs = [o for o in outs if o is not None]
        if name == "curl" and not outs and any(v in ("-O", "--remote-name") for v in vals):
            return "downloads into the working directory"
        if name == "wget" and not outs:
            return "downloads into the working directory"
        for o in outs:
            if o == "-" :
                continue
            if not o.startswith("/"):
                return "downloads into the working directory"
            if touches(o):
                return f"writes {o}, where the copy puts files"
        return None
    if name == "tar":
        d = cmd.option_value("-C", "--directory", value_flags=("-C", "--directory", "-f", "--file"))
        f = cmd.option_value("-f", "--file", value_flags=("-C", "--directory", "-f", "--file"))
        if d is None or not d.startswith("/") or (f not in (None, "-") and not f.startswith("/")):
            return "reads or writes relative paths"
        if touches(d):
            return f"extracts into {d}, where the copy puts files"
        return None
    if name == "git" and vals[:2] == ["config", "--global"]:
        return None
    if name == "poetry" and vals[:1] == ["config"] and "--local" not in vals:
        return None
    if name in ("pipx", "uv") and vals[:1] == ["install"] or name == "uv" and vals[:2] == ["tool", "install"]:
        return None
    return "may read the copied files"


def _paths_ok(args, touches, implicit) -> str | None:
    for p in implicit:
        if touches(p):
            return f"writes {p}, where the copy puts files"
    for w in args:
        v = w.value if w.value is not None else w.text
        if v.startswith("-"):
            continue
        if w.has_expansion:
            return "uses a computed path"
        p = _word_path(w)
        if p is None or not p.startswith("/"):
            if re.fullmatch(r"[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?", v) and ":" in v:
                continue  # chown user:group
            if re.fullmatch(r"[0-7]{3,4}|[ugoa]*[+=-][rwxXst]+", v):
                continue  # chmod mode
            return "names a relative path"
        if touches(p):
            return f"touches {p}, where the copy puts files"
    return None


# --------------------------------------------------------------------------- .dockerignore


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
    # only when something copies the whole context root
    roots = [i for i in df.instructions if i.cmd in ("COPY", "ADD") and i.flag_value("from") is None
             and not i.heredocs and len(i.value) >= 2 and any(go_clean(s.lstrip("/")) == "." for s in i.value[:-1])]
    if not roots:
        return
    di = bc.dockerignore
    ecosystems: set[str] = set()
    mentioned = set()
    for inst in df.instructions:
        if inst.cmd == "RUN":
            try:
                for c in scan(inst, None):
                    if c.step is not None:
                        ecosystems.add(c.step.ecosystem)
            except Exception:  # pragma: no cover - analysis must never break the run
                pass
        text = inst.logical
        if inst.cmd in ("COPY", "ADD", "RUN", "CMD", "ENTRYPOINT", "ENV", "VOLUME"):
            mentioned.add(text)
    generated = {g for e in ecosystems for g in GENERATED.get(e, ())}
    entries: list[tuple[str, str]] = []
    top = bc.listdir("")
    for pattern, why in _CANDIDATES:
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
                     f"{', '.join(p for p, _ in entries)} (proposed together with a reorder only)")
        return
    ctx.extra_files[target] = text
    if record:
        what = ", ".join(f"{p} ({w})" for p, w in entries)
        ctx.edit(
            codemod, None,
            f"{'extend' if f is not None else 'create'} {target.name}: {', '.join(p for p, _ in entries)}",
            safety=Safety.UNSAFE,
            rationale=(
                "The broad COPY sends these into the image: " + what + ". Excluding them keeps the "
                "image and the build context small and keeps secrets and host-built files out; the "
                "user's entries are kept byte for byte. Unsafe: files the image used to contain are "
                "no longer copied, so check that nothing at run time reads them."
            ),
        )


def _present(bc: BuildContext, pattern: str, top: list[str]) -> list[str]:
    if pattern == "**/__pycache__":
        return [f.rsplit("/", 1)[0] for f in _find(bc, lambda rel, name, is_dir: is_dir and name == "__pycache__")][:5]
    if pattern == "**/*.log":
        return _find(bc, lambda rel, name, is_dir: not is_dir and name.endswith(".log"))[:5]
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


CODEMOD = LayerOrder()

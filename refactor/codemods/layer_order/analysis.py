"""The analysis of one stage for layer-order: where each instruction's working directory and user
are, what each COPY/ADD writes, and for a RUN that installs dependencies, the plan (or the reason
there is none): which manifests to copy first and which copies move past the install."""
from __future__ import annotations

import os
import posixpath
import re
import stat
from bisect import bisect_left

from refactor.codemods.layer_order.commands import _independent_cmd, _independent_run
from refactor.codemods.layer_order.copies import _Copy, _Entry
from refactor.codemods.layer_order.paths import (
    BASE, _HOME, _candidates, _cj, _defined_vars, _ijoin, _paths_meet, _rel, _symbolic, _under, _vars_in,
)
from refactor.codemods.layer_order.plan import _Plan, _short
from refactor.knowledge.context import BuildContext, go_clean, within_path_max
from refactor.knowledge.ecosystems import CommandInfo, InstallStep, scan
from refactor.knowledge.ecosystems.scan import may_install
from refactor.syntax.edit import body_text
from refactor.syntax.nodes import Dockerfile, Instruction, Stage
from refactor.syntax.lazy_re import lazy

# How many COPY/ADD instructions before a RUN are read to tell where its folder comes from.
_MAX_COPIES_BACK = 64

_PASS = frozenset({"LABEL", "EXPOSE", "CMD", "ENTRYPOINT", "HEALTHCHECK", "STOPSIGNAL", "MAINTAINER", "ONBUILD", "SHELL", "USER"})
_ARCHIVE = lazy(r"\.(tar|tgz|tbz2?|txz|tar\.(gz|bz2|xz|zst|lz|lzma))$")


# An earlier RUN that fetches or builds the dependencies: layer-order says nothing about caching them.
_FETCHES = {"go": r"\bgo\s+mod\s+download\b", "cargo": r"\bcargo\s+(?:build|fetch)\b"}


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
                wd = within_path_max(_ijoin(wd, inst.value[0])) if wd is not None else None
            if inst.cmd == "USER" and inst.value:
                user = inst.value[0]
        self._copies: dict[int, _Copy] = {}
        self._first_broad: int | None = None
        self._fetch_at: dict[str, int] | None = None
        self._copies_at: list[int] | None = None  # the stage's COPY/ADD indices, in order
        self._folders: dict[tuple[str, int], str | None] = {}  # (image folder, RUN index) -> context folder
        self._roots: tuple[list[str], list[int]] | None = None  # (ENV roots in order, how many before each index)

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
        if self.first_broad_copy() >= r:
            return None
        if not may_install(run.logical):  # no install, and no go or cargo build: nothing to plan
            return None
        infos = scan(run, self.bc, self._resolver(r))
        installs = [c for c in infos if c.step is not None]
        if not installs:
            return self._compile_only(infos, r)
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
        # A manifest an earlier copy that stays already puts in place, the same file with the same
        # owner and mode, needs no second COPY (`COPY requirements.txt /app/` then `COPY . /app/`).
        m_paths = [m for m in m_paths if not self._already_copied(m, need[m], r, moved_set, like)]
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

    def _compile_only(self, infos: list[CommandInfo], r: int) -> str | None:
        """Why a build that fetches or compiles its dependencies itself, after the sources,
        is not reordered: the layer that would cache them is a new command, not a move. Nothing
        is said when an earlier RUN of the stage already fetches or builds them."""
        for ci in infos:
            unit = ci.unit
            name = getattr(unit, "name", None)
            sub = unit.subcommand() if name in ("cargo", "go") else None
            if sub is None or sub.value not in ("build", "install"):
                continue
            if self._first_fetch(name) < r:
                return None
            if name == "cargo" and sub.value == "build":
                return ("`cargo build` compiles the dependencies and the crate in one step: caching the dependencies "
                        "takes a build of stub targets before the sources, which leaves other files in target/ than "
                        "this build (not proven the same image); multi-stage's deps stage does it")
            if name == "go" and self.bc is not None and self._go_requires():
                return ("`go build` downloads the modules go.mod requires as it builds: a `RUN go mod download` "
                        "layer before the sources would cache them, but it also fetches the modules only tests "
                        "need (not the same image); multi-stage's deps stage adds it")
        return None

    def _go_requires(self) -> bool:
        """A go.mod of the context requires modules that are not vendored."""
        for f in self.bc.files:
            if posixpath.basename(f) == "go.mod" and self.bc.sent(f):
                d = posixpath.dirname(f)
                if self.bc.is_dir(_cj(d, "vendor")):
                    continue
                text = self.bc.read_text(f) or ""
                if re.search(r"^require\b", text, re.M):
                    return True
        return False

    def _already_copied(self, m: str, img: str, r: int, moved_set: set[int], like: _Copy) -> bool:
        """Whether the last copy before the RUN at `r` that writes `img` and does not move writes
        context file `m` there, with the --chown/--chmod the new COPY would have."""
        for k in range(r - 1, 0, -1):
            if self.ins[k].cmd not in ("COPY", "ADD"):
                continue
            c = self.copy(k)
            if id(c) in moved_set:
                continue
            if not c.from_context:
                if c.touches(img, self.bc):
                    return False
                continue
            at = c.writes_at(img, self.bc)
            if at is None:
                continue
            same = all(c.flags.get(f) == like.flags.get(f) for f in ("chown", "chmod"))
            return at == m and same and c.inst.cmd == "COPY"
        return False

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
            key = (img, r)
            if key not in self._folders:
                self._folders[key] = self._context_folder(img, r)
            return self._folders[key]

        return resolve

    def _context_folder(self, img: str, r: int) -> str | None:
        """The context folder the image folder `img` holds at the RUN at `r`: decided by the
        nearest COPY/ADD before it that writes there, at most _MAX_COPIES_BACK of them back (past
        that the folder is unknown: walking every COPY for every RUN was quadratic, and no real
        stage has more than 48); None when unknown or not from the context."""
        if self._copies_at is None:
            self._copies_at = [k for k in range(1, len(self.ins)) if self.ins[k].cmd in ("COPY", "ADD")]
        at = self._copies_at
        last = bisect_left(at, r)
        for k in reversed(at[max(0, last - _MAX_COPIES_BACK):last]):
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

    def first_broad_copy(self) -> int:
        """The index of the stage's first COPY/ADD of the context's top or a folder of it
        (len(ins) if none). Found once: asking for every RUN would be quadratic."""
        if self._first_broad is None:
            self._first_broad = len(self.ins)
            for k in range(1, len(self.ins)):
                inst = self.ins[k]
                if inst.cmd not in ("COPY", "ADD"):
                    continue
                if self.bc is None:
                    broad = inst.flag_value("from") is None and any(go_clean(s) in (".", "/") for s in inst.value[:-1])
                else:
                    broad = self._is_broad(k)
                if broad:
                    self._first_broad = k
                    break
        return self._first_broad

    def _first_fetch(self, name: str) -> int:
        """The index of the stage's first shell-form RUN that downloads or builds the `go` or
        `cargo` dependencies (len(ins) if none). Found once: joining the earlier RUNs for every
        RUN was quadratic (a 41 KB file took over 10 s)."""
        if self._fetch_at is None:
            self._fetch_at = {}
            for k in range(1, len(self.ins)):
                inst = self.ins[k]
                if inst.cmd != "RUN" or inst.is_json:
                    continue
                text = body_text(inst)
                for tool, pattern in _FETCHES.items():
                    if tool not in self._fetch_at and re.search(pattern, text):
                        self._fetch_at[tool] = k
        return self._fetch_at.get(name, len(self.ins))

    def _is_broad(self, k: int) -> bool:
        c = self.copy(k)
        return c.from_context and c.has_dir_source

    def _env_roots(self, r: int) -> list[str]:
        """The folders the ENVs before `r` point installs at (PATH entries, virtualenvs...),
        after the home and system folders. Read once per stage: per RUN it was quadratic."""
        if self._roots is None:
            found: list[str] = []
            upto: list[int] = []
            for k, inst in enumerate(self.ins):
                upto.append(len(found))
                if k == 0 or inst.cmd != "ENV":
                    continue
                v = inst.value
                for n in range(0, len(v) - 1, 2):
                    if v[n] in ("PATH", "VIRTUAL_ENV", "PYTHONUSERBASE", "PIP_TARGET", "NPM_CONFIG_PREFIX", "GEM_HOME", "BUNDLE_PATH", "PNPM_HOME", "npm_config_prefix"):
                        for part in re.sub(r"[\"']", "", v[n + 1]).split(":"):
                            if part.startswith("/"):
                                found.append(posixpath.dirname(go_clean(part)) if part.rstrip("/").endswith("/bin") else go_clean(part))
                            elif "$" not in part and part:
                                found.append("?")
            upto.append(len(found))
            self._roots = (found, upto)
        found, upto = self._roots
        return [*_HOME, *found[:upto[r]]]

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

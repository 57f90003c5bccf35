"""Writes the stages: new instructions in the file's keyword case and escape style, the deps and
builder stages from the original steps, the runner's base, packages, user, copies and
configuration, and the final Dockerfile."""
from __future__ import annotations

import fnmatch
import posixpath
import re

from refactor.codemods.multi_stage.model import (
    Plan,
    Step,
    _abspath,
    _argv_of,
    _cmd_text,
    _Decline,
    _rel,
    _under,
    _unquote,
)
from refactor.knowledge.baseimages import Family, existing_user, image_family
from refactor.knowledge.stage_images import expand_from
from refactor.knowledge.ecosystems import ecosystem_module
from refactor.knowledge.users import Accounts, new_user
from refactor.knowledge.project_files import SYSTEM_DIRS
from refactor.knowledge.runner_images import archived_release, debian_release, image_name, runner_kind, slim_tag
from refactor.knowledge.system_packages import (
    DEBIAN_TO_ALPINE,
    FETCHERS,
    is_build_only_package,
    is_dev_package,
    is_shared_library,
    runtime_packages_for_dev,
)
from refactor.syntax.buildkit import expand_variables
from refactor.syntax.edit import ends_open, keyword_case, new_instruction, with_body, with_line_ending
from refactor.syntax.nodes import BlankLine, Comment, Dockerfile, Instruction


_KIND_FAMILY = {"debian": Family.DEBIAN, "alpine": Family.ALPINE, "distroless": Family.DISTROLESS,
                "scratch": Family.SCRATCH}


class Emitter:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # ---- shared pieces of the stages --------------------------------------------------------------

    def kw(self, word: str) -> str:
        return keyword_case(self.df, word)


    def new(self, text: str, blank: bool = False) -> Instruction:
        leading = (BlankLine("", self.df.newline),) if blank else ()
        return new_instruction(text, self.df, leading=leading)


    def deps_from(self) -> Instruction:
        inst = self.from_inst
        new = with_body(inst, f"{self.base_text} {self.kw('AS')} deps")
        self.touched.append(inst)
        return new


    def stage_from(self, image: str, name: str, platform: bool = True) -> Instruction:
        plat = self.from_inst.flag_value("platform")
        flag = f" --platform={plat}" if plat and platform else ""
        return self.new(f"{self.kw('FROM')}{flag} {image} {self.kw('AS')} {name}", blank=True)


    def arg_copies(self, names: set[str] | None = None) -> list[Instruction]:
        out = []
        for s in self.steps:
            if s.kind != "arg":
                continue
            words = s.inst.value
            keep = [w for w in words if names is None or w.split("=", 1)[0] in names]
            if keep:
                out.append(self.new(f"{self.kw('ARG')} {' '.join(keep)}"))
        return out


    def env_copies(self) -> list[Instruction]:
        out = []
        for s in self.steps:
            if s.kind == "env":
                out.append(self.new(s.inst.code_without_leading.lstrip().rstrip("\r\n")))
        return out


    def runner_arg_names(self, runner_text: str) -> set[str]:
        used = set()
        for name in self.arg_names:
            if re.search(r"\$\{?" + re.escape(name) + r"\b", runner_text):
                used.add(name)
        return used


    def apt_install(self, packages: list[str], kind: str) -> Instruction | None:
        pk = sorted(dict.fromkeys(packages))
        self.runner_packages = pk
        if not pk:
            return None
        if kind == "alpine":
            return self.new(f"{self.kw('RUN')} apk add --no-cache {' '.join(pk)}")
        if kind != "debian":
            raise _Decline(f"the runner needs packages ({', '.join(pk)}) but {self.runner_image} has no package manager")
        archived = archived_release(self.runner_image)
        if archived:
            raise _Decline(f"the runner needs packages ({', '.join(pk)}) but {self.runner_image} is on Debian "
                           f"{archived}, whose packages have left deb.debian.org: `apt-get update` would fail")
        lines = " \\\n        ".join(pk)
        inst = self.new(
            f"{self.kw('RUN')} apt-get update \\\n    && apt-get install -y --no-install-recommends \\\n        {lines} \\\n"
            f"    && rm -rf /var/lib/apt/lists/*"
        )
        if not self._original_has_unpinned_apt():
            # the runner takes the versions of its base image's Debian release, as the build did
            inst = inst.with_changes(leading=(Comment("# hadolint ignore=DL3008", self.df.newline),))
        return inst


    def _original_has_unpinned_apt(self) -> bool:
        for s in self.steps:
            if s.run:
                for c in s.run.cmds:
                    if c.name in ("apt-get", "apt") and any("=" not in p for p in c.apt):
                        return True
        return False


    # ---- runtime analysis shared by the ecosystems --------------------------------------------------

    def start_argvs(self) -> list[list[str]]:
        """ENTRYPOINT + CMD (the last of each), and HEALTHCHECK commands, as argv lists."""
        ep = cmd = None
        out = []
        for s in self.steps:
            if s.inst.cmd == "ENTRYPOINT":
                ep = _argv_of(s.inst)
            elif s.inst.cmd == "CMD":
                cmd = _argv_of(s.inst)
        main = (ep or []) + (cmd or [] if not ep or (cmd and ep) else [])
        if ep and cmd and ep[:2] == ["/bin/sh", "-c"]:
            main = ep  # shell-form ENTRYPOINT ignores CMD
        self.main_argv = main
        # the CMD an entrypoint script hands over to (`exec "$@"`)
        self.handover_argv = cmd if ep and cmd and main is not ep else None
        out.append(main)
        for s in self.steps:
            if s.inst.cmd == "HEALTHCHECK":
                v = s.inst.value
                if v and v[0].upper() == "CMD":
                    rest = list(v[1:])
                    out.append(rest if s.inst.is_json or len(rest) > 1 else ["/bin/sh", "-c", rest[0] if rest else ""])
        return out


    def check_dev(self, patterns, texts: list[str]) -> None:
        for t in texts:
            for rx, why in patterns:
                if rx.search(t):
                    raise _Decline(f"the start command runs build tools at run time ({why}): "
                                   "a split would leave them behind")


    def runtime_packages(self, tools_needed: list[str], extra_runtime: list[str], provided: set[str]) -> tuple[list[str], list[str]]:
        """Packages the runner installs, and the apt packages that stay behind (with why).
        `tools_needed`: programs the container runs (runtime_tools), `provided`: those the app
        or the language image brings."""
        installed = []
        for s in self.steps:
            if s.run is not None:
                for c in s.run.cmds:
                    if c.name in ("apt-get", "apt", "aptitude", "apk"):
                        installed.extend(p.split("=", 1)[0] for p in c.apt)
        # the runner's release names the runtime libraries (golang/rust: debian:<release>-slim)
        codename = "alpine" if self.base.alpine is not None else (debian_release(self.runner_image) or self.base.codename)
        kind = self.kind_of(self.runner_image)
        needed_tools = [t for t in tools_needed if t not in provided]
        tool_pkgs = self.tool_packages(needed_tools, installed, kind)
        keep: list[str] = []
        left: list[str] = []
        for bare in dict.fromkeys(installed):
            if bare in FETCHERS or is_build_only_package(bare):
                if bare in tool_pkgs:
                    keep.append(bare)
                else:
                    left.append(f"{bare} (no run-time use found)" if bare in FETCHERS else f"{bare} (build tool)")
                continue
            if is_dev_package(bare):
                rt = runtime_packages_for_dev(bare, codename)
                if rt is None:
                    raise _Decline(f"I do not know which runtime library {bare} stands for, so I cannot "
                                   "tell what the runner needs")
                left.append(f"{bare} (headers" + (f"; the runner gets {', '.join(rt)}" if rt else "") + ")")
                keep.extend(rt)
                continue
            keep.append(bare)
        for pkg in tool_pkgs:
            if pkg not in keep:
                keep.append(pkg)
        if kind == "alpine":
            extra_runtime = [DEBIAN_TO_ALPINE[p] for p in extra_runtime if p in DEBIAN_TO_ALPINE]
        keep.extend(extra_runtime)
        if kind in ("distroless",):
            keep = [p for p in keep if p not in ("ca-certificates", "tzdata", "netbase")]
        if left:
            self.gain = True
        return list(dict.fromkeys(keep)), left


    def linked_libraries(self, extra_runtime: list[str]) -> list[str]:
        """The shared libraries a compiled binary links (bookworm's names): those the -dev
        packages the original installs stand for (the -dev name itself when unknown), the
        libraries it installs, and `extra_runtime` (the native crates')."""
        out = []
        for s in self.steps:
            for c in (s.run.cmds if s.run is not None else ()):
                if c.name not in ("apt-get", "apt", "aptitude"):
                    continue
                for bare in (p.split("=", 1)[0] for p in c.apt):
                    if is_build_only_package(bare) or bare in FETCHERS:
                        continue
                    if is_dev_package(bare):
                        rt = runtime_packages_for_dev(bare, "bookworm")
                        out.extend([bare] if rt is None else rt)
                    elif is_shared_library(bare):
                        out.append(bare)
        out.extend(p for p in extra_runtime if is_shared_library(p))
        return list(dict.fromkeys(out))


    def runner_start(self, config) -> list[Instruction]:
        """The runner's FROM, then the ARGs and ENVs of the original its instructions use."""
        runner: list[Instruction] = [self.stage_from(self.runner_image, "runner")]
        probe = " ".join(s.inst.code for s in config) + " ".join(i.code for i in self.env_copies())
        runner.extend(self.arg_copies(self.runner_arg_names(probe)))
        runner.extend(self.env_copies())
        return runner


    def slim_runner(self, base, language: str) -> str:
        """Choose the slim image of the input's family as the runner (python, ruby); returns its
        kind. The runner needs a shell and a package manager, and keeps the input's libc."""
        slim = slim_tag(base)
        derived = image_name(base, slim) if slim else None
        self.runner_image = self.resolve_runner(self._templated(derived), f"no slim image for {self.base_text}")
        kind = self.kind_of(self.runner_image)
        self.runner_default_workdir = "/"
        if kind not in ("debian", "alpine"):
            raise _Decline(f"runner {self.runner_image}: a {language} runner needs a shell and a package manager")
        if kind == "alpine" and base.libc != "musl":
            raise _Decline("the runner would switch from glibc to musl")
        return kind


    def runner_head(self, config, packages: list[str], kind: str, base_user: str | None = None,
                    after_start: tuple[Instruction, ...] = ()) -> tuple[list[Instruction], str, str]:
        """The runner's opening, shared by the strategies: FROM with the ARGs and ENVs it uses,
        `after_start`, the packages the app needs at run time, the user, WORKDIR. Returns
        (instructions, USER value, chown value)."""
        user_insts, user, chown = self.runner_user(kind, base_user)
        runner = self.runner_start(config)
        runner.extend(after_start)
        pk = self.apt_install(packages, kind)
        if pk is not None:
            runner.append(pk)
        runner.extend(user_insts)
        wd = self.workdir_inst()
        if wd is not None:
            runner.append(wd)
        return runner, user, chown


    def runner_user(self, kind: str, base_user: str | None) -> tuple[list[Instruction], str, str]:
        """(instructions creating the user and giving it the work folder when the app needs
        that, USER value, chown value) for the runner."""
        insts, user, chown = self._runner_account(kind, base_user)
        return insts + self.app_folder_owner(kind, insts, chown), user, chown


    def _runner_account(self, kind: str, base_user: str | None) -> tuple[list[Instruction], str, str]:
        """(instructions creating the user, USER value, chown value) for the runner. The user
        comes from the knowledge non-root uses (refactor.knowledge.users): the runner image's
        own user, else `app` created with the family's tools; USER is numeric `uid:gid`
        whenever the ids are known."""
        u = self.final_user
        fam = _KIND_FAMILY.get(kind)
        if u not in ("root", "0", "0:0", "root:root", ""):
            name = u.split(":", 1)[0]
            if kind in ("distroless", "scratch"):
                if not re.fullmatch(r"\d+(:\d+)?", u):
                    raise _Decline(f"the original runs as {u}, a name {self.runner_image} has no entry for")
                return [], u, u if ":" in u else f"{u}:{u}"
            if re.fullmatch(r"\d+(:\d+)?", u):
                return [], u, u if ":" in u else f"{u}:{u}"
            known = existing_user(self.runner_image)
            if known is not None and name == known.name and ":" not in u and known.numeric:
                return [], known.numeric, f"{known.name}:{known.group_name}"
            if name == base_user:
                return [], u, f"{u}:{u}"
            # created by the original: do the same in the runner (every RUN that only makes accounts)
            acct = [s for s in self.steps if s.run is not None and s.run.cmds
                    and all(c.kind in ("user", "neutral") or c.name in ("mkdir", "chown") for c in s.run.cmds)
                    and any(c.kind == "user" for c in s.run.cmds)]
            if any(name in s.inst.args for s in acct):
                self.repeated_user_steps = acct
                acc = Accounts(fam if fam is not None else Family.DEBIAN)
                for s in acct:
                    for c in s.run.cmds:
                        if c.kind == "user" and c.cmd is not None and all(v is not None for v in c.cmd.argv):
                            acc.feed(list(c.cmd.argv[len(c.cmd.wrappers):]))
                made = acc.users.get(name)
                insts = [self.new(s.inst.code_without_leading.lstrip().rstrip("\r\n")) for s in acct]
                if made is not None and made.uid is not None and made.gid is not None and ":" not in u:
                    return insts, made.numeric, f"{name}:{made.group_name}"
                return insts, u, u if ":" in u else f"{name}:{name}"
            raise _Decline(f"the original runs as {u}, created in a RUN I cannot repeat in the runner")
        if fam is None:
            raise _Decline(f"I do not know how to add a user to {self.runner_image}")
        nu = new_user(fam, self.runner_image)
        if nu is None:
            raise _Decline(f"I do not know how to add a user to {self.runner_image}")
        if not nu.create:
            return [], nu.user, nu.chown
        create = list(nu.create)
        w = self.final_workdir
        if w not in SYSTEM_DIRS:
            # the root original could create files in its work folder; WORKDIR makes it root-owned
            create.append(f"mkdir -p {w} && chown {nu.chown} {w}")
        text = " \\\n    && ".join(create)
        return [self.new(f"{self.kw('RUN')} {text}")], nu.user, nu.chown


    def user_label(self, user: str, chown: str) -> str:
        name = chown.split(":", 1)[0]
        return user if name == user.split(":", 1)[0] or name[:1].isdigit() else f"{name} ({user})"


    def copy_line(self, stage: str, src: str, dest: str, chown: str | None) -> Instruction:
        ch = f" --chown={chown}" if chown else ""
        return self.new(f"{self.kw('COPY')} --from={stage}{ch} {src} {dest}")


    def dest_text(self, path: str, is_dir: bool) -> str:
        w = self.final_workdir
        if _under(path, w) and path != w:
            rel = "./" + _rel(path, w)
            return rel + ("/" if is_dir else "")
        if path == w:
            return "./"
        return path + ("/" if is_dir and not path.endswith("/") else "")


    def image_is_dir(self, path: str) -> bool:
        rel = self.ctx_path(path)
        if rel is None:
            return path in self.dirs
        return rel == "" or (self.bc.exists(rel) and not self.bc.is_file(rel))


    def app_dirs(self) -> set[str]:
        """Where the app lives: the working directories of its installs, builds and start
        command (not system folders, but for one an ecosystem names as its apps' home:
        `app_home`, /var/www for PHP)."""
        work = {self.final_workdir} | {s.workdir for s in self.steps if s.kind.startswith("run-")}
        return {w for w in work if w not in SYSTEM_DIRS or w == getattr(self, "app_home", None)}


    def copy_paths(self, stage: str, paths: list[str], chown: str | None) -> list[Instruction]:
        """COPY --from lines for image paths: files grouped per destination folder, one line per
        folder (a folder's contents land in the destination, so each needs its own). Only what
        lands in the app's folders is handed to the runtime user."""
        out: list[Instruction] = []
        files_by_parent: dict[str, list[str]] = {}
        apps = self.app_dirs()

        def owner(p: str) -> str | None:
            return chown if any(_under(p, a) for a in apps) else None

        for p in paths:
            if self.image_is_dir(p):
                out.append(self.copy_line(stage, p, self.dest_text(p, True), owner(p)))
            else:
                files_by_parent.setdefault(posixpath.dirname(p) or "/", []).append(p)
        for parent, files in files_by_parent.items():
            out.append(self.copy_line(stage, " ".join(files), self.dest_text(parent, True) if parent != self.final_workdir else "./", owner(files[0])))
        return out


    def runner_config(self, config: list[Step]) -> list[Instruction]:
        """The original's run-time instructions, behind a copy of its last SHELL (shell-form
        CMD, ENTRYPOINT and HEALTHCHECK run with it)."""
        shells = [s for s in self.steps if s.kind == "shell"]
        out = []
        if shells:
            if self.kind_of(self.runner_image) in ("distroless", "scratch"):
                raise _Decline(f"SHELL {shells[-1].inst.args}: the runner {self.runner_image} has no shell")
            out.append(self.new(shells[-1].inst.code_without_leading.lstrip().rstrip("\r\n")))
        return out + [s.inst for s in config]


    def resolve_runner(self, derived: str | None, why: str) -> str:
        opt = self.ctx.options.get("runner_base")
        if isinstance(opt, str) and opt.strip():
            opt = opt.strip()
            self.notes.append(f"runner base {opt} given by --runner-base")
            if runner_kind(opt) == "unknown":
                fam = image_family(opt)
                guess = {Family.DEBIAN: "debian", Family.ALPINE: "alpine", Family.DISTROLESS: "distroless",
                         Family.SCRATCH: "scratch"}.get(fam)
                if guess is None:
                    guess = "alpine" if self.base.libc == "musl" else "debian"
                    self.notes.append(f"{opt} assumed to be {guess}-based like {self.base_text}")
                self.runner_kind_override = guess
            return opt
        if derived is None:
            raise _Decline(why, self.from_inst)
        return derived


    def kind_of(self, image: str) -> str:
        return getattr(self, "runner_kind_override", None) or runner_kind(image)


    def user_text(self, user: str) -> Instruction:
        return self.new(f"{self.kw('USER')} {user}")


    def workdir_inst(self) -> Instruction | None:
        if self.final_workdir == "/" and self.runner_default_workdir == "/":
            return None
        return self.new(f"{self.kw('WORKDIR')} {self.final_workdir}")


    # ---- assembling ------------------------------------------------------------------------------

    def finish(self, ecosystem: str, deps: list[Instruction], builder: list[Instruction],
               extra: list[tuple[str, list[Instruction]]], runner: list[Instruction]) -> Plan:
        self.check_privileged_port()
        same_base = expand_from(self.runner_image, self.global_args) == expand_from(self.base_text, self.global_args)
        if same_base and not self.gain:
            raise _Decline(f"a split would leave nothing behind: the runner would use {self.runner_image} too, "
                           "and there is no build step, devDependency or build-only package to drop")
        left = "; ".join(self.leaves) if self.leaves else "the build toolchain"
        was = "" if same_base else f" (was {self.base_text})"
        summary = (f"split into deps → builder → runner on {self.runner_image}{was}; "
                   f"left out of the final image: {left}")
        if len(summary) > 400:
            summary = summary[:397] + "..."
        if same_base:
            head = (f"The final image stays on {self.runner_image}, but what only the build needs stays in the "
                    "`deps` and `builder` stages (`docker build --target builder` still gives the full build "
                    "environment).")
        else:
            head = (f"The final image now starts FROM {self.runner_image} instead of {self.base_text}, whose "
                    "compilers, headers and build tools stay in the `deps` and `builder` stages "
                    "(`docker build --target builder` still gives the full build environment).")
        parts = [head]
        if self.leaves:
            parts.append("Left out of the final image: " + "; ".join(self.leaves) + ".")
        if self.keeps:
            parts.append("Copied into it: " + "; ".join(self.keeps) + ".")
        if self.notes:
            parts.append("Check: " + "; ".join(self.notes) + ".")
        return Plan(self.base_text, self.runner_image, ecosystem, deps, builder, extra, runner,
                    self.touched, summary, " ".join(parts))


    def emit(self, plan: Plan) -> Dockerfile:
        df = self.df
        before: list[Instruction] = []
        for inst in df.instructions:
            if inst is self.from_inst:
                break
            before.append(inst)
        seq = before + plan.deps + plan.builder
        for _, insts in plan.extra:
            seq += insts
        seq += plan.runner
        # an instruction that ended the file without a line ending (or in a continuation) may
        # now sit mid-file
        nl = df.newline
        fixed = []
        for k, inst in enumerate(seq):
            if ends_open(inst) and k != len(seq) - 1:
                new = with_line_ending(inst, nl)
                if inst.start is not None:
                    self.touched.append(inst)
                    plan.touched.append(inst)
                inst = new
            fixed.append(inst)
        return df.with_changes(instructions=tuple(fixed))


    # ---- the build-stage halves ------------------------------------------------------------------

    def build_stages(self, deps_extra_before_install=None, builder_extra=()) -> tuple[list[Instruction], list[Instruction], list[Step]]:
        """deps and builder instruction lists (originals moved, manifest copies added where a
        hoisted install needs them); returns the config steps for the runner."""
        deps_steps, builder_steps, config = self._segment()
        self.deps_steps, self.builder_steps = deps_steps, builder_steps
        deps: list[Instruction] = [self.deps_from()]
        copied: set[str] = set()
        first_source = next((s.index for s in self.steps if s.kind == "copy-source"), 10**9)
        for s in deps_steps:
            if s.run is not None and deps_extra_before_install is not None:
                deps.extend(deps_extra_before_install(s))
            if s.kind == "run-deps" and s.run is not None:
                if s.index > first_source:
                    need = []
                    for m in sorted(s.run.manifests, key=self._manifest_rank):
                        rel = self.ctx_path(m)
                        if rel is None or not self.bc.sent(rel) or not self.bc.is_file(rel):
                            continue
                        if m in copied:
                            continue
                        need.append((m, rel))
                    if need:
                        deps.extend(self.manifest_copies(need, s.workdir))
                        copied.update(m for m, _ in need)
            if s.kind in ("copy-manifest",):
                copied.update(e.dest for e in s.entries)
            deps.append(s.inst)
        if deps_extra_before_install is not None:
            deps.extend(deps_extra_before_install(None))
        builder: list[Instruction] = [self.new(f"{self.kw('FROM')} deps {self.kw('AS')} builder", blank=True)]
        builder.extend(self.arg_copies())
        builder.extend(builder_extra)
        builder.extend(s.inst for s in builder_steps)
        return deps, builder, config


    def _manifest_rank(self, path: str) -> tuple[int, str]:
        name = posixpath.basename(path)
        for i, pat in enumerate(ecosystem_module(self.eco).MANIFESTS):
            if fnmatch.fnmatchcase(name, posixpath.basename(pat)):
                return (i, path)
        return (99, path)


    def deps_end_workdir(self) -> str:
        wd = self._base_workdir()
        env = dict(self.global_args)
        for s in self.deps_steps:
            if s.kind == "workdir":
                w = expand_variables(_unquote(s.inst.value[0]), {**env, **self.env})
                wd = _abspath(w or "/", wd)
        return wd


    def manifest_copies(self, need: list[tuple[str, str]], workdir: str) -> list[Instruction]:
        """One COPY per destination folder (a workspace's members each have their own)."""
        by_dest: dict[str, list[str]] = {workdir: []}
        for m, rel in need:
            by_dest.setdefault(posixpath.dirname(m), []).append(rel)
        out = []
        for d, rels in by_dest.items():
            if not rels:
                continue
            dest = "./" if d == workdir else d + "/"
            out.append(self.new(f"{self.kw('COPY')} {' '.join(rels)} {dest}"))
        return out


    def checked_start(self, dev_patterns) -> list:
        """The start command's argvs, declining when they run development tools."""
        argvs = self.start_argvs()
        self.check_dev(dev_patterns, [_cmd_text(a) for a in argvs if a])
        return argvs


    def compile_steps(self, tool: str) -> list:
        """(step, command) for each `<tool> build` / `<tool> install` that compiles the app."""
        return [(s, c) for s in self.steps if s.run for c in s.run.cmds
                if c.name == tool and c.kind == "build" and c.cmd is not None
                and c.cmd.subcommand() is not None and c.cmd.subcommand().value in ("build", "install")]

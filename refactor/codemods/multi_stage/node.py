"""The node strategy: npm/yarn/pnpm installs, package.json scripts and the binaries they run,
build outputs (tsc, vite, Next.js standalone), the runtime files the start command needs, the
prod-deps stage, and the node plan."""
from __future__ import annotations

import json
import posixpath
import re

from refactor.codemods.multi_stage.model import (
    CmdInfo,
    Plan,
    _abspath,
    _cmd_text,
    _Decline,
    _matches_any,
    _rel,
    _shell_commands,
    _under,
)
from refactor.codemods.multi_stage.node_installs import NodeInstalls
from refactor.knowledge.ecosystems.node import (
    DEV_NODE_PATTERNS,
    DEV_SCRIPT_NAMES,
    LANGUAGE_TOOLS,
    NODE_BIN_PACKAGE,
    NODE_BUILD_ONLY_NAMES,
    NODE_BUILD_TOOLS,
    NODE_INSTALL_ONLY_NAMES,
)
from refactor.knowledge.project_files import ALWAYS_BUILD_ONLY_NAMES
from refactor.knowledge.runner_images import image_name, slim_tag
from refactor.knowledge.system_packages import SLIM_HAS
from refactor.shell.parse import Opaque, SimpleCommand
from refactor.syntax.nodes import Instruction


class NodeStrategy(NodeInstalls):
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # -- node

    def _package_json(self, image_dir: str) -> dict | None:
        rel = self.ctx_path(posixpath.join(image_dir, "package.json"))
        if rel is None:
            return None
        text = self.bc.read_text(rel)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            raise _Decline(f"{rel} is not valid JSON") from None
        return data if isinstance(data, dict) else None


    def _classify_node(self, c, argv0, subv, args, flags, cwd, env, inst) -> CmdInfo:
        own = {"npm": ("package-lock.json", "npm-shrinkwrap.json"), "yarn": ("yarn.lock", ".yarnrc", ".yarnrc.yml"),
               "pnpm": ("pnpm-lock.yaml", "pnpm-workspace.yaml", ".pnpmfile.cjs")}.get(argv0, ())
        manifests = tuple(_abspath(m, cwd) for m in ("package.json", ".npmrc") + own)
        if argv0 == "corepack":
            return CmdInfo("tool", "corepack", cmd=c)
        if argv0 == "npx":
            return CmdInfo("build", "npx", pm="npm", cmd=c)
        is_global = bool(flags & {"-g", "--global"}) or (argv0 == "yarn" and subv == "global") or \
            (argv0 == "pnpm" and "-g" in flags)
        if is_global:
            return CmdInfo("tool", argv0, cmd=c)
        if subv in ("cache", "config", "set") or (argv0 == "npm" and subv in ("set-script",)):
            return CmdInfo("neutral", argv0, cmd=c)
        install_words = {"npm": ("ci", "install", "i", "add", "prune"), "yarn": ("install", "add", None),
                         "pnpm": ("install", "i", "add", "fetch", "prune")}
        if subv in install_words[argv0] or (argv0 == "yarn" and subv is None):
            if argv0 == "yarn" and subv is None and any(a and not a.startswith("-") for a in args):
                return CmdInfo("build", argv0, pm=argv0, cmd=c)
            prod = bool(flags & {"--production", "--prod", "-P"}) or c.option_value("--omit") == "dev" or \
                c.option_value("--only") in ("prod", "production") or env.get("NODE_ENV") == "production"
            pkg = self._package_json(cwd)
            hoist = True
            if pkg is not None:
                scripts = pkg.get("scripts") or {}
                if "--ignore-scripts" not in flags and any(s in scripts for s in ("preinstall", "install", "postinstall", "prepare", "prepublish")):
                    hoist = False  # lifecycle scripts read the source
            members = self._workspace_members(cwd, pkg, argv0, inst)
            for pj in members:
                member = self._package_json(posixpath.dirname(pj)) or {}
                if "--ignore-scripts" not in flags and any(k in (member.get("scripts") or {}) for k in ("preinstall", "install", "postinstall", "prepare")):
                    hoist = False  # a member's lifecycle script reads its sources
            manifests += tuple(members) + self._yarn_berry_files(cwd, argv0)
            return CmdInfo("deps", argv0, manifests=manifests, hoistable=hoist, pm=argv0, prod_only=prod, cmd=c)
        # running a script
        script = None
        if subv in ("run", "run-script"):
            rest = [w.value for w in c.args_without_flags()]
            script = rest[1] if len(rest) > 1 else None
        elif argv0 in ("yarn", "pnpm") and subv not in (None, "exec", "dlx", "why", "list"):
            script = subv
        elif argv0 == "npm" and subv in ("start", "test", "build"):
            script = subv
        return CmdInfo("build", argv0, pm=argv0, scripts=(script,) if script else (), cmd=c)


    # ---- Node -------------------------------------------------------------------------------------

    def _plan_node(self) -> Plan:
        base = self.base
        argvs = self.start_argvs()
        installs = [(s, c) for s in self.steps if s.run for c in s.run.cmds if c.kind == "deps" and c.pm in ("npm", "yarn", "pnpm")]
        if not installs:
            raise _Decline("installs no Node dependencies I can follow (npm, yarn, pnpm)")
        inst_step, inst_cmd = installs[0]
        pm = inst_cmd.pm
        app_dir = inst_step.workdir
        pkg = self._package_json(app_dir)
        if pkg is None:
            raise _Decline(f"no package.json reaches {app_dir}: the build context is unknown")
        berry = pm == "yarn" and self._is_yarn_berry(app_dir, pkg)
        self.install_only_extra: tuple[str, ...] = ()
        if berry:
            self._check_yarn_berry(app_dir, pkg)
            self._berry_dirs_are_manifests()
        scripts = pkg.get("scripts") or {}
        deps_ = dict(pkg.get("dependencies") or {})
        dev_deps = dict(pkg.get("devDependencies") or {})
        root_pj = posixpath.join(app_dir, "package.json")
        for m in inst_cmd.manifests:
            if posixpath.basename(m) == "package.json" and m != root_pj:
                member = self._package_json(posixpath.dirname(m)) or {}  # a workspace member: installed with the root
                deps_.update(member.get("dependencies") or {})
                dev_deps.update(member.get("devDependencies") or {})
        # the start command, through package.json scripts
        start_texts: list[str] = []
        for argv in argvs:
            start_texts.extend(self._node_expand(_cmd_text(argv), scripts, set()))
        for t in start_texts:
            for rx, why in DEV_NODE_PATTERNS:
                if rx.search(t):
                    raise _Decline(f"the start command runs build tools at run time ({why}): "
                                   "a split would leave them behind")
        for argv in argvs:
            text = _cmd_text(argv)
            m = re.search(r"\b(?:npm\s+run|yarn(?:\s+run)?|pnpm(?:\s+run)?)\s+([\w:.-]+)", text)
            if m and m.group(1) in DEV_SCRIPT_NAMES:
                raise _Decline(f"the start command runs the `{m.group(1)}` script: a development setup")
        if berry:
            self._berry_start_check(start_texts)
            self.install_only_extra = (".yarnrc.yml", ".yarn")  # the yarn release and plugins: the install's only
        used_bins = self._node_bins(start_texts)
        for b in sorted(used_bins):
            pkgname = NODE_BIN_PACKAGE.get(b, b)
            if pkgname in dev_deps and pkgname not in deps_:
                raise _Decline(f"the start command uses {b} from devDependencies; without them it would not start")
            if pkgname not in deps_ and pkgname not in dev_deps and b not in SLIM_HAS and b not in LANGUAGE_TOOLS:
                if not self._global_tool(b):
                    self.notes.append(f"{b}: not in package.json; assumed to come with the base image")
        # the build: scripts run after the source arrives
        builder_texts: list[str] = []
        outputs: list[str] = []
        known = True
        for s in self.steps:
            if s.run and s.kind == "run-build":
                wd_pkg = self._package_json(s.workdir) or pkg
                wd_scripts = wd_pkg.get("scripts") or {}
                texts: list[str] = []
                for c in s.run.cmds:
                    if c.scripts:
                        for sc in c.scripts:
                            texts.extend(self._node_expand(f"npm run {sc}", wd_scripts, set()))
                    elif c.cmd is not None and c.kind in ("build", "other"):
                        texts.append(c.cmd.code)
                    elif c.name.startswith("<"):
                        known = False
                outs, k = self._node_outputs(texts, s.workdir, wd_pkg)
                outputs.extend(o for o in outs if o not in outputs)
                known = known and k
                builder_texts.extend(texts)
        self.dirs.update(outputs)
        if builder_texts:
            self.gain = True  # a build step: its inputs and tools stay behind
        is_next = "next" in deps_ and any(re.search(r"\bnext\s+build\b", t) for t in builder_texts)
        # production dependencies
        slim = slim_tag(base)
        derived = image_name(base, slim) if slim else None
        self.runner_image = self.resolve_runner(self._templated(derived), f"no slim image for {self.base_text}")
        kind = self.kind_of(self.runner_image)
        self.runner_default_workdir = "/"
        if kind == "alpine" and base.libc != "musl":
            raise _Decline("the runner would switch from glibc to musl (native modules would break)")
        deps, builder, config = self.build_stages()
        install_in_builder = inst_step in self.builder_steps
        # a workspace: the runner gets the workspace root's files, the members with their own
        # node_modules (links to local packages, nested versions) among them
        workspace = any(posixpath.basename(m) == "package.json" and m != root_pj for m in inst_cmd.manifests)
        prune_from = "builder" if install_in_builder or not known else "deps"
        # yarn berry has no --production install: NODE_ENV does not keep devDependencies out
        prod_only = all(c.prod_only for _, c in installs) and not berry
        extra: list[tuple[str, list[Instruction]]] = []
        nm_stage = "builder" if install_in_builder else "deps"
        if dev_deps and not prod_only:
            major = re.match(r"\d+", self.base.version or "")
            # npm 6 (node 14 and older) ignores --omit and would prune nothing
            npm_prune = "npm prune --production" if major and int(major.group()) <= 14 else "npm prune --omit=dev"
            prune = {"npm": npm_prune, "pnpm": "pnpm prune --prod",
                     "yarn": "yarn install --production --ignore-scripts --prefer-offline"
                             + (" --frozen-lockfile" if self._ctx_exists(app_dir, "yarn.lock") else "")}[pm]
            if berry:
                prune = self._yarn_berry_prune(app_dir, pkg)
            stage = [self.new(f"{self.kw('FROM')} {prune_from} {self.kw('AS')} prod-deps", blank=True)]
            stage.extend(self.arg_copies())
            end_wd = self.final_workdir if prune_from == "builder" else self.deps_end_workdir()
            if end_wd != app_dir:
                stage.append(self.new(f"{self.kw('WORKDIR')} {app_dir}"))
            stage.append(self.new(f"{self.kw('RUN')} {prune}"))
            extra.append(("prod-deps", stage))
            nm_stage = "prod-deps"
            self.gain = True
            self.leaves.append("devDependencies (" + ", ".join(sorted(dev_deps)[:6]) + (", ..." if len(dev_deps) > 6 else "") + ")")
        # the runner
        if not (is_next and self._next_standalone(app_dir)):
            self.check_node_runtime_writes(app_dir, builder_texts)
        scripts_run = self.scripts_run(argvs)
        from_modules = {b for b in used_bins if NODE_BIN_PACKAGE.get(b, b) in deps_ or self._global_tool(b)}
        if any(re.search(r"\bpnpm\b", t) for t in start_texts):
            from_modules.add("pnpm")
        names = self.runtime_tools(argvs + [["/bin/sh", "-c", t] for t in start_texts], scripts_run,
                                   set(LANGUAGE_TOOLS) | from_modules)
        packages, left = self.runtime_packages(names, [], set())
        self.leaves.extend(left)
        base_user = "node" if kind == "debian" or kind == "alpine" else None
        user_insts, user, chown = self.runner_user(kind, base_user)
        runner = self.runner_start(config)
        pk = self.apt_install(packages, kind)
        if pk is not None:
            runner.append(pk)
        runner.extend(user_insts)
        for s in self.steps:
            if s.run and any(c.kind == "tool" and c.name in ("npm", "yarn", "pnpm", "corepack") for c in s.run.cmds):
                if any(self._global_tool(b) for b in used_bins) or any(re.search(r"\bpnpm\b", t) for t in start_texts):
                    runner.append(self.new(s.inst.code_without_leading.lstrip().rstrip("\r\n")))
        wd = self.workdir_inst()
        if wd is not None:
            runner.append(wd)
        cmd_rewrite: Instruction | None = None
        nm = posixpath.join(app_dir, "node_modules")
        if is_next and self._next_standalone(app_dir):
            paths = []
            runner.append(self.copy_line("builder", posixpath.join(app_dir, ".next/standalone"), self.dest_text(app_dir, True), chown))
            runner.append(self.copy_line("builder", posixpath.join(app_dir, ".next/static"), self.dest_text(posixpath.join(app_dir, ".next/static"), True), chown))
            if self._ctx_exists(app_dir, "public"):
                runner.append(self.copy_line("builder", posixpath.join(app_dir, "public"), self.dest_text(posixpath.join(app_dir, "public"), True), chown))
            runner.append(self.new(f'{self.kw("ENV")} HOSTNAME="0.0.0.0"'))
            self.keeps.append("the Next.js standalone server (.next/standalone, .next/static, public)")
            self.leaves.append("node_modules outside the standalone trace, the source and .next/cache")
            cmd_rewrite = self.new(f'{self.kw("CMD")} ["node", "server.js"]')
            self.notes.append("runs `node server.js` (the standalone server) instead of `next start`")
        elif not is_next and not known and any(s.run and s.kind == "run-build" for s in self.builder_steps):
            # the build's outputs are unknown: the whole built app folder, with the production
            # node_modules (prod-deps is the builder with devDependencies pruned)
            src = "prod-deps" if nm_stage == "prod-deps" else "builder"
            runner.append(self.copy_line(src, app_dir, self.dest_text(app_dir, True), chown))
            self.keeps.insert(0, f"the built app folder {app_dir} with production node_modules")
            self.notes.append("the build's outputs are not known to me: the runner gets the whole built app folder")
        else:
            if deps_ or is_next:
                # a package without dependencies gets no node_modules from `npm ci`
                runner.append(self.copy_line(nm_stage, nm, self.dest_text(nm, True), chown))
                self.keeps.insert(0, "production node_modules")
            if is_next:
                paths = [posixpath.join(app_dir, p) for p in (".next", "public", "package.json") if p == ".next" or self._ctx_exists(app_dir, p)]
                paths += [posixpath.join(app_dir, n) for n in self._sent_children(self.ctx_path(app_dir) or "") if n.startswith("next.config.")]
                self.keeps.append("the Next.js build (.next), public, package.json, next.config")
                self.leaves.append("the source (pages/app/components) compiled into .next")
            else:
                paths = self._node_runtime_paths(app_dir if workspace else self.final_workdir, outputs, known, start_texts)
                if workspace:
                    self.notes.append("a workspace: the members come from the builder with their own node_modules "
                                      "(links to the local packages), the pruned node_modules from " + nm_stage)
                paths = [p for p in paths if p != nm]
            runner.extend(self.copy_paths("builder", paths, chown))
        runner.extend(self.outside_copies(runner, chown, app_copied=False))
        runner.append(self.user_text(user))
        cfg = self.runner_config(config)
        if cmd_rewrite is not None:
            cfg2 = []
            for inst in cfg:
                if inst.cmd == "CMD":
                    self.touched.append(inst)
                    cfg2.append(cmd_rewrite.with_changes(leading=inst.leading))
                elif inst.cmd == "ENTRYPOINT":
                    raise _Decline("an ENTRYPOINT in front of a Next.js standalone server: not understood", inst)
                else:
                    cfg2.append(inst)
            cfg = cfg2
        runner.extend(cfg)
        if user != self.final_user:
            self.notes.append(f"runs as {self.user_label(user, chown)} instead of root")
        return self.finish("node", deps, builder, extra, runner)


    def _ctx_exists(self, image_dir: str, name: str) -> bool:
        rel = self.ctx_path(posixpath.join(image_dir, name))
        return rel is not None and self.bc.sent(rel)


    def _global_tool(self, b: str) -> bool:
        for s in self.steps:
            if s.run:
                for c in s.run.cmds:
                    if c.kind == "tool" and c.cmd is not None and any(w.value and (w.value == b or w.value.startswith(b + "@")) for w in c.cmd.args):
                        return True
        return False


    def _node_expand(self, text: str, scripts: dict, seen: set) -> list[str]:
        """The command texts `text` runs, through `npm run x` / `npm start` / `yarn x`."""
        out = [text]
        for m in re.finditer(r"\b(?:npm\s+(?:run(?:-script)?\s+)?|yarn\s+(?:run\s+)?|pnpm\s+(?:run\s+)?)([\w:.-]+)", text):
            name = m.group(1)
            if name in ("run", "install", "ci", "i", "exec", "dlx", "prune", "add"):
                continue
            if name in scripts and name not in seen:
                seen.add(name)
                for pre in ("pre" + name, "post" + name):
                    if pre in scripts:
                        out.extend(self._node_expand(scripts[pre], scripts, seen))
                out.extend(self._node_expand(scripts[name], scripts, seen))
            elif name == "start" and "start" not in scripts:
                out.append("node server.js")
        return out


    def _node_bins(self, texts: list[str]) -> set[str]:
        bins = set()
        for t in texts:
            for u in _shell_commands(t):
                if isinstance(u, SimpleCommand) and u.name:
                    n = u.name
                    if n in ("npx",) and u.args:
                        n = u.args[0].value or n
                    if n in ("npm", "yarn", "pnpm", "node", "sh", "exec", "cd", "/bin/sh", "cross-env"):
                        continue
                    bins.add(n.rsplit("/", 1)[-1] if n.startswith("./node_modules/.bin/") else n)
        return bins


    def _node_outputs(self, texts: list[str], app_dir: str, pkg: dict) -> tuple[list[str], bool]:
        """Folders the build writes (image paths) and whether every build command is known."""
        outs: list[str] = []
        known = True
        for t in texts:
            for u in _shell_commands(t):
                if isinstance(u, Opaque):
                    known = False
                    continue
                n = (u.name or "").rsplit("/", 1)[-1]
                if n in ("npm", "yarn", "pnpm"):
                    continue  # expanded separately
                if n == "npx" and u.args:
                    n = u.args[0].value or ""
                if n not in NODE_BUILD_TOOLS and n != "node":
                    known = False
                    continue
                if n == "tsc":
                    proj = u.option_value("-p", "--project", value_flags=["-p", "--project", "--outDir"])
                    out = u.option_value("--outDir", value_flags=["-p", "--project", "--outDir"])
                    if out is None:
                        out = self._tsconfig_outdir(app_dir, proj or "tsconfig.json")
                    if out:
                        outs.append(_abspath(out, app_dir))
                    elif not u.has_flag("--noEmit"):
                        known = False
                elif n == "vite":
                    outs.append(_abspath(self._config_value(app_dir, "vite.config", r"outDir\s*:\s*['\"]([^'\"]+)") or "dist", app_dir))
                elif n == "webpack":
                    outs.append(_abspath(self._config_value(app_dir, "webpack.config", r"path\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*['\"]([^'\"]+)") or "dist", app_dir))
                elif n == "next":
                    outs.append(_abspath(".next", app_dir))
                elif n == "nest":
                    outs.append(_abspath(self._tsconfig_outdir(app_dir, "tsconfig.build.json") or self._tsconfig_outdir(app_dir, "tsconfig.json") or "dist", app_dir))
                elif n == "react-scripts":
                    outs.append(_abspath("build", app_dir))
                elif n in ("babel", "swc"):
                    d = u.option_value("-d", "--out-dir", value_flags=["-d", "--out-dir", "-o", "--out-file"])
                    if d:
                        outs.append(_abspath(d, app_dir))
                    else:
                        known = False
                elif n == "esbuild":
                    for w in u.args:
                        v = w.value or ""
                        if v.startswith("--outdir="):
                            outs.append(_abspath(v.split("=", 1)[1], app_dir))
                        elif v.startswith("--outfile="):
                            outs.append(_abspath(posixpath.dirname(v.split("=", 1)[1]) or v.split("=", 1)[1], app_dir))
                elif n in ("tsup", "rollup", "parcel", "ng", "vue-cli-service", "nuxt", "astro"):
                    outs.append(_abspath({"nuxt": ".output", "astro": "dist"}.get(n, "dist"), app_dir))
                elif n == "node":
                    known = False
        outs = [o for o in dict.fromkeys(outs) if o != app_dir]
        return outs, known


    def _tsconfig_outdir(self, app_dir: str, name: str) -> str | None:
        rel = self.ctx_path(_abspath(name, app_dir))
        text = self.bc.read_text(rel) if rel else None
        if text is None:
            return None
        m = re.search(r'"outDir"\s*:\s*"([^"]+)"', text)
        if m:
            return m.group(1)
        m = re.search(r'"extends"\s*:\s*"(\.[^"]+)"', text)
        if m:
            return self._tsconfig_outdir(posixpath.dirname(_abspath(name, app_dir)), m.group(1))
        return None


    def _config_value(self, app_dir: str, stem: str, rx: str) -> str | None:
        for ext in (".ts", ".js", ".mjs", ".cjs", ".mts"):
            rel = self.ctx_path(posixpath.join(app_dir, stem + ext))
            text = self.bc.read_text(rel) if rel else None
            if text:
                m = re.search(rx, text)
                return m.group(1) if m else None
        return None


    def _next_standalone(self, app_dir: str) -> bool:
        for ext in ("js", "mjs", "cjs", "ts"):
            rel = self.ctx_path(posixpath.join(app_dir, f"next.config.{ext}"))
            text = self.bc.read_text(rel) if rel else None
            if text and re.search(r"""output\s*:\s*['"]standalone['"]""", text):
                return True
        return False


    def _node_runtime_paths(self, app_dir: str, outputs: list[str], known: bool, start_texts: list[str]) -> list[str]:
        """The app folder's entries the runner needs: all that the COPYs brought in, minus
        node_modules and build-only content, plus the build outputs."""
        entries: list[str] = []
        w = app_dir
        for e in self.image_map:
            if any(s.kind == "copy-tool" and e in s.entries for s in self.steps):
                continue
            if e.is_dir and (_under(w, e.dest)):
                sub = _rel(w, e.dest)
                src = e.src if sub == "." else (posixpath.join(e.src, sub) if e.src else sub)
                for child in self._sent_children(src):
                    entries.append(posixpath.join(w, child))
            elif e.is_dir and _under(e.dest, w):
                first = _rel(e.dest, w).split("/", 1)[0]
                entries.append(posixpath.join(w, first))
            elif _under(e.dest, w):
                entries.append(posixpath.join(w, _rel(e.dest, w).split("/", 1)[0]))
            else:
                entries.append(e.dest)
        build_only = list(ALWAYS_BUILD_ONLY_NAMES) + list(NODE_INSTALL_ONLY_NAMES) + list(getattr(self, "install_only_extra", ()))
        source_dirs: set[str] = set()
        if outputs and known:
            build_only += list(NODE_BUILD_ONLY_NAMES)
            entry_files = self._node_entry_files(start_texts, app_dir)
            # the TypeScript sources compiled into the outputs
            ts_src = self._tsconfig_rootdir(app_dir)
            for d in ([ts_src] if ts_src else ["src"]):
                p = _abspath(d, app_dir)
                if not any(_under(f, p) for f in entry_files) and not any(_under(o, p) for o in outputs):
                    source_dirs.add(p)
        kept, dropped = [], []
        for p in dict.fromkeys(entries + outputs):
            name = posixpath.basename(p)
            if ((_under(p, w) and (_matches_any(name, build_only) or p in source_dirs))
                    or _matches_any(name, NODE_INSTALL_ONLY_NAMES)) and p not in outputs:
                dropped.append(name)
                continue
            kept.append(p)
        if dropped:
            self.leaves.append("build-only files (" + ", ".join(sorted(set(dropped) - {"node_modules"})) + ")" if set(dropped) - {"node_modules"} else "")
            self.leaves[:] = [x for x in self.leaves if x]
        if not (outputs and known):
            if any(s.run and s.kind == "run-build" for s in self.builder_steps):
                self.notes.append("the build's outputs are not known to me: the runner gets the whole app folder "
                                  "(minus node_modules and build-only files)")
        else:
            self.keeps.append("the build output " + ", ".join(_rel(o, w) if _under(o, w) else o for o in outputs))
        return kept


    def _tsconfig_rootdir(self, app_dir: str) -> str | None:
        rel = self.ctx_path(_abspath("tsconfig.json", app_dir))
        text = self.bc.read_text(rel) if rel else None
        if not text:
            return None
        m = re.search(r'"rootDir"\s*:\s*"([^"]+)"', text)
        if m:
            return m.group(1).rstrip("/") or None
        m = re.search(r'"include"\s*:\s*\[\s*"([^"/*]+)', text)
        return m.group(1) if m else None


    def _node_entry_files(self, texts: list[str], app_dir: str) -> list[str]:
        out = []
        for t in texts:
            for u in _shell_commands(t):
                if isinstance(u, SimpleCommand) and (u.name or "").rsplit("/", 1)[-1] == "node":
                    for w in u.args:
                        if w.value and not w.value.startswith("-"):
                            out.append(_abspath(w.value, app_dir))
                            break
        return out

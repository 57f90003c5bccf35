"""What the runner needs at run time beyond the app's own files, or why the split is declined:
the input's stage references and start scripts (broken input), the programs the start command,
HEALTHCHECK and entrypoint scripts run (kept, installed with the runner family's package
manager, or a decline), the files build RUNs write outside the app folder (copied, links
repeated, or a decline), the accounts they create, and servers that need root (nginx started
other than by the static-site strategy)."""
from __future__ import annotations

import posixpath
import re

from refactor.codemods.multi_stage.model import (
    VENV,
    Step,
    _abspath,
    _cmd_text,
    _Decline,
    _opaque_command_names,
    _shell_commands,
    _under,
)
from refactor.codemods.multi_stage.writes import Write, command_writes, opaque_outside_paths, word_value
from refactor.knowledge.ecosystems import ecosystem_module
from refactor.knowledge.stage_images import expand_from
from refactor.knowledge.project_files import SYSTEM_DIRS
from refactor.knowledge.system_packages import (
    ALPINE_TOOL_PACKAGES,
    BUSYBOX_HAS,
    SHELL_BUILTINS,
    SLIM_HAS,
    SYSTEM_WEB_SERVERS,
    TOOL_PACKAGES,
    USER_SWITCHERS,
)
from refactor.shell.parse import Opaque, SimpleCommand
from refactor.syntax.nodes import Instruction
from refactor.syntax.stage_graph import stage_graph_problems
from refactor.syntax.lazy_re import lazy

# The stages the split writes, and names people give build stages: a `--from` naming one of
# them in a single-stage file is a stage that was deleted (BuildKit would pull an image of
# that name), and after the split it would name one of ours (a circle).
OUR_STAGES = frozenset({"deps", "builder", "prod-deps", "runner"})
STAGE_LIKE_NAMES = OUR_STAGES | frozenset(
    """build build-env base dependencies compile compiler assets frontend backend dev development
    prod production test tests runtime release final stage setup installer bundle web app
    """.split())

_BIN_DIRS = ("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")
_PKG_SOURCES = ("/etc/apt", "/usr/share/keyrings", "/etc/apk", "/etc/yum.repos.d")
_CMDSUB = lazy(r"\$\(([^()]*)\)|`([^`]*)`")
_FUNC_DEF = lazy(r"^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\s*\)", re.M)


class RuntimeNeeds:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # ---- broken input ------------------------------------------------------------------------------

    def check_stage_references(self) -> None:
        """Decline when the input's own stage graph is broken: the split would build on it."""
        problems = stage_graph_problems(self.df)
        if problems:
            raise _Decline(f"the input's stage graph is broken: {problems[0]}")
        for s in self.steps:
            inst = s.inst
            froms = []
            if inst.cmd in ("COPY", "ADD") and inst.flag_value("from") is not None:
                froms.append(("COPY --from", inst.flag_value("from")))
            elif inst.cmd == "RUN":
                for f in inst.flags:
                    m = re.search(r"(?:^|,)from=([^,\s]+)", f[len("--mount="):]) if f.startswith("--mount=") else None
                    if m:
                        froms.append(("RUN --mount from", m.group(1)))
            for kind, name in froms:
                if name.isdigit() or name.lower() in STAGE_LIKE_NAMES:
                    raise _Decline(f"`{kind}={name}` names a stage this file does not have (BuildKit would pull "
                                   f"an image `{name}`): the input is broken, and the split would make it a circle", inst)

    def check_privileged_port(self) -> None:
        """The runner runs as a non-root user: a port below 1024 (EXPOSE, or a PORT variable)
        that a root original could bind, it cannot (unless the runtime lowers
        net.ipv4.ip_unprivileged_port_start, which Docker does and Kubernetes does not)."""
        if self.final_user not in ("root", "0", "0:0", "root:root", ""):
            return
        ports = []
        for s in self.steps:
            if s.inst.cmd == "EXPOSE":
                ports += [p.split("/", 1)[0] for p in s.inst.value]
        ports += [v for k, v in self.env.items() if k.upper() in ("PORT", "HTTP_PORT", "LISTEN_PORT", "SERVER_PORT")]
        low = [p for p in ports if p.isdigit() and 0 < int(p) < 1024]
        if low:
            raise _Decline(f"the app listens on port {low[0]}, below 1024, which a non-root runner user cannot bind "
                           "(unless the runtime lowers ip_unprivileged_port_start; Kubernetes does not)")

    def check_runtime_writes(self, source_exts: list[str]) -> None:
        """A Go or Rust program that creates files under relative paths writes into its work
        folder, which root owns in the runner: decline."""
        if self.final_user not in ("root", "0", "0:0", "root:root", ""):
            return
        rx = re.compile(r'(?:os\.(?:Mkdir|MkdirAll|Create|WriteFile|OpenFile)|ioutil\.WriteFile|fs::(?:create_dir(?:_all)?|write)'
                        r'|File::create)\(\s*"((?!/)[^"]+)"')
        roots = {e.src for e in self.image_map if e.is_dir}
        for f in self.bc.files[:5000]:
            if any(f.endswith(x) for x in source_exts) and any(r == "" or f.startswith(r + "/") for r in roots):
                m = rx.search(self.bc.read_text(f) or "")
                if m:
                    raise _Decline(f"{f} creates {m.group(1)} under the work folder at run time: the runner's "
                                   "non-root user could not write there")

    def check_node_runtime_writes(self, app_dir: str, build_texts: list[str]) -> None:
        """The node runner's WORKDIR makes its app folder root-owned (its contents are the node
        user's): a program that creates a new entry in it at run time (`fs.writeFileSync("db.json")`,
        a sqlite file) would fail. When the code creates one that the context does not have, and
        the original's user could (root, or a build RUN gave it the folder), the runner gives its
        folder to its user too (`app_folder_owner`); when the app folder is not the work folder,
        decline."""
        if self.final_user not in ("root", "0", "0:0", "root:root", "") and not self.app_folder_given():
            return  # the original's user could not create files there either
        rx = re.compile(r"(?:writeFileSync|writeFile|appendFileSync|appendFile|mkdirSync|mkdir|createWriteStream|openSync"
                        r"|new\s+(?:sqlite3\.)?Database)\(\s*['\"`](?!/)(?:\./)?([^'\"`/]+)")
        root = self.ctx_path(app_dir)
        for f in self.bc.files[:5000]:
            if not f.endswith((".js", ".mjs", ".cjs", ".ts")) or "node_modules/" in f or root is None \
                    or not (root == "" or f.startswith(root + "/")):
                continue
            inner = f[len(root) + 1:] if root else f
            if any(re.search(r"(?:^|[\s/])" + re.escape(inner) + r"\b", t) for t in build_texts) \
                    or inner.split("/", 1)[0] in ("scripts", "test", "tests", "__tests__", "build-tools"):
                continue  # a build script: it writes at build time
            if inner.startswith((".yarn/", ".pnp.")):
                continue  # yarn berry's own release, plugins and loader, not the app's code
            for m in rx.finditer(self.bc.read_text(f) or ""):
                first = m.group(1)
                if first and first not in (".", ":memory:") and self.ctx_path(posixpath.join(app_dir, first)) is None:
                    if app_dir != self.final_workdir:
                        raise _Decline(f"{f} creates {first} in {app_dir} at run time: the runner's folder is "
                                       "root-owned, so its non-root user could not")
                    self.app_writes_at_run_time = f"{f} creates {first} in {app_dir} at run time"
                    return

    def app_folder_given(self) -> bool:
        """A build RUN hands the final work folder itself to a user (`mkdir -p /app && chown
        node:node /app`, non-root's shape before a WORKDIR): the original's user can create
        files in it, so the runner's must be able to as well."""
        w = self.final_workdir
        for s in self.steps:
            for c in (s.run.cmds if s.run is not None else []):
                if c.name != "chown" or c.cmd is None:
                    continue
                args = [word_value(a, s.env) for a in c.cmd.args_without_flags(value_flags=["--reference", "--from"])]
                if len(args) >= 2 and args[0] not in (None, "root", "0", "root:root", "0:0") \
                        and any(a is not None and _abspath(a, s.workdir) == w for a in args[1:]):
                    return True
        return False

    def app_folder_owner(self, kind: str, insts: list[Instruction], chown: str) -> list[Instruction]:
        """The RUN giving the runner's work folder to its user, after `insts` (the runner's user
        set-up), when the app creates files there at run time or the original gave the folder to
        its user; none when `insts` already do it. Declines for a runner without a shell."""
        w = self.final_workdir
        why = getattr(self, "app_writes_at_run_time", None)
        if w in SYSTEM_DIRS or not (why or self.app_folder_given()):
            return []
        done = re.compile(r"\bchown\b[^&;|\n]*\s" + re.escape(w) + r"/?(?=\s|$|&|;)")
        if any(done.search(i.code) for i in insts):
            return []
        why = why or f"a build step gives {w} to the app's user"
        if kind in ("distroless", "scratch"):
            raise _Decline(f"{why}: the runner's work folder must belong to its user, and {self.runner_image} "
                           "has no shell to change that")
        self.notes.append(f"{why}: the runner gives {w} to {chown.split(':', 1)[0]} too")
        return [self.new(f"{self.kw('RUN')} mkdir -p {w} && chown {chown} {w}")]

    # ---- what the start command runs ---------------------------------------------------------------

    def _made_by_build(self, path: str) -> bool:
        """`path` is written by a build RUN or a COPY --from (enumerated writes), or lies in a
        folder a build step works in."""
        if any(_under(path, w.path) or w.path == path for w in self.build_writes()):
            return True
        if path in getattr(self, "compiled", ()):
            return True  # the binary a `go build -o` / `cargo build` writes (the strategies name it)
        return any(s.kind in ("run-build", "run-early") and _under(path, s.workdir) and s.workdir not in SYSTEM_DIRS
                   for s in self.steps)

    def scripts_run(self, argvs: list[list[str]]) -> list[tuple[str, str]]:
        """(context path, text) of the shell scripts the start commands run; declines when a
        script the ENTRYPOINT/CMD names is neither in the build context nor made by the build."""
        out = []
        for argv in argvs:
            words = []
            if argv and argv[0].rsplit("/", 1)[-1] in ("tini", "dumb-init", "catatonit"):
                rest = argv[1:]
                while rest and rest[0].startswith("-"):
                    rest = rest[1:]
                argv = rest  # an init that runs the rest
            if argv and argv[0].rsplit("/", 1)[-1] in ("sh", "bash", "dash") and argv[1:2] == ["-c"]:
                argv = ["/bin/sh", "-c", " ".join(argv[2:3])]
            if argv[:2] == ["/bin/sh", "-c"] and len(argv) > 2:
                for u in _shell_commands(argv[2]):
                    if isinstance(u, SimpleCommand) and u.name:
                        words.append(u.name)
                        if u.name.rsplit("/", 1)[-1] in ("sh", "bash", "dash", "exec") and u.args and u.args[0].value:
                            words.append(u.args[0].value)
            elif argv:
                words.append(argv[0])
                if argv[0].rsplit("/", 1)[-1] in ("sh", "bash", "dash") and len(argv) > 1 and not argv[1].startswith("-"):
                    words.append(argv[1])
            for word in words:
                if not (word.endswith(".sh") or "/" in word) or "$" in word:
                    continue
                bare = "/" not in word
                if bare and not self._on_path_copy(word):
                    continue  # a bare name: a program on PATH, checked with the tools
                path = word if word.startswith("/") else _abspath(word, self.final_workdir)
                if bare:
                    path = self._on_path_copy(word)
                rel = self.ctx_path(path)
                if rel is not None and rel != "" and self.bc.is_file(rel):
                    text = self.bc.read_text(rel)
                    if text is not None and (rel.endswith(".sh") or re.match(r"#!\s*/\S*(sh|bash|dash)\b|#!\s*/usr/bin/env\s+(sh|bash)\b", text)):
                        out.append((rel, text))
                    continue
                if path.startswith(_BIN_DIRS) and not word.endswith(".sh"):
                    continue  # a system program by path: checked with the tools
                written = any(_under(path, w.path) for w in self.build_writes())
                if written or self.base_provides(path) or (not word.endswith(".sh") and self._made_by_build(path)):
                    continue  # a build output (a program a build step writes where it works)
                covered = any(e.is_dir and _under(path, e.dest) for e in self.image_map)
                where = "is not in the build context" if covered or rel is not None else "is not copied into the image"
                raise _Decline(f"the start command runs {word}, which {where}: the input itself would not start")
        return out

    def base_provides(self, path: str) -> bool:
        """Files the official images put on PATH (node's docker-entrypoint.sh)."""
        return self.eco == "node" and path == "/usr/local/bin/docker-entrypoint.sh"

    def _on_path_copy(self, name: str) -> str | None:
        """The image path of a context file copied into a PATH folder under `name`."""
        for e in self.image_map:
            if not e.is_dir and posixpath.basename(e.dest) == name and posixpath.dirname(e.dest) in _BIN_DIRS:
                return e.dest
        return None

    def _on_path_write(self, name: str) -> bool:
        """A build step puts `name` into a PATH folder (a link, a download, a copy)."""
        return any(posixpath.basename(w.path) == name and posixpath.dirname(w.path) in _BIN_DIRS
                   for w in self.build_writes())

    def runtime_tools(self, argvs: list[list[str]], scripts: list[tuple[str, str]], provided: set[str]) -> list[str]:
        """The programs the start command, HEALTHCHECK and entrypoint scripts run that neither
        the shell, the app nor the language image provides."""
        texts = [_cmd_text(a) for a in argvs if a] + [t for _, t in scripts]
        funcs = {m.group(1) for _, t in scripts for m in _FUNC_DEF.finditer(t)}
        # commands inside command substitutions run too (`x=$(ps -p 1)`)
        texts += [m.group(1) or m.group(2) for t in list(texts) for m in _CMDSUB.finditer(t)]
        names: list[str] = []
        for t in texts:
            for u in _shell_commands(t):
                if isinstance(u, SimpleCommand):
                    cands = [u.name] if u.name else _first_program(u)
                elif isinstance(u, Opaque):
                    cands = _opaque_command_names(u.raw)
                else:
                    continue
                for n in cands:
                    if not n or "$" in n or n in SHELL_BUILTINS or n in funcs:
                        continue
                    if "/" in n:
                        p = n if n.startswith("/") else _abspath(n, self.final_workdir)
                        if not posixpath.dirname(p) in _BIN_DIRS or self.ctx_path(p) or self._made_by_build(p):
                            continue  # the app's own file, checked with the scripts
                        n = posixpath.basename(p)
                    if n in provided or self._on_path_copy(n) or self._on_path_write(n) \
                            or re.fullmatch(r"python3?(\.\d+)?|pip3?(\.\d+)?", n):
                        continue
                    names.append(n)
        names = list(dict.fromkeys(names))
        switch = [n for n in names if n in USER_SWITCHERS]
        if switch and self.final_user in ("root", "0", "0:0", "root:root", ""):
            raise _Decline(f"the container runs {switch[0]} to switch users itself: it must start as root, and "
                           "the runner runs as a non-root user")
        servers = [n for n in names if n in SYSTEM_WEB_SERVERS]
        if servers:
            raise _Decline(f"the container runs {servers[0]}, a web server that starts as root and needs its own "
                           "runner image set up to run unprivileged (writable pid and temp paths, a port of "
                           "1024 or more); I write that runner only for nginx started as the CMD itself")
        return names

    def tool_packages(self, tools: list[str], installed: list[str], kind: str) -> list[str]:
        """The packages that bring `tools` into the runner (of `kind`); declines for a tool
        whose package is unknown, unless the runner is the original image itself."""
        if kind == "alpine":
            has, table = BUSYBOX_HAS, ALPINE_TOOL_PACKAGES
        else:
            has, table = SLIM_HAS, TOOL_PACKAGES
        same = expand_from(self.runner_image, self.global_args) == expand_from(self.base_text, self.global_args)
        out = []
        for t in tools:
            if t in has:
                continue
            if t in installed:
                out.append(t)
                continue
            pkg = table.get(t)
            if pkg is not None:
                out.append(pkg)
            elif same:
                continue  # the runner is the original image: whatever it had, it still has
            elif kind in ("distroless", "scratch"):
                raise _Decline(f"the container runs {t}, which {self.runner_image} does not have")
            else:
                raise _Decline(f"the container runs {t} (start command, HEALTHCHECK or entrypoint script), which "
                               f"{self.runner_image} does not have and whose package I do not know")
        return out

    # ---- files build RUNs write outside the app folder ------------------------------------------------

    def build_writes(self) -> list[Write]:
        """Every path the build RUNs and COPY --from steps write, but for the RUN that creates
        the runner's user (repeated in the runner as it is)."""
        if getattr(self, "_writes", None) is None:
            self._writes = self._enumerate_writes()
        rep = [id(s) for s in getattr(self, "repeated_user_steps", [])]
        self.link_cmds = [(t, p) for s, t, p in self._links if id(s) not in rep]
        return [w for s, w in self._writes if id(s) not in rep]

    def _enumerate_writes(self) -> list[tuple[Step, Write]]:
        writes: list[tuple[Step, Write]] = []
        self._links: list[tuple[Step, str, str]] = []  # (step, target as written, absolute link path)
        known_dirs = set(self.dirs)
        for s in self.steps:
            if s.kind == "copy-tool":
                writes.extend((s, w) for w in self._copy_tool_writes(s))
            if s.run is None:
                continue
            cwd = s.workdir
            env = s.env
            for c in s.run.cmds:
                if c.cmd is None:
                    for p in opaque_outside_paths_text(c.raw):
                        if not self._ignorable(p) and not any(_under(p, a) for a in self.app_dirs()):
                            raise _Decline(f"a RUN with loops, conditionals or a heredoc mentions {p}: I cannot "
                                           "tell what it writes outside the app folder", s.inst)
                    continue
                if c.name == "cd" and c.cmd.args:
                    v = word_value(c.cmd.args[0], env)
                    cwd = _abspath(v, cwd) if v else cwd
                    continue
                if c.name == "update-ca-certificates":
                    writes.append((s, Write("/etc/ssl/certs", "contents")))
                    continue
                if self.eco != "python" and c.pm in ("pip", "pip-self", "poetry", "uv"):
                    raise _Decline(f"`{c.cmd.raw.strip()[:60]}` installs Python packages into the system "
                                   f"site-packages, which the {self.eco} runner would not have", s.inst)
                if self.eco == "ruby" and c.pm in ("bundler", "bundler-config", "bundler-exec", "gem"):
                    continue  # into GEM_HOME and the app folder, both copied whole into the runner
                self._check_build_script(c.cmd, cwd, s)
                w = command_writes(c.cmd, cwd, env, known_dirs)
                if w.unknown:
                    raise _Decline(w.unknown, s.inst)
                if c.kind == "other" and not w.paths and c.name not in ("rm",):
                    for a in c.cmd.args:
                        v = a.value
                        if v and v.startswith("/") and not self._ignorable(v) \
                                and not any(_under(v, d) for d in self.app_dirs()) and not v.startswith(_BIN_DIRS):
                            raise _Decline(f"`{c.cmd.raw.strip()[:60]}` works on {v}, outside the app folder: "
                                           "I cannot tell what it writes there", s.inst)
                for x in w.paths:
                    if x.kind == "dir":
                        known_dirs.add(x.path)
                    if x.kind == "link":
                        vals = [word_value(a, env) for a in c.cmd.args_without_flags()]
                        if len(vals) != 2 or None in vals or c.cmd.has_flag("-t", "--target-directory"):
                            raise _Decline(f"`{c.cmd.raw.strip()[:60]}`: a link I cannot repeat in the runner", s.inst)
                        if c.cmd.has_flag("-s", "--symbolic"):
                            self._links.append((s, vals[0], x.path))
                        else:
                            x = Write(x.path, "file")  # a hard link: the runner gets a copy
                    writes.append((s, x))
        return writes

    def _check_build_script(self, cmd: SimpleCommand, cwd: str, s: Step) -> None:
        """A shell script a build RUN runs (piped into `sh`, `sh -c TEXT`, `./setup.sh`): read it
        (from the context) and decline when it writes near system paths it does not name for us."""
        name = cmd.name or ""
        base = name.rsplit("/", 1)[-1]
        args = [w.value for w in cmd.args]
        text = None
        if base in ("sh", "bash", "dash", "ash"):
            flag_c = next((i for i, a in enumerate(args) if a and re.fullmatch(r"-[a-z]*c[a-z]*", a)), None)
            if flag_c is not None:  # `sh -c TEXT`, `bash -lc TEXT`
                text = args[flag_c + 1] if flag_c + 1 < len(args) else ""
                if text is None:
                    raise _Decline(f"`{cmd.raw.strip()[:60]}` runs shell text from a variable: I cannot tell what "
                                   "it writes", s.inst)
            else:
                files = [a for a in args if a and not a.startswith("-")]
                if not files:
                    raise _Decline(f"`{cmd.raw.strip()[:60]}` runs a script piped into a shell: I cannot tell what "
                                   "it writes", s.inst)
                name = files[0]
        if text is None and (name.endswith(".sh") or base in ("sh", "bash", "dash", "ash")):
            if name in ("sh", "bash", "dash", "ash"):
                return
            rel = self.ctx_path(_abspath(name, cwd))
            text = self.bc.read_text(rel) if rel else None
            if text is None:
                raise _Decline(f"`{cmd.raw.strip()[:60]}` runs a script that is not in the build context: I cannot "
                               "tell what it writes", s.inst)
        if text is None:
            return
        for p in opaque_outside_paths_text(text):
            if not self._ignorable(p) and not any(_under(p, a) for a in self.app_dirs()) and not p.startswith(_BIN_DIRS):
                raise _Decline(f"`{cmd.raw.strip()[:60]}` runs a script that mentions {p}: I cannot tell what it "
                               "writes outside the app folder", s.inst)

    def _copy_tool_writes(self, s: Step) -> list[Write]:
        words = [w.strip("\"'") for w in s.inst.value]
        if len(words) < 2:
            return []
        dest = _abspath(words[-1], s.workdir)
        srcs = words[:-1]
        if words[-1].endswith("/") or len(srcs) > 1 or dest in SYSTEM_DIRS:
            return [Write(posixpath.join(dest, posixpath.basename(x.rstrip("/"))), "file") for x in srcs]
        return [Write(dest, "file")]

    def _ignorable(self, p: str) -> bool:
        return self._is_cache_path(p, "/") or p.startswith(("/dev/", "/proc/", "/sys/")) or p in ("/dev/null",)

    def outside_needs(self, app_copied: bool) -> list[Write]:
        """The writes the runner must get: outside the app folders (and inside them too when the
        runner does not copy the app folder whole), minus caches; declines for what cannot be
        carried (ownership, removals under /etc, root's home, accounts)."""
        apps = self.app_dirs()
        needs: list[Write] = []
        for w in self.build_writes():
            p = w.path
            if self._ignorable(p) or (self.eco == "python" and _under(p, VENV)) or (self.eco == "ruby" and _under(p, ecosystem_module("ruby").GEM_HOME)):
                continue
            inside = any(_under(p, a) for a in apps)
            if inside and (app_copied or w.kind in ("remove", "meta", "owner")):
                continue
            if w.kind == "dir" and p == self.final_workdir:
                continue  # the runner's WORKDIR makes it; its owner is app_folder_owner's
            if _under(p, "/root"):
                raise _Decline(f"a build step writes {p}, in root's home: the runner's non-root user could not read it")
            if w.kind == "remove":
                if _under(p, "/etc"):
                    raise _Decline(f"a build step removes {p}: the runner's base would still have it")
                continue
            if w.kind == "owner":
                raise _Decline(f"a build step changes the owner of {p}, outside the app folder: the copy into the "
                               "runner would not keep it")
            if w.kind == "meta" and p in SYSTEM_DIRS:
                raise _Decline(f"a build step changes the mode of {p}, a system folder")
            if w.kind == "contents" and p in SYSTEM_DIRS:
                raise _Decline(f"a build step unpacks or copies into {p}, a system folder: which files it adds "
                               "is not enumerable")
            if _under(p, "/usr/share/nginx") or _under(p, "/etc/nginx"):
                raise _Decline(f"a build step writes {p}: a site for nginx, which the runner of an app not served "
                               "by nginx would not serve")
            if p.startswith(_PKG_SOURCES):
                self.package_sources = True
                continue
            needs.append(w)
        for e in self.image_map:
            if not e.is_dir and not any(_under(e.dest, a) for a in apps) and not self._ignorable(e.dest):
                needs.append(Write(e.dest, "file"))  # a context file copied to a system folder
        self.check_accounts()
        return needs

    def check_accounts(self) -> None:
        """Users and groups the build creates must be the runner's user, created again there."""
        rep = [id(s) for s in getattr(self, "repeated_user_steps", [])]
        for s in self.steps:
            if s.run is None or id(s) in rep:
                continue
            for c in s.run.cmds:
                if c.kind == "user" and c.cmd is not None:
                    raise _Decline(f"`{c.cmd.raw.strip()[:60]}` creates an account the runner would not have", s.inst)

    def outside_copies(self, runner: list[Instruction], user: str, app_copied: bool, stage: str = "builder") -> list[Instruction]:
        """COPY lines for the files build steps wrote outside what the runner already copies,
        then one RUN repeating the symbolic links."""
        needs = self.outside_needs(app_copied)
        copied: list[str] = []
        for inst in runner:
            if inst.cmd == "COPY" and inst.flag_value("from") is not None:
                copied.extend(v.strip("\"'") for v in inst.value[:-1])
        copied_abs = [c for c in copied if c.startswith("/")]
        for c in copied_abs:
            for w in self.build_writes():
                if w.kind == "remove" and (_under(c, w.path) or c == w.path):
                    raise _Decline(f"a build step moves or removes {w.path}, which the runner would copy")
        links = {p for _, p in self.link_cmds}
        out: list[Instruction] = []
        kept: list[str] = []
        if getattr(self, "package_sources", False) and getattr(self, "runner_packages", None):
            raise _Decline("a build step adds a package source, and the runner installs packages: not understood")
        for w in sorted(needs, key=lambda w: (w.path.count("/"), w.path)):
            p = w.path
            if p in links or any(_under(p, k) for k in kept) or any(_under(p, c) for c in copied_abs):
                continue
            kept.append(p)
            chown = f" --chown={user}" if w.kind == "dir" and self.final_user in ("root", "0", "0:0", "") else ""
            dest = posixpath.dirname(p) + "/" if any(ch in posixpath.basename(p) for ch in "*?[") else p
            out.append(self.new(f"{self.kw('COPY')} --from={stage}{chown} {p} {dest}"))
            self.keeps.append(f"{p} (written by a build step)" if not any(e.dest == p for e in self.image_map) else p)
        link_cmds = [(t, p) for t, p in self.link_cmds if not any(_under(p, c) for c in copied_abs)]
        if link_cmds:
            if self.kind_of(self.runner_image) in ("distroless", "scratch"):
                raise _Decline(f"the build makes symbolic links, and {self.runner_image} has no shell to make them again")
            text = " \\\n    && ".join(f"ln -sf {t} {p}" for t, p in link_cmds)
            out.append(self.new(f"{self.kw('RUN')} {text}"))
            self.keeps.append("the symbolic links the build made (" + ", ".join(p for _, p in link_cmds) + ")")
        return out


_PREFIXES = frozenset({"exec", "command", "nohup", "env", "time", "nice", "ionice", "stdbuf", "timeout"})


def _first_program(cmd: SimpleCommand) -> list[str]:
    """The program a command runs when the parser cannot name it (`exec gosu app "$@"`):
    the first literal word after the prefixes, options and assignments."""
    for v in cmd.argv:
        if v is None:
            return []
        if v in _PREFIXES or v.startswith("-") or re.fullmatch(r"[A-Za-z_]\w*=.*", v) or re.fullmatch(r"\d+[smhd]?", v):
            continue
        return [v]
    return []


def opaque_outside_paths_text(raw: str) -> list[str]:
    """opaque_outside_paths for raw text (an Opaque unit's or a heredoc's)."""
    return opaque_outside_paths(Opaque("", raw, "text"))

"""What makes the final image's process need root, read from its start command, the start
scripts the build context holds, its RUN steps, ports and folders: each check raises `Decline`
with the reason the user reads. (Base, shell and interpreter images: image_kind.py.)"""
from __future__ import annotations

import posixpath
import re

from refactor.codemods.non_root import root_signs
from refactor.codemods.non_root.steps import (
    NODE_TOOLS, Decline, argv_text, base, expand, inside, node_global, resolve, script_commands, subcommand,
)
from refactor.knowledge import baseimages as bi
from refactor.knowledge.baseimages import Family
from refactor.shell.parse import SimpleCommand
from refactor.syntax.nodes import Instruction
from refactor.syntax.pragmas import ignored_codemods
from refactor.syntax.lazy_re import lazy

# Commands that need root when the container starts.
ROOT_COMMANDS = frozenset(
    """apt-get apt aptitude dpkg dpkg-reconfigure apk yum dnf microdnf tdnf rpm zypper pacman
    service systemctl rc-service openrc rc-update chown chgrp sysctl mount umount modprobe
    insmod iptables ip6tables iptables-restore nft setcap useradd groupadd adduser addgroup
    usermod groupmod userdel passwd chpasswd chroot capsh cron crond anacron atd sshd rsyslogd
    syslogd dockerd containerd supervisord nginx apache2 apache2ctl apachectl apache2-foreground
    httpd httpd-foreground php-fpm php-fpm7 php-fpm8 php-fpm81 php-fpm82 php-fpm83 php-fpm84
    init systemd runsvdir s6-svscan update-ca-certificates ldconfig locale-gen
    update-alternatives dbus-daemon litefs s3fs sshfs gcsfuse goofys fusermount""".split()
)
# Commands that step down from root themselves (so the container must start as root).
DROPPERS = frozenset(
    "gosu su-exec setpriv runuser s6-setuidgid s6-applyuidgid chpst setuser su sudo doas".split()
)
# Start commands that build the app first: they write build output and caches that RUN steps
# created as root (target/, build/, obj/, ~/.gradle, ~/.m2, ~/.nuget). None: any subcommand.
BUILD_TOOLS: dict[str, frozenset[str] | None] = {
    "cargo": frozenset({"run", "build", "watch", "test", "bench", "check", "clippy", "doc", "install", "nextest"}),
    "go": frozenset({"run", "test", "build", "generate", "install", "vet"}),
    "air": None,  # go's live reload: `go build` on every change
    "gradle": None,
    "gradlew": None,
    "mvn": None,
    "mvnw": None,
    "sbt": None,
    "lein": None,
    "dotnet": frozenset({"run", "watch", "build", "publish"}),
}
_BUILD_FAMILY = {"gradlew": "gradle", "mvnw": "mvn", "air": "go"}
# Images whose tool caches are root's from the start: rust's CARGO_HOME (/usr/local/cargo),
# where any cargo build at start-up writes its registry cache and lock.
_ROOT_CACHES = {"cargo": ("rust",)}
WRITES_SYSTEM = lazy(r"^/(?:etc|usr|var/(?!tmp)|bin|sbin|lib|opt|root|run|srv|boot)(?:/|$)")
# Entrypoint scripts base images ship, which only exec their arguments.
BASE_ENTRYPOINTS = {
    "node": frozenset({"docker-entrypoint.sh", "/usr/local/bin/docker-entrypoint.sh"}),
    "php": frozenset({"docker-php-entrypoint", "/usr/local/bin/docker-php-entrypoint"}),
}
NODE_DEV_TOOLS = frozenset(
    {"next", "vite", "react-scripts", "ng", "nuxt", "webpack", "webpack-dev-server",
     "vue-cli-service", "gatsby", "astro"}
)
NODE_DEV_SCRIPTS = frozenset({"dev", "serve", "start:dev", "develop", "watch", "storybook", "build"})
PORT_FLAGS = frozenset({"--port", "-p", "-P", "--http-port", "--listen-port", "--server.port", "--web-port"})
BIND_FLAGS = frozenset({"--bind", "-b", "--listen", "-l", "--address", "--urls", "--url"})


# Flags that name a file or folder the process writes.
_WRITTEN_FLAG = lazy(r"pid|log|out|socket|sock$|lock|state|cache|data|spool|db$|database|tmp|work", re.I)
# Where a process may write whoever it runs as.
_ANYONE_WRITES = ("/tmp", "/var/tmp", "/dev", "/proc")


def command_needs_root(cmd: SimpleCommand, app_dir: str | None, writable: tuple[str, ...] = ()) -> str | None:
    """Why this start-time command needs root, or None."""
    for w in cmd.wrappers:
        if base(w.value) in DROPPERS:
            return f"`{base(w.value)}` steps down from root itself"
    name = base(cmd.name)
    if not name:
        return None
    if name in DROPPERS:
        return f"`{name}` steps down from root itself"
    if name in ROOT_COMMANDS:
        return f"`{name}` needs root"
    if cmd.name in ("/init", "/sbin/init"):
        return "`/init` (s6-overlay) must start as root"
    if name in ("pip", "pip3") and subcommand(cmd) == "install" and not cmd.has_flag("--user", "--target", "-t", "--prefix"):
        return "`pip install` at start-up writes the system site-packages"
    if name in NODE_TOOLS and node_global(cmd):
        return f"`{name}` installs globally at start-up"
    for r in cmd.redirects:
        target = r.target.value
        if r.operator in (">", ">>", ">|", "&>", "&>>") and target and WRITES_SYSTEM.match(target):
            return f"it writes {target} at start-up"
        if r.operator in (">", ">>", ">|", "&>", "&>>") and target and target.startswith("/") \
                and not any(inside(target, d) for d in (app_dir, *writable, *_ANYONE_WRITES)):
            return f"it writes {target}, outside the folders the new user would own, at start-up"
    writers = {"sed", "tee", "cp", "mv", "ln", "rm", "touch", "mkdir", "install", "chmod"}
    if name in writers:
        args = cmd.args_without_flags()
        targets = args[-1:] if name in ("cp", "mv", "ln", "install") else args
        if name == "sed" and not cmd.has_flag("-i", "--in-place"):
            targets = ()
        for w in targets:
            v = w.value
            if v and WRITES_SYSTEM.match(v) and not inside(v, app_dir):
                return f"`{name}` writes {v} at start-up"
            if v and v.startswith("/") and not any(inside(v, d) for d in (app_dir, *writable, *_ANYONE_WRITES)):
                return f"`{name}` writes {v}, outside the folders the new user would own, at start-up"
    # paths the command is told to write: `--pidfile /var/run/x.pid`, `--log-file=/var/log/x`
    vals = [w.value for w in cmd.args]
    for i, v in enumerate(vals):
        if not v or not v.startswith("-"):
            continue
        flag, eq, val = v.partition("=")
        val = val if eq else (vals[i + 1] if i + 1 < len(vals) else None)
        if val and val.startswith("/") and _WRITTEN_FLAG.search(flag.lstrip("-")) \
                and not any(inside(val, d) for d in (app_dir, *writable, *_ANYONE_WRITES)):
            return f"`{flag} {val}` makes it write outside the folders the new user would own"
    if name == "chmod":
        for w in cmd.args_without_flags()[1:]:
            v = w.value
            if v and v.startswith("/") and not inside(v, app_dir):
                return f"`chmod` changes {v} at start-up, which the new user would not own"
    return None


# Commands a build runs that write what the app only reads: installers, builders, file and
# system tools. Any other command a RUN runs in the app folder after its files are copied may be
# the app itself (its CLI, a setup script).
KNOWN_TOOLS = frozenset(
    """sh bash ash dash zsh env cd echo printf true false test [ set export exec source . cat ls
    mkdir rmdir rm cp mv ln touch chmod chown chgrp install find xargs sed awk grep sort uniq tr
    cut head tail wc tee tar gzip gunzip unzip zip bzip2 xz curl wget git patch diff make cmake
    ninja meson gcc g++ cc c++ clang ld strip upx sleep date id whoami uname which command type
    apt-get apt dpkg apk yum dnf microdnf rpm pip pip3 pipx uv poetry pipenv pdm conda mamba
    micromamba npm npx yarn pnpm bun corepack composer gem bundle bundler go cargo rustup mvn
    mvnw gradle gradlew sbt dotnet javac jar ant mix rebar3 stack cabal swift update-ca-certificates
    useradd groupadd adduser addgroup usermod ldconfig locale-gen update-alternatives rustc tsc
    webpack vite next nuxt ng esbuild rollup parcel prisma rm sha256sum md5sum base64 openssl
    ssh-keygen keytool certutil mkcert""".split()
)
_INTERPRETERS = lazy(r"python[\d.]*|node|nodejs|ruby|php[\d.]*|perl|bun|deno|Rscript")
_APP_CLIS = frozenset({"flask", "django-admin", "alembic", "rake", "rails", "artisan"})


def runs_app_code(c: SimpleCommand) -> str | None:
    """The words of a command that runs the app's own code (a script of the app, the app's CLI),
    or None for interpreters running modules/inline code and for known tools."""
    name = base(c.name)
    if not name:
        return None
    vals = [w.value for w in c.args]
    if any(v is None for v in vals):
        return None
    shown = " ".join([name, *vals])[:60]
    if _INTERPRETERS.fullmatch(name):
        if not vals or vals[0] in ("-m", "-c", "-e", "--eval", "-r", "-p") or vals[0].startswith("-"):
            return None
        return shown  # `python init_db.py`, `php artisan migrate`, `node scripts/seed.js`
    if name in _APP_CLIS or name.endswith((".py", ".js", ".rb", ".php", ".pl")) or name == "manage.py":
        return shown
    if name in KNOWN_TOOLS or name in ROOT_COMMANDS or c.name.startswith("/"):
        return None
    return shown


_HOST_PORT = lazy(
    r"^(?:[a-z]+://)?(?:0\.0\.0\.0|\[::\]|::|localhost|127\.0\.0\.1|\*|\+)?:(\d{1,5})/?$", re.I
)


def host_ports(value: str) -> list[int]:
    return [int(m.group(1)) for part in value.split(";") if (m := _HOST_PORT.match(part.strip()))]


def ports_in(cmd: SimpleCommand) -> list[int]:
    """Ports a start command is told to listen on (`--port 80`, `-b 0.0.0.0:80`, ...)."""
    vals = [w.value for w in cmd.args]
    out: list[int] = []
    for i, v in enumerate(vals):
        if v is None:
            continue
        nxt = vals[i + 1] if i + 1 < len(vals) else None
        flag, eq, val = v.partition("=")
        if flag in PORT_FLAGS or (flag.startswith("-") and flag.lower().endswith("port")):
            cand = val if eq else nxt
            if cand and cand.isdigit():
                out.append(int(cand))
        elif v.startswith("-D") and "port=" in v.lower():
            tail = v.rsplit("=", 1)[-1]
            if tail.isdigit():
                out.append(int(tail))
        elif flag in BIND_FLAGS:
            cand = val if eq else nxt
            if cand:
                out.extend(host_ports(cand))
        else:
            out.extend(host_ports(v))
    if base(cmd.name).startswith("python") and "http.server" in vals:
        rest = [x for x in vals[vals.index("http.server") + 1 :] if x and not x.startswith("-")]
        if rest and rest[0].isdigit():
            out.append(int(rest[0]))
    return out


class NeedsRoot:
    """The checks of `Analysis` (see analysis.py) that find a process needing root."""

    # -- when not to --------------------------------------------------------------------------

    def check(self) -> None:
        ref, fam = self.ref, self.family
        for inst in self.final.instructions:
            ids = ignored_codemods(inst)
            if ids is not None and ("non-root" in ids or (not ids and inst.cmd in ("FROM", "USER", "CMD", "ENTRYPOINT"))):
                raise Decline("an inline `# dockwright: ignore` asks to leave the runtime user alone", inst)
        if ".devcontainer" in str(self.ctx.path or "") or ref.familiar.lower().startswith("mcr.microsoft.com/devcontainers/"):
            raise Decline("development container: the devcontainer tooling chooses the user (remoteUser)")
        for st in self.chain:
            words = st.from_instruction.value
            if len(words) not in (1, 3) or not bi.valid_reference(st.base_image):
                raise Decline(f"`FROM {' '.join(words)}` is not an image reference docker accepts (a template?)",
                              st.from_instruction)
        users = [s for s in self.all_steps if s.inst.cmd == "USER" and s.inst.value]
        if users and bi.is_root_user(users[-1].inst.value[0]) and bi.is_root_user(users[-1].user):
            # not a switch back after installs (the user before it was root already): the
            # author states root on purpose (a bind-mounted work folder, a tool that needs it)
            raise Decline(f"the file sets `USER {users[-1].inst.value[0]}` itself, while already root: it runs "
                          "as root on purpose", users[-1].inst)
        if fam is Family.WINDOWS:
            raise Decline(f"Windows base image `{ref}`: not handled")
        if fam is Family.UNKNOWN:
            what = "a templated base image" if ref.has_variables else f"base image `{ref}`"
            raise Decline(f"unknown OS family for {what}: cannot tell which user tools it has")
        if bi.drops_privileges(ref):
            raise Decline(f"`{ref.familiar}` manages its runtime user itself (its entrypoint starts as root and steps down)")
        self.check_image_kind()
        starts = self.start_insts()
        why = root_signs.text_needs_root(self.df.code)
        if why:
            raise Decline(f"the process needs root: {why}")
        self._check_packages()
        self._check_configs()
        self._check_ports(starts)
        for inst in starts:
            self._check_commands(self.commands(inst)[0], inst, depth=0)
        self._check_runs()
        self._check_app_runs_as_root()
        self._check_root_home()
        self._check_mount_point()  # last: the more specific reasons first

    def _check_ports(self, starts: list[Instruction]) -> None:
        port = bi.privileged_port(self.ref)
        if port is not None:
            raise Decline(f"`{self.ref.familiar}` serves on port {port} by default, which a non-root user cannot bind")
        for s in self.all_steps:
            if s.inst.cmd != "EXPOSE":
                continue
            for p in s.inst.value:
                val = expand(p, s.env)
                num = (val or "").split("/", 1)[0].split("-", 1)[0]
                if num.isdigit() and 0 < int(num) < 1024:
                    raise Decline(f"EXPOSE {val}: the app binds a port below 1024, which a non-root user cannot", s.inst)
        for key, val in self.end.env.items():
            if re.search(r"(?:^|_)PORTS?$", key) or key in ("ASPNETCORE_URLS", "URLS"):
                for part in re.split(r"[;,\s]+", val):
                    m = re.search(r"(?:^|:)(\d{1,5})/?$", part)
                    if m and 0 < int(m.group(1)) < 1024:
                        raise Decline(f"ENV {key}={val}: a port below 1024, which a non-root user cannot bind")
        cmds = [(inst, c) for inst in starts for c in self.commands(inst)[0]]
        entry = next((i for i in starts if i.cmd == "ENTRYPOINT"), None)
        cmd = next((i for i in starts if i.cmd == "CMD"), None)
        if entry is not None and cmd is not None and entry.is_json and cmd.is_json and entry.value:
            # CMD holds the entrypoint's arguments: read them together
            joined = script_commands(argv_text([*entry.value, *cmd.value]))[0]
            cmds += [(cmd, c) for c in joined]
        for inst, c in cmds:
            low = [p for p in ports_in(c) if 0 < p < 1024]
            if low:
                raise Decline(f"the start command binds port {low[0]}, which a non-root user cannot", inst)

    def _check_commands(self, cmds: list[SimpleCommand], inst: Instruction, depth: int) -> None:
        for c in cmds:
            why = command_needs_root(c, self.app_dir, self._writable()) or root_signs.tool_needs_root(c)
            if why:
                raise Decline(f"the start command needs root: {why}", inst)
            name = base(c.name)
            tool = "gradlew" if name.endswith("gradlew") else "mvnw" if name.endswith("mvnw") else name
            if tool in BUILD_TOOLS:
                subs = BUILD_TOOLS[tool]
                if tool in _ROOT_CACHES and self.ref.repository.lower() in _ROOT_CACHES[tool] and (subs is None or subcommand(c) in subs):
                    raise Decline(
                        f"the start command builds with `{tool}`, whose cache (CARGO_HOME) is root's in "
                        f"`{self.ref.familiar}`", inst)
                if (subs is None or subcommand(c) in subs) and self._built_as_root(tool):
                    raise Decline(
                        f"the start command builds the app (`{tool}`) where a RUN step already built it "
                        "as root: the build output and caches are root's", inst)
            if (name in NODE_DEV_TOOLS or (name in NODE_TOOLS and self._node_dev(c))) and self._node_modules_by_root():
                raise Decline(
                    "the start command runs a dev server or a build, which writes node_modules/.cache, "
                    "and node_modules was installed as root", inst)
            if depth >= 2:
                continue
            writer = self._written_by_run(c.name)
            if writer is not None:
                raise Decline(f"the start command `{c.name}` is a file a RUN step writes, which cannot be read "
                              "to check what it does", writer.inst)
            for script, required in self._scripts(c):
                text = self._script_text(script)
                if not required and (text is None or not re.match(r"#!\s*/(?:usr/)?bin/(?:env\s+)?(?:ba|da|a|z|k)?sh\b", text)):
                    continue  # a binary, or a script in another language
                if text is None:
                    shipped = BASE_ENTRYPOINTS.get(self.ref.repository.lower(), frozenset())
                    if script in shipped and self._source_for(script) is None:
                        continue  # the base image's own entrypoint, which only execs
                    raise Decline(
                        f"cannot read the start script `{script}` to check that it does not need root "
                        "(entrypoint scripts often chown volumes or step down with gosu)", inst)
                if re.search(r"(?<![\w-])(?:gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst)(?![\w-])", text):
                    raise Decline(f"the start script `{script}` steps down from root itself", inst)
                why = root_signs.text_needs_root(text)
                if why:
                    raise Decline(f"the start script `{script}` needs root: {why}", inst)
                self._check_commands(script_commands(text)[0], inst, depth + 1)

    def _built_as_root(self, tool: str) -> bool:
        """A RUN of the chain (as root) ran the same build tool as `tool`."""
        family = _BUILD_FAMILY.get(tool, tool)
        for s in self.build_steps:
            if s.inst.cmd == "RUN" and bi.is_root_user(s.user):
                for c in self.commands(s.inst)[0]:
                    name = base(c.name)
                    name = "gradlew" if name.endswith("gradlew") else "mvnw" if name.endswith("mvnw") else name
                    if _BUILD_FAMILY.get(name, name) == family:
                        return True
        return False

    @staticmethod
    def _node_dev(c: SimpleCommand) -> bool:
        vals = [w.value or "" for w in c.args]
        if vals[:1] in (["run"], ["run-script"]):
            return len(vals) > 1 and vals[1] in NODE_DEV_SCRIPTS
        return bool(vals) and vals[0] in NODE_DEV_SCRIPTS

    def _node_modules_by_root(self) -> bool:
        """A RUN that runs as root installs node packages in the app folder."""
        safe = {id(s.inst) for s in self.steps if self.user_safe_run(s) and s.index > self.last_root_run()}
        for s in self.all_steps:
            if s.inst.cmd != "RUN" or id(s.inst) in safe:
                continue
            for c in self.commands(s.inst)[0]:
                if base(c.name) in NODE_TOOLS and subcommand(c) in (None, "ci", "install", "i", "add"):
                    return True
        return False

    def _check_runs(self) -> None:
        for s in self.build_steps:
            inst = s.inst
            if inst.cmd != "RUN":
                continue
            for c in self.commands(inst)[0]:
                name = base(c.name)
                if name in NODE_TOOLS | {"apt-get", "apt", "apk", "yum", "dnf", "microdnf"}:
                    if {w.value for w in c.args} & {"gosu", "su-exec"}:
                        raise Decline("installs gosu/su-exec: the entrypoint steps down from root itself", inst)
                if name in ("pip", "pip3") and subcommand(c) == "install" and c.has_flag("--user"):
                    raise Decline("`pip install --user` put packages in root's home, which the new user cannot read", inst)
            for c in self.commands(inst)[0]:
                if base(c.name) == "chmod":
                    args = [w.value or w.text for w in c.args_without_flags()]  # `/etc/${X}` too
                    mode, paths = (args[0], args[1:]) if args else ("", [])
                    if re.search(r"g[+=][rwxX]*w|g=u", mode) and any(WRITES_SYSTEM.match(p) for p in paths):
                        raise Decline(f"`chmod {mode}` makes {' '.join(paths)} group-writable: the image is made to "
                                      "run as an arbitrary uid in group root (OpenShift), not as a new user", inst)
            text = " ".join(inst.value) + " ".join(h.content for h in inst.heredoc_info)
            if re.search(r"/(?:gosu|su-exec)\b", text):
                raise Decline("installs gosu/su-exec: the entrypoint steps down from root itself", inst)

    def _check_root_home(self) -> None:
        for inst in self.insts:
            texts: list[str] = []
            if inst.cmd in ("WORKDIR", "ENV", "CMD", "ENTRYPOINT"):
                texts = list(inst.value)
            elif inst.cmd in ("COPY", "ADD") and inst.value:
                texts = [inst.value[-1]]
            if any(re.search(r"(?:^|[\s:=\"'])(?:/root|~)(?:/|$|[\s:\"'])", t) for t in texts):
                raise Decline("the app uses root's home (/root), which the new user cannot read", inst)
        # config a RUN writes into root's home (`echo ... > /root/.aws/config`): the new user's
        # HOME is elsewhere, and /root is not its to read
        for st in self.all_steps:
            if st.inst.cmd != "RUN" or not bi.is_root_user(st.user):
                continue
            for c in self.commands(st.inst)[0]:
                targets = [r.target.value for r in c.redirects if r.operator in (">", ">>", ">|")]
                if base(c.name) in ("mkdir", "touch", "tee", "cp", "mv", "install", "ln"):
                    words = c.args_without_flags(("-m", "--mode", "-t", "--target-directory"))
                    targets += [w.value for w in (words if base(c.name) in ("mkdir", "touch", "tee") else words[-1:])]
                if any(t and re.match(r"(?:/root|~)(?:/|$)", t) for t in targets):
                    raise Decline("a RUN step writes configuration into root's home (/root), which the new user "
                                  "would neither read nor have as its home", st.inst)
        venv_settings = " ".join(" ".join(i.value) for i in self.insts if i.cmd in ("ENV", "RUN", "ARG"))
        poetry_ok = re.search(r"POETRY_VIRTUALENVS_(?:CREATE|IN_PROJECT|PATH)|virtualenvs\.(?:create\s+false|in-project\s+true|path)", venv_settings)
        pipenv_ok = "PIPENV_VENV_IN_PROJECT" in venv_settings or "WORKON_HOME" in venv_settings
        for inst in self.insts:
            if inst.cmd != "RUN":
                continue
            for c in self.commands(inst)[0]:
                name, sub = base(c.name), subcommand(c)
                if name == "poetry" and sub == "install" and not poetry_ok:
                    raise Decline("`poetry install` made its virtualenv in root's home (~/.cache/pypoetry), which the new user cannot read", inst)
                if name == "pipenv" and sub in ("install", "sync") and not c.has_flag("--system") and not pipenv_ok:
                    raise Decline("`pipenv install` made its virtualenv in root's home, which the new user cannot read", inst)

    def _written_by_run(self, name: str | None):
        """The RUN step (of the chain or a copied root filesystem's) that writes the start
        command's file with a redirect or `tee` (`printf '#!/bin/sh...' > /usr/local/bin/report`)."""
        if not name:
            return None
        for s in self.build_steps:
            if s.inst.cmd != "RUN":
                continue
            for c in self.commands(s.inst)[0]:
                targets = [r.target.value for r in c.redirects if r.operator in (">", ">>", ">|")]
                if base(c.name) == "tee":
                    targets += [w.value for w in c.args_without_flags()]
                for t in targets:
                    if t and t.startswith("/") and (t == name or ("/" not in name and base(t) == name
                                                                  and re.search(r"/s?bin/[^/]+$", t))):
                        return s
        return None

    def _writable(self) -> tuple[str, ...]:
        """Folders the new user will own besides the app folder: those RUN steps `mkdir` (which
        the codemod gives it) and the homes under /home."""
        if getattr(self, "_writable_memo", None) is None:
            out = ["/home"]
            for s in self.all_steps:
                if s.inst.cmd != "RUN":
                    continue
                for c in self.commands(s.inst)[0]:
                    if base(c.name) == "mkdir":
                        for w in c.args_without_flags(("-m", "--mode")):
                            p = resolve(w.value, s.cwd, s.env)
                            if p and p != "/" and not WRITES_SYSTEM.match(p):
                                out.append(p)
            self._writable_memo = tuple(out)
        return self._writable_memo

    def _check_app_runs_as_root(self) -> None:
        """A root RUN after the app's files are in its folder that runs the app's own code
        (`python init_db.py`, `flask_backend create-db`, `php artisan ...`): what it writes there
        (an SQLite database, caches) stays root's, and the app, now unprivileged, cannot write
        it. Known installers, builders and file tools are fine (what they write is read)."""
        if not self.dedicated:
            return
        copied = False
        for s in self.steps:
            inst = s.inst
            if inst.cmd in ("COPY", "ADD") and len(inst.value) >= 2:
                copied = copied or inside(resolve(inst.value[-1], s.cwd, s.env), self.app_dir)
                continue
            if inst.cmd != "RUN" or not copied or not bi.is_root_user(s.user) or not inside(s.cwd, self.app_dir):
                continue
            for c in self.commands(inst)[0]:
                what = runs_app_code(c)
                if what:
                    raise Decline(f"a RUN step runs the app's own code as root in {self.app_dir} (`{what}`) after "
                                  "its files are there: what it writes (a database, generated files) would stay root's", inst)

    def _check_packages(self) -> None:
        """Packages (or binaries copied in) that make the image a VPN, capture, IDS or
        Docker-managing tool."""
        for s in self.build_steps:
            inst = s.inst
            if inst.cmd == "RUN":
                if root_signs.DOCKER_DOWNLOAD.search(" ".join(inst.value) + " ".join(h.content for h in inst.heredoc_info)):
                    raise Decline("the process needs root: it downloads the Docker CLI, which talks to the "
                                  "Docker daemon's socket (root's)", inst)
                for c in self.commands(inst)[0]:
                    for pkg in root_signs.installed_packages(c):
                        why = root_signs.package_needs_root(pkg)
                        if why:
                            raise Decline(f"the process needs root: installs `{pkg}`: {why}", inst)
            elif inst.cmd in ("COPY", "ADD") and len(inst.value) >= 2:
                dest = inst.value[-1]
                srcs = [posixpath.basename(v.rstrip("/")) for v in inst.value[:-1]]
                into_bin = re.search(r"/s?bin/?$", dest) and "docker" in srcs
                if into_bin or re.search(r"/s?bin/docker$", dest):
                    raise Decline("the process needs root: it copies in the Docker CLI, which talks to the "
                                  "Docker daemon's socket (root's)", inst)

    def _check_configs(self) -> None:
        """Config files COPY/ADD take from the build context whose directives make a daemon
        switch user itself (`user=mysql` in my.cnf, `user nginx;`, `cache_effective_user`)."""
        bc = self.ctx.build_context
        if bc is None:
            return
        for s in self.all_steps:
            inst = s.inst
            if inst.cmd not in ("COPY", "ADD") or inst.flag_value("from") is not None or len(inst.value) < 2:
                continue
            dest = inst.value[-1]
            for src in inst.value[:-1]:
                rel = posixpath.normpath(src.lstrip("/"))
                if rel.startswith("..") or "$" in rel or src.startswith("<<"):
                    continue
                if bc.is_file(rel):
                    files = [rel]
                elif bc.is_dir(rel) and rel not in (".", ""):
                    files = [f for f in bc.files if f.startswith(rel.rstrip("/") + "/")][:200]
                else:
                    continue
                for f in files:
                    if not (root_signs.is_config(f) or (f == rel and root_signs.is_config(dest))):
                        continue
                    found = root_signs.user_directive(bc.read_text(f) or "")
                    if found:
                        raise Decline(f"the process switches user itself: `{found}` in {f}, which the image copies", inst)

"""non-root: run the final image as an unprivileged user that fits its base image.

What it does
    When the final stage has no `USER`, or ends as root (`USER root`, `0`, `0:0`), it makes the
    image run as a non-root user:
    - it reuses a user the image already has: one an earlier `USER` line switched to, one a
      RUN step creates (`useradd`/`adduser`), or the base image's own (`node` in node images,
      `bun` in oven/bun, `app` (1654) in .NET 8+, `nonroot` (65532) in distroless);
    - otherwise it creates `app` with uid/gid 10001 with the family's own tools: Debian,
      Ubuntu, UBI, CentOS, Fedora, Rocky, Alma: `groupadd --system --gid 10001 app && useradd
      --system --uid 10001 --gid app --no-log-init --create-home app`; Alpine, BusyBox:
      `addgroup -S -g 10001 app && adduser -S -u 10001 -G app app`; `scratch`, which has no
      /etc/passwd, gets a numeric `USER 65532:65532` and no user at all;
    - the COPY/ADD instructions of the final stage that write into the app folder (the final
      WORKDIR) get `--chown=<user>:<group>`; the app folder itself becomes the user's
      (`mkdir -p DIR && chown user:group DIR`, in the RUN that creates the user), and so do the
      folders RUN steps create for the app to write in (`mkdir -p tmp/pids`, `mkdir /data`);
    - `USER <uid>:<gid>` goes after the last RUN that needs root (package installs, and
      anything but a plain `npm ci`/`yarn`/`pnpm`/`bun` install or build in the app folder,
      which then runs as the user and writes files it owns) and before CMD/ENTRYPOINT.
    Earlier stages are left alone. New lines follow the file's keyword case, line endings,
    escape character and continuation style.

Why
    A process running as root in a container is root on the host's kernel: a container escape,
    a writable host mount or a stray capability becomes a host compromise (hadolint DL3002, CIS
    Docker Benchmark 4.1). Kubernetes' `runAsNonRoot` refuses such images, and it can only
    verify a numeric USER, so the USER line is written as `uid:gid`. The uid 10001 is above the
    ranges distributions allocate (system accounts below 1000, login users from 1000), so it
    never collides with an account a package creates, and it is the same in every image this
    codemod touches, which keeps the ownership of shared volumes predictable. Images without a
    user database (scratch) and distroless ones get 65532:65532, distroless' `nonroot`.

Example
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install -r requirements.txt
    CMD ["python", "app.py"]
    →
    FROM python:3.12-slim
    RUN groupadd --system --gid 10001 app \\
        && useradd --system --uid 10001 --gid app --no-log-init --create-home app \\
        && mkdir -p /app && chown app:app /app
    WORKDIR /app
    COPY --chown=app:app . .
    RUN pip install -r requirements.txt
    USER 10001:10001
    CMD ["python", "app.py"]

Safety
    Unsafe: the process runs with another identity, so whatever it writes outside its folders
    and its home, any port below 1024 and anything its start command does as root stop
    working. The codemod declines (and says why) where that is known or likely: images whose
    entrypoint drops privileges itself (nginx, httpd, postgres, redis, mysql, mariadb, mongo,
    rabbitmq, elasticsearch, php's -fpm/-apache, linuxserver.io...), an EXPOSE below 1024 or a
    start command binding such a port, a start command that needs root (package managers,
    `service`, `chown`, `sysctl`, gosu/su-exec, cron, sshd, supervisord, FUSE mounts, writes
    under /etc...), a start script it cannot read, a start command that builds the app
    (cargo/gradle/mvn/dotnet run), state under /root (`pip install --user`, WORKDIR /root,
    poetry's default virtualenv), a VOLUME it cannot give to the user, ONBUILD triggers,
    development containers, images without CMD/ENTRYPOINT (base and tool images), and any
    base whose family it does not know (`FROM $BASE` included).
    ubi-minimal, ubi-micro, amazonlinux and azurelinux ship without shadow-utils (no useradd):
    the codemod creates a user there only when a RUN step installs shadow-utils, and otherwise
    declines rather than add a package the image did not ask for.
    Files RUN steps create as root in the app folder before the USER line stay root's
    (readable, not writable by the app), except the folders they `mkdir`.

References
    https://docs.docker.com/build/building/best-practices/#user
    https://github.com/hadolint/hadolint/wiki/DL3002
    https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#non-root-user
    https://github.com/GoogleContainerTools/distroless#running-as-a-non-root-user
    https://kubernetes.io/docs/concepts/security/pod-security-standards/
"""
from __future__ import annotations

import dataclasses
import posixpath
import re
import shlex
from dataclasses import dataclass

from refactor.knowledge import baseimages as bi
from refactor.knowledge.baseimages import Family, User
from refactor.syntax.buildkit import expand_variables
from refactor.syntax.edit import (
    continuation_indent,
    insert_after,
    insert_before,
    keyword_case,
    new_instruction,
    replace_instruction,
    with_body,
    with_flag,
)
from refactor.syntax.nodes import Continuation, Dockerfile, HeredocBody, Instruction, Piece, Stage
from refactor.syntax.pragmas import ignored_codemods
from refactor.codemods.base import Safety, Codemod, Context
from refactor.shell.parse import SimpleCommand, parse_shell

APP_USER = "app"
APP_UID = 10001
SCRATCH_ID = 65532  # distroless' nonroot: the customary numeric user of scratch images

# Folders the system or a package owns: never given to the app user.
SYSTEM_DIRS = frozenset(
    """/ /bin /sbin /lib /lib32 /lib64 /libx32 /usr /usr/bin /usr/sbin /usr/lib /usr/local
    /usr/local/bin /usr/local/sbin /usr/local/lib /usr/local/share /usr/share /usr/src /etc
    /var /var/lib /var/www /var/www/html /var/log /var/cache /var/run /run /tmp /var/tmp /opt
    /srv /home /mnt /media /proc /sys /dev /boot /go /go/src /go/bin /workspace /workspaces
    """.split()
)
# Folders RUN steps create that are not the app's to write: package and system locations.
NOT_APP_DATA = re.compile(
    r"^/(?:usr|etc|opt|lib\w*|bin|sbin|tmp|var/tmp|var/cache|var/lib/(?:apt|dpkg|rpm|yum|dnf|apk)|"
    r"root|proc|sys|dev|boot|go|run/(?:nginx|php|apache2|httpd|sshd))(?:/|$)"
)

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
    "cargo": frozenset({"run", "build", "watch"}),
    "gradle": None,
    "gradlew": None,
    "mvn": None,
    "mvnw": None,
    "sbt": None,
    "lein": None,
    "dotnet": frozenset({"run", "watch", "build", "publish"}),
}
_BUILD_FAMILY = {"gradlew": "gradle", "mvnw": "mvn"}
SHELLS = frozenset("sh bash ash dash zsh ksh".split())
INIT_WRAPPERS = frozenset("tini tini-static dumb-init catatonit".split())
WRITES_SYSTEM = re.compile(r"^/(?:etc|usr|var/(?!tmp)|bin|sbin|lib|opt|root|run|srv|boot)(?:/|$)")
# Entrypoint scripts base images ship, which only exec their arguments.
BASE_ENTRYPOINTS = {
    "node": frozenset({"docker-entrypoint.sh", "/usr/local/bin/docker-entrypoint.sh"}),
    "php": frozenset({"docker-php-entrypoint", "/usr/local/bin/docker-php-entrypoint"}),
}
NODE_TOOLS = frozenset({"npm", "yarn", "pnpm", "bun"})
NODE_USER_SUBCOMMANDS = frozenset(
    {"ci", "install", "i", "add", "run", "run-script", "build", "test", "prune", "rebuild", "generate",
     "cache", "store"}
)
NODE_DEV_TOOLS = frozenset(
    {"next", "vite", "react-scripts", "ng", "nuxt", "webpack", "webpack-dev-server",
     "vue-cli-service", "gatsby", "astro"}
)
NODE_DEV_SCRIPTS = frozenset({"dev", "serve", "start:dev", "develop", "watch", "storybook", "build"})
PORT_FLAGS = frozenset({"--port", "-p", "-P", "--http-port", "--listen-port", "--server.port", "--web-port"})
BIND_FLAGS = frozenset({"--bind", "-b", "--listen", "-l", "--address", "--urls", "--url"})
MKDIR_VALUE_FLAGS = ("-m", "--mode", "-d", "--date", "-t", "-r", "--reference", "--context", "-Z")


class _Decline(Exception):
    def __init__(self, reason: str, inst: Instruction | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.inst = inst


@dataclass
class _Step:
    """An instruction of the stage chain, with the state BuildKit has when it runs."""

    inst: Instruction
    final: bool  # in the final stage (the only one we edit)
    index: int  # position in its stage (FROM is 0)
    cwd: str | None  # None: unknown (a variable we cannot expand)
    env: dict[str, str]
    user: str


@dataclass(frozen=True)
class _Plan:
    user_line: str  # the USER value
    chown: str | None  # the --chown value
    owner: str | None  # the chown(1) argument for folders (None: no shell to run chown)
    create: tuple[str, ...]  # commands creating the user
    desc: str  # who, for the edit summaries


class NonRoot(Codemod):
    id = "non-root"
    summary = "run the final stage as a non-root user, reused or created for the base image family"
    rationale = __doc__.split("Why\n", 1)[1].split("\n\nExample", 1)[0].strip().replace("\n    ", "\n")
    safety = Safety.UNSAFE
    hadolint = ("DL3002",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        stages = df.stages
        if not stages:
            return df
        final = stages[-1]
        chain = bi.stage_chain(df, final)
        steps, end = _walk(df, chain)
        if not bi.is_root_user(end.user):
            return df  # already non-root, or a USER we cannot judge (`$APP_UID`)
        try:
            if not ctx.options.get("allow_unsafe", True):
                raise _Decline("changes the user the image runs as (unsafe): select it by name to allow it")
            analysis = _Analysis(df, final, chain, steps, end, ctx)
            analysis.check()
            return analysis.apply(self, analysis.plan())
        except _Decline as d:
            ctx.skip(self, d.reason, d.inst or final.from_instruction)
            return df


# --- the stage chain, instruction by instruction ------------------------------------------------


def _walk(df: Dockerfile, chain: list[Stage]) -> tuple[list[_Step], _Step]:
    """Every instruction of the chain (root stage first) with its cwd, env and user, and the
    state after the last one."""
    final = chain[0]
    user = bi.default_user(bi.root_image(df, final)) or "root"
    cwd: str | None = None
    env: dict[str, str] = {}
    out: list[_Step] = []
    for stage in reversed(chain):
        for k, inst in enumerate(stage.instructions):
            out.append(_Step(inst, stage is final, k, cwd, dict(env), user))
            if inst.cmd == "WORKDIR" and inst.value:
                target = _expand(inst.value[0], env)
                if target is None:
                    cwd = None
                elif target.startswith("/"):
                    cwd = posixpath.normpath(target)
                elif cwd is not None:
                    cwd = posixpath.normpath(posixpath.join(cwd, target))
                else:
                    cwd = posixpath.normpath("/" + target)  # relative to the image's "/"
            elif inst.cmd == "ENV":
                v = inst.value
                for i in range(0, len(v) - 1, 2):
                    val = _expand(v[i + 1], env)
                    env[v[i]] = val if val is not None else _unquote(v[i + 1])
            elif inst.cmd == "ARG":
                for word in inst.value:
                    key, eq, val = word.partition("=")
                    if eq and key not in env:
                        exp = _expand(val, env)
                        if exp is not None:
                            env[key] = exp
            elif inst.cmd == "USER" and inst.value:
                user = inst.value[0]
    last = final.instructions[-1]
    return out, _Step(last, True, len(final.instructions), cwd, dict(env), user)


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def _expand(text: str, env: dict[str, str]) -> str | None:
    """`text` unquoted, its variables substituted from `env`; None when one is unknown."""
    return expand_variables(_unquote(text), env)


def _resolve(path: str | None, cwd: str | None, env: dict[str, str]) -> str | None:
    """An absolute, normalized path for `path` as seen from `cwd`; None when unknown."""
    if path is None:
        return None
    p = _expand(path, env)
    if p is None:
        return None
    if p.startswith("/"):
        return posixpath.normpath(p)
    if cwd is None:
        return None
    return posixpath.normpath(posixpath.join(cwd, p))


def _inside(path: str | None, folder: str | None) -> bool:
    if path is None or folder is None:
        return False
    return path == folder or path.startswith(folder.rstrip("/") + "/")


# --- the commands of RUN, CMD and ENTRYPOINT ----------------------------------------------------


def _commands_of(inst: Instruction) -> tuple[list[SimpleCommand], bool]:
    """The simple commands an instruction runs, heredoc bodies included, and whether part of
    it is opaque to the shell parser (if/for/subshells, whose commands are still listed)."""
    texts: list[str] = []
    if inst.is_json:
        texts.append(_argv_text(list(inst.value)))
    elif inst.value:
        texts.append(inst.value[0])
    texts.extend(h.content for h in inst.heredoc_info)
    cmds: list[SimpleCommand] = []
    opaque = False
    for text in texts:
        c, o = _script_commands(text, inst.escape)
        cmds.extend(c)
        opaque = opaque or o
    return cmds, opaque


def _argv_text(argv: list[str]) -> str:
    """An exec-form argv as shell text, past tini/dumb-init; `sh -c "script"` is the script."""
    while argv and posixpath.basename(argv[0]) in INIT_WRAPPERS:
        argv = argv[1:]
        while argv and argv[0].startswith("-"):
            done = argv[0] == "--"
            argv = argv[1:]
            if done:
                break
    if len(argv) >= 3 and posixpath.basename(argv[0]) in SHELLS and re.fullmatch(r"-[a-z]*c[a-z]*", argv[1]):
        return argv[2]
    return shlex.join(argv)


_COMPOUND_WORDS = re.compile(
    r"(?<![\w-])(?:if|then|else|elif|fi|do|done|for|while|until|case|esac|in|function)(?![\w-])|[(){}]|;;"
)


def _script_commands(text: str, escape: str = "\\", depth: int = 0) -> tuple[list[SimpleCommand], bool]:
    script = parse_shell(text, escape)
    cmds = list(script.commands())
    # `sh -c 'script'`: the script's commands too
    for c in list(cmds):
        if depth < 3 and _base(c.name) in SHELLS:
            vals = [w.value for w in c.args]
            for k, v in enumerate(vals[:-1]):
                if v is not None and re.fullmatch(r"-[a-z]*c[a-z]*", v) and vals[k + 1]:
                    cmds.extend(_script_commands(vals[k + 1], "\\", depth + 1)[0])
                    break
    # opaque parts (if/for/while, subshells): blank the keywords and read the rest as a flat
    # list, which is good enough to spot an `apt-get` or a `chown` inside an `if`
    for op in script.opaque():
        if len(op.raw) <= 20000:
            flat = _COMPOUND_WORDS.sub(";", op.raw)
            if flat != op.raw:
                cmds.extend(_script_commands(flat, escape, depth + 1)[0])
    return cmds, script.has_opaque


def _base(name: str | None) -> str:
    return posixpath.basename(name or "")


def _sub(cmd: SimpleCommand) -> str | None:
    word = cmd.subcommand()
    return word.value if word is not None else None


def _literal(cmd: SimpleCommand, env: dict[str, str]) -> SimpleCommand | None:
    """The command with `$VAR`/`"$VAR"` words expanded from `env` (None when a word holds
    anything else that expands, or a variable `env` lacks)."""
    words = []
    for w in cmd.words:
        if w.value is not None:
            words.append(w.value)
            continue
        if w.has_command_substitution:
            return None
        text = w.text
        if not re.fullmatch(r'(?:[^`\\\'"$]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|"(?:[^"`\\$]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)*")*', text):
            return None
        val = _expand(text.replace('"', ""), env)
        if val is None:
            return None
        words.append(val)
    script = parse_shell(shlex.join(words))
    cmds = script.commands()
    return cmds[0] if len(cmds) == 1 else None


def _node_global(cmd: SimpleCommand) -> bool:
    vals = [w.value or "" for w in cmd.args]
    return any(v in ("-g", "--global", "--location=global") for v in vals) or (
        _base(cmd.name) == "yarn" and vals[:1] == ["global"]
    )


def _needs_root(cmd: SimpleCommand, app_dir: str | None) -> str | None:
    """Why this start-time command needs root, or None."""
    for w in cmd.wrappers:
        if _base(w.value) in DROPPERS:
            return f"`{_base(w.value)}` steps down from root itself"
    name = _base(cmd.name)
    if not name:
        return None
    if name in DROPPERS:
        return f"`{name}` steps down from root itself"
    if name in ROOT_COMMANDS:
        return f"`{name}` needs root"
    if cmd.name in ("/init", "/sbin/init"):
        return "`/init` (s6-overlay) must start as root"
    if name in ("pip", "pip3") and _sub(cmd) == "install" and not cmd.has_flag("--user", "--target", "-t", "--prefix"):
        return "`pip install` at start-up writes the system site-packages"
    if name in NODE_TOOLS and _node_global(cmd):
        return f"`{name}` installs globally at start-up"
    for r in cmd.redirects:
        target = r.target.value
        if r.operator in (">", ">>", ">|", "&>", "&>>") and target and WRITES_SYSTEM.match(target):
            return f"it writes {target} at start-up"
    writers = {"sed", "tee", "cp", "mv", "ln", "rm", "touch", "mkdir", "install", "chmod"}
    if name in writers:
        args = cmd.args_without_flags()
        targets = args[-1:] if name in ("cp", "mv", "ln", "install") else args
        if name == "sed" and not cmd.has_flag("-i", "--in-place"):
            targets = ()
        for w in targets:
            v = w.value
            if v and WRITES_SYSTEM.match(v) and not _inside(v, app_dir):
                return f"`{name}` writes {v} at start-up"
    return None


_HOST_PORT = re.compile(
    r"^(?:[a-z]+://)?(?:0\.0\.0\.0|\[::\]|::|localhost|127\.0\.0\.1|\*|\+)?:(\d{1,5})/?$", re.I
)


def _host_ports(value: str) -> list[int]:
    return [int(m.group(1)) for part in value.split(";") if (m := _HOST_PORT.match(part.strip()))]


def _ports_in(cmd: SimpleCommand) -> list[int]:
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
                out.extend(_host_ports(cand))
        else:
            out.extend(_host_ports(v))
    if _base(cmd.name).startswith("python") and "http.server" in vals:
        rest = [x for x in vals[vals.index("http.server") + 1 :] if x and not x.startswith("-")]
        if rest and rest[0].isdigit():
            out.append(int(rest[0]))
    return out


def _user_created_by(cmd: SimpleCommand) -> User | None:
    """The user a `useradd`/`adduser` command creates (`group` set only when given)."""
    name = _base(cmd.name)
    if name == "useradd":
        rest = cmd.args_without_flags()
        if len(rest) != 1 or rest[0].value is None:
            return None
        if cmd.has_flag("-N", "--no-user-group") and cmd.option_value("-g", "--gid") is None:
            return None
        return _user(rest[0].value, cmd.option_value("-u", "--uid"), cmd.option_value("-g", "--gid"))
    if name == "adduser":
        flags = ("-h", "-g", "-s", "-G", "-u", "-k", "--home", "--shell", "--uid", "--gid",
                 "--ingroup", "--gecos", "--firstuid", "--lastuid", "--conf", "--comment")
        rest = cmd.args_without_flags(flags)
        if len(rest) != 1 or rest[0].value is None:
            return None  # `adduser user group` adds a user to a group
        uid = cmd.option_value("-u", "--uid", value_flags=flags)
        group = cmd.option_value("-G", "--ingroup", value_flags=flags) or cmd.option_value("--gid", value_flags=flags)
        return _user(rest[0].value, uid, group)
    return None


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


def _user(name: str, uid: str | None, group: str | None) -> User | None:
    if not _NAME.fullmatch(name):
        return None
    if group is not None and not (group.isdigit() or _NAME.fullmatch(group)):
        return None
    return User(
        name,
        int(uid) if uid and uid.isdigit() else None,
        int(group) if group and group.isdigit() else None,
        group if group and not group.isdigit() else None,
    )


# --- the analysis -------------------------------------------------------------------------------


class _Analysis:
    def __init__(self, df: Dockerfile, final: Stage, chain: list[Stage], steps: list[_Step], end: _Step, ctx: Context):
        self.df = df
        self.final = final
        self.chain = chain
        self.all_steps = steps
        self.steps = [s for s in steps if s.final]
        self.end = end
        self.ctx = ctx
        self.ref = bi.root_image(df, final)
        self.family = bi.stage_family(df, final)
        self.insts = [s.inst for s in steps]
        self.app_dir = end.cwd
        self.dedicated = (
            self.app_dir is not None and self.app_dir not in SYSTEM_DIRS and not _inside(self.app_dir, "/root")
        )
        self._cmds: dict[int, tuple[list[SimpleCommand], bool]] = {}

    def commands(self, inst: Instruction) -> tuple[list[SimpleCommand], bool]:
        key = id(inst)
        if key not in self._cmds:
            self._cmds[key] = _commands_of(inst)
        return self._cmds[key]

    def start_insts(self) -> list[Instruction]:
        """The ENTRYPOINT and CMD in effect (the last of each in the chain)."""
        out = []
        for kind in ("ENTRYPOINT", "CMD"):
            found = [i for i in self.insts if i.cmd == kind]
            if found:
                out.append(found[-1])
        return out

    # -- when not to --------------------------------------------------------------------------

    def check(self) -> None:
        ref, fam = self.ref, self.family
        for inst in self.final.instructions:
            ids = ignored_codemods(inst)
            if ids is not None and ("non-root" in ids or (not ids and inst.cmd in ("FROM", "USER", "CMD", "ENTRYPOINT"))):
                raise _Decline("an inline `# dockwright: ignore` asks to leave the runtime user alone", inst)
        if ".devcontainer" in str(self.ctx.path or "") or ref.familiar.lower().startswith("mcr.microsoft.com/devcontainers/"):
            raise _Decline("development container: the devcontainer tooling chooses the user (remoteUser)")
        if fam is Family.WINDOWS:
            raise _Decline(f"Windows base image `{ref}`: not handled")
        if fam is Family.UNKNOWN:
            what = "a templated base image" if ref.has_variables else f"base image `{ref}`"
            raise _Decline(f"unknown OS family for {what}: cannot tell which user tools it has")
        if bi.drops_privileges(ref):
            raise _Decline(f"`{ref.familiar}` manages its runtime user itself (its entrypoint starts as root and steps down)")
        onbuild = [i for i in self.insts if i.cmd == "ONBUILD"]
        if onbuild:
            raise _Decline("ONBUILD triggers would run as the new user in the images built on this one", onbuild[0])
        starts = self.start_insts()
        if not starts:
            raise _Decline("no CMD or ENTRYPOINT: a base or tool image, whose users' RUN steps would run as the new user")
        self._check_ports(starts)
        for inst in starts:
            self._check_commands(self.commands(inst)[0], inst, depth=0)
        self._check_runs()
        self._check_root_home()

    def _check_ports(self, starts: list[Instruction]) -> None:
        port = bi.privileged_port(self.ref)
        if port is not None:
            raise _Decline(f"`{self.ref.familiar}` serves on port {port} by default, which a non-root user cannot bind")
        for s in self.all_steps:
            if s.inst.cmd != "EXPOSE":
                continue
            for p in s.inst.value:
                val = _expand(p, s.env)
                num = (val or "").split("/", 1)[0].split("-", 1)[0]
                if num.isdigit() and 0 < int(num) < 1024:
                    raise _Decline(f"EXPOSE {val}: the app binds a port below 1024, which a non-root user cannot", s.inst)
        for key, val in self.end.env.items():
            if re.search(r"(?:^|_)PORTS?$", key) or key in ("ASPNETCORE_URLS", "URLS"):
                for part in re.split(r"[;,\s]+", val):
                    m = re.search(r"(?:^|:)(\d{1,5})/?$", part)
                    if m and 0 < int(m.group(1)) < 1024:
                        raise _Decline(f"ENV {key}={val}: a port below 1024, which a non-root user cannot bind")
        cmds = [(inst, c) for inst in starts for c in self.commands(inst)[0]]
        entry = next((i for i in starts if i.cmd == "ENTRYPOINT"), None)
        cmd = next((i for i in starts if i.cmd == "CMD"), None)
        if entry is not None and cmd is not None and entry.is_json and cmd.is_json and entry.value:
            # CMD holds the entrypoint's arguments: read them together
            joined = _script_commands(_argv_text([*entry.value, *cmd.value]))[0]
            cmds += [(cmd, c) for c in joined]
        for inst, c in cmds:
            low = [p for p in _ports_in(c) if 0 < p < 1024]
            if low:
                raise _Decline(f"the start command binds port {low[0]}, which a non-root user cannot", inst)

    def _check_commands(self, cmds: list[SimpleCommand], inst: Instruction, depth: int) -> None:
        for c in cmds:
            why = _needs_root(c, self.app_dir)
            if why:
                raise _Decline(f"the start command needs root: {why}", inst)
            name = _base(c.name)
            tool = "gradlew" if name.endswith("gradlew") else "mvnw" if name.endswith("mvnw") else name
            if tool in BUILD_TOOLS:
                subs = BUILD_TOOLS[tool]
                if (subs is None or _sub(c) in subs) and self._built_as_root(tool):
                    raise _Decline(
                        f"the start command builds the app (`{tool}`) where a RUN step already built it "
                        "as root: the build output and caches are root's", inst)
            if (name in NODE_DEV_TOOLS or (name in NODE_TOOLS and self._node_dev(c))) and self._node_modules_by_root():
                raise _Decline(
                    "the start command runs a dev server or a build, which writes node_modules/.cache, "
                    "and node_modules was installed as root", inst)
            if depth >= 2:
                continue
            for script in self._scripts(c):
                text = self._script_text(script)
                if text is None:
                    shipped = BASE_ENTRYPOINTS.get(self.ref.repository.lower(), frozenset())
                    if script in shipped and self._source_for(script) is None:
                        continue  # the base image's own entrypoint, which only execs
                    raise _Decline(
                        f"cannot read the start script `{script}` to check that it does not need root "
                        "(entrypoint scripts often chown volumes or step down with gosu)", inst)
                if re.search(r"(?<![\w-])(?:gosu|su-exec|setpriv|runuser|s6-setuidgid|chpst)(?![\w-])", text):
                    raise _Decline(f"the start script `{script}` steps down from root itself", inst)
                self._check_commands(_script_commands(text)[0], inst, depth + 1)

    def _built_as_root(self, tool: str) -> bool:
        """A RUN of the chain (as root) ran the same build tool as `tool`."""
        family = _BUILD_FAMILY.get(tool, tool)
        for s in self.all_steps:
            if s.inst.cmd == "RUN" and bi.is_root_user(s.user):
                for c in self.commands(s.inst)[0]:
                    name = _base(c.name)
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
                if _base(c.name) in NODE_TOOLS and _sub(c) in (None, "ci", "install", "i", "add"):
                    return True
        return False

    def _scripts(self, c: SimpleCommand) -> list[str]:
        """Script files a start command runs (`./start.sh`, `sh run.sh`, `/docker-entrypoint`)."""
        name = c.name or ""
        if _base(name) in SHELLS:
            if c.has_flag("-c"):
                return []
            rest = c.args_without_flags(())
            return [rest[0].value] if rest and rest[0].value else []
        if name.endswith((".sh", ".bash")) or "entrypoint" in _base(name).lower():
            return [name]
        return []

    def _source_for(self, script: str) -> str | None:
        """Where a COPY/ADD of the chain took `script` from: `ctx:<path>` in the build context,
        `name:<file>` (somewhere in it), or `heredoc:<text>`. None when no COPY made it."""
        target = None
        if script.startswith("/"):
            target = posixpath.normpath(script)
        elif "/" in script:
            target = _resolve(script, self.end.cwd, self.end.env)
            if target is None:
                return None
        found = None
        for s in self.all_steps:
            inst = s.inst
            if inst.cmd not in ("COPY", "ADD") or inst.flag_value("from") is not None or len(inst.value) < 2:
                continue
            dest_word = inst.value[-1]
            dest = _resolve(dest_word, s.cwd, s.env)
            if dest is None:
                continue
            srcs = inst.value[:-1]
            into_dir = dest_word.endswith("/") or len(srcs) > 1
            for k, src in enumerate(srcs):
                if src.startswith("<<"):
                    bodies = inst.heredoc_info
                    path = posixpath.join(dest, src[2:].lstrip("-").strip("'\"")) if into_dir else dest
                    if bodies and (target == path or (target is None and posixpath.basename(path) == script)):
                        found = "heredoc:" + bodies[min(k, len(bodies) - 1)].content
                    continue
                clean = src.rstrip("/")
                if clean in (".", ""):
                    if target is not None and _inside(target, dest):
                        found = "ctx:" + posixpath.relpath(target, dest)
                    elif target is None:
                        found = "name:" + script
                    continue
                places = [posixpath.join(dest, posixpath.basename(clean))] if into_dir else [dest, posixpath.join(dest, posixpath.basename(clean))]
                for place in places:
                    if target is not None and target == place:
                        found = "ctx:" + clean
                    elif target is not None and _inside(target, place):
                        found = "ctx:" + posixpath.join(clean, posixpath.relpath(target, place))
                    elif target is None and posixpath.basename(place) == script:
                        found = "ctx:" + clean
        return found

    def _script_text(self, script: str) -> str | None:
        src = self._source_for(script)
        if src is None:
            return None
        kind, _, rest = src.partition(":")
        if kind == "heredoc":
            return rest
        bc = self.ctx.build_context
        if bc is None:
            return None
        if kind == "name":
            hits = [f for f in bc.files if posixpath.basename(f) == rest]
            return bc.read_text(hits[0]) if len(hits) == 1 else None
        rel = posixpath.normpath(rest.lstrip("/"))
        if rel.startswith("..") or "*" in rel:
            return None
        return bc.read_text(rel)

    def _check_runs(self) -> None:
        for s in self.all_steps:
            inst = s.inst
            if inst.cmd != "RUN":
                continue
            for c in self.commands(inst)[0]:
                name = _base(c.name)
                if name in NODE_TOOLS | {"apt-get", "apt", "apk", "yum", "dnf", "microdnf"}:
                    if {w.value for w in c.args} & {"gosu", "su-exec"}:
                        raise _Decline("installs gosu/su-exec: the entrypoint steps down from root itself", inst)
                if name in ("pip", "pip3") and _sub(c) == "install" and c.has_flag("--user"):
                    raise _Decline("`pip install --user` put packages in root's home, which the new user cannot read", inst)
            text = " ".join(inst.value) + " ".join(h.content for h in inst.heredoc_info)
            if re.search(r"/(?:gosu|su-exec)\b", text):
                raise _Decline("installs gosu/su-exec: the entrypoint steps down from root itself", inst)

    def _check_root_home(self) -> None:
        for inst in self.insts:
            texts: list[str] = []
            if inst.cmd in ("WORKDIR", "ENV", "CMD", "ENTRYPOINT"):
                texts = list(inst.value)
            elif inst.cmd in ("COPY", "ADD") and inst.value:
                texts = [inst.value[-1]]
            if any(re.search(r"(?:^|[\s:=\"'])(?:/root|~)(?:/|$|[\s:\"'])", t) for t in texts):
                raise _Decline("the app uses root's home (/root), which the new user cannot read", inst)
        venv_settings = " ".join(" ".join(i.value) for i in self.insts if i.cmd in ("ENV", "RUN", "ARG"))
        poetry_ok = re.search(r"POETRY_VIRTUALENVS_(?:CREATE|IN_PROJECT|PATH)|virtualenvs\.(?:create\s+false|in-project\s+true|path)", venv_settings)
        pipenv_ok = "PIPENV_VENV_IN_PROJECT" in venv_settings or "WORKON_HOME" in venv_settings
        for inst in self.insts:
            if inst.cmd != "RUN":
                continue
            for c in self.commands(inst)[0]:
                name, sub = _base(c.name), _sub(c)
                if name == "poetry" and sub == "install" and not poetry_ok:
                    raise _Decline("`poetry install` made its virtualenv in root's home (~/.cache/pypoetry), which the new user cannot read", inst)
                if name == "pipenv" and sub in ("install", "sync") and not c.has_flag("--system") and not pipenv_ok:
                    raise _Decline("`pipenv install` made its virtualenv in root's home, which the new user cannot read", inst)

    # -- who -----------------------------------------------------------------------------------

    def earlier_user(self) -> str | None:
        """The last non-root user a USER line of the chain switched to (and away from)."""
        found = None
        for inst in self.insts:
            if inst.cmd == "USER" and inst.value and not bi.is_root_user(inst.value[0]) and "$" not in inst.value[0]:
                found = inst.value[0]
        return found

    def created_user(self) -> tuple[User, _Step] | None:
        """The last user a RUN step of the chain creates (`$VAR`s expanded from ENV/ARG)."""
        found = None
        for s in self.all_steps:
            if s.inst.cmd != "RUN":
                continue
            for c in self.commands(s.inst)[0]:
                if _base(c.name) not in ("useradd", "adduser"):
                    continue
                literal = _literal(c, s.env)
                u = _user_created_by(literal) if literal is not None else None
                if u is None:
                    if literal is None or any(w.value and "$" in w.value for w in c.args):
                        raise _Decline("a RUN step creates a user whose name or ids it cannot resolve", s.inst)
                    continue
                found = (u, s)
        return found

    def shadow_install(self) -> _Step | None:
        found = None
        for s in self.all_steps:
            if s.inst.cmd == "RUN":
                for c in self.commands(s.inst)[0]:
                    if _base(c.name) in ("dnf", "yum", "microdnf", "tdnf") and any(w.value in ("shadow-utils", "shadow") for w in c.args):
                        found = s
        return found

    def plan(self) -> _Plan:
        fam, shell = self.family, self.family.has_shell
        earlier = self.earlier_user()
        if earlier is not None:
            return _Plan(earlier, earlier, earlier if shell else None, (), f"`{earlier}`, the user an earlier USER line switched to")
        created = self.created_user()
        if created is not None:
            u = created[0]
            own = f"{u.name}:{u.group or u.gid}" if (u.group or u.gid is not None) else u.name
            line = f"{u.uid}:{u.gid}" if u.uid is not None and u.gid is not None else u.name
            return _Plan(line, own, own if shell else None, (), f"`{u.name}`, the user a RUN step creates")
        if fam is Family.SCRATCH:
            ids = f"{SCRATCH_ID}:{SCRATCH_ID}"
            return _Plan(ids, ids, None, (), f"uid/gid {SCRATCH_ID} (scratch has no /etc/passwd, so no name)")
        existing = bi.existing_user(self.ref)
        if existing is not None and existing.numeric is not None:
            own = existing.numeric if fam is Family.DISTROLESS else f"{existing.name}:{existing.group_name}"
            return _Plan(existing.numeric, own, own if shell else None, (),
                         f"`{existing.name}` (uid {existing.uid}), which `{self.ref.familiar}` already has")
        if fam is Family.DISTROLESS:
            ids = f"{SCRATCH_ID}:{SCRATCH_ID}"
            return _Plan(ids, ids, None, (), f"uid/gid {SCRATCH_ID}, distroless' nonroot")
        tools = fam.user_tools
        if tools is None and bi.needs_user_tools(fam):
            if self.shadow_install() is None:
                raise _Decline(
                    f"`{self.ref.familiar}` ships without shadow-utils (no useradd): install it in a RUN "
                    "step, or set a numeric USER yourself")
            tools = "shadow"
        if tools == "shadow":
            create = (
                f"groupadd --system --gid {APP_UID} {APP_USER}",
                f"useradd --system --uid {APP_UID} --gid {APP_USER} --no-log-init --create-home {APP_USER}",
            )
        elif tools == "busybox":
            create = (f"addgroup -S -g {APP_UID} {APP_USER}", f"adduser -S -u {APP_UID} -G {APP_USER} {APP_USER}")
        else:
            raise _Decline(f"no known way to create a user in a {fam.value} image")
        own = f"{APP_USER}:{APP_USER}"
        return _Plan(f"{APP_UID}:{APP_UID}", own, own, create,
                     f"`{APP_USER}` (uid/gid {APP_UID}), created with the {fam.value} family's tools")

    # -- where ---------------------------------------------------------------------------------

    def user_safe_run(self, step: _Step) -> bool:
        """A RUN that works as the new user: node package installs and builds in the app
        folder (which the user then owns), without mounts, heredocs or opaque shell."""
        inst = step.inst
        if inst.cmd != "RUN" or inst.flags or inst.heredocs or inst.is_json or not self.dedicated:
            return False
        if not _inside(step.cwd, self.app_dir):
            return False
        cmds, opaque = self.commands(inst)
        if opaque or not cmds:
            return False
        node = False
        for c in cmds:
            name = _base(c.name)
            if name in ("cd", "echo", "true"):
                continue
            if name not in NODE_TOOLS or _node_global(c) or c.wrappers or c.redirects or c.assignments:
                return False
            vals = [w.value for w in c.args]
            if any(v is None for v in vals):
                return False
            first = next((v for v in vals if not v.startswith("-")), None)
            if first is not None and first not in NODE_USER_SUBCOMMANDS:
                return False
            if first is None and name != "yarn":
                return False
            node = True
        return node

    def last_root_run(self) -> int:
        """Index (in the final stage) of the last RUN that must stay root; -1 when none."""
        last = -1
        for s in self.steps:
            if s.inst.cmd == "RUN" and not self.user_safe_run(s):
                last = s.index
        return last

    def data_dirs(self, before: int) -> tuple[list[str], int]:
        """Folders RUN steps (running as root, before final-stage index `before`) create for the
        app to write in: `mkdir`/`touch` targets inside the app folder, and outside it any that
        are not system or package locations (`/data`, `/var/log/app`); and the final-stage index
        of the last RUN making one (0: all come from the stages below)."""
        found: dict[str, int] = {}
        for s in self.all_steps:
            if s.inst.cmd != "RUN" or (s.final and s.index >= before) or not bi.is_root_user(s.user):
                continue
            for c in self.commands(s.inst)[0]:
                name = _base(c.name)
                if name not in ("mkdir", "touch"):
                    continue
                for w in c.args_without_flags(MKDIR_VALUE_FLAGS):
                    p = _resolve(w.value, s.cwd, s.env)
                    if p is None:
                        if w.value is None or "$" in (w.value or ""):
                            raise _Decline(f"a RUN step creates `{w.text}`, a path it cannot resolve, where the app may write", s.inst)
                        continue
                    paths = [p]
                    if name == "mkdir" and c.has_flag("-p", "--parents"):
                        parent = posixpath.dirname(p)
                        while parent not in ("/", "") and parent not in SYSTEM_DIRS:
                            paths.append(parent)
                            parent = posixpath.dirname(parent)
                    for q in paths:
                        if self.dedicated and _inside(q, self.app_dir):
                            if q == self.app_dir:
                                continue
                        elif q in SYSTEM_DIRS or NOT_APP_DATA.match(q) or (self.app_dir and _inside(self.app_dir, q)):
                            continue
                        found[q] = s.index if s.final else 0
        removed = self._paths_touched_by(("rm", "rmdir", "mv"))
        chowned = self._paths_touched_by(("chown",), recursive_only=True)
        keep = sorted(
            (p for p in found if p not in removed and not any(_inside(p, c) for c in chowned)),
            key=lambda p: (p.count("/"), p),
        )
        return keep, max((found[p] for p in keep), default=0)

    def _paths_touched_by(self, names: tuple[str, ...], recursive_only: bool = False) -> set[str]:
        """Paths RUN steps of the chain pass to `names` (`rm`, `chown -R`...)."""
        out: set[str] = set()
        for s in self.all_steps:
            if s.inst.cmd != "RUN":
                continue
            for c in self.commands(s.inst)[0]:
                if _base(c.name) not in names:
                    continue
                if recursive_only and not c.has_flag("-R", "--recursive"):
                    continue
                args = c.args_without_flags(("--from", "--reference"))
                if _base(c.name) == "chown":
                    args = args[1:]  # the owner
                for w in args:
                    p = _resolve(w.value, s.cwd, s.env)
                    if p:
                        out.add(p)
        return out

    def check_volumes(self, owned: list[str]) -> None:
        for s in self.all_steps:
            if s.inst.cmd != "VOLUME":
                continue
            for v in s.inst.value:
                p = _resolve(v, s.cwd, s.env)
                if p is None or not ((self.dedicated and _inside(p, self.app_dir)) or any(_inside(p, o) for o in owned)):
                    raise _Decline(f"VOLUME {v}: the new user may not be able to write it", s.inst)

    def apply(self, codemod: Codemod, plan: _Plan) -> Dockerfile:
        df, ctx, insts = self.df, self.ctx, self.final.instructions
        steps = self.steps
        last_root = self.last_root_run()
        n = len(insts)

        # the user exists after this index of the final stage (a RUN creating it, or one
        # installing shadow-utils): nothing that needs it may come earlier
        exists_after = 0
        created = self.created_user()
        if created is not None and not plan.create and created[1].final:
            exists_after = created[1].index
        shadow = self.shadow_install()
        if plan.create and shadow is not None and shadow.final:
            exists_after = max(exists_after, shadow.index)

        # USER: before the first RUN after the last root RUN (user-safe node installs), else
        # before the first CMD/ENTRYPOINT after the last RUN, else at the end
        user_at = n
        later = [s.index for s in steps if s.inst.cmd == "RUN" and s.index > last_root]
        if later:
            user_at = later[0]
        else:
            last_run = max((s.index for s in steps if s.inst.cmd == "RUN"), default=0)
            user_at = next((s.index for s in steps if s.index > last_run and s.inst.cmd in ("CMD", "ENTRYPOINT")), n)
        user_at = max(user_at, exists_after + 1)

        # an explicit `USER root` after the last RUN is rewritten in place
        root_line = None
        users = [s for s in steps if s.inst.cmd == "USER" and s.inst.value]
        last_run_any = max((s.index for s in steps if s.inst.cmd == "RUN"), default=-1)
        if users and bi.is_root_user(users[-1].inst.value[0]) and users[-1].index > max(last_run_any, exists_after):
            root_line = users[-1]
            user_at = root_line.index

        def root_at(i: int) -> bool:
            """Whether a RUN inserted before final-stage instruction `i` runs as root."""
            return bi.is_root_user(steps[i].user if i < n else self.end.user)

        # COPY/ADD into the app folder
        chowns: list[Instruction] = []
        if plan.chown and self.dedicated:
            for s in steps:
                inst = s.inst
                if inst.cmd not in ("COPY", "ADD") or s.index <= exists_after or len(inst.value) < 2:
                    continue
                if inst.flag_value("chown") is not None or ignored_codemods(inst) is not None:
                    continue
                if _inside(_resolve(inst.value[-1], s.cwd, s.env), self.app_dir):
                    chowns.append(inst)

        # the RUN creating the user and giving it the app folder: before the WORKDIR that makes
        # the folder, the first COPY given to the user and the USER line, whichever is first
        prep: list[str] = list(plan.create)
        chowned = self._paths_touched_by(("chown",), recursive_only=True)
        if plan.owner and self.dedicated and not self._owned_home(plan) and not any(_inside(self.app_dir, c) for c in chowned):
            q = shlex.quote(self.app_dir)
            prep.append(f"mkdir -p {q} && chown {plan.owner} {q}")
        prep_at = user_at
        if prep:
            spots = [user_at]
            spots += [s.index for s in steps if s.inst.cmd == "WORKDIR" and s.inst.value
                      and _resolve(s.inst.value[0], s.cwd, s.env) == self.app_dir][:1]
            spots += [s.index for s in steps if chowns and s.inst is chowns[0]]
            prep_at = max(min(spots), exists_after + 1)
            if not root_at(prep_at):
                if plan.create:
                    raise _Decline("no place where root could create the user before it is needed")
                prep = []  # a WORKDIR made under a non-root USER is already that user's

        # folders RUN steps made as root for the app to write in: given to the user right after
        # the last RUN that makes one (before any VOLUME over them)
        data, made_at = self.data_dirs(user_at) if plan.owner else ([], 0)
        self.check_volumes(data)
        late = f"chown {plan.owner} " + " ".join(shlex.quote(d) for d in data) if data else None
        late_at = max(made_at + 1, (prep_at if prep else 0), exists_after + 1)
        if root_line is not None and root_line.index in ((prep_at,) if prep else ()) + ((late_at,) if late else ()):
            if not root_at(root_line.index):
                # the new RUNs go after `USER root` (the user before it is not root), and the
                # new USER after them
                prep_at = root_line.index + 1 if prep and prep_at == root_line.index else prep_at
                late_at = root_line.index + 1 if late and late_at == root_line.index else late_at
                user_at = root_line.index + 1
                root_line = None
        if late and not root_at(late_at):
            late = None
        if late and prep and late_at == prep_at:
            prep.append(late)
            late = None

        # -- edits (anchors are original instructions; None: the end of the file) --
        def at(i: int) -> Instruction | None:
            return insts[i] if i < n else None

        kw_run, kw_user = keyword_case(df, "RUN"), keyword_case(df, "USER")
        out = df
        if prep:
            what = f"create {plan.desc}" if plan.create else f"give the app folder {self.app_dir} to {plan.owner}"
            out = self._insert(out, self._run_text(kw_run, prep), at(prep_at), codemod, what)
        for inst in chowns:
            out = replace_instruction(out, inst, with_flag(inst, f"--chown={plan.chown}"))
            ctx.edit(codemod, inst, f"copy into {self.app_dir} as {plan.chown}")
        if late:
            out = self._insert(out, self._run_text(kw_run, [late]), at(late_at), codemod,
                               f"give {', '.join(data)} (created by RUN steps as root) to {plan.owner}")
        summary = f"run as {plan.desc}: USER {plan.user_line}"
        if root_line is not None:
            out = replace_instruction(out, root_line.inst, with_body(root_line.inst, plan.user_line))
            ctx.edit(codemod, root_line.inst, summary)
        else:
            out = self._insert(out, f"{kw_user} {plan.user_line}", at(user_at), codemod, summary)
        return out

    def _owned_home(self, plan: _Plan) -> bool:
        """The app folder is the user's home, which it owns already."""
        if plan.create:
            return self.app_dir == f"/home/{APP_USER}"
        existing = bi.existing_user(self.ref)
        return existing is not None and plan.user_line == existing.numeric and self.app_dir == f"/home/{existing.name}"

    # -- text in the file's style --------------------------------------------------------------

    def _run_text(self, kw: str, parts: list[str]) -> str:
        if len(parts) == 1:
            return f"{kw} {parts[0]}"
        indent, leading = self._continuation_style()
        if leading:
            return f"{kw} " + f" \\\n{indent}&& ".join(parts)
        return f"{kw} " + f" && \\\n{indent}".join(parts)

    def _continuation_style(self) -> tuple[str, bool]:
        """How the file's RUNs chain commands over lines: the continuation indent, and whether
        lines start with `&&` (rather than end with it). Default: 4 blanks, leading `&&`."""
        indent = None
        leading = trailing = 0
        for inst in self.df.instructions:
            if inst.cmd != "RUN":
                continue
            ind = continuation_indent(inst)
            if ind is None:
                continue
            pieces = inst.pieces
            for k, p in enumerate(pieces):
                if not isinstance(p, Continuation):
                    continue
                before = pieces[k - 1].text.rstrip() if k and isinstance(pieces[k - 1], Piece) else ""
                after = pieces[k + 1].text.lstrip(" \t") if k + 1 < len(pieces) and isinstance(pieces[k + 1], Piece) else ""
                if after.startswith(("&&", "||")):
                    leading += 1
                    indent = indent if indent is not None else ind
                elif before.endswith(("&&", "||", ";")):
                    trailing += 1
                    indent = indent if indent is not None else ind
        if indent is None:
            for inst in self.df.instructions:
                if inst.cmd == "RUN" and continuation_indent(inst):
                    indent = continuation_indent(inst)
                    break
        return indent or "    ", leading >= trailing

    def _insert(self, df: Dockerfile, text: str, anchor: Instruction | None, codemod: Codemod, summary: str) -> Dockerfile:
        ctx = self.ctx
        inst = new_instruction(text, df)
        if anchor is not None:
            out = insert_before(df, anchor, [inst])
            line_of = anchor
            touched: tuple[Instruction, ...] = ()
        else:
            last = df.instructions[-1]
            touched = ()
            if not last.code.endswith(("\n", "\r")):
                # the file ends without a line break: keep it so, after the new line
                fixed = _with_final_newline(last, df.newline)
                df = replace_instruction(df, last, fixed)
                touched = (last,)
                inst = inst.with_changes(newline="")
                last = fixed
            out = insert_after(df, last, [inst])
            line_of = last
        ctx.edit(codemod, None, summary, touched=touched)
        if line_of.start is not None:
            ctx.edits[-1] = dataclasses.replace(ctx.edits[-1], line=line_of.start.line)
        return out


def _with_final_newline(inst: Instruction, nl: str) -> Instruction:
    if inst.heredocs:
        last = inst.heredocs[-1]
        body: HeredocBody = last.with_changes(newline=nl)
        return inst.with_changes(heredocs=inst.heredocs[:-1] + (body,))
    return inst.with_changes(newline=nl)


CODEMOD = NonRoot()

"""nginx: reading a config (directives with their blocks and lines: listen, root, include, pid,
user, log and temp paths), the official image's layout (nginx.conf including conf.d/*.conf,
default.conf serving /usr/share/nginx/html on port 80, user nginx 101:101), and the recipe that
makes it run unprivileged the way nginxinc/nginx-unprivileged does: `user` dropped, the pid file
and temp paths in /tmp, /var/cache/nginx the nginx user's, ports below 1024 moved (80 -> 8080,
443 -> 8443) by a `sed` whose effect is computed here on the known text first (`unprivileged`),
so a rewrite that would leave a privileged port, or one it cannot prove, is refused.

    conf = parse(text)                 # [Directive("listen", ["80"], line=2, blocks=("server",)), ...]
    listens(conf)                      # [(80, Directive)]
    plan = unprivileged({"/etc/nginx/nginx.conf": main, "/etc/nginx/conf.d/site.conf": site})
    plan.commands                      # the shell commands of the RUN, or plan.problem
"""
from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache

from refactor.knowledge.baseimages import ImageRef, parse_image, valid_reference

MAIN_CONF = "/etc/nginx/nginx.conf"
CONF_DIR = "/etc/nginx/conf.d"
DEFAULT_CONF = "/etc/nginx/conf.d/default.conf"
HTML_ROOT = "/usr/share/nginx/html"
TEMPLATES_DIR = "/etc/nginx/templates"  # the official entrypoint renders these into conf.d at start
ENTRYPOINT_DIR = "/docker-entrypoint.d"
# the official images' nginx account (Debian and Alpine variants alike)
USER, UID, GID = "nginx", 101, 101
# the official entrypoint, and the command it runs
DEFAULT_CMD = ["nginx", "-g", "daemon off;"]
ENTRYPOINTS = ("/docker-entrypoint.sh",)

# The official image's own config files (nginx 1.25, Debian and Alpine variants).
OFFICIAL_FILES = {
    MAIN_CONF: """user  nginx;
worker_processes  auto;

error_log  /var/log/nginx/error.log notice;
pid        /var/run/nginx.pid;


events {
    worker_connections  1024;
}


http {
    include       /etc/nginx/mime.types;
    default_type  application/octet-stream;

    log_format  main  '$remote_addr - $remote_user [$time_local] "$request" '
                      '$status $body_bytes_sent "$http_referer" '
                      '"$http_user_agent" "$http_x_forwarded_for"';

    access_log  /var/log/nginx/access.log  main;

    sendfile        on;
    keepalive_timeout  65;

    include /etc/nginx/conf.d/*.conf;
}
""",
    DEFAULT_CONF: """server {
    listen       80;
    server_name  localhost;

    location / {
        root   /usr/share/nginx/html;
        index  index.html index.htm;
    }

    error_page   500 502 503 504  /50x.html;
    location = /50x.html {
        root   /usr/share/nginx/html;
    }
}
""",
}
# Files the official image has that hold no server (included by name from nginx.conf).
OFFICIAL_OTHER = ("/etc/nginx/mime.types", "/etc/nginx/fastcgi_params", "/etc/nginx/scgi_params",
                  "/etc/nginx/uwsgi_params", "/etc/nginx/koi-utf", "/etc/nginx/koi-win", "/etc/nginx/win-utf")

# Privileged ports the unprivileged server moves, as nginx-unprivileged does.
PORT_MAP = {80: 8080, 443: 8443}
PID_PATH = "/tmp/nginx.pid"
TEMP_PATHS = (("client_body_temp_path", "/tmp/client_temp"), ("proxy_temp_path", "/tmp/proxy_temp"),
              ("fastcgi_temp_path", "/tmp/fastcgi_temp"), ("uwsgi_temp_path", "/tmp/uwsgi_temp"),
              ("scgi_temp_path", "/tmp/scgi_temp"))
CACHE_DIR = "/var/cache/nginx"
# Where a non-root nginx may write: its logs are symbolic links to the container's output.
_WRITABLE = ("/tmp/", CACHE_DIR + "/", "/dev/stdout", "/dev/stderr", "/var/log/nginx/access.log",
             "/var/log/nginx/error.log", "/proc/self/fd/")
_WRITING = {"access_log", "error_log", "pid", "client_body_temp_path", "proxy_temp_path", "fastcgi_temp_path",
            "uwsgi_temp_path", "scgi_temp_path", "proxy_cache_path", "fastcgi_cache_path", "uwsgi_cache_path",
            "scgi_cache_path", "lock_file"}


@dataclass
class Directive:
    """One directive of an nginx config."""
    name: str
    args: list[str]
    line: int  # 1-based line of the directive's name
    blocks: tuple[str, ...]  # the enclosing block names, outermost first
    block: bool = False  # opens a block (`server {`)


@lru_cache(maxsize=64)
def _directives(text: str) -> tuple[Directive, ...]:
    # `unprivileged` reads each config text three or four times (includes, temp paths, listen
    # lines, writers): parsed once. Only read here, never changed: the Directives are shared.
    return tuple(parse(text))


def parse(text: str) -> list[Directive]:
    """The directives of an nginx config, in order; comments dropped, quotes removed."""
    out: list[Directive] = []
    stack: list[str] = []
    words: list[str] = []
    line = 1
    first_line = 1
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c.isspace():
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "{;}":
            if c == "}":
                if stack:
                    stack.pop()
            elif words:
                out.append(Directive(words[0], words[1:], first_line, tuple(stack), c == "{"))
                if c == "{":
                    stack.append(words[0])
            words = []
            i += 1
        else:
            if not words:
                first_line = line
            buf = []
            while i < n and not text[i].isspace() and text[i] not in "{;}#" or (i < n and text[i] in "\"'" and not buf):
                q = text[i]
                if q in "\"'":
                    j = i + 1
                    while j < n and text[j] != q:
                        if text[j] == "\\":
                            j += 1
                        if j < n and text[j] == "\n":
                            line += 1
                        j += 1
                    buf.append(text[i + 1:j])
                    i = j + 1
                else:
                    buf.append(q)
                    i += 1
            words.append("".join(buf))
    return out


def _port(arg: str) -> int | None:
    """The port of a `listen` address (`80`, `[::]:80`, `127.0.0.1:8080`, `*:80`; 80 when only
    an address is given); None for a unix socket."""
    if arg.startswith("unix:"):
        return None
    m = re.search(r"(?:^|:)(\d+)$", arg)
    if m:
        return int(m.group(1))
    return 80


def listens(conf: list[Directive]) -> list[tuple[int, Directive]]:
    return [(p, d) for d in conf if d.name == "listen" and d.args for p in [_port(d.args[0])] if p is not None]


def servers_without_listen(conf: list[Directive]) -> int:
    """http server blocks with no listen directive (nginx binds them to port 80 as root); a file
    read alone (a conf.d file) counts its top-level server blocks as http ones."""
    count = 0
    for k, d in enumerate(conf):
        if d.block and d.name == "server" and not {"stream", "mail"} & set(d.blocks):
            inside = d.blocks + ("server",)
            body = []
            for x in conf[k + 1:]:
                if x.blocks[:len(inside)] != inside:
                    break
                body.append(x)
            if not any(x.name == "listen" and x.blocks == inside for x in body):
                count += 1
    return count


def roots(conf: list[Directive]) -> list[str]:
    """The folders `root` and `alias` serve."""
    return [d.args[0] for d in conf if d.name in ("root", "alias") and d.args]


def includes(conf: list[Directive]) -> list[str]:
    """The include patterns, absolute (relative ones are relative to /etc/nginx)."""
    return [a if a.startswith("/") else posixpath.join("/etc/nginx", a) for d in conf if d.name == "include" for a in d.args[:1]]


def loaded_files(files: dict[str, str | None], main: str = MAIN_CONF) -> tuple[list[str], str | None]:
    """The config files nginx reads, following includes from `main` through `files` (image path ->
    text, None when the text is unknown); (paths, problem)."""
    order: list[str] = []
    todo = [main]
    while todo:
        path = todo.pop(0)
        if path in order:
            continue
        order.append(path)
        text = files.get(path)
        if text is None:
            if path in files:
                return order, f"{path} comes from another stage or image: I cannot read what it configures"
            continue
        for pat in includes(_directives(text)):
            hits = sorted(p for p in files if fnmatch.fnmatchcase(p, pat))
            if not hits and not any(ch in pat for ch in "*?[") and pat not in OFFICIAL_OTHER:
                return order, f"{path} includes {pat}, which the image does not have"
            todo.extend(h for h in hits if h not in OFFICIAL_OTHER)
    return order, None


# ---- making the server unprivileged -------------------------------------------------------------

_LISTEN_SED = r"s/^([[:space:]]*listen[[:space:]]+([^;[:space:]]*:)?){old}([[:space:];])/\1{new}\3/"
_LISTEN_RX = r"(?m)^([ \t]*listen[ \t]+([^;\s]*:)?){old}([ \t;])"


@dataclass
class Unprivileged:
    """The commands and port moves that let nginx run as a user, or why not."""
    commands: list[str] = field(default_factory=list)  # shell commands for one RUN
    ports: dict[int, int] = field(default_factory=dict)  # old -> new
    rewritten: list[str] = field(default_factory=list)  # config files whose listen lines move
    problem: str | None = None


def unprivileged(files: dict[str, str | None], main: str = MAIN_CONF, *, chown_cache: bool = True) -> Unprivileged:
    """The RUN commands that make the configured server run as the nginx user: `files` maps
    the image's config paths to their text (None: unknown). The edits are computed on the text
    first; a privileged port left over, a write nginx could not do, or an edit that cannot be
    placed gives `problem` instead."""
    out = Unprivileged()
    loaded, problem = loaded_files(files, main)
    if problem:
        out.problem = problem
        return out
    main_text = files.get(main)
    if main_text is None:
        out.problem = f"{main} is not known"
        return out
    main_conf = _directives(main_text)
    if any(d.name.endswith("_temp_path") for p in loaded for d in _directives(files.get(p) or "")):
        out.problem = "the config sets its own temp paths: I would not know which to move"
        return out
    if not any(d.name == "http" and d.block and not d.blocks for d in main_conf):
        out.problem = f"{main} has no http block"
        return out
    # the main config: no `user`, pid and temp files in /tmp
    sed = ["-e '/^[[:space:]]*user[[:space:]]/d'"]
    new_main = re.sub(r"(?m)^[ \t]*user[ \t].*\n?", "", main_text)
    if any(d.name == "pid" for d in main_conf):
        sed.append(r"-e 's,^([[:space:]]*pid[[:space:]]+)[^;]*;,\1" + PID_PATH + ";,'")
        new_main = re.sub(r"(?m)^([ \t]*pid[ \t]+)[^;]*;", r"\g<1>" + PID_PATH + ";", new_main)
    else:
        sed.append(f"-e '1i pid {PID_PATH};'")
        new_main = f"pid {PID_PATH};\n" + new_main
    temp = "\\n".join(f"    {k} {v};" for k, v in TEMP_PATHS)
    sed.append("-e '/^[[:space:]]*http[[:space:]]*\\{/a\\" + temp + "'")
    new_main, hits = re.subn(r"(?m)^([ \t]*http[ \t]*\{.*\n)", lambda m: m.group(1) + "".join(f"    {k} {v};\n" for k, v in TEMP_PATHS), new_main, count=1)
    check = _directives(new_main)
    if not hits or [d.args for d in check if d.name == "pid"] != [[PID_PATH]] or any(d.name == "user" for d in check):
        out.problem = f"{main}: its user, pid or http lines are not where a line edit can change them"
        return out
    commands = ["sed -i -E " + " \\\n        ".join(sed) + " \\\n        " + main]
    texts = dict(files)
    texts[main] = new_main
    # the listen ports
    for path in loaded:
        text = texts.get(path) or ""
        conf = _directives(text)
        if servers_without_listen(conf):
            out.problem = f"{path} has a server without a listen line: nginx binds it to port 80"
            return out
        low = sorted({p for p, _ in listens(conf) if p < 1024})
        if not low:
            continue
        for p in low:
            if p not in PORT_MAP:
                out.problem = f"{path} listens on port {p}, below 1024, which I do not know where to move"
                return out
        exprs = []
        for p in low:
            exprs.append("-e '" + _LISTEN_SED.format(old=p, new=PORT_MAP[p]) + "'")
            text = re.sub(_LISTEN_RX.format(old=p), r"\g<1>" + str(PORT_MAP[p]) + r"\g<3>", text)
            out.ports[p] = PORT_MAP[p]
        left = [p for p, _ in listens(_directives(text)) if p < 1024]
        if left:
            out.problem = f"{path} listens on port {left[0]} in a line a line edit cannot change"
            return out
        texts[path] = text
        commands.append("sed -i -E " + " ".join(exprs) + " " + path)
        out.rewritten.append(path)
    # where the server writes
    for path in loaded:
        for d in _directives(texts.get(path) or ""):
            if d.name in _WRITING and d.args and d.name != "pid":
                target = d.args[0]
                if target in ("off", "stderr") or target.startswith(("syslog:", "memory:")):
                    continue
                if not target.startswith(_WRITABLE) and target not in _WRITABLE:
                    out.problem = f"{path}: `{d.name} {target}` writes where the nginx user cannot"
                    return out
    if chown_cache:
        commands.append(f"chown -R {USER}:{USER} {CACHE_DIR}")
    out.commands = commands
    return out


def exposed_after(ports: list[str], moved: dict[int, int]) -> list[str]:
    """EXPOSE words with the moved ports changed (`80` -> `8080`, `80/tcp` -> `8080/tcp`)."""
    out = []
    for w in ports:
        num, slash, proto = w.partition("/")
        if num.isdigit() and int(num) in moved:
            w = f"{moved[int(num)]}{slash}{proto}"
        out.append(w)
    return out


# ---- images ---------------------------------------------------------------------------------------

def is_official(ref: str | ImageRef) -> bool:
    """The official nginx image (any tag but the unprivileged ones, which need nothing)."""
    r = parse_image(ref) if isinstance(ref, str) else ref
    return valid_reference(r) and not r.has_variables and r.familiar.lower() == "nginx"


def runner_image(alpine: bool) -> str:
    """The official image that serves a site a node image's distro nginx served: same libc."""
    return "nginx:stable-alpine" if alpine else "nginx:stable"


# Distro packages that are nginx itself (no extra modules the official image lacks).
DISTRO_PACKAGES = frozenset({"nginx", "nginx-light", "nginx-core"})

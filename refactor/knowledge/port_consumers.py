"""What outside an image points at a port of its container: before a codemod moves a server's
port (nginx 80 -> 8080 when it runs unprivileged), the repository the Dockerfile lives in is
searched for what would stop reaching it:

- compose files (docker-compose*.y*ml, compose*.y*ml, *.compose.y*ml, swarm *stack*.y*ml): a
  service built from this Dockerfile (`build: dir` or `context` + `dockerfile`; with `target:`
  only when it names the final stage) whose `ports` container side, `expose`, healthcheck or
  labels (traefik's `server.port=80`) name the port, or with VIRTUAL_HOST and no VIRTUAL_PORT
  (nginx-proxy picks port 80); a service without `build` running this image (its compose
  image name, or beside the compose file: the same service name, `<project>_<service>`); any
  other service of the same project naming `<service>:80` (or `http://<service>/`, 80 implied);
- kamal's config/deploy*.yml for this Dockerfile: kamal-proxy forwards to port 80 unless
  `proxy: app_port:` says otherwise;
- Kubernetes manifests and Helm values: `containerPort`/`targetPort` (Helm values: `port` too)
  with the port, in a document that names no image or an image that may be this one (only the
  stock images of other software, `postgres`, `redis`..., are told apart);
- fly.toml for this Dockerfile with `internal_port` = the port;
- scripts and CI files (*.sh, Makefile, workflows, .gitlab-ci.yml...) that `docker build` this
  Dockerfile and `docker run -p HOST:80` it (or run an image name the repository gives it);
- nginx/Caddy configs under a compose project that runs this image proxying to its service
  (`proxy_pass http://frontend`, `server frontend:80;`).

The repository: the nearest folder up from the Dockerfile holding `.git`; without one, the
highest of the build context and the working folder that holds the Dockerfile. The walk skips
VCS and dependency folders and reads small text files only; past MAX_FILES files, or in a
compose file that cannot be read, the answer is "maybe" (a Consumer saying so): when unsure,
the port counts as used.

    find(Path("frontend/Dockerfile"), [80], context=Path("frontend"))
    # [Consumer("docker-compose.yml", 12, "publishes port 80 of this image (`8080:80`)")]
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from refactor.knowledge.context import repository_reads
from refactor.knowledge.yaml_lines import Node, read
from refactor.syntax.lazy_re import lazy

MAX_FILES = 5000
MAX_BYTES = 256 * 1024
_SKIP_DIRS = frozenset({
    ".git", "node_modules", "vendor", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache",
    ".hypothesis", "site-packages", "bower_components", ".next", ".nuxt", "target", ".gradle", ".terraform",
})
_COMPOSE = lazy(r"^(?:docker-compose.*|compose.*|.*\.compose)\.ya?ml$")
_KAMAL = lazy(r"^deploy(?:\..+)?\.ya?ml$")
_PROXY_CONF = lazy(r"(?:\.conf|\.template|\.tmpl|\.j2)$|^(?:nginx.*|Caddyfile.*|default)$")
# Stock images of other software: a manifest that runs only these does not run this image.
_OTHER_IMAGES = frozenset("""
postgres mysql mariadb mongo redis memcached rabbitmq elasticsearch kibana logstash busybox alpine
debian ubuntu traefik haproxy httpd caddy nginx grafana prometheus consul vault minio adminer
phpmyadmin mailhog zookeeper kafka cassandra influxdb telegraf jaeger otel localstack registry
""".split())


_BUILD_VALUE_FLAGS = frozenset({
    "-f", "--file", "-t", "--tag", "--build-arg", "--target", "--platform", "--label", "--cache-from", "--cache-to",
    "--secret", "--ssh", "--network", "--progress", "--iidfile", "--output", "-o", "--build-context", "--add-host",
    "--builder", "--metadata-file", "--shm-size", "--ulimit", "--allow", "--attest", "--annotation",
})
_SCRIPTS = lazy(r"(?:\.sh|\.bash|\.mk|\.ps1)$|^(?:Makefile|makefile|GNUmakefile|Jenkinsfile|[Jj]ustfile|Taskfile\.ya?ml"
                      r"|\.gitlab-ci\.ya?ml|\.travis\.ya?ml|bitbucket-pipelines\.ya?ml|package\.json|cloudbuild\.ya?ml)$")


def _joined(text: str) -> str:
    """Shell continuation lines joined (the same length is not kept: lines are found by search)."""
    return re.sub(r"\\\r?\n\s*", " ", text)


@dataclass(frozen=True)
class Consumer:
    """Something that points at the container's port: `file` relative to the repository."""

    file: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} {self.what}" if self.line else f"{self.file} {self.what}"


def repository_root(dockerfile: Path, context: Path | None = None) -> Path:
    """The folder searched: the nearest one up from the Dockerfile holding `.git`, else the
    highest of the build context and the working folder that contains the Dockerfile."""
    start = dockerfile.resolve().parent
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    best = start
    for cand in (context, Path.cwd()):
        if cand is None:
            continue
        c = cand.resolve()
        if (c == start or c in start.parents) and len(c.parts) < len(best.parts) and len(c.parts) > 1:
            best = c
    return best


def _files(root: Path) -> tuple[tuple[Path, ...], bool]:
    """The files of the repository the search reads (compose, manifests, scripts, proxy
    configurations), and whether it holds more than MAX_FILES. Within one run of the command the
    listing serves every Dockerfile of the repository: a walk of thousands of files per nginx
    Dockerfile was most of the time its search took."""
    kept = repository_reads()
    if kept is None:
        return _walk(root)
    key = ("port_consumers", root)
    found = kept.get(key)
    if found is None:
        found = kept[key] = _walk(root)
    return found


def _walk(root: Path) -> tuple[tuple[Path, ...], bool]:
    out: list[Path] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        seen += len(filenames)
        if seen > MAX_FILES:
            return tuple(out), True
        for f in sorted(filenames):
            if _COMPOSE.match(f) or f.endswith((".yml", ".yaml", ".toml")) or _PROXY_CONF.search(f) or _SCRIPTS.search(f):
                out.append(Path(dirpath) / f)
    return tuple(out), False


def _text(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_BYTES:
            return None
        return path.read_text("utf-8", errors="replace")
    except OSError:
        return None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _port_re(ports: list[int]) -> str:
    return "(?:" + "|".join(str(p) for p in ports) + ")"


class _Search:
    def __init__(self, dockerfile: Path, ports: list[int], root: Path, final_stage: str | None) -> None:
        self.dockerfile = dockerfile.resolve()
        self.final_stage = final_stage
        self.ports = sorted(set(ports))
        self.root = root
        self.found: list[Consumer] = []
        self.names: set[str] = set()  # hostnames of this image's containers (compose services)
        self.images: set[str] = set()  # image names the repository gives it
        self.built: set[tuple[Path, str]] = set()  # (compose file, service) built from it

    def add(self, path: Path, line: int, what: str) -> None:
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        c = Consumer(rel, line, what)
        if c not in self.found:
            self.found.append(c)

    def old(self, text: str) -> int | None:
        """The old port a `ports`/`expose` entry's container side is, if any."""
        side = text.strip().rsplit(":", 1)[-1].split("/")[0]
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", side)
        if m is None:
            return self.ports[0] if "$" in side else None
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        return next((p for p in self.ports if lo <= p <= hi), None)

    # --- compose ----------------------------------------------------------------------------

    def _builds_this(self, base: Path, build: Node | None) -> bool | None:
        """True when `build` resolves to this Dockerfile, None when it cannot be told."""
        if build is None:
            return False
        if isinstance(build.value, str):
            ctx, df = build.value, "Dockerfile"
        elif isinstance(build.value, dict):
            ctx = (build.get("context").scalar() if build.get("context") else None) or "."
            df = (build.get("dockerfile").scalar() if build.get("dockerfile") else None) or "Dockerfile"
        else:
            return None
        if "$" in ctx + df:
            return None
        if re.match(r"^[a-z][a-z0-9+.-]*://|^git@", ctx):
            return False  # a remote context: not this file
        path = Path(df) if os.path.isabs(df) else base / ctx / df
        if not _same(path, self.dockerfile):
            return False
        stage = build.get("target").scalar() if build.get("target") is not None else None
        if stage and "$" in stage:
            return None
        # `target:` another stage: the service runs that stage, not the final one whose port moves
        return not stage or (self.final_stage is not None and stage.lower() == self.final_stage.lower())

    def compose(self, path: Path, text: str, docs: list[Node]) -> list[tuple[Path, str, Node]]:
        """Record this image's services in one compose file; return every service (for the
        second pass: other services naming them)."""
        services: list[tuple[Path, str, Node]] = []
        for doc in docs:
            svcs = doc.get("services")
            table = svcs.value if svcs is not None and isinstance(svcs.value, dict) else None
            if table is None and isinstance(doc.value, dict) and any(
                    isinstance(v.value, dict) and ("build" in v.value or "image" in v.value) for v in doc.value.values()):
                table = doc.value  # the version 1 layout: services at the top
            for name, svc in (table or {}).items():
                if not isinstance(svc.value, dict):
                    continue
                services.append((path, name, svc))
                ours = self._builds_this(path.parent, svc.get("build"))
                if ours is None:
                    if any(self.old(e.scalar() or "") for e in (svc.get("ports") or Node([], 0)).items()):
                        self.add(path, svc.line, f"service `{name}` is built from a path I cannot resolve and "
                                 "publishes the port")
                    continue
                if not ours:
                    continue
                self.built.add((path, name))
                self.names.add(name)
                for key in ("container_name", "hostname"):
                    if svc.get(key) and svc.get(key).scalar():
                        self.names.add(svc.get(key).scalar())
                if svc.get("image") and svc.get("image").scalar():
                    self.images.add(svc.get("image").scalar().split("@")[0])
                self._own_service(path, name, svc, doc.unsure)
        return services

    def _own_service(self, path: Path, name: str, svc: Node, unsure: bool) -> None:
        before = len(self.found)
        ports = svc.get("ports")
        for entry in (ports.items() if ports else []):
            if isinstance(entry.value, dict):
                t = entry.get("target")
                if t is not None and self.old(t.scalar() or "") is not None:
                    self.add(path, t.line, f"publishes port {self.old(t.scalar() or '')} of this image (`target: {t.scalar()}`)")
            elif entry.scalar() and self.old(entry.scalar()) is not None:
                self.add(path, entry.line, f"publishes port {self.old(entry.scalar())} of this image (`{entry.scalar()}`)")
        expose = svc.get("expose")
        for entry in (expose.items() if expose else []):
            if entry.scalar() and self.old(entry.scalar()) is not None:
                self.add(path, entry.line, f"exposes port {self.old(entry.scalar())} of service `{name}`")
        env = svc.get("environment")
        if env is not None:
            pairs: dict[str, Node] = {}
            if isinstance(env.value, dict):
                pairs = {k: v for k, v in env.value.items()}
            else:
                for n in env.items():
                    k, _, v = (n.scalar() or "").partition("=")
                    pairs[k.strip()] = Node(v, n.line)
            vport = pairs.get("VIRTUAL_PORT")
            if "VIRTUAL_HOST" in pairs and (vport is None or self.old(vport.scalar() or "") is not None) \
                    and 80 in self.ports:
                self.add(path, pairs["VIRTUAL_HOST"].line, f"service `{name}` has VIRTUAL_HOST: nginx-proxy forwards to "
                         "its port 80 (no VIRTUAL_PORT; the nginx image still exposes 80 too)")
        port = _port_re(self.ports)
        for key in ("healthcheck", "labels"):
            node = svc.get(key)
            for n in (node.walk() if node else []):
                s = n.scalar() or ""
                if re.search(rf":{port}\b|port[=:]\s*{port}\b|\bhttps?://(?:localhost|127\.0\.0\.1)(?:[/\"'\s]|$)", s):
                    self.add(path, n.line, f"the `{key}` of service `{name}` reaches its port (`{s.strip()[:60]}`)")
        if (unsure or any(n.unsure for n in svc.walk())) and len(self.found) == before:
            self.add(path, svc.line, f"service `{name}` is in a compose file I cannot fully read (anchors or merge keys)")

    def same_image(self, services: list[tuple[Path, str, Node]]) -> None:
        """Services without `build` that run this image: by an image name the repository gives it,
        by compose's default name (`<project>[-_]<service>`), or under a service name of this
        image's (a swarm stack file beside the compose file)."""
        own = set(self.names)
        for path, name, svc in services:
            if svc.get("build") is not None or self._counted(path, name):
                continue
            image = (svc.get("image").scalar() if svc.get("image") else None) or ""
            base = image.split("@")[0].rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image.split("@")[0]
            last = base.rsplit("/", 1)[-1]
            beside = path.parent in {p.parent for p, _ in self.built}  # another file of the same project
            if not image or not (self._is_ours(image) or beside and (
                    name in own or any(last.endswith(("_" + o, "-" + o)) for o in own))):
                continue
            self._own_service(path, name, svc, False)

    def _counted(self, path: Path, name: str) -> bool:
        return (path, name) in self.built

    def other_services(self, services: list[tuple[Path, str, Node]]) -> None:
        if not self.names:
            return
        rx = self._host_re()
        projects = {p.parent for p, _ in self.built}  # service names resolve inside their project only
        for path, name, svc in services:
            if name in self.names or path.parent not in projects:
                continue
            for n in svc.walk():
                s = n.scalar()
                if s and rx.search(s):
                    self.add(path, n.line, f"service `{name}` reaches this image's port (`{s.strip()[:60]}`)")
                    break

    def _host_re(self) -> re.Pattern[str]:
        hosts = "|".join(re.escape(h) for h in sorted(self.names))
        port = _port_re(self.ports)
        implied = []
        if 80 in self.ports:
            implied.append(rf"http://(?:{hosts})(?=[/\"'\s;]|$)")
        if 443 in self.ports:
            implied.append(rf"https://(?:{hosts})(?=[/\"'\s;]|$)")
        return re.compile("|".join([rf"(?<![\w.-])(?:{hosts}):{port}\b", *implied]), re.M)

    # --- kamal, fly ---------------------------------------------------------------------------

    def kamal(self, path: Path, docs: list[Node]) -> None:
        doc = docs[0] if docs else None
        if doc is None or not isinstance(doc.value, dict) or (
                path.name == "deploy.yml" and not {"service", "image"} & set(doc.value)):
            return  # a deploy.yml of something else than kamal
        app = path.parent.parent
        builder = doc.get("builder")
        ctx = builder.get("context").scalar() if builder and builder.get("context") else "."
        df = builder.get("dockerfile").scalar() if builder and builder.get("dockerfile") else "Dockerfile"
        if not _same(app / (ctx or ".") / (df or "Dockerfile"), self.dockerfile) and not _same(app / (df or "Dockerfile"), self.dockerfile):
            return
        proxy = doc.get("proxy")
        app_port = proxy.get("app_port") if proxy else None
        if app_port is not None:
            if self.old(app_port.scalar() or "") is not None:
                self.add(path, app_port.line, f"kamal-proxy forwards to port {app_port.scalar()} of this image")
        elif path.name == "deploy.yml" and 80 in self.ports:
            line = proxy.line if proxy else 1
            self.add(path, line, "kamal deploys this image and kamal-proxy forwards to its port 80 (no `proxy: app_port:`)")

    def fly(self, path: Path, text: str) -> None:
        m = re.search(r"""^\s*dockerfile\s*=\s*["']([^"']+)["']""", text, re.M)
        df = m.group(1) if m else "Dockerfile"
        if not _same(path.parent / df, self.dockerfile):
            return
        for m in re.finditer(rf"^\s*internal_port\s*=\s*{_port_re(self.ports)}\s*$", text, re.M):
            line = text.count("\n", 0, m.start()) + 1
            self.add(path, line, f"fly.io sends the traffic to `{m.group(0).strip()}` of this image")

    # --- scripts and CI: `docker build` of this Dockerfile, `docker run -p HOST:80` ---------------

    def builds(self, path: Path, text: str) -> bool:
        """The script builds this Dockerfile (its tags become names of this image)."""
        ours = False
        for m in re.finditer(r"\b(?:docker|podman)\s+(?:buildx\s+|image\s+)?build\b([^\n;&|]*)", _joined(text)):
            words = [w.strip("\"'") for w in m.group(1).split()]
            ctx, df, tags, stage = None, None, [], None
            i = 0
            while i < len(words):
                w = words[i]
                key, eq, val = w.partition("=")
                if w.startswith("-") and key in _BUILD_VALUE_FLAGS:
                    if not eq:
                        i += 1
                        val = words[i] if i < len(words) else ""
                    if key in ("-f", "--file"):
                        df = val
                    elif key in ("-t", "--tag"):
                        tags.append(val)
                    elif key == "--target":
                        stage = val
                elif not w.startswith("-") and ctx is None:
                    ctx = w
                i += 1
            if ctx is None or "$" in ctx + (df or "") or ctx == "-":
                continue
            if stage and (self.final_stage is None or stage.lower() != self.final_stage.lower()):
                continue
            for base in (self.root, path.parent):
                target = (base / df) if df else (base / ctx / "Dockerfile")
                if _same(target, self.dockerfile):
                    ours = True
                    self.images.update(t for t in tags if t and "$" not in t)
        return ours

    def runs(self, path: Path, text: str, builds_here: bool) -> None:
        port = _port_re(self.ports)
        joined = _joined(text)
        for m in re.finditer(r"\b(?:docker|podman)\s+(?:container\s+)?run\b([^\n;&|]*)", joined):
            args = m.group(1)
            p = re.search(rf"(?:-p\s*|--publish[=\s]+)[\"']?(?:[\w.$-]*:)*{port}(?:/\w+)?\b", args)
            if p is None:
                continue
            if not builds_here and not any(re.search(rf"(?<![\w/.-]){re.escape(i)}(?![\w.-])", args) for i in self.images):
                continue
            line = text.count("\n", 0, text.find(m.group(0)[:40])) + 1 if m.group(0)[:40] in text else 1
            self.add(path, line, f"runs this image publishing its port (`{p.group(0).strip()}`)")

    # --- Kubernetes, Helm -----------------------------------------------------------------------

    def manifest(self, path: Path, docs: list[Node], in_chart: bool) -> None:
        keys = ("containerPort", "targetPort", "port") if in_chart and path.name.startswith("values") else \
            ("containerPort", "targetPort")
        for doc in docs:
            if not in_chart and doc.get("kind") is None and doc.get("apiVersion") is None:
                continue
            hits = []
            images = []
            for n in doc.walk():
                if not isinstance(n.value, dict):
                    continue
                for k, v in n.value.items():
                    if k in keys and v.scalar() and re.fullmatch(_port_re(self.ports), v.scalar().strip()):
                        hits.append((k, v))
                    if k in ("image", "repository") and v.scalar():
                        images.append(v.scalar())
            if not hits:
                continue
            if images and all(self._other_image(i) for i in images):
                continue
            k, v = hits[0]
            self.add(path, v.line, f"`{k}: {v.scalar()}`"
                     + (" names this image's port" if any(self._is_ours(i) for i in images)
                        else " may be this image's port (I cannot tell which image it runs)"))

    def _is_ours(self, image: str) -> bool:
        return image.split("@")[0] in self.images or image.split("@")[0].split(":")[0] in {
            i.split(":")[0] for i in self.images}

    def _other_image(self, image: str) -> bool:
        if self._is_ours(image) or "{{" in image:
            return False
        ref = image.split("@")[0]
        name = ref.rsplit(":", 1)[0] if ":" in ref.rsplit("/", 1)[-1] else ref
        if name.startswith(("docker.io/library/", "library/")):
            name = name.rsplit("/", 1)[-1]
        return "/" not in name and name in _OTHER_IMAGES

    # --- proxies -----------------------------------------------------------------------------------

    def proxy_config(self, path: Path, text: str) -> None:
        if not self.names or not any(h in text for h in self.names):
            return
        if not any(p.parent in path.parents for p, _ in self.built):
            return  # outside the compose projects that run this image: its names mean other hosts there
        hosts = "|".join(re.escape(h) for h in sorted(self.names))
        port = _port_re(self.ports)
        rx = re.compile(
            rf"^\s*(?:proxy_pass|grpc_pass|uwsgi_pass|fastcgi_pass)\s+https?://(?:{hosts})(?::{port})?(?=[/;\s])"
            rf"|^\s*server\s+(?:{hosts})(?::{port})?(?=[;\s])"
            rf"|^\s*reverse_proxy\s+(?:https?://)?(?:{hosts})(?::{port})?(?=\s|$)", re.M)
        for m in rx.finditer(text):
            frag = m.group(0).strip()
            if ":" not in frag.replace("://", "") and 80 not in self.ports and "https://" not in frag:
                continue
            line = text.count("\n", 0, m.start()) + 1
            self.add(path, line, f"proxies to this image's port (`{frag}`)")


def find(dockerfile: Path, ports: list[int], context: Path | None = None, root: Path | None = None,
         final_stage: str | None = None) -> list[Consumer]:
    """Everything in the Dockerfile's repository that points at one of `ports` of the container
    of its final stage (named `final_stage`, if it has a name)."""
    root = (root or repository_root(dockerfile, context)).resolve()
    s = _Search(dockerfile, ports, root, final_stage)
    files, over = _files(root)
    if over:
        return [Consumer(".", 0, f"is a repository of more than {MAX_FILES} files: not searched through "
                                 "for what uses the port")]
    texts: dict[Path, str] = {}
    services: list[tuple[Path, str, Node]] = []
    for p in files:
        if _COMPOSE.match(p.name) or p.suffix in (".yml", ".yaml") and "stack" in p.name:
            t = _text(p)
            if t is None or not re.search(r"^services:", t, re.M):
                continue
            texts[p] = t
            services += s.compose(p, t, read(t))
    s.same_image(services)
    s.other_services(services)
    scripts = [p for p in files if _SCRIPTS.search(p.name) or ".github" in p.parts or ".circleci" in p.parts]
    building: dict[Path, bool] = {}
    for p in scripts:
        t = _text(p)
        if t and re.search(r"\b(?:docker|podman)\b", t):
            texts[p] = t
            building[p] = s.builds(p, t)
    for p, here in building.items():
        s.runs(p, texts[p], here)
    charts = {p.parent for p in files if p.name == "Chart.yaml"}
    for p in files:
        if p in texts:
            continue
        if p.suffix in (".yml", ".yaml"):
            t = _text(p)
            if t is None:
                continue
            if p.parent.name == "config" and _KAMAL.match(p.name):
                s.kamal(p, read(t))
                continue
            if not re.search(r"containerPort|targetPort|^\s*port:", t, re.M):
                continue
            in_chart = any(c == p.parent or c in p.parents for c in charts)
            s.manifest(p, read(t), in_chart)
        elif p.name == "fly.toml":
            t = _text(p)
            if t:
                s.fly(p, t)
        elif _PROXY_CONF.search(p.name) and s.names:
            t = _text(p)
            if t:
                s.proxy_config(p, t)
    return sorted(s.found, key=lambda c: (c.file, c.line))


def message(c: Consumer, moves: dict[int, int]) -> str:
    """The decline reason for a codemod that would move `moves` (old -> new port)."""
    moved = ", ".join(f"{a} to {b}" for a, b in sorted(moves.items()))
    return f"{c}: moving nginx from {moved} would break it (keep root, or change the mapping and rerun)"



def decline_reason(dockerfile: Path | None, context: Path | None, moves: dict[int, int],
                   final_stage: str | None = None) -> str | None:
    """Why a codemod moving `moves` (old -> new port) must not: the first consumer of an old
    port, or None when nothing in the repository uses them."""
    if not moves:
        return None
    if dockerfile is None:
        return ("the Dockerfile comes without a path: I cannot search its repository for what uses port "
                + ", ".join(str(p) for p in sorted(moves)) + ", which moving nginx would break")
    found = find(dockerfile, list(moves), context, final_stage=final_stage)
    if not found:
        return None
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return message(found[0], moves) + more

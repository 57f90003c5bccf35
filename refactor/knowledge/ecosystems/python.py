"""Python: pip (and `uv pip`), Poetry, uv, PDM, Pipenv and conda. What each install reads
(requirements files and their nested -r/-c, pyproject.toml, lock files) and writes; the
project's manifest files; development servers a start command must not be; the runtime
libraries native wheels need; the python base images."""
from __future__ import annotations

import posixpath
import re

from refactor.knowledge.ecosystems.steps import (
    Options,
    StepReader,
    context_join,
    read_toml,
    subdir,
)
from refactor.syntax.lazy_re import lazy

_PIP_VALUE_FLAGS = (
    "-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "--log", "--proxy", "--retries", "--timeout",
    "--cache-dir", "-t", "--target", "--prefix", "--root", "--src", "--python", "--platform",
    "--python-version", "--implementation", "--abi", "--progress-bar", "--trusted-host",
    "--upgrade-strategy", "--no-binary", "--only-binary", "--exists-action", "--cert",
    "--client-cert", "--global-option", "--config-settings", "-C", "--report", "--root-user-action",
    "--use-feature", "--use-deprecated", "-p", "--extra", "--group",
)


_VCS = lazy(r"^(git|hg|svn|bzr)\+")


def _is_url(x: str) -> bool:
    return "://" in x and not x.startswith("file:")


def _looks_local(spec: str) -> bool:
    """A requirement that names a local path (pip treats anything with a path separator or a
    leading dot, or an archive name, as a path)."""
    spec = spec.strip()
    if spec.startswith("file:"):
        return True
    if _is_url(spec) or _VCS.match(spec):
        return False
    if re.search(r"@\s*file:", spec):
        return True
    head = re.split(r"[\s;]", spec, 1)[0]
    if head.startswith((".", "/", "~")):
        return True
    if "/" in head.split("@")[0]:
        return True
    return bool(re.search(r"\.(whl|zip|tar\.gz|tgz|tar\.bz2|tar)$", head))


def _requirements(s: StepReader, cpath: str, seen: set[str], generated: set[str]) -> None:
    if cpath in seen:
        return
    seen.add(cpath)
    text = s.read(cpath)
    if text is None:
        return
    base = posixpath.dirname(cpath)
    text = re.sub(r"\\\r?\n", "", text)
    for raw in text.splitlines():
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        if "${" in line and re.match(r"^(-r|--requirement|-c|--constraint|-e|--editable|-f|--find-links)", line):
            s.unknown.append(f"{cpath}: `{line}` uses an environment variable in a path")
            continue
        m = re.match(r"^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=-r)|(?<=-c))(\S+)", line)
        if m:
            target = m.group(2)
            if _is_url(target):
                continue
            nested = context_join(base, target)
            if s.ctx.inside(nested) and s._add(nested, required=True, config=False):
                _requirements(s, nested, seen, generated)
            continue
        m = re.match(r"^(-e|--editable)(?:\s*=\s*|\s+)(\S+)", line)
        if m:
            target = m.group(2)
            if _VCS.match(target) or _is_url(target):
                s.outputs.append(s.at("src"))  # pip clones editable VCS requirements into ./src
            else:
                s.local.append(f"-e {target} (in {cpath})")
            continue
        m = re.match(r"^(-f|--find-links)(?:\s*=\s*|\s+)(\S+)", line)
        if m:
            target = m.group(2)
            if not _is_url(target):
                s._add(context_join(base, target.removeprefix("file:").removeprefix("//")), required=True, config=False)
            continue
        if line.startswith("-"):
            continue  # --index-url, --hash, --pre ...: nothing to read
        if _looks_local(line):
            s.local.append(f"{line.split()[0]} (in {cpath})")


def _pip(cmd, args, index, cwd, ctx, resolve, generated, *, tool="pip"):
    o = Options(args, _PIP_VALUE_FLAGS)
    pos = o.positional
    if not pos or pos[0] != "install" and not (tool == "uv-pip" and pos[0] == "sync"):
        return None
    sync = pos[0] == "sync"
    reqs = [v for v in o.values("-r", "--requirement", "-c", "--constraint")]
    if sync:
        reqs += pos[1:]
    specs = [] if sync else pos[1:]
    editables = o.values("-e", "--editable")
    local_specs = [x for x in specs if x is None or _looks_local(x)]
    if not reqs and not editables and not local_specs:
        return None  # `pip install requests==2.31`: reads no project file
    s = StepReader("pip", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    seen: set[str] = set()
    for r in reqs:
        if r is None:
            s.unknown.append(f"`{s.command}`: a requirements path is not a plain word")
            continue
        if _is_url(r):
            continue
        if r in generated:
            continue
        c = s.need(r)
        if s.sent(c):
            _requirements(s, c, seen, generated)
    for e in editables:
        if e is None:
            s.unknown.append("an editable requirement is not a plain word")
        elif _VCS.match(e) or _is_url(e):
            s.outputs.append(s.at(o.value("--src") or "src"))
        else:
            s.local.append(f"-e {e}")
    for x in local_specs:
        s.local.append(x if x is not None else "(a requirement that is not a plain word)")
    for f in o.values("-f", "--find-links"):
        if f is not None and not _is_url(f):
            s.need(f.removeprefix("file:"))
    for opt in ("-t", "--target", "--prefix", "--root"):
        v = o.value(opt)
        if v is not None and not v.startswith("/"):
            s.outputs.append(s.at(v))
    return s.freeze()


def _uv_pip(cmd, args, index, cwd, ctx, resolve, generated):
    return _pip(cmd, args, index, cwd, ctx, resolve, generated, tool="uv-pip")


def _poetry(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("--only", "--with", "--without", "-E", "--extras", "--directory", "-C", "-P", "--project"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "sync", "export"):
        return None
    s = StepReader("poetry", cmd, index, subdir(cwd, o.value("--directory", "-C", "--project", "-P")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    pp = s.need("pyproject.toml")
    s.maybe("poetry.lock")
    s.maybe("poetry.toml", config=True)
    data = read_toml(s, pp) if s.sent(pp) else None
    tool = ((data or {}).get("tool") or {}).get("poetry") or {}
    if pos[0] == "export":
        out = o.value("-o", "--output")
        if out:
            generated.add(out)
            s.outputs.append(s.at(out))
        return s.freeze()
    package_mode = tool.get("package-mode", True)
    if o.has("--only-root"):
        s.needs.append("`poetry install --only-root` installs the project itself")
    elif not o.has("--no-root") and package_mode is not False:
        s.needs.append("`poetry install` without --no-root also installs the project itself, which needs its sources (add --no-root and install the project after the sources are copied)")
    for group in [tool.get("dependencies") or {}, tool.get("dev-dependencies") or {}] + [
        (g or {}).get("dependencies") or {} for g in (tool.get("group") or {}).values() if isinstance(g, dict)
    ]:
        for name, spec in group.items():
            if isinstance(spec, dict) and "path" in spec:
                s.local.append(f"{name} = {{path = {spec['path']!r}}}")
    project = (data or {}).get("project") or {}
    for dep in project.get("dependencies") or []:
        if isinstance(dep, str) and _looks_local(dep.split(" @ ", 1)[-1] if " @ " in dep else dep) and "@" in dep:
            s.local.append(dep)
    s.outputs.append(s.at(".venv"))
    return s.freeze()


def _uv(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("--directory", "--project", "--package", "--extra", "--group", "--only-group", "-p", "--python", "--no-install-package"))
    pos = o.positional
    if not pos or pos[0] != "sync":
        return None
    s = StepReader("uv", cmd, index, subdir(cwd, o.value("--directory", "--project")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    pp = s.need("pyproject.toml")
    has_lock = s.maybe("uv.lock")
    if o.has("--locked", "--frozen") and not has_lock:
        s.lack("uv.lock")
    s.maybe("uv.toml", config=True)
    s.maybe(".python-version", config=True)
    if not o.has("--locked", "--frozen"):
        s.rewrites.append(s.at("uv.lock"))
    data = read_toml(s, pp) if s.sent(pp) else None
    uvt = ((data or {}).get("tool") or {}).get("uv") or {}
    if uvt.get("workspace"):
        s.unknown.append("a uv workspace: the members' pyproject.toml files are read too")
    for name, src in (uvt.get("sources") or {}).items():
        if isinstance(src, dict) and ("path" in src or src.get("workspace")):
            s.local.append(f"{name} (tool.uv.sources)")
    if not o.has("--no-install-project", "--no-install-workspace", "--only-deps"):
        if (data or {}).get("project") is not None and uvt.get("package", True) is not False or (data or {}).get("build-system"):
            s.needs.append("`uv sync` without --no-install-project also installs the project itself, which needs its sources")
    if "dynamic" in ((data or {}).get("project") or {}) and not o.has("--frozen"):
        s.needs.append("the project's metadata is dynamic: uv builds the project to read it")
    s.outputs.append(s.at(".venv"))
    return s.freeze()


def _pdm(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("-G", "--group", "-p", "--project", "-L", "--lockfile"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "sync"):
        return None
    s = StepReader("pdm", cmd, index, subdir(cwd, o.value("-p", "--project")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    s.need("pyproject.toml")
    has_lock = s.maybe(o.value("-L", "--lockfile") or "pdm.lock")
    s.maybe("pdm.toml", config=True)
    s.maybe(".pdm-python", config=True)
    if pos[0] == "install" and has_lock and not o.has("--frozen-lockfile", "--frozen", "--check"):
        s.rewrites.append(s.at("pdm.lock"))
    if not o.has("--no-self"):
        s.needs.append(f"`pdm {pos[0]}` without --no-self also installs the project itself, which needs its sources")
    s.outputs.append(s.at(".venv"))
    s.outputs.append(s.at("__pypackages__"))
    return s.freeze()


def _pipenv(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("--python", "-r", "--requirements", "--categories"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "sync") or pos[1:]:
        return None
    s = StepReader("pipenv", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    pf = s.need("Pipfile")
    has_lock = s.maybe("Pipfile.lock")
    if (o.has("--deploy", "--ignore-pipfile") or pos[0] == "sync") and not has_lock:
        s.lack("Pipfile.lock")
    if pos[0] == "install" and not o.has("--deploy", "--ignore-pipfile"):
        s.rewrites.append(s.at("Pipfile.lock"))
    data = read_toml(s, pf) if s.sent(pf) else None
    for sect in ("packages", "dev-packages"):
        for name, spec in ((data or {}).get(sect) or {}).items():
            if isinstance(spec, dict) and ("path" in spec or "file" in spec and not _is_url(str(spec["file"]))):
                s.local.append(f"{name} ({sect})")
    s.outputs.append(s.at(".venv"))
    return s.freeze()


def _conda(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("-f", "--file", "-n", "--name", "-p", "--prefix"))
    pos = o.positional
    files = o.values("-f", "--file")
    if pos[:2] in (["env", "create"], ["env", "update"]) and not files and len(pos) == 2:
        files = ["environment.yml"]
    if not files or not (pos[:1] in (["create"], ["install"], ["update"]) or pos[:1] == ["env"]):
        return None
    s = StepReader("conda", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    for f in files:
        if f is None:
            s.unknown.append("an environment file path is not a plain word")
            continue
        c = s.need(f)
        text = s.read(c) or ""
        for m in re.finditer(r"^\s*-\s*(-r|--requirement|-e|--editable)?\s*(\S+)\s*$", text.split("pip:", 1)[1] if "pip:" in text else "", re.M):
            flag, target = m.group(1), m.group(2)
            if flag in ("-r", "--requirement"):
                nested = context_join(posixpath.dirname(c), target)
                if s._add(nested, required=True, config=False):
                    _requirements(s, nested, set(), generated)
            elif flag or _looks_local(target):
                s.local.append(f"{target} (in {c})")
    return s.freeze()


DEV_PY_PATTERNS = (
    (lazy(r"\b(?:uvicorn|hypercorn|gunicorn)\b.*\s--reload\b"), "--reload restarts on file changes"),
    (lazy(r"\bflask\b.*\brun\b.*\s--(?:reload|debug(?:ger)?)\b"), "`flask run --reload` is the development server"),
    (lazy(r"\bflask\b.*--debug\b.*\brun\b"), "`flask --debug run` is the development server"),
    (lazy(r"\bmanage\.py\s+runserver\b(?!.*--noreload)"), "`manage.py runserver` is the development server"),
    (lazy(r"\bfastapi\s+dev\b"), "`fastapi dev` is the development server"),
    (lazy(r"\bwatchmedo\b|\bjupyter\b|\bwatchfiles\b"), "a development tool"),
    (lazy(r"(?:^|\s)(?:uv|poetry|pipenv|pdm|hatch)\s+run\b"), "the package manager runs the app at run time"),
)


# Python packages built from source against a system library (no manylinux wheel on PyPI):
# the runtime library the compiled module needs even when the Dockerfile never names the -dev
# package (the full python image ships the headers).
PY_NATIVE_RUNTIME: dict[str, tuple[str, ...]] = {
    "psycopg2": ("libpq5",),
    "mysqlclient": ("libmariadb3",),
    "python-ldap": ("libldap-2.5-0", "libsasl2-2"),
    "pycurl": ("libcurl4",),
    "pyodbc": ("unixodbc",),
    "pycairo": ("libcairo2",),
    "pygobject": ("libgirepository-1.0-1",),
}


# Console scripts whose name is not the distribution's (the rest are named after it): what a
# start command may run from the virtualenv.
PY_CONSOLE_SCRIPTS: dict[str, tuple[str, ...]] = {
    "django": ("django-admin",), "awscli": ("aws",), "httpie": ("http", "https"),
    "python-dotenv": ("dotenv",), "jupyter": ("jupyter-notebook", "jupyter-lab"),
    "jupyterlab": ("jupyter-lab",), "uvicorn": ("uvicorn",), "gunicorn": ("gunicorn",),
    "scrapy": ("scrapy",), "sentry-sdk": (), "streamlit": ("streamlit",), "mkdocs": ("mkdocs",),
    "apache-airflow": ("airflow",), "dagster": ("dagster", "dagster-daemon"), "prefect": ("prefect",),
    "ansible-core": ("ansible", "ansible-playbook"), "ansible": ("ansible", "ansible-playbook"),
    "supervisor": ("supervisord", "supervisorctl"), "daphne": ("daphne",), "hypercorn": ("hypercorn",),
    "waitress": ("waitress-serve",), "fastapi": ("fastapi",), "fastapi-cli": ("fastapi",),
    "huey": ("huey_consumer",), "rq": ("rq",), "dramatiq": ("dramatiq",), "locust": ("locust",),
}

NAME = "python"
IMAGES = ("python",)
MANIFESTS = (
    "requirements*.txt", "requirements/*.txt", "requirements/*.in", "requirements*.in",
    "constraints*.txt", "pyproject.toml", "poetry.lock", "poetry.toml", "uv.lock", "Pipfile",
    "Pipfile.lock", "pdm.lock", "pdm.toml", ".python-version", "pip.conf",
)
CONTEXT_MARKERS = ("requirements*.txt", "requirements/*.txt", "pyproject.toml", "Pipfile", "setup.py")
LANGUAGE_TOOLS = frozenset({"python", "python3", "pip", "pip3", "pydoc"})
INSTALLERS = {
    "pip": _pip, "uv-pip": _uv_pip, "uv": _uv, "poetry": _poetry, "pdm": _pdm, "pipenv": _pipenv,
    "conda": _conda, "mamba": _conda, "micromamba": _conda,
}
GENERATED = {
    "pip": ("**/__pycache__",),
    "pipenv": ("**/__pycache__", ".venv"),
    "poetry": ("**/__pycache__", ".venv"),
    "uv": ("**/__pycache__", ".venv"),
    "pdm": ("**/__pycache__", ".venv", "__pypackages__"),
    "conda": ("**/__pycache__",),
}

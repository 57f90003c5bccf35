"""The python strategy: which RUNs are pip/uv/poetry installs and what they read, the virtualenv
at /opt/venv, the requirement closure, the console scripts the runner needs, and the python
plan (deps / builder / runner on the slim image)."""
from __future__ import annotations

import posixpath
import re

from refactor.codemods.multi_stage.model import (
    VENV,
    CmdInfo,
    Plan,
    Step,
    _abspath,
    _cmd_text,
    _Decline,
)
from refactor.knowledge.ecosystems.python import DEV_PY_PATTERNS, LANGUAGE_TOOLS, PY_CONSOLE_SCRIPTS, PY_NATIVE_RUNTIME

# The installers this strategy follows (in the order the explanation names them).
PY_PMS = ("pip", "poetry", "uv", "pipenv", "pdm")


class PythonStrategy:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # -- python

    def _classify_python(self, c, argv: list, cwd, env, inst) -> CmdInfo:
        if any(a is None for a in argv):
            raise _Decline("a Python install whose arguments use variables: not understood", inst)
        tool, rest = argv[0], argv[1:]
        sub = next((a for a in rest if not a.startswith("-")), None)
        full = c.name or ""
        if "/" in full and not full.startswith(("/usr/local/bin/", "/usr/bin/")) :
            raise _Decline(f"{full}: a Python outside the image's default one", inst)
        if "/" in full and tool in ("pip", "poetry", "uv", "pipenv", "pdm") and any(a == "install" or a == "sync" for a in rest[:1]):
            # by path, the install bypasses the virtualenv: it lands in the system site-packages
            raise _Decline(f"`{full} {' '.join(rest[:1])}` installs into the system site-packages, which the runner "
                           "would not have (the virtualenv is first on PATH, not at that path)", inst)
        if tool == "venv":
            raise _Decline("the Dockerfile makes its own virtualenv: not understood", inst)
        if tool == "pip":
            if sub in ("cache", "config", "freeze", "list", "show", "check", "--version"):
                return CmdInfo("neutral", "pip", cmd=c)
            if sub == "uninstall":
                return CmdInfo("deps", "pip", pm="pip", cmd=c)
            if sub != "install":
                return CmdInfo("other", "pip", cmd=c)
            for bad in ("--user", "--target", "-t", "--prefix", "--root", "--system"):
                if bad in rest or any(a.startswith(bad + "=") for a in rest):
                    raise _Decline(f"`pip install {bad}`: installs outside a virtualenv; not understood", inst)
            reqs, names, local = [], [], False
            i = 0
            value_flags = {"-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
                           "--extra-index-url", "-f", "--find-links", "--trusted-host", "--no-binary", "--only-binary",
                           "--cache-dir", "--timeout", "--retries", "--progress-bar", "--platform", "--python-version",
                           "--implementation", "--abi", "--upgrade-strategy", "--log", "--proxy", "--config-settings", "-C"}
            while i < len(rest):
                a = rest[i]
                if a in ("-r", "--requirement", "-c", "--constraint"):
                    if i + 1 < len(rest):
                        reqs.append(rest[i + 1])
                    i += 2
                    continue
                if a.startswith(("--requirement=", "--constraint=")):
                    reqs.append(a.split("=", 1)[1])
                elif a.startswith("-r") and len(a) > 2:
                    reqs.append(a[2:])
                elif a in ("-e", "--editable"):
                    local = True
                    i += 2
                    continue
                elif a in value_flags:
                    i += 2
                    continue
                elif a.startswith("-"):
                    pass
                elif a == "install" and not names and not reqs and i == rest.index("install"):
                    pass
                elif a.startswith((".", "/")) or a.startswith("file:") or "/" in a and not a.startswith(("git+", "http")):
                    local = True
                else:
                    names.append(a)
                i += 1
            tool_names = {re.split(r"[=<>~!\[ ]", n, 1)[0].lower() for n in names}
            if names and not reqs and not local and tool_names <= {"pip", "setuptools", "wheel"}:
                return CmdInfo("tool", "pip", pm="pip-self", cmd=c)  # upgrades the installer itself
            if names and not reqs and not local and tool_names <= {"pip", "setuptools", "wheel", "poetry", "uv", "pipenv", "pdm", "pip-tools", "virtualenv", "poetry-plugin-export"}:
                return CmdInfo("tool", "pip", cmd=c)
            manifests: list[str] = []
            hoist = not local
            for r in reqs:
                p = _abspath(r, cwd)
                manifests.append(p)
                more, ok = self._requirement_closure(p)
                manifests.extend(more)
                hoist = hoist and ok
            return CmdInfo("build" if local and not reqs and not names else "deps", "pip", manifests=tuple(manifests),
                           hoistable=hoist, pm="pip", cmd=c)
        if tool == "poetry":
            if sub in ("config", "self", "--version", "env"):
                return CmdInfo("neutral", "poetry", cmd=c)
            if sub == "install":
                no_root = "--no-root" in rest or "--only-root" in rest
                if "--only-root" in rest:
                    return CmdInfo("build", "poetry", pm="poetry", cmd=c)
                m = tuple(_abspath(n, cwd) for n in ("pyproject.toml", "poetry.lock", "poetry.toml"))
                return CmdInfo("deps", "poetry", manifests=m, hoistable=no_root, pm="poetry", cmd=c)
            if sub == "export":
                return CmdInfo("deps", "poetry", manifests=tuple(_abspath(n, cwd) for n in ("pyproject.toml", "poetry.lock")), pm="poetry", cmd=c)
            return CmdInfo("other", "poetry", cmd=c)
        if tool == "uv":
            if sub == "sync":
                m = tuple(_abspath(n, cwd) for n in ("pyproject.toml", "uv.lock", ".python-version"))
                virtual = self._pyproject_is_virtual(cwd)
                hoist = "--no-install-project" in rest or virtual
                return CmdInfo("deps", "uv", manifests=m, hoistable=hoist, pm="uv", cmd=c)
            if sub == "pip":
                if "--system" in rest or any(a.startswith("--python") for a in rest):
                    raise _Decline("`uv pip install --system`: installs outside a virtualenv; not understood", inst)
                return self._classify_python(c, ["pip"] + rest[1:], cwd, env, inst)
            if sub in ("cache", "--version", "python"):
                return CmdInfo("neutral", "uv", cmd=c)
            return CmdInfo("other", "uv", cmd=c)
        if tool == "pipenv":
            return self._classify_pipenv(c, rest, sub, cwd, inst)
        if tool == "pdm":
            return self._classify_pdm(c, rest, sub, cwd, inst)
        raise _Decline(f"{tool} installs are not supported yet", inst)


    def _classify_pipenv(self, c, rest: list[str], sub: str | None, cwd: str, inst) -> CmdInfo:
        """`pipenv install --deploy` / `--ignore-pipfile` / `pipenv sync`: the locked packages,
        into the virtualenv the deps stage activates (pipenv uses an active VIRTUAL_ENV, and
        `--system` means the first python on PATH, which is the virtualenv's)."""
        if sub in ("--version", "--venv", "--where", "--py", "lock", "requirements", "graph", "check", "verify", "clean", "scripts"):
            return CmdInfo("neutral", "pipenv", cmd=c)
        if sub not in ("install", "sync"):
            return CmdInfo("other", "pipenv", cmd=c)
        words = [a for a in rest[rest.index(sub) + 1:] if not a.startswith("-")]
        value_flags = {"--python", "--categories", "-r", "--requirements", "--extra-pip-args", "--index", "-i"}
        flag_values = {rest[i + 1] for i, a in enumerate(rest[:-1]) if a in value_flags}
        if [w for w in words if w not in flag_values]:
            raise _Decline(f"`pipenv {sub}` with package names edits the Pipfile: not understood", inst)
        if any(a in ("-r", "--requirements") or a.startswith("--requirements=") for a in rest):
            raise _Decline("`pipenv install -r` imports a requirements file into the Pipfile: not understood", inst)
        lock = _abspath("Pipfile.lock", cwd)
        rel = self.ctx_path(lock)
        if rel is None or not self.bc.is_file(rel) or not self.bc.sent(rel):
            raise _Decline("a pipenv install without Pipfile.lock in the build context resolves the "
                           "dependencies afresh: not proven to install the same packages", inst)
        if sub == "install" and not ({"--deploy", "--ignore-pipfile"} & set(rest)):
            raise _Decline("`pipenv install` without --deploy or --ignore-pipfile may re-lock and "
                           "install other versions than Pipfile.lock's: not proven", inst)
        m = tuple(_abspath(n, cwd) for n in ("Pipfile", "Pipfile.lock"))
        pf = self.ctx_path(m[0])
        text = self.bc.read_text(pf) if pf is not None else None
        # a path dependency (`{path = ".", editable = true}`) needs the sources
        hoist = text is not None and not re.search(r"\b(path|file)\s*=\s*[\"'](?!https?:)", text)
        return CmdInfo("deps", "pipenv", manifests=m, hoistable=hoist, pm="pipenv", cmd=c)


    def _classify_pdm(self, c, rest: list[str], sub: str | None, cwd: str, inst) -> CmdInfo:
        """`pdm install` / `pdm sync`: into the active virtualenv (pdm's python.use_venv, on by
        default, takes the VIRTUAL_ENV the deps stage sets)."""
        if sub in ("config", "--version", "use", "lock", "export", "info", "list", "cache", "self"):
            return CmdInfo("neutral", "pdm", cmd=c)
        if sub not in ("install", "sync"):
            return CmdInfo("other", "pdm", cmd=c)
        for bad in ("-p", "--project", "-g", "--global", "-L", "--lockfile", "--venv"):
            if bad in rest or any(a.startswith(bad + "=") for a in rest):
                raise _Decline(f"`pdm {sub} {bad}`: another project, lock file or environment; not understood", inst)
        lock = _abspath("pdm.lock", cwd)
        rel = self.ctx_path(lock)
        if rel is None or not self.bc.is_file(rel) or not self.bc.sent(rel):
            raise _Decline("a pdm install without pdm.lock in the build context resolves the dependencies "
                           "afresh: not proven to install the same packages", inst)
        m = tuple(_abspath(n, cwd) for n in ("pyproject.toml", "pdm.lock", "pdm.toml"))
        pp = self.ctx_path(m[0])
        text = (self.bc.read_text(pp) if pp is not None else None) or ""
        # without --no-self pdm installs the project itself (its sources) unless it is no distribution
        hoist = "--no-self" in rest or bool(re.search(r"^\s*distribution\s*=\s*false", text, re.M))
        return CmdInfo("deps", "pdm", manifests=m, hoistable=hoist, pm="pdm", cmd=c)


    def _requirement_closure(self, image_path: str, depth: int = 0) -> tuple[list[str], bool]:
        """Files a requirements file pulls in (-r/-c) and whether it names only packages."""
        rel = self.ctx_path(image_path)
        if rel is None or depth > 5:
            return [], rel is not None
        text = self.bc.read_text(rel) or ""
        more: list[str] = []
        ok = True
        base = posixpath.dirname(image_path)
        for line in text.splitlines():
            line = line.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            m = re.match(r"^(?:-r|--requirement|-c|--constraint)\s*=?\s*(\S+)", line)
            if m:
                p = _abspath(m.group(1), base)
                more.append(p)
                sub, sub_ok = self._requirement_closure(p, depth + 1)
                more.extend(sub)
                ok = ok and sub_ok
                continue
            if re.match(r"^(-e|--editable)\b", line) or line.startswith((".", "/", "file:")):
                ok = False
        return more, ok


    def _pyproject_is_virtual(self, cwd: str) -> bool:
        rel = self.ctx_path(_abspath("pyproject.toml", cwd))
        text = self.bc.read_text(rel) if rel is not None else None
        return text is not None and "[build-system]" not in text and "package = true" not in text


    # ---- Python -----------------------------------------------------------------------------------

    def _plan_python(self) -> Plan:
        base = self.base
        argvs = self.start_argvs()
        scripts = self.scripts_run(argvs)
        texts = [_cmd_text(a) for a in argvs if a] + [t for _, t in scripts]
        self.check_dev(DEV_PY_PATTERNS, texts)
        for s in self.steps:
            if s.kind == "env" and any(k in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PIPENV_VENV_IN_PROJECT", "PIPENV_IGNORE_VIRTUALENVS", "PDM_IGNORE_ACTIVE_VENV") for k in s.inst.value[0::2]):
                raise _Decline("the Dockerfile chooses its own virtualenv: not understood", s.inst)
            if s.kind == "env" and any(k in ("FLASK_DEBUG", "FLASK_ENV") for k in s.inst.value[0::2]):
                if any(v.strip("\"'") in ("1", "true", "development") for v in s.inst.value[1::2]):
                    raise _Decline("FLASK_DEBUG/FLASK_ENV=development: a development server", s.inst)
            if s.run is not None:
                for c in s.run.cmds:
                    for p in c.apt:
                        if p.startswith("python3-") and p not in ("python3-dev", "python3-pip", "python3-venv", "python3-setuptools", "python3-wheel", "python3-distutils"):
                            raise _Decline(f"installs {p} with apt: a virtualenv would not see it", s.inst)
        main = self.main_argv
        if main and re.match(r"^/.*python", main[0]) and "/opt/venv" not in main[0]:
            raise _Decline(f"the start command runs {main[0]} by path: the virtualenv would be bypassed")
        pms = {c.pm for s in self.steps if s.run for c in s.run.cmds if c.kind in ("deps", "build") and c.pm in PY_PMS}
        if not pms:
            raise _Decline("installs no Python dependencies I can follow (pip, poetry, uv, pipenv, pdm)")
        kind = self.slim_runner(base, "Python")

        venv_env = f'{self.kw("ENV")} VIRTUAL_ENV={VENV} PATH="{VENV}/bin:$PATH"'
        inserted = False
        def installs_python(s: Step) -> bool:
            cmds = s.run.cmds if s.run else []
            if any(c.kind in ("deps", "build") and c.pm in PY_PMS for c in cmds):
                return True
            # a RUN that only upgrades pip/setuptools/wheel: upgrade the virtualenv's, as the original did the image's
            pips = [c for c in cmds if c.name == "pip"]
            return bool(pips) and all(c.pm == "pip-self" for c in pips) and all(c.kind in ("tool", "neutral") for c in cmds)

        first_py = next((s for s in self.steps if s.run and installs_python(s)), None)
        if first_py is not None:
            # an installer pip-installed once the virtualenv is active lands in it, and so in the runner
            late = [w.value for s in self.steps[self.steps.index(first_py):] if s.run for c in s.run.cmds
                    if c.kind == "tool" and c.name == "pip" and c.cmd is not None
                    for w in c.cmd.args_without_flags()[1:] if w.value and re.split(r"[=<>~!\[]", w.value, 1)[0].lower() in PY_PMS]
            if late:
                self.notes.append(f"{', '.join(dict.fromkeys(late))}, installed in the virtualenv's RUN or after it, "
                                  "reaches the runner with it (install it in a RUN of its own before the dependencies "
                                  "to leave it behind)")

        def venv_lines(step):
            nonlocal inserted
            if inserted or (step is not None and step is not first_py):
                return []
            inserted = True
            lines = [self.new(f"{self.kw('RUN')} python -m venv {VENV}"), self.new(venv_env)]
            if any(c.pm == "uv" for s in self.steps if s.run for c in s.run.cmds):
                lines.append(self.new(f"{self.kw('ENV')} UV_PROJECT_ENVIRONMENT={VENV}"))
            return lines

        deps, builder, config = self.build_stages(venv_lines)
        # runner
        provided = set(LANGUAGE_TOOLS)
        reqs = self._python_requirements()
        extra = [lib for r in reqs for lib in PY_NATIVE_RUNTIME.get(r, ())]
        for r in reqs:
            provided.add(r)
        names = self.runtime_tools(argvs, scripts, provided | self._console_scripts(reqs))
        packages, left = self.runtime_packages(names, extra, set())
        self.leaves.extend(left)
        base_user = None
        runner, user, chown = self.runner_head(config, packages, kind, base_user, (self.new(venv_env),))
        runner.append(self.copy_line("builder", VENV, VENV, None))
        app_paths = self._app_roots()
        runner.extend(self.copy_paths("builder", app_paths, chown))
        runner.extend(self.outside_copies(runner, chown, app_copied=True))
        runner.append(self.user_text(user))
        runner.extend(self.runner_config(config))
        self.leaves.append("/".join(sorted(pms, key=PY_PMS.index)) + " caches and the installers")
        self.keeps.insert(0, f"the virtualenv {VENV}")
        self.keeps.append("the app files: " + ", ".join(app_paths))
        if user != self.final_user:
            self.notes.append(f"runs as {self.user_label(user, chown)} instead of root")
        return self.finish("python", deps, builder, [], runner)


    def _python_requirements(self) -> set[str]:
        names: set[str] = set()
        for e in self.image_map:
            cands = []
            if e.is_dir:
                for pat in ("requirements*.txt", "requirements/*.txt", "pyproject.toml"):
                    cands += self._glob(posixpath.join(e.src, pat) if e.src else pat)
            else:
                cands.append(e.src)
            for rel in cands:
                base = posixpath.basename(rel)
                text = self.bc.read_text(rel) or ""
                if base.endswith(".txt") and base.startswith(("requirements", "constraints")) or "/requirements/" in "/" + rel:
                    for line in text.splitlines():
                        m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
                        if m and not line.lstrip().startswith("-"):
                            names.add(m.group(1).lower().replace("_", "-"))
                elif base == "pyproject.toml":
                    for m in re.finditer(r"""["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?:[<>=!~;][^"']*)?["']""", text):
                        names.add(m.group(1).lower().replace("_", "-"))
                    for m in re.finditer(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*[\"'{]", text, re.M):
                        names.add(m.group(1).lower().replace("_", "-"))
        for s in self.steps:
            if s.run:
                for c in s.run.cmds:
                    if c.pm == "pip" and c.cmd is not None:
                        for w in c.cmd.args_without_flags():
                            if w.value and re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*", w.value) and w.value != "install":
                                names.add(re.split(r"[=<>~!\[]", w.value, 1)[0].lower())
        return names


    def _console_scripts(self, reqs: set[str]) -> set[str]:
        """Commands the virtualenv provides: a requirement's name is (nearly always) its
        script's; the known exceptions; and the project's own scripts (pyproject.toml
        `[project.scripts]` / `[tool.poetry.scripts]`, setup.py/setup.cfg console_scripts)."""
        out = set(reqs)
        for r in reqs:
            out.update(PY_CONSOLE_SCRIPTS.get(r, ()))
        for e in self.image_map:
            for name in ("pyproject.toml", "setup.py", "setup.cfg"):
                rel = (posixpath.join(e.src, name) if e.src else name) if e.is_dir else (e.src if posixpath.basename(e.src) == name else None)
                text = self.bc.read_text(rel) if rel and self.bc.is_file(rel) else None
                if not text:
                    continue
                for sec in re.findall(r"^\[(?:project\.scripts|tool\.poetry\.scripts|options\.entry_points)\]\s*(.*?)(?=^\[|\Z)", text, re.M | re.S):
                    out.update(re.findall(r"^\s*([\w.-]+)\s*=", sec, re.M))
                out.update(re.findall(r"[\"']([\w.-]+)\s*=\s*[\w.]+:[\w.]+[\"']", text))
        return out

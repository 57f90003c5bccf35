"""The static-site strategy: a node image that installs its distro's nginx, builds a site and
serves it (`CMD ["nginx", "-g", "daemon off;"]`) becomes the node `deps` and `builder` stages
(the original steps, the distro nginx included, so the build's own `cp dist/. /usr/share/nginx/html`
and `cp site.conf /etc/nginx/conf.d/` keep working) and an official nginx runner of the same libc
that gets only what nginx serves and the project's own config, running unprivileged.

What is proven before the split:
- the config nginx loads in the original: the project's files (written by a COPY from the context
  or a build `cp` whose source is in the context), the distro's default site removed (Debian's
  sites-enabled/default, Alpine's http.d/default.conf), no extra nginx modules; a distro site
  folder (sites-enabled, http.d) maps onto the official image's conf.d, both read inside `http`;
- every folder it serves (`root`, `alias`) is filled by the build: a folder the build copies into,
  or a build output in the app folder that the framework's config names (vite outDir, Create
  React App's build/, angular.json outputPath (+ /browser for the application builder), Vue
  CLI's outputDir);
- the unprivileged recipe (refactor.knowledge.nginx) leaves no port below 1024: `listen 80`
  moves to 8080 in the files where it is, and EXPOSE follows (a behaviour change, said so);
- nothing in the repository points at the old port (refactor.knowledge.port_consumers: compose
  mappings, kamal, manifests, other services' proxies)."""
from __future__ import annotations

import json
import posixpath
import re

from refactor.codemods.multi_stage.model import (
    Plan,
    _abspath,
    _argv_of,
    _cmd_text,
    _Decline,
    _under,
)
from refactor.knowledge import nginx
from refactor.shell.parse import SimpleCommand, parse_shell
from refactor.syntax.nodes import Instruction

# The distro site folders: where they are read (inside `http`), and the distro's default site.
_SITE_DIRS = {"/etc/nginx/conf.d": "*.conf", "/etc/nginx/sites-enabled": "*", "/etc/nginx/http.d": "*.conf"}
_DISTRO_DEFAULT = {"debian": "/etc/nginx/sites-enabled/default", "alpine": "/etc/nginx/http.d/default.conf"}


class StaticSiteStrategy:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    def serves_with_nginx(self) -> bool:
        """The start command runs nginx."""
        for s in self.steps:
            if s.inst.cmd in ("CMD", "ENTRYPOINT"):
                argv = _argv_of(s.inst) or []
                text = _cmd_text(argv)
                if re.match(r"^\s*(?:exec\s+)?(?:/usr/sbin/)?nginx\b", text):
                    return True
        return False

    def _plan_static_site(self) -> Plan:
        alpine = self.base.libc == "musl"
        distro = "alpine" if alpine else "debian"
        self._check_nginx_start()
        pkgs = [p for s in self.steps if s.run for p in s.run.apt if "nginx" in p]
        if not any(p.split("=")[0] in nginx.DISTRO_PACKAGES for p in pkgs):
            raise _Decline("the start command runs nginx, which no apt-get/apk install in this file brings: "
                           "I do not know which nginx it is")
        extra = [p for p in pkgs if p.split("=")[0] not in nginx.DISTRO_PACKAGES]
        if extra:
            raise _Decline(f"installs {extra[0]}: nginx modules the official nginx image does not have")
        if any(s.inst.cmd in ("HEALTHCHECK", "VOLUME") for s in self.steps):
            raise _Decline("a HEALTHCHECK or VOLUME on an nginx site: not understood (the port and the user change)")
        self.runner_image = nginx.runner_image(alpine)
        deps, builder, config = self.build_stages()
        written, removed = self._nginx_config_writes()
        if nginx.MAIN_CONF in written:
            runner_files = dict(written)  # the project's main config: its includes keep their paths
            copies = {p: p for p in written}
        else:
            default = _DISTRO_DEFAULT[distro]
            if default not in removed and default not in written:
                raise _Decline(f"the original still serves the distro's default site ({default}), which the "
                               "official nginx image does not have")
            runner_files, copies = {}, {}
            for p, text in written.items():
                d = posixpath.dirname(p)
                if d not in _SITE_DIRS:
                    raise _Decline(f"a build step writes {p}: a part of the distro's nginx layout I do not map "
                                   "onto the official image")
                name = posixpath.basename(p)
                target = posixpath.join(nginx.CONF_DIR, name if name.endswith(".conf") else name + ".conf")
                runner_files[target] = text
                copies[p] = target
            if not runner_files:
                raise _Decline("nginx serves with the distro's own config: no site config of the project's to carry")
        files = {**nginx.OFFICIAL_FILES, **runner_files}
        if nginx.DEFAULT_CONF not in runner_files:
            del files[nginx.DEFAULT_CONF]  # the distro image had no such site: neither has the runner
        plan = nginx.unprivileged(files)
        if plan.problem:
            raise _Decline(plan.problem)
        # the repository's own deployment (compose, kamal, manifests) must still reach the port
        from refactor.knowledge import port_consumers  # here: only a static site's plan needs it (start-up)

        used = port_consumers.decline_reason(self.ctx.path, self.bc.root if self.bc else None, plan.ports,
                                              self.df.stages[-1].name)
        if used:
            raise _Decline(used)
        if nginx.DEFAULT_CONF not in runner_files:
            plan.commands.insert(0, f"rm -f {nginx.DEFAULT_CONF}")
        served = self._served_folders(files)
        # the runner
        runner: list[Instruction] = [self.stage_from(self.runner_image, "runner")]
        for src, dest in sorted(copies.items(), key=lambda x: x[1]):
            runner.append(self.copy_line("builder", src, dest, None))
        body = " \\\n    && ".join(plan.commands)
        runner.append(self.new(f"{self.kw('RUN')} {body}"))
        # the site last: a source edit then rebuilds one COPY layer, not the config edits
        for folder in served:
            runner.append(self.copy_line("builder", folder, folder, None))
        runner.append(self.user_text(f"{nginx.UID}:{nginx.GID}"))
        if plan.ports and not any(s.inst.cmd == "EXPOSE" for s in config):
            runner.append(self.new(f"{self.kw('EXPOSE')} " + " ".join(str(p) for p in sorted(plan.ports.values()))))
        for s in config:
            inst = s.inst
            if inst.cmd == "EXPOSE":
                words = nginx.exposed_after(list(inst.value), plan.ports)
                if words != list(inst.value):
                    self.touched.append(inst)
                    inst = self.new(f"{self.kw('EXPOSE')} " + " ".join(words)).with_changes(leading=inst.leading)
            runner.append(inst)
        moved = ", ".join(f"{a} -> {b}" for a, b in sorted(plan.ports.items()))
        summary = (f"split into deps → builder → runner on {self.runner_image} (was {self.base_text}); left out of "
                   "the final image: node, node_modules, the source and the build tools; nginx serves "
                   f"{', '.join(served)} as user nginx ({nginx.UID}:{nginx.GID})"
                   + (f" on {moved} (behaviour change: the port moves)" if moved else ""))
        parts = [
            f"The final image is the official nginx image ({self.runner_image}) instead of {self.base_text} with "
            "the distro's nginx: node, node_modules, the source and the build tools stay in the `deps` and "
            "`builder` stages (`docker build --target builder` still gives the full build environment).",
            "Copied into it: the folders nginx serves (" + ", ".join(served) + ") and the project's nginx config ("
            + ", ".join(f"{s} -> {d}" if s != d else s for s, d in sorted(copies.items())) + ").",
            nginx_rationale(),
        ]
        if moved:
            parts.append(f"Behaviour change: it listens on {moved} (rewritten in "
                         + ", ".join(plan.rewritten) + "), and EXPOSE follows; port mappings and probes must too.")
        parts.append("Check: the runner's nginx.conf is the official image's, not the distro's (its gzip, "
                     "ssl and log settings differ); ENV and WORKDIR of the build do not reach the runner.")
        return Plan(self.base_text, self.runner_image, "node", deps, builder, [], runner, self.touched,
                    summary, " ".join(parts))

    def _check_nginx_start(self) -> None:
        for argv in self.start_argvs():
            units = list(parse_shell(_cmd_text(argv)).units()) if argv else []
            if len(units) != 1 or not isinstance(units[0], SimpleCommand):
                raise _Decline("the start command runs nginx with other commands: not understood")
            words = [w.value for w in units[0].words if w.value != "exec"]
            if not words or posixpath.basename(words[0] or "") != "nginx" \
                    or any(w is None or (w != "-g" and not w.startswith("daemon off;")) for w in words[1:]):
                raise _Decline("the start command is not `nginx -g 'daemon off;'`: not understood")

    def _nginx_config_writes(self) -> tuple[dict[str, str | None], set[str]]:
        """The config files the original writes under /etc/nginx (image path -> text read from the
        context) and the paths it removes there."""
        written: dict[str, str | None] = {}
        removed: set[str] = set()
        for w in self.build_writes():
            if not _under(w.path, "/etc/nginx"):
                continue
            if w.kind == "remove":
                removed.add(w.path)
                if w.path.endswith("/*"):
                    removed.add(w.path[:-2])
                continue
            if w.kind not in ("file",):
                raise _Decline(f"a build step writes {w.path} ({w.kind}): I cannot read what nginx gets there")
            written[w.path] = self._copied_config_text(w.path)
        for e in self.image_map:
            if _under(e.dest, "/etc/nginx"):
                if e.is_dir:
                    raise _Decline(f"a COPY of a whole folder into {e.dest}: not understood")
                written[e.dest] = self.bc.read_text(e.src)
        for p in removed:
            for q in list(written):
                if _under(q, p):
                    del written[q]
        for p, text in written.items():
            if text is None:
                raise _Decline(f"{p} is written by a build step from a file I cannot read")
        return written, removed

    def _copied_config_text(self, path: str) -> str | None:
        """The text of the context file a build RUN copies to `path` (`cp nginx/site.conf PATH`)."""
        for s in self.steps:
            if s.run is None:
                continue
            cwd = s.workdir
            for c in s.run.cmds:
                if c.cmd is None:
                    continue
                if c.name == "cd" and c.cmd.args and c.cmd.args[0].value:
                    cwd = _abspath(c.cmd.args[0].value, cwd)
                if c.name not in ("cp", "install"):
                    continue
                args = [w.value for w in c.cmd.args_without_flags()]
                if len(args) != 2 or None in args:
                    continue
                src, dest = _abspath(args[0], cwd), _abspath(args[1], cwd)
                if dest == path or (args[1].endswith("/") and posixpath.join(dest, posixpath.basename(src)) == path):
                    rel = self.ctx_path(src)
                    return self.bc.read_text(rel) if rel else None
        return None

    def _served_folders(self, files: dict[str, str | None]) -> list[str]:
        """The folders the loaded config serves, each proven filled by the build."""
        loaded, problem = nginx.loaded_files(files)
        if problem:
            raise _Decline(problem)
        folders: list[str] = []
        for p in loaded:
            for r in nginx.roots(nginx.parse(files.get(p) or "")):
                if "$" in r:
                    raise _Decline(f"{p} serves {r}, a path with a variable: not understood")
                r = posixpath.normpath(r if r.startswith("/") else posixpath.join("/usr/share/nginx", r))
                if r not in folders:
                    folders.append(r)
        if not folders:
            raise _Decline("the nginx config names no root: it would serve the build's default folder, "
                           "which differs between the distro and the official image")
        writes = [w for w in self.build_writes() if w.kind in ("file", "dir", "contents")]
        apps = self.app_dirs()
        for r in folders:
            if any(_under(r, w.path) or _under(w.path, r) for w in writes) \
                    or any(_under(e.dest, r) or (e.is_dir and _under(r, e.dest)) for e in self.image_map
                           if not any(_under(e.dest, a) for a in apps)):
                continue
            if any(_under(r, a) for a in apps):
                outs = self.static_outputs()
                if any(_under(r, o) for o in outs):
                    continue
                raise _Decline(f"nginx serves {r}, and the build's output is "
                               + (", ".join(outs) if outs else "not known to me") + ": I cannot prove it is the site")
            raise _Decline(f"nginx serves {r}, which nothing in the build fills")
        top = [r for r in folders if not any(r != o and _under(r, o) for o in folders)]
        return top

    def static_outputs(self) -> list[str]:
        """The folders the build scripts write, from the frameworks' configs: vite (outDir, default
        dist), react-scripts (build), Angular (angular.json outputPath, + browser with the
        application builder), Vue CLI (vue.config outputDir, default dist)."""
        outs: list[str] = []
        for s in self.steps:
            if not (s.run and s.kind == "run-build"):
                continue
            pkg = self._package_json(s.workdir) or {}
            scripts = pkg.get("scripts") or {}
            texts: list[str] = []
            for c in s.run.cmds:
                for sc in c.scripts:
                    texts.extend(self._node_expand(f"npm run {sc}", scripts, set()))
                if c.cmd is not None and not c.scripts:
                    texts.append(c.cmd.code)
            for t in texts:
                for m in re.finditer(r"(?:^|[\s;&|(])(?:npx\s+)?(vite|react-scripts|ng|vue-cli-service)\s+build\b", t):
                    out = self._framework_output(m.group(1), s.workdir)
                    if out and out not in outs:
                        outs.append(out)
        return outs

    def _framework_output(self, tool: str, app_dir: str) -> str | None:
        if tool == "vite":
            out = self._config_value(app_dir, "vite.config", r"outDir\s*:\s*['\"]([^'\"]+)")
            return _abspath(out or "dist", app_dir)
        if tool == "react-scripts":
            env = self.env.get("BUILD_PATH")
            return _abspath(env or "build", app_dir)
        if tool == "vue-cli-service":
            out = self._config_value(app_dir, "vue.config", r"outputDir\s*:\s*['\"]([^'\"]+)")
            return _abspath(out or "dist", app_dir)
        rel = self.ctx_path(posixpath.join(app_dir, "angular.json"))
        text = self.bc.read_text(rel) if rel else None
        try:
            data = json.loads(text) if text else None
        except ValueError:
            return None
        projects = (data or {}).get("projects") or {}
        if len(projects) != 1:
            return None  # several projects: which one `ng build` builds is not proven here
        build = (((next(iter(projects.values())) or {}).get("architect") or {}).get("build") or {})
        options = build.get("options") or {}
        out = options.get("outputPath")
        if isinstance(out, dict):
            base = out.get("base")
            return _abspath(posixpath.join(base, out.get("browser", "browser")), app_dir) if base else None
        if not isinstance(out, str):
            return None
        if str(build.get("builder", "")).endswith(":application"):
            return _abspath(posixpath.join(out, "browser"), app_dir)
        return _abspath(out, app_dir)


def nginx_rationale() -> str:
    return ("nginx runs unprivileged, the way nginxinc/nginx-unprivileged does: as the image's nginx user "
            f"({nginx.UID}:{nginx.GID}), with the pid file and temp files in /tmp, {nginx.CACHE_DIR} its own and no "
            "`user` directive, so a container escape is not root on the host and Kubernetes' runAsNonRoot accepts it.")

"""The php strategy: `composer install` from composer.json + composer.lock alone in deps (no
scripts, no autoloader), `composer dump-autoload` after the source copy in the builder (where
Laravel's artisan steps stay), and a runner on the input's own php image (it carries the PHP
build and the extensions the Dockerfile added): the extension, library and account RUNs are
repeated there in their order, without Composer and the packages only Composer needs (git,
unzip), and the app folder, vendor/ included, is copied in for www-data."""
from __future__ import annotations

import json
import posixpath
import re

from refactor.codemods.multi_stage.model import CmdInfo, Plan, Step, _abspath, _Decline, _under
from refactor.knowledge.ecosystems.php import (
    AFTER_SOURCE_EVENTS,
    AUTOLOADER_FLAGS,
    COMPOSER_IMAGES,
    COMPOSER_INSTALLER,
    COMPOSER_ONLY_PACKAGES,
    DEV_PHP_PATTERNS,
    DURING_INSTALL_EVENTS,
    EXTENSION_COMMANDS,
    ROOT_SERVICES,
    WWW_DATA_ALPINE,
    WWW_DATA_DEBIAN,
    composer_scripts,
    path_repositories,
    php_variant,
    vendor_dir,
)
from refactor.knowledge.baseimages import parse_image
from refactor.shell.parse import ShellScript, SimpleCommand, parse_shell
from refactor.syntax.edit import body_text, with_body
from refactor.syntax.nodes import Instruction

_COMPOSER_VALUE_FLAGS = ("-d", "--working-dir", "--ignore-platform-req", "--prefer-install")
# `composer <sub>` that changes nothing in the project or the image (stays where it is)
_COMPOSER_NEUTRAL = frozenset({"config", "validate", "diagnose", "clear-cache", "clearcache", "cc", "about",
                               "show", "info", "licenses", "check-platform-reqs", "audit", "depends", "why",
                               "prohibits", "why-not", "fund", "list", "help"})
# words a RUN keeps when everything else was taken out of it: then the RUN is dropped
_IDLE = frozenset({"set", "true", ":", "echo"})
# System folders Dockerfiles use as the app's own folder (the runner gets it whole, for www-data);
# others (/usr/src holds the php source tarball) are copied entry by entry.
_APP_HOMES = ("/var/www", "/srv", "/opt")
_PHP_PROGRAMS = frozenset({"php", "php-fpm", "php-cgi", "phpdbg", "docker-php-entrypoint", "php-fpm8.2"})


class PhpStrategy:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # ---- classifying RUN commands -------------------------------------------------------------

    def _classify_php(self, c: SimpleCommand, argv0: str, cwd: str) -> CmdInfo | None:
        """Composer and the extension helpers, in a php image; None for other commands."""
        if argv0 in EXTENSION_COMMANDS:
            return CmdInfo("sys", argv0, cmd=c)
        args = [w.value for w in c.args]
        if argv0 == "php" and args and args[0] and args[0].endswith("composer.phar"):
            args = args[1:]
        elif argv0 not in ("composer", "composer.phar"):
            return None
        words = [a for a in args if a is not None]
        flags_with_values = set(_COMPOSER_VALUE_FLAGS)
        pos, skip = [], False
        for a in words:
            if skip:
                skip = False
                continue
            if a.startswith("-"):
                skip = a in flags_with_values
                continue
            pos.append(a)
        sub = pos[0] if pos else None
        if sub in ("install", "i"):
            m = tuple(_abspath(n, cwd) for n in ("composer.json", "composer.lock", "auth.json"))
            return CmdInfo("deps", "composer", manifests=m, pm="composer", cmd=c)
        if sub is None or sub in _COMPOSER_NEUTRAL or sub.startswith("-"):
            return CmdInfo("neutral", "composer", cmd=c)
        if sub in ("global", "self-update", "selfupdate"):
            return CmdInfo("tool", "composer", cmd=c)
        return CmdInfo("build", "composer", pm="composer", cmd=c)  # dump-autoload, run-script, require...

    # ---- the plan ---------------------------------------------------------------------------------

    def _plan_php(self) -> Plan:
        base = self.base
        if php_variant(base.variants) == "apache":
            raise _Decline(f"{self.base_text} runs Apache, which binds port 80 as root and hands requests to "
                           "www-data itself: a non-root runner needs Listen and the vhost moved to a port of 1024 "
                           "or more, which I do not write", self.from_inst)
        if self.final_workdir in _APP_HOMES:
            self.app_home = self.final_workdir  # where apps live: the app folder, though a system one
        argvs = self.checked_start(DEV_PHP_PATTERNS)
        installs = [(s, c) for s in self.steps if s.run for c in s.run.cmds if c.pm == "composer" and c.kind == "deps"]
        if not installs:
            raise _Decline("installs no PHP dependencies with `composer install` I can follow")
        if len(installs) > 1:
            raise _Decline("runs `composer install` more than once: not understood", installs[1][0].inst)
        step, cinfo = installs[0]
        data = self._check_composer_project(step, cinfo)
        scripts = self.scripts_run(argvs)
        self.check_dev(DEV_PHP_PATTERNS, [t for _, t in scripts])
        tools = self.runtime_tools(argvs, scripts, set(_PHP_PROGRAMS))
        self._check_root_services(tools, scripts)
        self.runner_image = self.resolve_runner(self.base_text, "")
        kind = self.kind_of(self.runner_image)
        self.runner_default_workdir = "/var/www/html"
        if kind not in ("debian", "alpine"):
            raise _Decline(f"runner {self.runner_image}: a PHP runner needs the php image's shell and tools")

        deps, builder, config = self.build_stages()
        in_deps = any(s is step for s in self.deps_steps)
        flags = self._install_flags(cinfo)
        dev_tools = self._builder_uses_dev_tools()
        no_dev = flags["no_dev"] or (not dev_tools and in_deps)
        own_dump = not in_deps or any(c.pm == "composer" and c.kind == "build" and c.cmd is not None and c.cmd.subcommand() is not None
                       and c.cmd.subcommand().value in ("dump-autoload", "dumpautoload", "dump")
                       for s in self.builder_steps if s.run for c in s.run.cmds)
        events = [e for e in AFTER_SOURCE_EVENTS if e in composer_scripts(data)] if not flags["no_scripts"] and in_deps else []
        new_install = self._rewritten_install(step, cinfo, flags, no_dev, add_no_autoloader=not own_dump) if in_deps else step.inst
        if new_install is not step.inst:
            deps = [new_install if i is step.inst else i for i in deps]
            builder = [new_install if i is step.inst else i for i in builder]
            self.touched.append(step.inst)
        if not own_dump:
            builder = self._insert_dump(builder, step, flags, no_dev, events)

        # runner: the same php image, its system steps again, then the app
        www = WWW_DATA_ALPINE if kind == "alpine" else WWW_DATA_DEBIAN
        if self.final_user in ("root", "0", "0:0", "root:root", ""):
            user, chown = f"{www[1]}:{www[2]}", f"{www[0]}:{www[0]}"
            user_insts: list[Instruction] = []
        else:
            user_insts, user, chown = self.runner_user(kind, www[0])
            # an account a replayed RUN creates is created there already
            made = {s.inst.code_without_leading.strip() for s in getattr(self, "repeated_user_steps", [])}
            user_insts = [i for i in user_insts if i.code_without_leading.strip() not in made]
        keep_pkgs = {t for t in tools if t in COMPOSER_ONLY_PACKAGES}
        runner: list[Instruction] = [self.stage_from(self.runner_image, "runner")]
        replay, replayed_steps, dropped = self._replay(keep_pkgs)
        probe = " ".join(s.inst.code for s in config) + " ".join(i.code for i in replay)
        replayed_args = {w.split("=", 1)[0] for s in replayed_steps if s.kind == "arg" for w in s.inst.value}
        runner.extend(self.arg_copies(self.runner_arg_names(probe) - replayed_args))
        runner.extend(replay)
        replayed_ids = {id(s) for s in replayed_steps}
        runner.extend(self.new(s.inst.code_without_leading.lstrip().rstrip("\r\n"))
                      for s in self.steps if s.kind == "env" and id(s) not in replayed_ids)
        self.repeated_user_steps = list(getattr(self, "repeated_user_steps", [])) + replayed_steps + [
            s for s in self.steps if s.kind == "copy-tool" and self._is_composer_copy(s)]
        runner.extend(user_insts)
        last_wd = next((i for i in reversed(replay) if i.cmd == "WORKDIR"), None)
        wd = self.workdir_inst()
        if wd is not None and (last_wd is None or _abspath(last_wd.value[0].strip("\"'"), "/") != self.final_workdir):
            runner.append(wd)
        app_paths = [self.final_workdir] if getattr(self, "app_home", None) else self._app_roots()
        vend = posixpath.join(self.final_workdir, vendor_dir(data))
        if not any(_under(vend, p) for p in app_paths):
            if not _under(vend, self.final_workdir):
                raise _Decline(f"vendor-dir {vend} is outside the app folder {self.final_workdir}")
            app_paths.append(vend)  # made by the install: no COPY of the original names it
            self.dirs.add(vend)
        runner.extend(self.copy_paths("builder", app_paths, chown))
        runner.extend(self.outside_copies(runner, chown, app_copied=True))
        runner.append(self.user_text(user))
        runner.extend(self.runner_config(config))

        self.gain = True
        how = dropped["composer"][:2] + (["..."] if len(dropped["composer"]) > 2 else [])
        self.leaves.append("Composer" + (" (" + ", ".join(how) + ")" if how else "")
                           + " and its cache")
        if dropped["packages"]:
            self.leaves.append(", ".join(sorted(dropped["packages"])) + " (Composer fetches with them; nothing runs them)")
        dev = sorted((data.get("require-dev") or {}).keys()) if isinstance(data.get("require-dev"), dict) else []
        if no_dev and not flags["no_dev"]:
            self.notes.append("installs with --no-dev: the require-dev packages are not installed"
                              + (f" ({', '.join(dev[:6])}{', ...' if len(dev) > 6 else ''})" if dev else ""))
            if dev:
                self.leaves.append("the require-dev packages")
        if not no_dev:
            self.notes.append(f"keeps the require-dev packages: a build step runs {dev_tools}")
        self.keeps.insert(0, "vendor/ installed in `deps` from composer.json and composer.lock alone")
        if replayed_steps:
            self.keeps.append("the system steps (extensions, libraries) run again on the same image in their order")
        self.keeps.append("the app files: " + ", ".join(app_paths))
        if events:
            self.notes.append("the install runs with --no-scripts; the " + ", ".join(events)
                              + " script(s) run in the builder, after the source copy")
        if not own_dump:
            self.notes.append("the autoloader is dumped (`composer dump-autoload --optimize`) after the source copy")
        if user != self.final_user:
            self.notes.append(f"runs as {self.user_label(user, chown)}, the php image's own account, instead of root; "
                              "the app folder is its own, so storage and cache folders stay writable")
        return self.finish("php", deps, builder, [], runner)

    # ---- checks -----------------------------------------------------------------------------------

    def _check_root_services(self, tools: list[str], scripts: list[tuple[str, str]]) -> None:
        """Decline for images that run services which start as root (nginx or Apache beside
        php-fpm, supervisord, cron) and for start scripts that change owners: a www-data runner
        breaks them."""
        if self.final_user not in ("root", "0", "0:0", "root:root", ""):
            return
        installed = {p.split("=", 1)[0] for s in self.steps if s.run for c in s.run.cmds for p in c.apt}
        started = {posixpath.basename(a[0]) for a in [self.main_argv] if a} | set(tools)
        found = sorted((installed | started) & ROOT_SERVICES)
        if found:
            raise _Decline(f"the image runs {found[0]}, which starts as root and manages its own users: a runner "
                           "as www-data would break it")
        for rel, text in scripts:
            if re.search(r"(?:^|[\s;&|(])(?:chown|chgrp|setfacl)\s", text):
                raise _Decline(f"{rel} changes file owners when the container starts: it expects root, and the "
                               "runner runs as www-data")

    def _check_composer_project(self, step: Step, cinfo: CmdInfo) -> dict:
        """composer.json as data; declines for what the split cannot prove."""
        cwd = self._cmd_cwd(step, cinfo)
        c = cinfo.cmd
        if cwd != step.workdir or c.option_value("-d", "--working-dir", value_flags=_COMPOSER_VALUE_FLAGS) is not None:
            raise _Decline("`composer install` runs in another folder than the WORKDIR: not understood yet", step.inst)
        if any(a.value is None for a in c.args):
            raise _Decline("`composer install` with arguments from variables: not understood", step.inst)
        if step.inst.is_json:
            raise _Decline("`composer install` in an exec-form RUN: not rewritten", step.inst)
        rel = self.ctx_path(posixpath.join(cwd, "composer.json"))
        text = self.bc.read_text(rel) if rel is not None and self.bc.is_file(rel) else None
        if text is None:
            raise _Decline(f"no composer.json reaches {cwd}")
        try:
            data = json.loads(text)
        except ValueError:
            raise _Decline(f"{rel} is not valid JSON")
        if not isinstance(data, dict):
            raise _Decline(f"{rel} is not a JSON object")
        lock = posixpath.join(posixpath.dirname(rel), "composer.lock") if posixpath.dirname(rel) else "composer.lock"
        if not (self.bc.is_file(lock) and self.bc.sent(lock)):
            raise _Decline("no composer.lock in the build context: `composer install` would resolve versions at "
                           "build time, and I split only locked installs")
        repos = path_repositories(data)
        if repos:
            raise _Decline(f"composer.json installs local path packages ({', '.join(repos)}): the deps stage has "
                           "only the manifests")
        scripts = composer_scripts(data)
        if not c.has_flag("--no-scripts"):
            early = [e for e in DURING_INSTALL_EVENTS if e in scripts]
            if early:
                raise _Decline(f"composer.json has {', '.join(early)} script(s), which run while the packages install, "
                               "before the sources are there")
        vend = posixpath.join(posixpath.dirname(rel), vendor_dir(data)) if posixpath.dirname(rel) else vendor_dir(data)
        if self.bc.exists(vend) and self.bc.sent(vend):
            raise _Decline(f"the build context sends {vend}/ (add it to .dockerignore): the source copy would land "
                           "on the installed packages")
        return data

    def _install_flags(self, cinfo: CmdInfo) -> dict:
        c = cinfo.cmd
        vals = [w.value for w in c.args]
        for v in vals:
            if v and re.fullmatch(r"-[A-Za-z]{2,}", v) and set(v[1:]) & {"o", "a"}:
                raise _Decline(f"`composer install {v}`: bundled short flags not understood", None)
        env_no_dev = self.env.get("COMPOSER_NO_DEV", "") not in ("", "0")
        return {
            "no_dev": "--no-dev" in vals or env_no_dev,
            "no_scripts": "--no-scripts" in vals,
            "autoload": [AUTOLOADER_FLAGS[v] for v in vals if v in AUTOLOADER_FLAGS],
            "prefer": any(v and v.startswith(("--prefer-dist", "--prefer-source", "--prefer-install")) for v in vals),
            "no_autoloader": "--no-autoloader" in vals,
        }

    def _builder_uses_dev_tools(self) -> str:
        """A build step that runs a require-dev tool (vendor/bin/..., `composer test`), if any."""
        for s in self.builder_steps:
            if s.run is None:
                continue
            text = " ".join(c.cmd.raw if c.cmd is not None else c.raw for c in s.run.cmds)
            m = re.search(r"vendor/bin/[\w.-]+|\b(?:phpunit|pest|phpstan|psalm)\b|composer\s+(?:test|run-script\s+test|run\s+test)\b", text)
            if m:
                return m.group(0)
        return ""

    # ---- the deps install and the builder's dump --------------------------------------------------

    def _rewritten_install(self, step: Step, cinfo: CmdInfo, flags: dict, no_dev: bool, add_no_autoloader: bool) -> Instruction:
        """The install RUN with the autoloader flags moved to the dump and --no-dev, --no-scripts,
        --no-autoloader and --prefer-dist added where missing."""
        inst = step.inst
        script = parse_shell(body_text(inst), inst.escape)
        k = step.run.cmds.index(cinfo)
        unit = script.units()[k]
        if not isinstance(unit, SimpleCommand) or unit.raw != cinfo.cmd.raw:
            raise _Decline("the `composer install` RUN could not be located for the rewrite", inst)
        add = []
        if no_dev and not flags["no_dev"] and "--no-dev" not in add:
            add.append("--no-dev")
        if not flags["no_scripts"]:
            add.append("--no-scripts")
        if add_no_autoloader and not flags["no_autoloader"]:
            add.append("--no-autoloader")
        if not flags["prefer"]:
            add.append("--prefer-dist")
        drop = [w for w in unit.args if w.value in AUTOLOADER_FLAGS] if add_no_autoloader else []
        if not add and not drop:
            return inst
        if add:
            script = script.insert_after(unit.words[-1], " ".join(add))
        for w in reversed(drop):
            script = script.remove(w)
        return with_body(inst, script.code)

    def _insert_dump(self, builder: list[Instruction], step: Step, flags: dict, no_dev: bool, events: list[str]) -> list[Instruction]:
        """`composer dump-autoload` where the install was, after the source copies (before the
        first build RUN when the install came before the sources)."""
        opts = ["--optimize"] + [f for f in dict.fromkeys(flags["autoload"]) if f != "--optimize"]
        if no_dev:
            opts.append("--no-dev")
        if flags["no_scripts"]:
            opts.append("--no-scripts")
        cmd = f"composer dump-autoload {' '.join(opts)}"
        if "post-install-cmd" in events:
            cmd += f" \\\n    && composer run-script{' --no-dev' if no_dev else ''} post-install-cmd"
        first_source = next((s.index for s in self.steps if s.kind == "copy-source"), None)
        if first_source is not None and step.index > first_source:
            anchor = step.index
        else:
            anchor = next((s.index for s in self.builder_steps if s.kind.startswith("run-")), 10**9)
        before = [s for s in self.builder_steps if s.index < anchor]
        workdir = step.workdir
        at_wd = before[-1].workdir if before else self.deps_end_workdir()
        if before and before[-1].kind == "workdir":
            at_wd = _abspath(before[-1].inst.value[0].strip("\"'"), at_wd)
        if at_wd != workdir:
            raise _Decline(f"the autoloader dump would run in {at_wd}, not in {workdir} where the install ran")
        mine = [k for k, i in enumerate(builder) if any(i is b.inst for b in before)]
        if mine:
            pos = mine[-1] + 1
        else:  # before the first original step (after the FROM and the ARG copies)
            pos = next((k for k, i in enumerate(builder) if any(i is b.inst for b in self.builder_steps)), len(builder))
        dump = self.new(f"{self.kw('RUN')} {cmd}")
        return builder[:pos] + [dump] + builder[pos:]

    # ---- the runner's system steps ------------------------------------------------------------------

    def _is_composer_copy(self, s: Step) -> bool:
        src = s.inst.flag_value("from") or ""
        ref = parse_image(src)
        return ref.familiar.lower() in COMPOSER_IMAGES or any("composer" in (v or "") for v in s.inst.value[:-1])

    def _replay(self, keep_pkgs: set[str]) -> tuple[list[Instruction], list[Step], dict]:
        """The original's system steps for the runner, in order: ARG, ENV, WORKDIR, SHELL before
        the sources, RUNs that install packages, extensions or accounts, and COPY --from of
        tools other than Composer; Composer and the packages only it needs taken out."""
        out: list[Instruction] = []
        steps: list[Step] = []
        dropped = {"composer": [], "packages": set()}
        first_source = next((s.index for s in self.steps if s.kind == "copy-source"), 10**9)
        for s in self.steps:
            k = s.kind
            early = s.index < first_source
            if k in ("arg", "env", "workdir", "shell", "user") and early:
                pass
            elif k == "copy-tool":
                if self._is_composer_copy(s):
                    dropped["composer"].append(f"COPY --from={s.inst.flag_value('from')}")
                    continue
            elif k in ("run-sys", "run-early") or (k == "run-build" and self._installs_system(s)):
                if k == "run-build" and not early:
                    raise _Decline("a RUN after the source copy installs extensions or packages together with build "
                                   "commands: not understood", s.inst)
            else:
                continue
            steps.append(s)
            if s.run is None:
                out.append(self.new(s.inst.code_without_leading.lstrip().rstrip("\r\n")))
                continue
            text = self._replayed_run(s, keep_pkgs, dropped)
            if text is not None:
                out.append(self.new(text))
        # a USER the replay ends with (no RUN after it) is the runner's USER line's business
        while out and out[-1].cmd == "USER":
            out.pop()
        return out, steps, dropped

    def _installs_system(self, s: Step) -> bool:
        return any(c.kind == "sys" for c in s.run.cmds)

    def _replayed_run(self, s: Step, keep_pkgs: set[str], dropped: dict) -> str | None:
        inst = s.inst
        if inst.is_json or inst.heredocs or s.run.opaque:
            if COMPOSER_INSTALLER.search(inst.code) or re.search(r"\bcomposer\b", " ".join(inst.value)):
                raise _Decline("a RUN I cannot edit installs or runs Composer: the runner would get it too", inst)
            return inst.code_without_leading.lstrip().rstrip("\r\n")
        script = parse_shell(body_text(inst), inst.escape)
        changed = False
        for _ in range(200):
            target = self._next_removal(script, keep_pkgs, dropped)
            if target is None:
                break
            script = script.remove(target)
            changed = True
        if not changed:
            return inst.code_without_leading.lstrip().rstrip("\r\n")
        if dropped["packages"] and not any(self._apt(u, ("install", "add")) for u in script.units()):
            # the installs it refreshed the package lists for are gone
            for u in reversed(script.units()):
                if self._apt(u, ("update",)):
                    script = script.remove(u)
        if not any(self._meaningful(u) for u in script.units()):
            return None
        return with_body(inst, script.code).code_without_leading.lstrip().rstrip("\r\n")

    def _next_removal(self, script: ShellScript, keep_pkgs: set[str], dropped: dict):
        """The next word or command to take out of a replayed RUN, or None. A Composer download
        piped into `php` goes as a whole pipeline, its last command first."""
        doomed = dropped.setdefault("pipeline", set())
        for u in script.units():
            if not isinstance(u, SimpleCommand):
                continue
            name = (u.name or "").rsplit("/", 1)[-1]
            composerish = (COMPOSER_INSTALLER.search(u.raw) or name in ("composer", "composer.phar")
                           or any((w.value or "").rstrip("/").endswith("/composer") for w in u.args))
            if composerish or u.raw in doomed:
                pipe = script.pipeline_of(u)
                if composerish and u.raw not in doomed:
                    text = " ".join(re.sub(r"[\\`]\r?\n", " ", " | ".join(p.raw.strip() for p in pipe)).split())
                    dropped["composer"].append(f"`{text[:57]}...`" if len(text) > 60 else f"`{text}`")
                if len(pipe) > 1:
                    doomed.update(p.raw for p in pipe)
                    u = pipe[-1]
                return u
            if name in ("apt-get", "apt", "apk") and u.subcommand() is not None and u.subcommand().value in ("install", "add"):
                pk = [w for w in u.args_without_flags()[1:] if w.value in COMPOSER_ONLY_PACKAGES and w.value not in keep_pkgs]
                if pk:
                    left = [w for w in u.args_without_flags()[1:] if w not in pk]
                    dropped["packages"].update(w.value for w in pk)
                    return u if not left else pk[0]
        return None

    def _apt(self, u, subs: tuple[str, ...]) -> bool:
        if not isinstance(u, SimpleCommand):
            return False
        name = (u.name or "").rsplit("/", 1)[-1]
        sub = u.subcommand()
        return name in ("apt-get", "apt", "apk") and sub is not None and sub.value in subs

    def _meaningful(self, u) -> bool:
        if not isinstance(u, SimpleCommand):
            return True
        name = (u.name or "").rsplit("/", 1)[-1]
        if not u.words or name in _IDLE:
            return False
        sub = u.subcommand()
        if name in ("apt-get", "apt") and sub is not None and sub.value in ("update", "clean", "autoclean", "autoremove"):
            return False
        if name == "rm":
            targets = [w.text for w in u.args_without_flags()]
            return not (targets and all(self._is_cache_path(t, "/") for t in targets))
        return True

"""The ruby strategy: which RUNs are Bundler installs, configuration and build steps (`bundle exec
rails assets:precompile`); Gemfile.lock read for the gems and their sources; the Bundler settings
the split adds (deployment or frozen, without development/test) next to the user's own; the
runtime libraries native gems need; and the ruby plan (deps / builder / runner on the slim or
the same alpine image, the bundle and the app copied, a non-root user)."""
from __future__ import annotations

import io
import os
import posixpath
import re
import zlib

from refactor.codemods.multi_stage.model import CmdInfo, Plan, Step, _abspath, _cmd_text, _Decline, _shell_commands, _under
from refactor.knowledge.ecosystems.ruby import (
    BUNDLE_SETTINGS,
    DEPLOYMENT_PATH,
    DEV_RUBY_PATTERNS,
    GEM_EXECUTABLES,
    GEM_HOME,
    GEM_NATIVE_RUNTIME,
    GEM_NATIVE_SELF_CONTAINED,
    GEM_NATIVE_UNMAPPED,
    GEM_SYSTEM_LIBRARIES_RUNTIME,
    RUBY_TOOLS,
    Lockfile,
    gemfile_git_sources,
    gemfile_group_gems,
    gemfile_groups,
    precompiled,
    read_lockfile,
)
from refactor.knowledge.system_packages import DEBIAN_TO_ALPINE
from refactor.shell.parse import SimpleCommand
from refactor.syntax.nodes import Instruction
from refactor.syntax.lazy_re import lazy

_BUNDLE_VALUE_FLAGS = ("--gemfile", "--path", "--without", "--with", "-j", "--jobs", "--retry", "--binstubs",
                       "--shebang", "--trust-policy", "--target-rbconfig")
_GEM_VALUE_FLAGS = ("-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--platform", "-s", "--source",
                    "--document", "-N")
# Folders of a Ruby app that hold tests, dependencies or tooling, not the code the server loads.
_NOT_APP_CODE = frozenset({".git", "node_modules", "vendor", "spec", "test", "tests", "features", "tmp", "log", ".bundle"})
_PRODUCTION = lazy(r"\b(?:RAILS_ENV|RACK_ENV|APP_ENV)=[\"']?production\b|(?:\s-[eE]|--env(?:ironment)?)[= ]production\b")


class RubyStrategy:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # ---- reading the RUN commands ---------------------------------------------------------------

    def _classify_ruby(self, c: SimpleCommand, argv0: str, cwd: str, inst) -> CmdInfo:
        args = [w.value for w in c.args]
        if any(a is None for a in args):
            raise _Decline(f"`{c.raw.strip()[:60]}`: a Ruby command whose arguments use variables: not understood", inst)
        if argv0 in ("bundle", "bundler"):
            sub = c.subcommand(value_flags=_BUNDLE_VALUE_FLAGS)
            sub = sub.value if sub is not None else "install"
            if sub == "install":
                if c.option_value("--gemfile", value_flags=_BUNDLE_VALUE_FLAGS) or c.has_flag("--standalone", value_flags=_BUNDLE_VALUE_FLAGS):
                    raise _Decline(f"`{c.raw.strip()[:60]}`: another Gemfile or a standalone bundle: not understood", inst)
                manifests = tuple(_abspath(n, cwd) for n in ("Gemfile", "Gemfile.lock"))
                return CmdInfo("deps", "bundle", manifests=manifests, pm="bundler", cmd=c)
            if sub == "config":
                return CmdInfo("deps", "bundle", pm="bundler-config", cmd=c)
            if sub in ("check", "version", "--version", "-v", "env", "platform", "list", "info", "outdated"):
                return CmdInfo("neutral", "bundle", cmd=c)
            if sub in ("update", "add", "remove", "lock", "inject"):
                raise _Decline(f"`{c.raw.strip()[:60]}` changes the resolution at build time: the deps stage could "
                               "not be fed by Gemfile and Gemfile.lock alone", inst)
            return CmdInfo("build", "bundle", pm="bundler-exec" if sub == "exec" else None, cmd=c)
        if argv0 == "gem":
            sub = c.subcommand(value_flags=_GEM_VALUE_FLAGS)
            sub = sub.value if sub is not None else ""
            if sub in ("install", "update"):
                if c.has_flag("--system") or c.has_flag("-i", "--install-dir", "-n", "--bindir", "--user-install",
                                                         value_flags=_GEM_VALUE_FLAGS):
                    raise _Decline(f"`{c.raw.strip()[:60]}` installs outside GEM_HOME ({GEM_HOME}), which the runner "
                                   "copies whole: its files are not enumerable", inst)
                if any(a.endswith(".gem") or "/" in a for a in (w.value for w in c.args_without_flags(_GEM_VALUE_FLAGS)[1:])):
                    return CmdInfo("build", "gem", pm="gem", cmd=c)  # a gem from the source tree
                return CmdInfo("tool", "gem", pm="gem", cmd=c)
            if sub in ("env", "list", "sources", "--version", "-v", "spec", "which", "contents", "query"):
                return CmdInfo("neutral", "gem", cmd=c)
            return CmdInfo("build", "gem", pm="gem", cmd=c)
        return CmdInfo("build", argv0, pm="ruby", cmd=c)  # rake, rails: the app's own tasks


    # ---- the plan ------------------------------------------------------------------------------

    def _plan_ruby(self) -> Plan:
        base = self.base
        argvs = self.checked_start(DEV_RUBY_PATTERNS)
        scripts = self.scripts_run(argvs)
        self.check_dev(DEV_RUBY_PATTERNS, [t for _, t in scripts])
        installs = [(s, c) for s in self.steps if s.run for c in s.run.cmds if c.pm == "bundler"]
        if not installs:
            raise _Decline("installs no gems with `bundle install`")
        apps = {posixpath.dirname(c.manifests[0]) for _, c in installs}
        if len(apps) > 1:
            raise _Decline("`bundle install` runs in several folders: not understood")
        app = apps.pop()
        self.ruby_app = app
        gemfile, lock = self._ruby_manifests(app)
        user = self._bundle_user_settings()
        self._check_bundle_config_env()
        groups = gemfile_groups(gemfile) & {"development", "test"}
        texts = [_cmd_text(a) for a in argvs if a] + [t for _, t in scripts]
        production = any(self.env.get(k) == "production" for k in ("RAILS_ENV", "RACK_ENV", "APP_ENV")) \
            or any(_PRODUCTION.search(t) for t in texts)
        ours: list[tuple[str, str]] = []
        placement = {"deployment", "frozen", "path", "path.system", "system"} & set(user)
        mediated = self._runs_through_bundler(argvs, scripts, lock)
        if placement:
            bundle_dir = self._user_bundle_dir(user, app)
        elif mediated:
            ours.append(("deployment", "true"))
            bundle_dir = posixpath.join(app, DEPLOYMENT_PATH)
        else:
            ours.append(("frozen", "true"))
            bundle_dir = GEM_HOME
            self.notes.append("gems stay in GEM_HOME with `frozen` instead of deployment mode: the start command "
                              "runs gem commands without `bundle exec`, which deployment's vendor/bundle would hide")
        local_bundle = self.ctx_path(bundle_dir) if _under(bundle_dir, app) and not _under(bundle_dir, GEM_HOME) else None
        if local_bundle and self.bc.exists(local_bundle) and self.bc.sent(local_bundle):
            raise _Decline(f"the build context has {local_bundle} (not in .dockerignore): the source copy would lay it "
                           f"over the bundle the deps stage installs in {bundle_dir}")
        if groups and not ({"without", "with", "only"} & set(user)):
            build_texts = " ".join(s.inst.code for s in self.steps if s.kind in ("run-build",))
            if not production:
                self.notes.append(f"the {' and '.join(sorted(groups))} gems stay in the bundle: the app does not run "
                                  "with RAILS_ENV/RACK_ENV=production, so its code may load them")
            elif re.search(r"\b(?:rspec|rubocop|minitest|test|spec)\b", build_texts):
                self.notes.append("the development and test gems stay in the bundle: a build step runs tests")
            elif required := self._required_dev_gem(gemfile_group_gems(gemfile, groups), app):
                self.notes.append(f"the development and test gems stay in the bundle: {required[1]} requires "
                                  f"`{required[0]}`, which the Gemfile puts in a development/test group")
            else:
                ours.append(("without", "development test"))
                self.leaves.append(f"the {' and '.join(sorted(groups))} gems (bundle without)")
                self.gain = True
        extra = self._native_gem_libraries(lock, user)

        kind = self.slim_runner(base, "Ruby")
        if kind == "alpine":
            missing = [p for p in extra if p not in DEBIAN_TO_ALPINE]
            if missing:
                raise _Decline(f"no alpine package known for {missing[0]}, which a native gem needs at run time")

        for st in self.steps:
            # `COPY vendor/cache vendor/cache`: what `bundle install` reads, like the manifests
            if st.kind == "copy-source" and st.entries and all(
                    e.is_dir and posixpath.basename(e.src.rstrip("/")) == "cache"
                    and posixpath.basename(posixpath.dirname(e.src.rstrip("/"))) == "vendor"
                    and e.dest == posixpath.join(app, "vendor/cache") for e in st.entries):
                st.kind = "copy-manifest"
        deps, builder, config = self.build_stages()
        deps = self._ruby_deps_extras(deps, installs[0][0], app, ours)
        provided = set(RUBY_TOOLS) | set(lock.gems) | {x for g in lock.gems for x in GEM_EXECUTABLES.get(g, ())}
        tools = self.runtime_tools(argvs, scripts, provided)
        packages, left = self.runtime_packages(tools, extra, set())
        self.leaves.extend(left)
        runner, run_user, chown = self.runner_head(config, packages, kind)
        runner.append(self.copy_line("builder", GEM_HOME, GEM_HOME, None))
        app_paths = self._app_roots()
        if not _under(bundle_dir, GEM_HOME) and not any(_under(bundle_dir, p) for p in app_paths):
            runner.append(self.copy_line("builder", bundle_dir, bundle_dir, None))
        runner.extend(self.copy_paths("builder", app_paths, chown))
        runner.extend(self.outside_copies(runner, chown, app_copied=True))
        runner.append(self.user_text(run_user))
        runner.extend(self.runner_config(config))
        self.keeps.insert(0, f"the bundle ({bundle_dir}) and Bundler's config ({GEM_HOME}/config)")
        self.keeps.append("the app files: " + ", ".join(app_paths))
        if any("assets:precompile" in s.inst.code for s in self.steps if s.kind == "run-build"):
            self.keeps.append("the assets the builder precompiled")
        if ours:
            said = ", ".join(f"{k} '{v}'" for k, v in ours)
            self.notes.append(f"the deps stage sets Bundler's {said} (`bundle config set --local`; the runner "
                              f"reads them from {GEM_HOME}/config): Gemfile.lock must match the Gemfile")
        if self.runner_image != self.base_text:
            self.leaves.append("the compilers, headers and -dev libraries of the full ruby image")
            self.gain = True
        if run_user != self.final_user:
            self.notes.append(f"runs as {self.user_label(run_user, chown)} instead of root")
        return self.finish("ruby", deps, builder, [], runner)


    # ---- the manifests -------------------------------------------------------------------------

    def _required_dev_gem(self, gems: set[str], app: str) -> tuple[str, str] | None:
        """A development/test gem the app's own code requires outside its tests (`require "pry"`
        in app.rb): without those groups it would raise LoadError at start."""
        if not gems:
            return None
        paths = {g: {g, g.replace("-", "/")} for g in gems}
        rx = re.compile(r"^\s*require\s*\(?\s*['\"]([\w./-]+)['\"]", re.M)
        root = self.ctx_path(app)
        if root is None:
            return None
        base = self.bc.root / root if root not in ("", ".") else self.bc.root
        seen = 0
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if d not in _NOT_APP_CODE)
            for name in sorted(filenames):
                if not name.endswith((".rb", ".ru")) or name.endswith(("_spec.rb", "_test.rb")):
                    continue
                seen += 1
                if seen > 5000:
                    return None
                full = os.path.join(dirpath, name)
                try:
                    text = open(full, encoding="utf-8", errors="replace").read(200_000)
                except OSError:
                    continue
                for req in rx.findall(text):
                    for gem, names in paths.items():
                        if req in names or any(req.startswith(n + "/") for n in names):
                            return gem, os.path.relpath(full, self.bc.root).replace(os.sep, "/")
        return None

    def _ruby_manifests(self, app: str) -> tuple[str, Lockfile]:
        gf_rel = self.ctx_path(posixpath.join(app, "Gemfile"))
        if gf_rel is None or not self.bc.is_file(gf_rel):
            raise _Decline(f"no Gemfile reaches {app}, where `bundle install` runs")
        lock_rel = self.ctx_path(posixpath.join(app, "Gemfile.lock"))
        if lock_rel is None or not self.bc.is_file(lock_rel) or not self.bc.sent(lock_rel):
            raise _Decline("a Gemfile without Gemfile.lock: `bundle install` resolves the versions at build time, "
                           "so a deps stage and a frozen install could differ from what the original got")
        text = self.bc.read_text(gf_rel) or ""
        lock = read_lockfile(self.bc.read_text(lock_rel) or "")
        git = gemfile_git_sources(text)
        if git or lock.git:
            raise _Decline(f"gems from git ({(git or lock.git)[0]}): fetched at install time and kept as checkouts; "
                           "not understood yet")
        for line in text.splitlines():
            code = line.split("#", 1)[0]
            if re.match(r"^\s*gemspec\b", code) or re.search(r"\bpath:|:path\s*=>|^\s*path\s+['\"]", code) or lock.path:
                raise _Decline("the Gemfile installs gems from the source tree (`path:` or `gemspec`): the deps "
                               "stage would need the source")
            if re.search(r"\b(?:eval_gemfile|require_relative|load|File\.|Dir\.|IO\.)\b", code):
                raise _Decline(f"the Gemfile runs Ruby that reads other files: {code.strip()}")
        named = set(re.findall(r"^\s*gem\s*\(?\s*['\"]([^'\"]+)['\"]", text, re.M))
        if lock.dependencies and named != set(lock.dependencies):
            diff = sorted(named ^ set(lock.dependencies))
            raise _Decline(f"Gemfile.lock does not match the Gemfile ({diff[0]}): a frozen install would fail")
        if lock.platforms and not any(p == "ruby" or "linux" in p for p in lock.platforms):
            raise _Decline(f"Gemfile.lock has no ruby or linux platform ({', '.join(lock.platforms)}): a frozen "
                           "install would fail")
        if self.env.get("BUNDLE_GEMFILE"):
            raise _Decline("BUNDLE_GEMFILE names another Gemfile: not understood")
        return text, lock


    def _bundle_user_settings(self) -> dict[str, str]:
        """The Bundler settings the Dockerfile chooses itself: ENV BUNDLE_*, `bundle config set
        --local`, remembered `bundle install` flags. Global config (root's ~/.bundle) declines:
        the runner's user would not read it."""
        out: dict[str, str] = {}
        env_names = {v: k for k, v in BUNDLE_SETTINGS.items()}
        for k in self.env_names:
            if k in env_names:
                out[env_names[k]] = self.env.get(k, "")
        for s in self.steps:
            if s.run is None:
                continue
            for c in s.run.cmds:
                if c.pm == "bundler-config" and c.cmd is not None:
                    words = [w.value for w in c.cmd.args]
                    local = "--local" in words
                    rest = [w for w in words if w not in ("config", "set", "--local", "--global", "unset")]
                    if words[:1] == ["config"] and (words[1:2] in (["get"], ["list"]) or len(rest) == 0):
                        continue
                    if not local:
                        raise _Decline(f"`{c.cmd.raw.strip()[:60]}` writes root's ~/.bundle/config (global), which the "
                                       "runner's non-root user would not read: use `bundle config set --local`", s.inst)
                    if rest:
                        out[rest[0].replace("BUNDLE_", "").lower()] = " ".join(rest[1:])
                elif c.pm == "bundler" and c.cmd is not None:
                    cmd = c.cmd
                    for flag, key in (("--deployment", "deployment"), ("--frozen", "frozen"), ("--system", "system")):
                        if cmd.has_flag(flag, value_flags=_BUNDLE_VALUE_FLAGS):
                            out[key] = "true"
                    for flag, key in (("--path", "path"), ("--without", "without"), ("--with", "with")):
                        v = cmd.option_value(flag, value_flags=_BUNDLE_VALUE_FLAGS)
                        if v is not None:
                            out[key] = v
        return out


    def _check_bundle_config_env(self) -> None:
        app_config = self.env.get("BUNDLE_APP_CONFIG")
        if "BUNDLE_APP_CONFIG" in self.env_names and app_config not in (GEM_HOME, GEM_HOME + "/"):
            raise _Decline(f"BUNDLE_APP_CONFIG={app_config}: Bundler's config moved; not understood")
        for k in ("GEM_HOME", "GEM_PATH"):
            if k in self.env_names and self.env.get(k) not in (GEM_HOME, GEM_HOME + "/"):
                raise _Decline(f"{k}={self.env.get(k)}: gems installed outside {GEM_HOME}; not understood")


    def _user_bundle_dir(self, user: dict[str, str], app: str) -> str:
        path = user.get("path")
        if path:
            return _abspath(path, app)
        if user.get("deployment", "").lower() in ("true", "1", "yes") and user.get("path.system", "").lower() not in ("true", "1"):
            return posixpath.join(app, DEPLOYMENT_PATH)
        return GEM_HOME


    # ---- the start command -----------------------------------------------------------------------

    def _runs_through_bundler(self, argvs: list[list[str]], scripts: list[tuple[str, str]], lock: Lockfile) -> bool:
        """Every Ruby program the container starts goes through Bundler (`bundle exec`, a binstub
        or a script that requires bundler/setup): then deployment mode's vendor/bundle, which is
        on no PATH and in no GEM_PATH, is found."""
        gem_cmds = set(lock.gems) | {x for g in lock.gems for x in GEM_EXECUTABLES.get(g, ())} | {"ruby", "rake", "rails", "rackup"}
        texts = [_cmd_text(a) for a in argvs if a] + [t for _, t in scripts]
        if getattr(self, "handover_argv", None):
            texts.append(_cmd_text(self.handover_argv))  # the CMD an entrypoint script execs ("$@")
        for t in texts:
            for u in _shell_commands(t):
                if not isinstance(u, SimpleCommand) or not u.name:
                    continue
                words = [w.value or "" for w in u.words[len(u.wrappers):]]
                prog = words[0].rsplit("/", 1)[-1] if words else ""
                if prog == "exec" and len(words) > 1:
                    words = words[1:]
                    prog = words[0].rsplit("/", 1)[-1]
                if prog in ("bundle", "bundler"):
                    continue  # `bundle exec X` (the install forms decline earlier)
                if "/" in words[0] and prog not in ("ruby",):
                    if self._loads_bundler(posixpath.join(self.final_workdir, words[0])):
                        continue
                    if prog in gem_cmds:
                        return False
                    continue
                if prog == "ruby":
                    script = next((w for w in words[1:] if not w.startswith("-")), None)
                    if any(w.startswith("-rbundler/setup") for w in words[1:]) or \
                            (script and self._loads_bundler(_abspath(script, self.final_workdir))):
                        continue
                    return False
                if prog in gem_cmds:
                    return False
        return True


    def _loads_bundler(self, image_path: str) -> bool:
        rel = self.ctx_path(image_path)
        text = self.bc.read_text(rel) if rel and self.bc.is_file(rel) else None
        return bool(text) and bool(re.search(r"bundler/setup|Bundler\.(?:setup|require)|config/boot|config/application", text))


    # ---- native gems -----------------------------------------------------------------------------

    def _native_gem_libraries(self, lock: Lockfile, user: dict[str, str]) -> list[str]:
        """The runtime packages the gems' native extensions need (Debian names); declines for a
        gem known to build against a library the table does not map, or one the build configures
        (`bundle config build.<gem>`) or whose cached .gem declares extensions, unknown here."""
        system_libs = {k.split(".", 1)[1] for k, v in user.items() if k.startswith("build.") and "system-librar" in v}
        system_libs |= {k[len("BUNDLE_BUILD__"):].lower() for k, v in self.env.items()
                        if k.startswith("BUNDLE_BUILD__") and "system-librar" in v}
        if self.env.get("NOKOGIRI_USE_SYSTEM_LIBRARIES"):
            system_libs.add("nokogiri")
        configured = {k.split(".", 1)[1] for k in user if k.startswith("build.")}
        configured |= {k[len("BUNDLE_BUILD__"):].lower().replace("__", "-") for k in self.env if k.startswith("BUNDLE_BUILD__")}
        cached = self._cached_gems_with_extensions()
        out: list[str] = []
        for name, version in lock.gems.items():
            if name in GEM_NATIVE_UNMAPPED:
                raise _Decline(f"the gem {name} builds against a system library whose runtime package I do not know")
            if name in GEM_NATIVE_RUNTIME:
                if name == "sqlite3" and precompiled(version):
                    continue  # the platform gem carries its own SQLite
                out.extend(GEM_NATIVE_RUNTIME[name])
            elif name in GEM_SYSTEM_LIBRARIES_RUNTIME:
                if name in system_libs and not precompiled(version):
                    out.extend(GEM_SYSTEM_LIBRARIES_RUNTIME[name])
            elif name not in GEM_NATIVE_SELF_CONTAINED and (name in configured or name in cached):
                why = "the build configures its extension" if name in configured else "its cached .gem builds an extension"
                raise _Decline(f"the gem {name} is native ({why}) and not one whose runtime libraries I know")
        return list(dict.fromkeys(out))


    def _cached_gems_with_extensions(self) -> set[str]:
        """Gems in the app's vendor/cache whose metadata lists extensions."""
        root = self.ctx_path(posixpath.join(self.ruby_app, "vendor/cache"))
        out: set[str] = set()
        if root is None:
            return out
        import tarfile  # here: it and shutil cost every start that loads the planner ~5 ms

        for name in self._listdir(root):
            if not name.endswith(".gem"):
                continue
            try:
                data = (self.bc.root / root / name).read_bytes()
                with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                    meta = tar.extractfile("metadata.gz")
                    text = zlib.decompress(meta.read(), 16 + zlib.MAX_WBITS).decode("utf-8", "replace") if meta else ""
            except (OSError, tarfile.TarError, KeyError, zlib.error):
                continue
            m = re.search(r"^extensions:\s*\n((?:- .*\n)+)", text, re.M)
            gem = re.search(r"^name:\s*(\S+)", text, re.M)
            if m and gem:
                out.add(gem.group(1))
        return out


    # ---- the deps stage --------------------------------------------------------------------------

    def _ruby_deps_extras(self, deps: list[Instruction], install: Step, app: str, ours: list[tuple[str, str]]) -> list[Instruction]:
        """Before the deps stage's `bundle install`: the app's vendor/cache (Bundler installs from
        it) when the stage does not have it, then the settings the split adds."""
        at = next((i for i, inst in enumerate(deps) if inst is install.inst), None)
        if at is None:
            raise _Decline("`bundle install` cannot move to the deps stage (it reads more than the manifests)", install.inst)
        insert: list[Instruction] = []
        cache = self.ctx_path(posixpath.join(app, "vendor/cache"))
        copied_cache = any(s.kind.startswith("copy") and any(_under(posixpath.join(app, "vendor/cache"), e.dest) or
                                                               _under(e.dest, posixpath.join(app, "vendor/cache")) for e in s.entries)
                           for s in self.deps_steps)
        if cache and self.bc.exists(cache) and not self.bc.is_file(cache) and self.bc.sent(cache) and not copied_cache:
            dest = "./vendor/cache/" if app == install.workdir else posixpath.join(app, "vendor/cache") + "/"
            insert.append(self.new(f"{self.kw('COPY')} {cache} {dest}"))
            self.notes.append("the deps stage copies vendor/cache too: Bundler installs the gems from it")
        if ours:
            text = " \\\n    && ".join(f"bundle config set --local {k} '{v}'" for k, v in ours)
            insert.append(self.new(f"{self.kw('RUN')} {text}"))
        return deps[:at] + insert + deps[at:]

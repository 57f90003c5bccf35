"""The java strategy: `mvn dependency:go-offline` / `gradle dependencies` in deps (from the
manifests and wrapper files only), the jar the Maven or Gradle build writes (checked against the
start command), and the java plan: a JRE runner of the same vendor, Java version and libc with
the jar, or Spring Boot's layers extracted from it, run by a non-root user."""
from __future__ import annotations

import fnmatch
import json
import os
import posixpath
import re
import shlex

from refactor.codemods.multi_stage.model import CmdInfo, Plan, _abspath, _Decline, _unquote
from refactor.knowledge.ecosystems.java import (
    BOOT_LAYERS,
    DEV_JAVA_PATTERNS,
    MANIFEST_DIRS,
    JavaJars,
    boot_launcher,
    gradle_jars,
    maven_jars,
)
from refactor.knowledge.runner_images import jre_runner
from refactor.syntax.nodes import Instruction
from refactor.syntax.lazy_re import lazy

_MVN_DEPS_GOALS = lazy(r"^(?:dependency:(?:go-offline|resolve|resolve-plugins)|[\w.:-]*:go-offline(?::[\w-]+)?|"
                             r"de\.qaware\.maven:go-offline-maven-plugin:resolve-dependencies)$")
_GRADLE_DEPS_TASKS = ("dependencies", "resolveDependencies", "downloadDependencies")
# mvn options whose value is the next word
_MVN_VALUE_FLAGS = ["-f", "--file", "-s", "--settings", "-gs", "--global-settings", "-P", "--activate-profiles",
                    "-pl", "--projects", "-T", "--threads", "-t", "--toolchains", "-l", "--log-file", "-rf",
                    "--resume-from", "-D", "--define"]
_GRADLE_VALUE_FLAGS = ["-b", "--build-file", "-c", "--settings-file", "-p", "--project-dir", "-x", "--exclude-task",
                       "-D", "-P", "-I", "--init-script", "-g", "--gradle-user-home", "--max-workers"]
SOURCE_EXTS = [".java", ".kt", ".groovy", ".scala"]


class JavaStrategy:
    """Methods of the planner (refactor.codemods.multi_stage.planner)."""

    # ---- classifying RUN commands ---------------------------------------------------------------

    def _is_manifest_dir(self, rel: str) -> bool:
        return self.eco == "java" and rel in MANIFEST_DIRS


    def _java_words(self, c) -> tuple[str, list[str]]:
        name = (c.name or "").rsplit("/", 1)[-1]
        tool = "maven" if name in ("mvn", "mvnw") else "gradle"
        flags = _MVN_VALUE_FLAGS if tool == "maven" else _GRADLE_VALUE_FLAGS
        words = [w.value for w in c.args_without_flags(value_flags=flags)]
        return tool, [w for w in words if w is not None]


    def _classify_java(self, c, argv0: str, cwd: str) -> CmdInfo:
        if self.eco != "java":
            return CmdInfo("other", argv0, cmd=c)  # a JVM build inside another ecosystem's image: opaque
        tool, words = self._java_words(c)
        if any(w.value is None for w in c.args):
            return CmdInfo("build", argv0, pm=tool, cmd=c)
        wrapper = argv0 in ("mvnw", "gradlew")
        if tool == "maven":
            deps = bool(words) and all(_MVN_DEPS_GOALS.match(w) for w in words)
            files = ["pom.xml"] + (["mvnw"] if wrapper else [])
            wdir = ".mvn"
        else:
            deps = bool(words) and all(w.split(":")[-1] in _GRADLE_DEPS_TASKS for w in words)
            files = [f for f in ("build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts",
                                 "gradle.properties") if self._ctx_file_at(_abspath(f, cwd))]
            files += ["gradlew"] if wrapper else []
            wdir = "gradle"
        if not deps:
            return CmdInfo("build", argv0, pm=tool, cmd=c)
        info = CmdInfo("deps", argv0, manifests=tuple(_abspath(f, cwd) for f in files), pm=tool, cmd=c)
        # Moved above the source copy, the resolution gets only the manifest files: a wrapper also
        # needs its folder, and Gradle's build scripts may read anything; both stay in place
        # unless their configuration arrived before the source.
        dir_copied = any(s.kind == "copy-manifest" and any(e.is_dir and e.dest == _abspath(wdir, cwd) for e in s.entries)
                         for s in self.steps)
        mvn_dir = self.ctx_path(_abspath(".mvn", cwd))
        has_mvn_dir = tool == "maven" and mvn_dir is not None and self.bc.exists(mvn_dir)
        if (wrapper or tool == "gradle" or has_mvn_dir) and not dir_copied:
            info.hoistable = False
        if tool == "maven" and (c.option_value("-f", "--file", "-s", "--settings", value_flags=_MVN_VALUE_FLAGS)):
            info.hoistable = False
        return info


    def _ctx_file_at(self, image_path: str) -> str | None:
        rel = self.ctx_path(image_path)
        return rel if rel and self.bc.is_file(rel) and self.bc.sent(rel) else None


    # ---- the plan -------------------------------------------------------------------------------

    def _plan_java(self) -> Plan:
        base = self.base
        argvs = self.checked_start(DEV_JAVA_PATTERNS)
        derived, why = jre_runner(base)
        self.runner_image = self.resolve_runner(derived, f"{why}: I do not know which JRE runs the jar "
                                                "(--runner-base names one)")
        kind = self.kind_of(self.runner_image)
        if (kind == "alpine") != (base.libc == "musl"):
            raise _Decline(f"the runner {self.runner_image} would switch the C library of {self.base_text}")
        self.runner_default_workdir = "/"
        jar_word, _ = self._java_start()
        outputs, boot = self._java_outputs()
        jar = self._match_jar(jar_word, outputs)
        launcher = boot_launcher(boot.boot_version) if boot is not None and boot.boot_jar == jar else None
        layered = launcher is not None and self._start_is_rewritable(jar_word)
        if layered and boot.boot_custom:
            layered = False
            self.notes.append(f"a Spring Boot jar copied whole: {boot.boot_custom}, so its layers or launcher may "
                              "not be Boot's defaults")
        elif boot is not None and boot.boot_jar == jar and not layered:
            self.notes.append("a Spring Boot jar copied whole: its layered extraction needs a Spring Boot version "
                              "from 2.4 to 3.x I can read and a plain `java ... -jar` start command")
        deps, builder, config = self.build_stages()
        if not any(s.run and any(c.kind == "deps" for c in s.run.cmds) for s in self.steps):
            deps = self._add_java_deps(deps)
        if layered:
            builder.append(self.new(f"{self.kw('RUN')} java -Djarmode=layertools -jar {jar} extract --destination /layers"))
        scripts = self.scripts_run(argvs)
        tools = self.runtime_tools(argvs, scripts, {"java", "jar"} | ({posixpath.basename(jar)}))
        packages, left = self.runtime_packages(tools, [], set())
        self.leaves.extend(left)
        runner, user, chown = self.runner_head(config, packages, kind)
        self.check_runtime_writes(SOURCE_EXTS)
        files = [f for f in self._runtime_files(jar, SOURCE_EXTS) if not f.endswith(".jar")]
        if layered:
            for layer in BOOT_LAYERS:
                runner.append(self.copy_line("builder", f"/layers/{layer}/", "./", None))
        else:
            parent = posixpath.dirname(jar)
            runner.append(self.copy_line("builder", jar, self.dest_text(parent, True) if parent != self.final_workdir else "./", None))
        runner.extend(self.copy_paths("builder", files, chown))
        runner.extend(self.outside_copies(runner, chown, app_copied=False))
        runner.append(self.user_text(user))
        cfg = self.runner_config(config)
        if layered:
            cfg = self._rewrite_start(cfg, jar_word, launcher)
            self.keeps.insert(0, f"the Spring Boot layers of {jar} (dependencies, spring-boot-loader, "
                                 "snapshot-dependencies, application), started by its JarLauncher")
            self.notes.append(f"the start command runs {launcher} on the extracted layers instead of `-jar {jar_word}`")
        else:
            self.keeps.insert(0, f"the jar {jar}")
        runner.extend(cfg)
        if files:
            self.keeps.append("files the code reads at run time: " + ", ".join(files))
        self.leaves.append("the JDK, " + ("Maven" if self.java_tool == "maven" else "Gradle")
                           + ", the dependency cache, the source and the build output beside the jar")
        self.gain = True
        if user != self.final_user:
            self.notes.append(f"runs as {self.user_label(user, chown)} instead of root")
        return self.finish("java", deps, builder, [], runner)


    # ---- the start command ------------------------------------------------------------------------

    def _java_start(self) -> tuple[str, list[str]]:
        """The jar the start command runs (as written) and the start argv."""
        for main in (self.main_argv, self.handover_argv):
            if not main:
                continue
            words = main
            if len(main) > 2 and main[0] in ("/bin/sh", "sh", "/bin/bash", "bash") and main[1] == "-c":
                try:
                    words = shlex.split(main[2])
                except ValueError:
                    continue
                if words[:1] == ["exec"]:
                    words = words[1:]
            if not words or posixpath.basename(words[0]) != "java":
                continue
            for flag in ("-cp", "-classpath", "--class-path", "-m", "--module"):
                if flag in words:
                    raise _Decline(f"the start command runs java {flag}: a class path or module I cannot follow")
            if "-jar" in words and words.index("-jar") + 1 < len(words):
                jar = words[words.index("-jar") + 1]
                if "$" in jar:
                    raise _Decline(f"the start command's jar {jar} comes from a variable")
                return jar, main
        raise _Decline("the start command runs no `java -jar`: I cannot tell which built file it needs")


    def _match_jar(self, word: str, outputs: list[str]) -> str:
        path = _abspath(word, self.final_workdir)
        if any(ch in path for ch in "*?["):
            hits = [o for o in outputs if fnmatch.fnmatchcase(o, path)]
            if len(hits) != 1:
                raise _Decline(f"the start command's {word} matches {len(hits)} of the jars the build writes "
                               f"({', '.join(outputs) or 'none I can name'}): which one runs is not proven")
            return hits[0]
        if path in outputs:
            return path
        raise _Decline(f"cannot tell which built file the start command runs ({word}; built: "
                       f"{', '.join(outputs) or 'nothing I can name'})")


    def _start_is_rewritable(self, jar_word: str) -> bool:
        for s in self.steps:
            if s.inst.cmd in ("CMD", "ENTRYPOINT") and jar_word in " ".join(s.inst.value):
                text = " ".join(s.inst.value)
                return len(re.findall(r"(?:^|\s)-jar\s", text)) == 1 and "$" not in text
        return False


    def _rewrite_start(self, cfg: list[Instruction], jar_word: str, launcher: str) -> list[Instruction]:
        out = []
        for inst in cfg:
            if inst.cmd in ("CMD", "ENTRYPOINT") and jar_word in " ".join(inst.value):
                if inst.is_json:
                    argv = [_unquote(v) for v in inst.value]
                    i = argv.index("-jar")
                    argv[i:i + 2] = [launcher]
                    new = self.new(f"{inst.keyword} [{', '.join(json.dumps(a) for a in argv)}]")
                else:
                    text = inst.value[0]
                    new = self.new(f"{inst.keyword} " + re.sub(r"-jar\s+" + re.escape(jar_word), launcher, text, count=1))
                self.touched.append(inst)
                inst = new.with_changes(leading=inst.leading)
            out.append(inst)
        return out


    # ---- what the build writes --------------------------------------------------------------------

    def _java_outputs(self) -> tuple[list[str], JavaJars | None]:
        builds = [(s, c) for s in self.steps if s.run for c in s.run.cmds
                  if c.pm in ("maven", "gradle") and c.kind == "build" and c.cmd is not None]
        if not builds:
            raise _Decline("no `mvn` or `gradle` build I can follow")
        tools = {c.pm for _, c in builds}
        if len(tools) > 1:
            raise _Decline("both Maven and Gradle build here: not understood")
        self.java_tool = tools.pop()
        outputs: list[str] = []
        boot = None
        for s, c in builds:
            cwd = self._cmd_cwd(s, c)
            tool, words = self._java_words(c.cmd)
            if tool == "maven":
                if c.cmd.option_value("-f", "--file", "-pl", "--projects", value_flags=_MVN_VALUE_FLAGS):
                    raise _Decline("`mvn -f`/`-pl`: a build of another project file or module, not understood")
                rel = self._ctx_file_at(posixpath.join(cwd, "pom.xml"))
                if rel is None:
                    raise _Decline(f"no pom.xml reaches {cwd}")
                text = self.bc.read_text(rel) or ""
                profiles = re.search(r"<profiles>(.*?)</profiles>", text, re.S)
                if c.cmd.option_value("-P", "--activate-profiles", value_flags=_MVN_VALUE_FLAGS) and profiles \
                        and re.search(r"<finalName>|<directory>|<packaging>", profiles.group(1)):
                    raise _Decline("`mvn -P`: the profile renames or moves the jar, not understood", s.inst)
                found = maven_jars(text, words)
            else:
                if c.cmd.option_value("-b", "--build-file", "-p", "--project-dir", value_flags=_GRADLE_VALUE_FLAGS):
                    raise _Decline("`gradle -b`/`-p`: a build of another project folder, not understood")
                texts = {}
                for f in ("build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties"):
                    rel = self._ctx_file_at(posixpath.join(cwd, f))
                    texts[f] = (self.bc.read_text(rel) or "") if rel else ""
                if not texts["build.gradle"] and not texts["build.gradle.kts"]:
                    raise _Decline(f"no build.gradle reaches {cwd}")
                found = gradle_jars(texts["build.gradle"] + texts["build.gradle.kts"],
                                    texts["settings.gradle"] + texts["settings.gradle.kts"],
                                    texts["gradle.properties"], posixpath.basename(cwd) or "root", words)
            if found.problem:
                raise _Decline(found.problem, s.inst)
            outputs.extend(_abspath(j, cwd) for j in found.jars)
            if found.boot_jar:
                boot = JavaJars(boot_jar=_abspath(found.boot_jar, cwd), boot_version=found.boot_version,
                                boot_custom=found.boot_custom)
        outputs = self._jar_moves(outputs)
        return list(dict.fromkeys(outputs)), boot


    def _jar_moves(self, outputs: list[str]) -> list[str]:
        """`cp`/`mv` of a built jar after the build (`cp target/*.jar app.jar`): its new path
        is an output too, when the source matches exactly one jar."""
        for s in self.steps:
            if not s.run:
                continue
            cwd = s.workdir
            for c in s.run.cmds:
                if c.name == "cd" and c.cmd is not None and c.cmd.args:
                    cwd = _abspath(c.cmd.args[0].value or ".", cwd)
                if c.name not in ("cp", "mv") or c.cmd is None:
                    continue
                # a glob word has no literal value: its text is the pattern
                words = [w.value if w.value is not None or "$" in w.text or any(q in w.text for q in "'\"\\")
                         else w.text for w in c.cmd.args_without_flags()]
                if len(words) != 2 or None in words:
                    continue
                src, dest = (_abspath(w, cwd) for w in words)
                hits = [o for o in outputs if fnmatch.fnmatchcase(o, src)]
                if len(hits) == 1 and not any(ch in dest for ch in "*?["):
                    target = posixpath.join(dest, posixpath.basename(hits[0])) if dest in self.dirs or words[1].endswith("/") else dest
                    if c.name == "mv":
                        outputs.remove(hits[0])
                    outputs.append(target)
        return outputs


    # ---- the deps stage -------------------------------------------------------------------------

    def _add_java_deps(self, deps: list[Instruction]) -> list[Instruction]:
        """A dependency resolution from the manifests alone when the original has none."""
        if any(s.kind == "copy-manifest" for s in self.deps_steps):
            return deps
        builds = [(s, c) for s in self.steps if s.run for c in s.run.cmds if c.pm == self.java_tool and c.kind == "build"]
        s, c = builds[0]
        cwd = self._cmd_cwd(s, c)
        if cwd != self.deps_end_workdir() or any(w.value is None for w in c.cmd.args):
            return deps
        if any(f.startswith("--mount=") and "type=cache" in f for f in s.inst.flags):
            self.notes.append("no dependency stage added: the build keeps its dependencies in a cache mount")
            return deps
        exe = c.cmd.name or ""
        wrapper = exe.rsplit("/", 1)[-1] in ("mvnw", "gradlew")
        if self.java_tool == "maven":
            if c.cmd.option_value("-s", "--settings", "-gs", "--global-settings", value_flags=_MVN_VALUE_FLAGS) \
                    or c.cmd.has_flag("-o", "--offline", value_flags=_MVN_VALUE_FLAGS):
                return deps
            names = ["pom.xml"] + (["mvnw"] if wrapper else [])
            dirs = [".mvn"]
            run = f"{exe} -B dependency:go-offline"
            said = "`mvn dependency:go-offline` from pom.xml"
        else:
            build = "".join(self.bc.read_text(r) or "" for r in (self._ctx_file_at(posixpath.join(cwd, f))
                            for f in ("build.gradle", "build.gradle.kts")) if r)
            if re.search(r"\bapply\s*\(?\s*from\b|\bfile\s*\(|\bnew\s+File\b|\brootDir\b|\bprojectDir\b", build) \
                    or self._ctx_file_at(posixpath.join(cwd, "buildSrc/build.gradle")) \
                    or self._ctx_file_at(posixpath.join(cwd, "buildSrc/build.gradle.kts")):
                self.notes.append("no dependency stage added: the Gradle build script reads other files")
                return deps
            names = ["build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties"] \
                + (["gradlew"] if wrapper else [])
            dirs = ["gradle"]
            run = f"{exe} dependencies --no-daemon"
            said = "`gradle dependencies` from the build scripts"
        files = [r for r in (self._ctx_file_at(posixpath.join(cwd, n)) for n in names) if r]
        if wrapper and not any(r.endswith(("mvnw", "gradlew")) for r in files):
            return deps
        if wrapper:
            # the wrapper script must be executable, as in the original build
            script = next(r for r in files if r.endswith(("mvnw", "gradlew")))
            if not os.access(self.bc.root / script, os.X_OK):
                run = f"chmod +x {posixpath.basename(script)} && {run}"
        copies = [self.new(f"{self.kw('COPY')} {' '.join(files)} ./")]
        for d in dirs:
            rel = self.ctx_path(posixpath.join(cwd, d))
            if rel and self.bc.exists(rel) and not self.bc.is_file(rel) and self._sent_children(rel):
                copies.append(self.new(f"{self.kw('COPY')} {rel} ./{d}/"))
            elif wrapper:
                return deps  # a wrapper without its folder: not what the build has
        self.notes.append(f"the deps stage resolves the dependencies ({said}) before the source arrives")
        return deps + copies + [self.new(f"{self.kw('RUN')} {run}")]

"""Java: Maven and Gradle, wrapper or not. What a dependency resolution reads (pom.xml and its
modules, build.gradle*, settings.gradle*, the wrapper files) and writes (target, build,
.gradle); Gradle's build scripts are code, so its steps are never provable. Which jar a
build writes (maven_jars, gradle_jars, read from the manifests with the reason when it cannot
be told), whether it is a Spring Boot jar (and the launcher of its layered extraction), and
the start commands that run the build tool itself."""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field

from refactor.knowledge.ecosystems.steps import (
    Options,
    StepReader,
    basename,
    context_join,
    subdir,
)
from refactor.syntax.lazy_re import lazy

_MVN_OFFLINE_GOALS = lazy(r"^(dependency:(go-offline|resolve|resolve-plugins|resolve-sources)|de\.qaware\.maven:go-offline-maven-plugin:resolve-dependencies|.*:go-offline)$")


def _maven(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("-f", "--file", "-s", "--settings", "-P", "--activate-profiles", "-pl", "--projects", "-T", "--threads", "-D", "-gs", "-t"))
    goals = [p for p in o.positional if p is not None]
    if not goals or not all(_MVN_OFFLINE_GOALS.match(g) for g in goals):
        return None
    s = StepReader("maven", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    if basename(cmd.name) == "mvnw" or (cmd.name or "").endswith("mvnw"):
        s.need("mvnw", config=True)
        s.need(".mvn/wrapper", config=True)
    s.maybe(".mvn", config=True)
    for v in o.values("-s", "--settings"):
        if v and not v.startswith("/"):
            s.need(v, config=True)
    pom = s.need(o.value("-f", "--file") or "pom.xml")
    _pom(s, pom, set())
    return s.freeze()


def _pom(s: StepReader, pom: str, seen: set[str]) -> None:
    if pom in seen:
        return
    seen.add(pom)
    text = s.read(pom)
    if text is None:
        return
    base = posixpath.dirname(pom)
    if re.search(r"<activation>.*?<file>", text, re.S):
        s.needs.append(f"{pom} activates a profile when a file exists")
    parent = re.search(r"<parent>(.*?)</parent>", text, re.S)
    if parent:
        rp = re.search(r"<relativePath>\s*([^<]*?)\s*</relativePath>", parent.group(1))
        rel = rp.group(1) if rp else "../pom.xml"
        if rel:
            ppath = context_join(base, rel if rel.endswith(".xml") else rel + "/pom.xml")
            if s.ctx.inside(ppath) and s.ctx.exists(ppath):
                if s._add(ppath, required=False, config=False):
                    _pom(s, ppath, seen)
    for m in re.finditer(r"<module>\s*([^<]+?)\s*</module>", text):
        mod = context_join(base, m.group(1))
        mpom = mod if mod.endswith(".xml") else context_join(mod, "pom.xml")
        if s._add(mpom, required=True, config=False):
            _pom(s, mpom, seen)


def _gradle(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("-b", "--build-file", "-c", "--settings-file", "-p", "--project-dir", "-x", "--exclude-task", "-D", "-P", "--init-script", "-I"))
    tasks = [p for p in o.positional if p is not None]
    if not tasks or not all(t.split(":")[-1] in ("dependencies", "androidDependencies", "resolveDependencies", "downloadDependencies") for t in tasks):
        return None
    s = StepReader("gradle", cmd, index, subdir(cwd, o.value("-p", "--project-dir")), ctx, resolve)
    s.provable = False
    if not s.ok:
        return s.freeze()
    if (cmd.name or "").endswith("gradlew"):
        s.need("gradlew", config=True)
        s.need("gradle/wrapper", config=True)
    found = False
    for f in ("build.gradle", "build.gradle.kts"):
        found |= s.maybe(f)
    settings = None
    for f in ("settings.gradle", "settings.gradle.kts"):
        if s.maybe(f):
            settings = s.at(f)
    if not found and settings is None:
        s.lack("build.gradle")
    s.maybe("gradle.properties", config=True)
    s.maybe("gradle", config=True)
    s.maybe("buildSrc")
    text = s.read(settings) if settings else ""
    if text:
        if "includeBuild" in text:
            s.unknown.append("settings.gradle includes other builds")
        for m in re.finditer(r"include\s*\(?([^)\n]*)", text):
            for name in re.findall(r"['\"]([^'\"]+)['\"]", m.group(1)):
                d = name.strip(":").replace(":", "/")
                if not any(s.maybe(f"{d}/{f}") for f in ("build.gradle", "build.gradle.kts")):
                    s.unknown.append(f"subproject {name}: no build file found")
        if re.search(r"\b(file\(|new File|rootDir|projectDir)", text):
            s.unknown.append("settings.gradle reads files")
    s.outputs.append(s.at(".gradle"))
    s.outputs.append(s.at("build"))
    return s.freeze()


# ---- which jar a build writes -----------------------------------------------------------------


def _strip_xml_comments(text: str) -> str:
    return re.sub(r"<!--.*?-->", "", text, flags=re.S)


def _tag(text: str, name: str) -> str | None:
    m = re.search(rf"<{name}>\s*([^<]*?)\s*</{name}>", text)
    return m.group(1) if m else None


def _own_part(pom: str) -> str:
    """The project's own top-level elements: without parent, dependencies, build plugins,
    profiles (whose <version>/<artifactId> are someone else's)."""
    return re.sub(r"<(parent|dependencies|dependencyManagement|build|profiles|reporting|pluginRepositories|repositories)>.*?</\1>",
                  "", pom, flags=re.S)


def _interpolate(value: str, props: dict[str, str]) -> str | None:
    for _ in range(5):
        if "${" not in value:
            return value
        value = re.sub(r"\$\{([^}]+)\}", lambda m: props.get(m.group(1), m.group(0)), value)
    return None if "${" in value else value


@dataclass
class JavaJars:
    """What a build writes: jars by image path relative to the project folder, the Spring Boot
    version when the build makes a Spring Boot jar (which of the jars: `boot_jar`), and why the
    answer is unknown (`problem`)."""

    jars: list[str] = field(default_factory=list)
    boot_jar: str | None = None
    boot_version: str | None = None
    boot_custom: str | None = None  # why the Boot jar's launcher or layers may not be the defaults
    problem: str | None = None


# Settings that change a Boot jar's layers (custom names, disabled, no layertools), its
# launcher (CLASSIC loader on 3.2+, ZIP layout = PropertiesLauncher, a Main-Class of its own) or
# make it a fully executable jar (a launch script in front, which the extraction cannot read:
# it writes empty layer folders): the default extraction and JarLauncher would then fail to
# build, or build an image that starts no class.
_BOOT_MAVEN_CUSTOM = lazy(r"<(layers|layout|loaderImplementation|includeLayerTools|executable)>")
_BOOT_GRADLE_CUSTOM = lazy(r"\b(layered|loaderImplementation|includeLayerTools|Main-Class|PropertiesLauncher|launchScript)\b")


def maven_jars(pom: str, goals: list[str]) -> JavaJars:
    """The jars `mvn <goals>` writes for `pom` (a single-module project): target/<finalName>.jar
    (artifactId-version unless <finalName> says otherwise), the assembly's
    jar-with-dependencies, the shade plugin's attached jar."""
    out = JavaJars()
    pom = _strip_xml_comments(pom)
    own = _own_part(pom)
    if re.search(r"<modules>\s*<module>", pom):
        out.problem = "a multi-module Maven build: not understood yet"
        return out
    packaging = _tag(own, "packaging") or "jar"
    if packaging in ("war", "ear"):
        out.problem = f"the build makes a {packaging.upper()} file, which needs a servlet container to run"
        return out
    if packaging != "jar":
        out.problem = f"<packaging>{packaging}</packaging>: not a jar"
        return out
    if not any(g in ("package", "install", "verify", "deploy") or g.endswith(":repackage") or g.endswith(":single")
               or g.endswith(":shade") for g in goals):
        return out  # compiles, but writes no jar
    parent = re.search(r"<parent>(.*?)</parent>", pom, re.S)
    pm = re.search(r"<properties>(.*?)</properties>", pom, re.S)
    props = {k: v.strip() for k, v in re.findall(r"<([\w.-]+)>([^<]*)</\1>", pm.group(1) if pm else "")}
    artifact = _tag(own, "artifactId")
    version = _tag(own, "version") or (parent and _tag(parent.group(1), "version"))
    if artifact is None or version is None:
        out.problem = "pom.xml names no artifactId or version I can read"
        return out
    props.update({"project.artifactId": artifact, "artifactId": artifact, "pom.artifactId": artifact})
    version_v = _interpolate(version, props)
    if version_v is None:
        out.problem = f"the project version {version} comes from a property I cannot resolve"
        return out
    props.update({"project.version": version_v, "version": version_v, "pom.version": version_v})
    # the project's own build, not a profile's
    bm = re.search(r"<build>(.*?)</build>", re.sub(r"<profiles>.*?</profiles>", "", pom, flags=re.S), re.S)
    build = bm.group(0) if bm else ""
    build_own = re.sub(r"<(plugins|pluginManagement|resources|testResources|extensions)>.*?</\1>", "", build, flags=re.S)
    if _tag(build_own, "directory"):
        out.problem = "<build><directory> moves target/: not understood"
        return out
    final = _tag(build_own, "finalName") or f"{artifact}-{version_v}"
    final_v = _interpolate(final, props)
    if final_v is None or "/" in final_v:
        out.problem = f"<finalName>{final}</finalName> comes from a property I cannot resolve"
        return out
    main = f"target/{final_v}.jar"
    out.jars.append(main)
    if "jar-with-dependencies" in build and "<appendAssemblyId>false" not in build:
        out.jars.append(f"target/{final_v}-jar-with-dependencies.jar")
    if "maven-shade-plugin" in build and "<shadedArtifactAttached>true" in build:
        out.jars.append(f"target/{final_v}-{_tag(build, 'shadedClassifierName') or 'shaded'}.jar")
    if "copy-dependencies" in build or "<addClasspath>true" in build:
        out.problem = "the jar's manifest class path names other files (copy-dependencies / addClasspath): not understood"
        return out
    if "spring-boot-maven-plugin" in build:
        plugin = re.search(r"<plugin>(?:(?!</plugin>).)*spring-boot-maven-plugin.*?</plugin>", build, re.S)
        ptext = plugin.group(0) if plugin else ""
        if "<classifier>" in ptext or "<skip>true" in ptext:
            return out
        v = _tag(ptext, "version")
        if v is None and parent and "spring-boot-starter-parent" in parent.group(1):
            v = _tag(parent.group(1), "version")
        if v is None:
            m = re.search(r"<artifactId>spring-boot-dependencies</artifactId>\s*<version>([^<]+)</version>", pom)
            v = m.group(1) if m else None
        out.boot_jar = main
        out.boot_version = _interpolate(v, props) if v else None
        m = _BOOT_MAVEN_CUSTOM.search(ptext)
        if m:
            out.boot_custom = f"the spring-boot-maven-plugin sets <{m.group(1)}>"
    return out


_GRADLE_NAMING = lazy(r"\b(archiveFileName|archiveBaseName|archiveVersion|archiveClassifier|archiveAppendix|"
                            r"archiveName|baseName|libsDirName|destinationDirectory|buildDir|buildDirectory)\b")


def gradle_jars(build: str, settings: str, properties: str, folder_name: str, tasks: list[str]) -> JavaJars:
    """The jars `gradle <tasks>` writes for a single project: build/libs/<name>-<version>.jar
    (`rootProject.name` or the folder's name; no version suffix when none is set), Spring
    Boot's bootJar beside the `-plain` jar, the shadow plugin's `-all` jar."""
    out = JavaJars()
    if re.search(r"^\s*include\b", settings, re.M) or "includeBuild" in settings:
        out.problem = "a multi-project Gradle build: not understood yet"
        return out
    m = _GRADLE_NAMING.search(build)
    if m:
        out.problem = f"the build script sets {m.group(1)}: the jar's name is computed by code"
        return out
    m = re.search(r"rootProject\.name\s*=\s*['\"]([^'\"$]+)['\"]", settings)
    name = m.group(1) if m else folder_name
    version = None
    m = re.search(r"^\s*version\s*(?:=\s*)?(.+)$", build, re.M)
    if m:
        lit = re.fullmatch(r"['\"]([^'\"$]+)['\"]\s*", m.group(1))
        if not lit:
            out.problem = f"the project version ({m.group(1).strip()}) is computed by the build script"
            return out
        version = lit.group(1)
    else:
        pm = re.search(r"^\s*version\s*[=:]\s*(\S+)\s*$", properties, re.M)
        version = pm.group(1) if pm else None
    stem = f"build/libs/{name}" + (f"-{version}" if version else "")
    boot = re.search(r"""(?:id\s*\(?\s*['"]org\.springframework\.boot['"]\s*\)?\s*version\s*['"]([^'"]+)['"]|"""
                     r"""spring-boot-gradle-plugin:([\d.]+[\w.-]*))""", build)
    boot_applied = boot is not None or re.search(r"""['"]org\.springframework\.boot['"]""", build) is not None
    shadow = re.search(r"com\.github\.johnrengelman\.shadow|com\.gradleup\.shadow|io\.github\.goooler\.shadow", build)
    produces = {t.split(":")[-1] for t in tasks}
    if "installDist" in produces or "distZip" in produces or "distTar" in produces:
        out.problem = "the build makes an application distribution (installDist): not understood yet"
        return out
    whole = produces & {"build", "assemble"}
    if boot_applied and (whole or "bootJar" in produces):
        out.jars.append(f"{stem}.jar")
        out.boot_jar = f"{stem}.jar"
        out.boot_version = (boot.group(1) or boot.group(2)) if boot else None
        m = _BOOT_GRADLE_CUSTOM.search(build)
        if m:
            out.boot_custom = f"the build script sets {m.group(1)}"
    if whole or "jar" in produces:
        out.jars.append(f"{stem}-plain.jar" if boot_applied else f"{stem}.jar")
    if shadow and (whole or "shadowJar" in produces):
        out.jars.append(f"{stem}-all.jar")
    return out


def boot_launcher(version: str | None) -> str | None:
    """The main class of an extracted Spring Boot jar, for the Boot versions whose jars are
    layered by default and have the layertools jar mode (2.4 up to 3.x); None otherwise."""
    m = re.match(r"^(\d+)\.(\d+)", version or "")
    if not m:
        return None
    major, minor = int(m.group(1)), int(m.group(2))
    if (major, minor) < (2, 4) or major >= 4:
        return None
    if (major, minor) >= (3, 2):
        return "org.springframework.boot.loader.launch.JarLauncher"
    return "org.springframework.boot.loader.JarLauncher"


# Spring Boot's layers, in the order that changes least often first (layers.idx).
BOOT_LAYERS = ("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")


DEV_JAVA_PATTERNS = (
    (lazy(r"(?:^|[\s;&|(/])(?:mvn|mvnw)\b"), "Maven builds at run time"),
    (lazy(r"(?:^|[\s;&|(/])(?:gradle|gradlew)\b"), "Gradle builds at run time"),
    (lazy(r"(?:^|[\s;&|(/])(?:javac|jshell)\b"), "a JDK tool"),
)
# Files and folders a build tool reads as configuration, copied into the deps stage whole.
MANIFEST_DIRS = (".mvn", "gradle")


NAME = "java"
IMAGES = ("maven", "gradle", "eclipse-temurin", "openjdk", "amazoncorretto")
MANIFESTS = (
    "pom.xml", "mvnw", ".mvn/wrapper/maven-wrapper.properties", "build.gradle", "build.gradle.kts",
    "settings.gradle", "settings.gradle.kts", "gradle.properties", "gradlew", "gradle/wrapper/gradle-wrapper.properties",
)
CONTEXT_MARKERS = ("pom.xml", "build.gradle", "build.gradle.kts")
LANGUAGE_TOOLS: frozenset[str] = frozenset()
INSTALLERS = {"mvn": _maven, "mvnw": _maven, "gradle": _gradle, "gradlew": _gradle}
GENERATED = {"maven": ("target",), "gradle": (".gradle", "build")}

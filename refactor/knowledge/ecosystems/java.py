"""Java: Maven and Gradle, wrapper or not. What a dependency resolution reads (pom.xml and its
modules, build.gradle*, settings.gradle*, the wrapper files) and writes (target, build,
.gradle); Gradle's build scripts are code, so its steps are never provable."""
from __future__ import annotations

import posixpath
import re

from refactor.knowledge.ecosystems.steps import (
    Options,
    StepReader,
    basename,
    context_join,
    subdir,
)

_MVN_OFFLINE_GOALS = re.compile(r"^(dependency:(go-offline|resolve|resolve-plugins|resolve-sources)|de\.qaware\.maven:go-offline-maven-plugin:resolve-dependencies|.*:go-offline)$")


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

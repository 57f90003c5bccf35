"""pin-base: a floating base image tag becomes the version the project declares.

What it does
    For the official node, python, golang, rust and ruby images and the JDK images
    (eclipse-temurin, openjdk, amazoncorretto), a tag that floats (`node`,
    `node:latest`, `node:lts-alpine`, `python:3`, `python:slim`, `golang:alpine`) becomes the
    version the project's own files declare, keeping the variant: `.nvmrc` / `.node-version` /
    `engines.node`, `.python-version` / `requires-python`, go.mod's `toolchain` or `go` line
    (as a minor version: both name a minimum, and `golang:1.24` serves the newest 1.24.x),
    `rust-toolchain(.toml)`, `.ruby-version`, the Gradle toolchain or pom.xml's Java release
    (refactor.knowledge.declared_versions).

Why
    A floating tag builds against whatever the registry serves that day: a new major release
    breaks the build or, worse, the app at run time, and two builds of the same commit differ.
    hadolint reports untagged and `latest` bases (DL3006, DL3007). The project already says which
    runtime it is written for; the image should say the same.

Example
    FROM node:lts-alpine    (.nvmrc: 20.11.1)   →   FROM node:20.11.1-alpine
    FROM python:3-slim      (.python-version: 3.12)   →   FROM python:3.12-slim

Safety
    Unsafe: the build now uses the declared version, which may differ from what the floating tag
    served. Skips, with the reason, when the project declares no version (or only a range that
    allows several), when the tag already names another version than the declared one (a
    conflict for a person to settle), when the reference has a digest or a variable, for golang
    when a RUN installs Go tools `@latest` (they may need a newer Go), and without a build
    context to read. Digests (`@sha256:`) are not added: that needs the image.
"""
from __future__ import annotations

import re

from refactor.codemods._checks import replace_arg_word, apply_replacements
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.knowledge.baseimages import parse_image
from refactor.knowledge.declared_versions import declared_version

from refactor.syntax.nodes import Dockerfile
from refactor.syntax.lazy_re import lazy

FAMILIES = ("node", "python", "golang", "rust", "ruby")
# JDK images whose tags are `<feature release>[-variant]`; maven/gradle tags name the tool too.
JAVA_IMAGES = ("eclipse-temurin", "openjdk", "amazoncorretto")
FLOATING = ("", "latest", "lts", "current", "stable")


def split_tag(tag: str) -> tuple[str, tuple[str, ...]]:
    """(version, variants): `20-alpine` -> ("20", ("alpine",)); `slim-bookworm` -> ("", ...)."""
    parts = tag.split("-")
    if parts[0][:1].isdigit() or parts[0].lower() in FLOATING:  # `21.0.2_13`: a version too
        return parts[0].lower(), tuple(parts[1:])
    return "", tuple(parts)


_GO_LATEST = lazy(r"\bgo\s+(?:install|get|run)\b[^\n]*@latest\b")


def _installs_latest(df: Dockerfile) -> bool:
    return any(i.cmd == "RUN" and _GO_LATEST.search(i.code) for i in df.instructions)


class PinBase(Codemod):
    id = "pin-base"
    summary = "floating base image tags pinned to the version the project declares"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.UNSAFE
    hadolint = ("DL3006", "DL3007")

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        repl: dict = {}  # applied at the end, in one pass
        stage_names = {s.name.lower() for s in df.stages if s.name}
        declared_of: dict = {}  # by family: the context is read once, not once per stage
        latest: list[bool] = []  # whether a RUN installs Go tools @latest, found once
        for stage in df.stages:
            inst = stage.from_instruction
            image = stage.base_image
            if not image or image.lower() in stage_names or "$" in image:
                continue
            ref = parse_image(image)
            if ref.registry not in (None, "docker.io", "index.docker.io"):
                continue
            family = "java" if ref.repository in JAVA_IMAGES else ref.repository
            if family not in FAMILIES and family != "java":
                continue
            if ref.digest:
                continue  # pinned already
            version, variants = split_tag(ref.tag or "latest")
            if ctx.build_context is None:
                ctx.skip(self, "no build context to read the project's declared version from", inst)
                continue
            if family not in declared_of:
                declared_of[family] = declared_version(ctx.build_context, family)
            declared = declared_of[family]
            if declared.version is None:
                ctx.skip(self, f"{image}: {declared.problem}", inst)
                continue
            want = declared.version
            if family == "golang" and not latest:
                latest.append(_installs_latest(df))
            if family == "golang" and latest[0]:
                # official golang images set GOTOOLCHAIN=local: a tool installed @latest may need
                # a newer Go than the project's minimum, and the build would fail
                ctx.skip(self, f"{image}: a RUN installs Go tools @latest, which may need a newer Go than "
                               f"go.mod's {want}; left floating", inst)
                continue
            if version not in FLOATING:
                numeric = re.match(r"\d+(?:\.\d+)*", version).group(0)  # `21.0.2_13` -> 21.0.2
                if numeric == want or numeric.startswith(want + "."):
                    continue  # as specific as the project's own declaration, or more
                if numeric != version or not want.startswith(numeric + "."):
                    ctx.skip(self, f"{image} names {version}, the project declares {want} ({declared.source}): "
                                   "left for a person to settle", inst)
                    continue
            tag = "-".join((want, *variants))
            prefix = (ref.registry + "/") if ref.registry else ""
            new_image = f"{prefix}{ref.path}:{tag}"
            new = replace_arg_word(inst, 0, new_image)
            if new is None or new.value[0] != new_image:
                ctx.skip(self, "the image name is broken by a line continuation: left as written", inst)
                continue
            repl[id(inst)] = new
            ctx.edit(self, new, f"{image} → {new_image} (the version {declared.source} declares)", touched=(inst,))
        return apply_replacements(df, repl)


CODEMOD = PinBase()

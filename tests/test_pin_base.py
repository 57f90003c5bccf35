"""pin-base: which declarations pin a version (refactor.knowledge.declared_versions), and the
codemod's refusals, each with its reason."""
from __future__ import annotations

import json

import pytest

from refactor.engine.runner import make_selection, refactor_text
from refactor.knowledge.context import BuildContext
from refactor.knowledge.declared_versions import _python_minor, _single_line_range, declared_version


@pytest.mark.parametrize("spec, want", [
    ("20", "20"), ("20.x", "20"), ("^20.11.0", "20"), ("~20.11", "20"), ("20.11.1", "20.11.1"),
    (">=20 <21", "20"), (">=18", None), ("18 || 20", None), ("*", None), (">=20.0.0 <22", None),
])
def test_node_ranges(spec, want):
    assert _single_line_range(spec) == want


@pytest.mark.parametrize("spec, want", [
    ("==3.12.*", "3.12"), ("~=3.12.0", "3.12"), (">=3.12,<3.13", "3.12"), ("==3.12.1", "3.12.1"),
    (">=3.10", None), (">=3.10,<4", None),
])
def test_python_ranges(spec, want):
    assert _python_minor(spec) == want


def test_declarations(tmp_path):
    ctx = BuildContext(tmp_path)
    assert declared_version(ctx, "node").version is None
    (tmp_path / "package.json").write_text(json.dumps({"engines": {"node": "^18.17.0"}}))
    assert declared_version(BuildContext(tmp_path), "node").version == "18"
    (tmp_path / ".nvmrc").write_text("lts/iron\n")
    d = declared_version(BuildContext(tmp_path), "node")
    assert (d.version, d.source) == ("20", ".nvmrc")
    (tmp_path / "pyproject.toml").write_text('[project]\nrequires-python = ">=3.11,<3.12"\n')
    assert declared_version(BuildContext(tmp_path), "python").version == "3.11"
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.21\n\ntoolchain go1.21.5\n")
    # a minimum: the minor line, whose image serves the newest patch (never an old one)
    assert declared_version(BuildContext(tmp_path), "golang").version == "1.21"
    (tmp_path / "rust-toolchain").write_text("stable\n")
    assert "channel 'stable'" in declared_version(BuildContext(tmp_path), "rust").problem


def _run(tmp_path, dockerfile: str):
    f = tmp_path / "Dockerfile"
    f.write_text(dockerfile)
    return refactor_text(dockerfile, f, tmp_path, make_selection(["pin-base"]))


def test_skips_with_reasons(tmp_path):
    r = _run(tmp_path, "FROM node:latest\n")
    assert r.output == "FROM node:latest\n"
    assert [s.reason for s in r.skips] == [
        "node:latest: the project declares no node version (.nvmrc, .node-version, engines.node)"]
    (tmp_path / "package.json").write_text(json.dumps({"engines": {"node": ">=18"}}))
    r = _run(tmp_path, "FROM node:latest\n")
    assert "allows more than one major version" in r.skips[0].reason
    r = refactor_text("FROM node\n", None, None, make_selection(["pin-base"]))
    assert r.skips[0].reason == "no build context to read the project's declared version from"


def test_pins_and_is_unsafe(tmp_path):
    (tmp_path / "package.json").write_text(json.dumps({"engines": {"node": "20.x"}}))
    r = _run(tmp_path, "FROM node:current-slim AS app\nFROM docker.io/library/node\n")
    assert r.output == "FROM node:20-slim AS app\nFROM docker.io/library/node:20\n"
    assert {e.safety.value for e in r.edits} == {"unsafe"}
    assert not refactor_text("FROM node\n", tmp_path / "Dockerfile", tmp_path,
                             make_selection(safe_only=True)).edits


def test_java_declarations(tmp_path):
    (tmp_path / "build.gradle.kts").write_text("java {\n    toolchain {\n        languageVersion.set(JavaLanguageVersion.of(17))\n    }\n}\n")
    d = declared_version(BuildContext(tmp_path), "java")
    assert (d.version, d.source) == ("17", "build.gradle.kts toolchain")
    (tmp_path / "build.gradle.kts").unlink()
    (tmp_path / "build.gradle").write_text("sourceCompatibility = JavaVersion.VERSION_1_8\n")
    assert declared_version(BuildContext(tmp_path), "java").version == "8"
    (tmp_path / "build.gradle").unlink()
    (tmp_path / "pom.xml").write_text("<properties><java.version>11</java.version></properties>")
    assert declared_version(BuildContext(tmp_path), "java").version == "11"
    r = _run(tmp_path, "FROM openjdk:jdk-slim\nFROM eclipse-temurin:17.0.9_9-jre\n")
    assert r.output.splitlines()[0] == "FROM openjdk:11-jdk-slim"
    assert len(r.edits) == 1 and r.skips[0].reason.startswith("eclipse-temurin:17.0.9_9-jre names 17.0.9_9")


def test_go_keeps_the_minor_line_and_leaves_latest_tool_installs_alone(tmp_path):
    (tmp_path / "go.mod").write_text("module x\n\ngo 1.24.1\n")
    assert _run(tmp_path, "FROM golang:1.24-alpine\n").output == "FROM golang:1.24-alpine\n"
    assert _run(tmp_path, "FROM golang:alpine\n").output == "FROM golang:1.24-alpine\n"
    text = "FROM golang:latest\nRUN go install github.com/air-verse/air@latest\n"
    r = _run(tmp_path, text)
    assert r.output == text and "@latest" in r.skips[0].reason

"""`dockwright lint` and refactor.checks: each BuildKit rule it reports (and its silence where
BuildKit is silent), the `# check=` settings, and the command's formats and exit codes."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from refactor import parse_dockerfile
from refactor.checks.config import parse_options
from refactor.checks.findings import lint_dockerfile
from refactor.cli import main
from refactor.engine.runner import make_selection, refactor_text
from refactor.knowledge.context import BuildContext


def rules(text: str, context=None, **kw) -> list[tuple[str, int]]:
    return [(f.rule, f.line) for f in lint_dockerfile(parse_dockerfile(text), context, **kw)]


@pytest.mark.parametrize("text, expected", [
    ("FROM alpine\nWORKDIR app\nWORKDIR sub\n", [("WorkdirRelativePath", 2)]),
    ("FROM alpine\nWORKDIR /app\nWORKDIR sub\n", []),
    ("FROM alpine AS a\nWORKDIR /app\nFROM a\nWORKDIR sub\n", []),  # inherited from the stage
    ("FROM alpine\nWORKDIR '/app'\n", []),  # the quotes are BuildKit's word processing
    ("FROM alpine\nEXPOSE 80 127.0.0.1:8080:80 90:80/udp\n", [("ExposeInvalidFormat", 2), ("ExposeInvalidFormat", 2)]),
    ("FROM alpine AS scratch\n", [("ReservedStageName", 1)]),
    ("FROM alpine AS context\nFROM alpine AS build\nFROM alpine AS build\n",
     [("ReservedStageName", 1), ("DuplicateStageName", 3)]),
    ("FROM --platform=linux/arm64 alpine\n", [("FromPlatformFlagConstDisallowed", 1)]),
    ("FROM --platform=linux/arm64 alpine AS build-arm64\n", []),  # the name says which platform
    ("FROM --platform=$BUILDPLATFORM alpine\n", []),
    ("FROM ${IMAGE}\n", [("InvalidDefaultArgInFrom", 1), ("UndefinedArgInFrom", 1)]),
    ("ARG IMAGE\nFROM ${IMAGE}\n", [("InvalidDefaultArgInFrom", 2)]),
    ('ARG V="3.12"\nFROM python:${V}-slim\n', []),
    ("ARG V=3\nFROM python:${VV}\n", [("InvalidDefaultArgInFrom", 2), ("UndefinedArgInFrom", 2)]),
    ("FROM golang:${TARGETARCH}\n", []),
    ("FROM alpine\nARG GITHUB_TOKEN\nENV DB_PASSWORD=x PUBLIC_KEY=y\n",
     [("SecretsUsedInArgOrEnv", 2), ("SecretsUsedInArgOrEnv", 3)]),
    ("FROM alpine\nARG TOKEN_FILE\n", []),
    ("FROM scratch\nCOPY $SRC /x\n", [("UndefinedVar", 2)]),
    ("FROM scratch\nARG SRC=.\nCOPY $SRC /x\n", []),
    ("FROM alpine\nENV NODE_HOME=/n\nCOPY . $NODE_HOM/x\n", [("UndefinedVar", 3)]),  # a typo
    ("FROM alpine\nCOPY . $APP_HOME\n", []),  # the image may set it: BuildKit knows, we do not
    ("FROM alpine\nRUN echo $UNDEFINED\n", []),  # RUN is the shell's business
])
def test_rules(text, expected):
    assert sorted(rules(text)) == sorted(expected)


def test_messages_name_the_alternative_and_hadolint():
    f = lint_dockerfile(parse_dockerfile("FROM alpine\nENV API_KEY=x\n"))[0]
    assert "--mount=type=secret,id=api_key,env=API_KEY" in f.message and "docker build --secret" in f.message
    w = lint_dockerfile(parse_dockerfile("FROM alpine\nWORKDIR app\n"))[0]
    assert w.text("Dockerfile").startswith("Dockerfile:2:1: WorkdirRelativePath Relative workdir")
    assert "hadolint DL3000" in w.text("Dockerfile")
    assert w.url == "https://docs.docker.com/reference/build-checks/workdir-relative-path/"


def test_fixable_rules_only_with_all():
    text = "from alpine AS Build\nMAINTAINER me\nENV A b\nCMD run\n"
    assert rules(text) == []
    got = {r for r, _ in rules(text, include_fixable=True)}
    assert got == {"StageNameCasing", "FromAsCasing", "MaintainerDeprecated", "LegacyKeyValueFormat",
                   "ConsistentInstructionCasing", "JSONArgsRecommended"}


def test_experimental_rule_needs_enabling():
    text = "# the builder\nFROM alpine AS build\n# other stage, fine\nFROM alpine AS other\n"
    assert rules(text) == []
    assert rules(text, experimental=True) == [("InvalidDefinitionDescription", 2)]
    assert rules("# check=experimental=InvalidDefinitionDescription\n" + text) == [("InvalidDefinitionDescription", 3)]


def test_check_directive_and_comments():
    assert parse_options("skip=A,B;error=true").skip == {"A", "B"}
    with pytest.raises(ValueError):
        parse_options("nope=1")
    assert rules("# check=skip=WorkdirRelativePath\nFROM alpine\nWORKDIR app\n") == []
    assert rules("# check=skip=all\nFROM alpine\nWORKDIR app\n") == []
    assert rules("FROM alpine\n# check=skip=WorkdirRelativePath\nWORKDIR app\n") == []
    errs = lint_dockerfile(parse_dockerfile("# check=error=true\nFROM alpine\nWORKDIR app\n"))
    assert [f.error for f in errs] == [True]


def test_codemods_honour_check_skip_and_error():
    sel = make_selection(["maintainer-deprecated", "from-as-casing"])
    r = refactor_text("# check=skip=MaintainerDeprecated\nFROM a as b\nMAINTAINER me\n", selection=sel)
    assert "MAINTAINER me" in r.output and "FROM a AS b" in r.output
    r = refactor_text("FROM a as b\n# check=skip=MaintainerDeprecated\nMAINTAINER me\nFROM c\nMAINTAINER you\n",
                      selection=sel)
    assert "MAINTAINER me" in r.output and 'authors="you"' in r.output
    r = refactor_text("# check=error=true\nFROM a\nMAINTAINER me\n", selection=sel)
    assert "fails the build under check=error=true" in r.edits[0].summary


def test_copy_ignored_file(tmp_path):
    (tmp_path / "Dockerfile").write_text("FROM alpine\nCOPY secret.env /app/\nCOPY src /app/src\nCOPY --from=x secret.env /\n")
    (tmp_path / ".dockerignore").write_text("*.env\n")
    ctx = BuildContext(tmp_path, tmp_path / "Dockerfile")
    text = (tmp_path / "Dockerfile").read_text()
    assert rules(text, ctx) == [("CopyIgnoredFile", 2)]
    (tmp_path / ".dockerignore").write_text("*.env\n!keep.env\n")  # exceptions: BuildKit does not check
    assert rules(text, BuildContext(tmp_path, tmp_path / "Dockerfile")) == []


def test_lint_command_formats_and_exit_codes(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM alpine\nWORKDIR app\n")
    good = tmp_path / "ok" / "Dockerfile"
    good.parent.mkdir()
    good.write_text("FROM alpine\nWORKDIR /app\n")
    runner = CliRunner()
    r = runner.invoke(main, ["lint", str(bad)])
    assert r.exit_code == 1 and r.output == f"{bad.as_posix()}:2:1: WorkdirRelativePath Relative workdir \"app\" can have unexpected results if the base image changes [hadolint DL3000]\n"
    assert runner.invoke(main, ["lint", str(good)]).exit_code == 0
    data = json.loads(runner.invoke(main, ["lint", "--format", "json", str(bad)]).output)
    assert data["files"][0]["findings"][0]["rule"] == "WorkdirRelativePath"
    assert data["files"][0]["findings"][0]["hadolint"] == ["DL3000"]
    sarif = json.loads(runner.invoke(main, ["lint", "--format", "sarif", str(bad)]).output)
    assert sarif["runs"][0]["results"][0]["ruleId"] == "WorkdirRelativePath"
    assert sarif["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"].endswith("/workdir-relative-path/")
    r = runner.invoke(main, ["lint", "--all", str(good)])
    assert r.exit_code == 0
    broken = tmp_path / "broken" / "Dockerfile"
    broken.parent.mkdir()
    broken.write_text("# escape=x\nFROM a\n")
    assert runner.invoke(main, ["lint", str(broken)]).exit_code == 2


def test_diff_explanation_lists_the_findings_left(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM alpine\nWORKDIR app\nMAINTAINER me\n")
    r = CliRunner().invoke(main, ["--diff", "--select", "maintainer-deprecated", str(f)])
    lines = r.output.splitlines()
    lint = [l for l in lines if l.startswith("#   lint: ")]
    assert lint == [f"#   lint: {f.as_posix()}:2:1: WorkdirRelativePath Relative workdir \"app\" can have "
                    "unexpected results if the base image changes [hadolint DL3000]"]
    assert lines.index(lint[0]) < next(i for i, l in enumerate(lines) if l.startswith("--- "))


def test_a_long_chain_of_stages_is_linted_in_linear_time():
    import time

    # each stage on the one before, the last with a relative WORKDIR no stage before it set:
    # the checks that read a stage's chain took 24 s when each walked its chain anew
    text = "FROM alpine AS s0\nARG FIRST=1\n" + "".join(f"FROM s{k} AS s{k + 1}\nRUN echo {k}\n" for k in range(3300))
    text += "WORKDIR sub\nRUN echo $FIRST $MISSING\nCMD run\n"
    df = parse_dockerfile(text)
    t = time.process_time()
    found = [(f.rule, f.line) for f in lint_dockerfile(df, None)]
    assert time.process_time() - t < 2.0  # a bound, not a benchmark (0.2 s here)
    assert found == [("WorkdirRelativePath", text.count("\n") - 2)]
    # a WORKDIR in the first stage of the chain is inherited by the last
    df = parse_dockerfile(text.replace("ARG FIRST=1\n", "WORKDIR /w\n", 1))
    assert [f.rule for f in lint_dockerfile(df, None)] == []

"""multi-stage: fixture outputs exact and idempotent, skips with reasons, the file's style kept,
and over the shared corpus of real Dockerfiles: outputs parse (ours and BuildKit's parser),
comments kept, and nothing changes without a build context to read.

Fixtures: corpus/multi-stage/<case>/ holds a build context, its single-stage `Dockerfile` and
the expected `Dockerfile.after` (a case without one must be left alone, `skip.txt` holding a
part of the reason). tests/test_multi_stage_build.py builds the buildable ones for real."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_REAL, read_text_exact, real_corpus, shared_params
from oracle import oracle_commands
from refactor.codemods.base import Context, Safety
from refactor.codemods.multi_stage import CODEMOD
from refactor.knowledge import nginx
from refactor.knowledge.context import BuildContext
from refactor.engine.runner import make_selection, refactor_text
from refactor.syntax.nodes import Comment
from refactor.syntax.parser import parse_dockerfile

CORPUS = ROOT / "corpus" / "multi-stage"
CASES = sorted(d for d in CORPUS.iterdir() if (d / "Dockerfile").is_file())
SELECT = make_selection(["multi-stage"])


def run(path: Path, text: str | None = None):
    text = read_text_exact(path) if text is None else text
    return refactor_text(text, path=path, selection=SELECT)


def comments(text: str) -> list[str]:
    out = []

    def walk(node):
        if isinstance(node, Comment):
            out.append(node.text.strip())
        for child in node.children():
            walk(child)

    walk(parse_dockerfile(text))
    return sorted(out)


def kept_comments(before: str, after: str) -> bool:
    from collections import Counter

    added = Counter(comments(after)) - Counter(comments(before))
    lost = Counter(comments(before)) - Counter(comments(after))
    return not lost and set(added) <= {"# hadolint ignore=DL3008"}


def stage_names(text: str) -> list[str | None]:
    return [s.name for s in parse_dockerfile(text).stages]


# --- the fixtures ------------------------------------------------------------------------------


def test_there_are_fixtures_per_ecosystem():
    names = {c.name for c in CASES}
    for prefix in ("python-", "node-npm", "node-yarn", "node-pnpm", "nextjs-", "go-", "rust-", "ruby-"):
        assert any(n.startswith(prefix) for n in names), prefix


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture(case: Path):
    result = run(case / "Dockerfile")
    assert result.error is None, result.error
    after = case / "Dockerfile.after"
    if not after.exists():
        assert result.output == result.original
        reason = (case / "skip.txt").read_text().strip() if (case / "skip.txt").exists() else ""
        assert any(reason in s.reason for s in result.skips if s.codemod == "multi-stage"), result.skips
        return
    expected = read_text_exact(after)
    assert result.output == expected, "\n" + result.output
    edits = [e for e in result.edits if e.codemod == "multi-stage"]
    assert len(edits) == 1 and edits[0].safety is Safety.UNSAFE
    assert "left out of the final image" in edits[0].summary and len(edits[0].rationale) > 200
    # the shape the seed describes: deps / builder / (prod-deps) / runner, lowercase and stable
    names = stage_names(expected)
    assert names[0].lower() == "deps" and names[1].lower() == "builder" and names[-1].lower() == "runner"
    assert set(n.lower() for n in names) <= {"deps", "builder", "prod-deps", "runner"}
    # every comment survives (the only one added is a hadolint pragma); BuildKit's parser reads it
    assert kept_comments(result.original, expected)
    assert oracle_commands(expected.replace("\r\n", "\n"))[0] != "error"


@pytest.mark.parametrize("case", [c for c in CASES if (c / "Dockerfile.after").exists()],
                         ids=[c.name for c in CASES if (c / "Dockerfile.after").exists()])
def test_fixture_is_idempotent(case: Path):
    again = run(case / "Dockerfile", read_text_exact(case / "Dockerfile.after"))
    assert again.error is None and again.output == again.original and not again.edits


@pytest.mark.parametrize("case", [c for c in CASES if (c / "Dockerfile.after").exists()],
                         ids=[c.name for c in CASES if (c / "Dockerfile.after").exists()])
def test_runner_is_non_root_and_keeps_the_start_command(case: Path):
    before = parse_dockerfile(read_text_exact(case / "Dockerfile"))
    after = parse_dockerfile(read_text_exact(case / "Dockerfile.after"))
    runner = after.stages[-1]
    users = [i for i in runner.instructions if i.cmd == "USER"]
    assert users and users[-1].value[0] not in ("root", "0", "0:0")
    # a static site's nginx runner serves unprivileged: its port moves (80 -> 8080) with EXPOSE
    nginx_runner = nginx.is_official(runner.base_image)
    moved = nginx.PORT_MAP if nginx_runner else {}
    for cmd in ("ENTRYPOINT", "EXPOSE", "HEALTHCHECK", "LABEL", "STOPSIGNAL", "VOLUME"):
        want = [tuple(nginx.exposed_after(list(i.value), moved)) for i in before.instructions if i.cmd == cmd]
        if cmd == "ENTRYPOINT" and any("/layers/application/" in i.code for i in runner.instructions):
            # Spring Boot's extracted layers start with its launcher (2.x or 3.2+) instead of `-jar app.jar`
            launcher = re.compile(r"org\.springframework\.boot\.loader\.(launch\.)?JarLauncher")
            got = [w for i in runner.instructions if i.cmd == cmd for w in i.value if launcher.fullmatch(w)]
            want = [w[:w.index("-jar")] + tuple(got[:1]) + w[w.index("-jar") + 2:] for w in want]
        assert want == [i.value for i in runner.instructions if i.cmd == cmd]
    if nginx_runner:
        return  # nginx reads neither the build's ENV nor its WORKDIR
    # ENV of the original reach the runner; WORKDIR is the original's last one
    env_before = [i.value for i in before.instructions if i.cmd == "ENV"]
    env_after = [i.value for i in runner.instructions if i.cmd == "ENV"]
    assert all(v in env_after for v in env_before)
    wd_before = [i.value[0] for i in before.instructions if i.cmd == "WORKDIR"]
    wd_after = [i.value[0] for i in runner.instructions if i.cmd == "WORKDIR"]
    if wd_before and wd_before[-1].startswith("/"):
        assert wd_after[-1] == wd_before[-1]
    # no instruction of the original is lost: each is in the output (moved, or rewritten by us)
    orig_cmds = [i.cmd for i in before.instructions]
    out_cmds = [i.cmd for i in after.instructions]
    for c in set(orig_cmds):
        assert out_cmds.count(c) >= orig_cmds.count(c), c


def test_explanation_names_what_leaves():
    result = run(CORPUS / "python-pip" / "Dockerfile")
    edit = result.edits[0]
    assert "build-essential" in edit.summary and "libpq-dev" in edit.summary and "curl" in edit.summary
    assert "libpq5" in edit.rationale and "python:3.11-slim" in edit.rationale
    result = run(CORPUS / "node-npm-ts" / "Dockerfile")
    assert "devDependencies (typescript)" in result.edits[0].summary
    assert "src" in result.edits[0].summary


def test_crlf_and_lowercase_style_kept():
    out = read_text_exact(CORPUS / "style-crlf-lowercase" / "Dockerfile.after")
    assert "\n" not in out.replace("\r\n", "")
    for inst in parse_dockerfile(out).instructions:
        assert inst.keyword == inst.keyword.lower()
    assert re.search(r"^from python:3\.12-slim as runner\r$", out, re.M)


def test_runtime_libraries_and_tools_reach_the_runner():
    py = read_text_exact(CORPUS / "python-pip" / "Dockerfile.after")
    runner = py.split("AS runner", 1)[1]
    assert "libpq5" in runner and "build-essential" not in runner and "curl" not in runner
    ep = read_text_exact(CORPUS / "python-poetry-entrypoint" / "Dockerfile.after").split("AS runner", 1)[1]
    assert "curl" in ep  # HEALTHCHECK
    assert "netcat-openbsd" in ep  # docker-entrypoint.sh waits with nc
    assert "RUN useradd --create-home web" in ep and "USER web" in ep


def test_go_static_goes_to_distroless_with_numeric_user_and_exec_form():
    out = read_text_exact(CORPUS / "go-shell-cmd" / "Dockerfile.after")
    runner = out.split("AS runner", 1)[1]
    assert "FROM gcr.io/distroless/static-debian12:nonroot AS runner" in out
    assert "ENV CGO_ENABLED=0" in out.split("AS builder", 1)[1].split("AS runner", 1)[0]
    assert 'CMD ["/app/api", "-config", "config.yaml"]' in runner and "USER 65532:65532" in runner
    assert "config.yaml" in runner  # the start command reads it
    cgo = read_text_exact(CORPUS / "go-cgo" / "Dockerfile.after")
    assert "FROM debian:bookworm-slim AS runner" in cgo and "CGO_ENABLED" not in cgo


def test_next_standalone_only_when_configured():
    sa = read_text_exact(CORPUS / "nextjs-standalone" / "Dockerfile.after")
    assert "/app/.next/standalone ./" in sa and 'CMD ["node", "server.js"]' in sa
    classic = read_text_exact(CORPUS / "nextjs-classic" / "Dockerfile.after")
    assert "standalone" not in classic and "/app/.next ./.next/" in classic
    assert "node_modules" in classic and "next.config.js" in classic and "public" in classic


def test_node_runner_leaves_source_and_build_config():
    out = read_text_exact(CORPUS / "node-npm-ts" / "Dockerfile.after").split("AS runner", 1)[1]
    assert "/usr/src/app/dist ./dist/" in out and "--from=prod-deps" in out
    assert "tsconfig" not in out and "/src" not in out.replace("/usr/src", "")


# --- skips: each with its reason ----------------------------------------------------------------

SKIPS = {
    "already-multi": ({"package.json": "{}"}, "FROM node:20 AS a\nRUN true\nFROM node:20-slim\nCMD [\"node\"]\n", "already multi-stage"),
    "no-cmd": ({"requirements.txt": "six\n"}, "FROM python:3.11\nCOPY . .\nRUN pip install -r requirements.txt\n", "no CMD or ENTRYPOINT"),
    "no-manifest": ({"app.py": "print(1)\n"}, "FROM python:3.11\nCOPY . .\nRUN pip install flask\nCMD [\"python\", \"app.py\"]\n", "its build is unknown"),
    "unknown-base": ({"package.json": "{}"}, "FROM ubuntu:22.04\nCOPY . .\nCMD [\"node\", \"x.js\"]\n", "not one whose build I understand"),
    "npm-run-dev": (
        {"package.json": '{"scripts": {"dev": "vite"}, "devDependencies": {"vite": "5"}}', "package-lock.json": "{}"},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD [\"npm\", \"run\", \"dev\"]\n", "build tools at run time"),
    "nodemon": (
        {"package.json": '{"scripts": {"start": "nodemon index.js"}, "dependencies": {"nodemon": "3"}}', "index.js": ""},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD [\"npm\", \"start\"]\n", "nodemon"),
    "start-uses-devdep": (
        {"package.json": '{"scripts": {"start": "serve -s build", "build": "vite build"}, "devDependencies": {"serve": "14", "vite": "5"}}'},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install && npm run build\nCMD [\"npm\", \"start\"]\n", "devDependencies"),
    "flask-reload": ({"requirements.txt": "flask\n"}, "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD flask run --host 0.0.0.0 --reload\n", "--reload"),
    "uvicorn-reload": ({"requirements.txt": "uvicorn\n"}, "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"uvicorn\", \"main:app\", \"--reload\"]\n", "--reload"),
    "runserver": ({"requirements.txt": "django\n"}, "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD python manage.py runserver 0.0.0.0:8000\n", "runserver"),
    "uv-run": ({"pyproject.toml": "[project]\nname='x'\n", "uv.lock": ""}, "FROM python:3.12\nRUN pip install uv\nWORKDIR /app\nCOPY . .\nRUN uv sync\nCMD [\"uv\", \"run\", \"fastapi\", \"run\"]\n", "package manager runs the app"),
    "go-run": ({"go.mod": "module x\n"}, "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go mod download\nENTRYPOINT go run .\n", "`go run`"),
    "air": ({"go.mod": "module x\n"}, "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go install github.com/air-verse/air@latest\nCMD [\"air\"]\n", "air"),
    "cargo-run": ({"Cargo.toml": "[package]\nname = \"q\"\n"}, "FROM rust:latest\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nCMD [\"cargo\", \"run\", \"--release\"]\n", "cargo compiles at run time"),
    "missing-source": ({"package.json": "{}"}, "FROM node:20\nWORKDIR /app\nCOPY package.json yarn.lock ./\nRUN yarn\nCMD [\"node\", \"i.js\"]\n", "not in the build context"),
    "user-pip": ({"requirements.txt": "six\n"}, "FROM python:3.11\nCOPY requirements.txt .\nRUN pip install --user -r requirements.txt\nCMD [\"python\"]\n", "--user"),
    "onbuild": ({"package.json": "{}"}, "FROM node:20\nONBUILD COPY . .\nCMD [\"node\"]\n", "ONBUILD"),
    "binary-unknown": ({"go.mod": "module x\n"}, "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o server .\nCMD [\"/usr/bin/other\"]\n", "which built file"),
    "apt-python-lib": ({"requirements.txt": "six\n"}, "FROM python:3.11\nRUN apt-get update && apt-get install -y python3-numpy\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n", "python3-numpy"),
    "unknown-dev-lib": ({"requirements.txt": "six\n"}, "FROM python:3.11\nRUN apt-get update && apt-get install -y libfoobar-dev\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n", "libfoobar-dev"),
    "from-variable": ({"package.json": "{}"}, "ARG BASE\nFROM $BASE\nCOPY . .\nRUN npm ci\nCMD [\"node\", \"a.js\"]\n", "not one whose build I understand"),
    # run-time needs the runner cannot carry, and broken input (issue 11)
    "unknown-runtime-tool": (
        {"package.json": '{"dependencies": {"ms": "2"}}', "package-lock.json": "{}", "index.js": ""},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nHEALTHCHECK CMD frobnicate --ping || exit 1\nCMD [\"node\", \"index.js\"]\n",
        "frobnicate"),
    "web-server-in-script": (
        {"package.json": '{"scripts": {"build": "node b.js"}}', "package-lock.json": "{}", "b.js": "", "start.sh": "#!/bin/sh\nnginx -g 'daemon off;'\n"},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"./start.sh\"]\n", "runs nginx"),
    "make-install": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN cd vendor/lib && make install\nCMD [\"python\", \"a.py\"]\n",
        "make install"),
    "pip-into-node-image": (
        {"package.json": '{"dependencies": {"ms": "2"}}', "package-lock.json": "{}", "index.js": ""},
        "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && pip install awscli\nCMD [\"node\", \"index.js\"]\n",
        "system site-packages"),
    "removes-system-config": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nRUN rm -f /etc/localtime\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n",
        "removes /etc/localtime"),
    "chown-outside-app": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN mkdir -p /data && chown 1000:1000 /data\nCMD [\"python\", \"a.py\"]\n",
        "changes the owner of /data"),
    "another-account": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN useradd worker\nCMD [\"python\", \"a.py\"]\n",
        "creates an account"),
    "root-home": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN mkdir -p /root/.config/a\nCMD [\"python\", \"a.py\"]\n",
        "root's home"),
    "loop-writes-outside": (
        {"requirements.txt": "six\n", "a.py": "", "x.conf": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN for f in x.conf; do cp $f /etc/app/; done\nCMD [\"python\", \"a.py\"]\n",
        "cannot tell what it writes"),
    "script-missing-from-context": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT [\"./start.sh\"]\nCMD [\"python\", \"a.py\"]\n",
        "not in the build context"),
    "gosu-entrypoint": (
        {"requirements.txt": "six\n", "a.py": "", "entrypoint.sh": "#!/bin/sh\nchown -R app /data\nexec gosu app \"$@\"\n"},
        "FROM python:3.11\nRUN apt-get update && apt-get install -y gosu\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nENTRYPOINT [\"./entrypoint.sh\"]\nCMD [\"python\", \"a.py\"]\n",
        "to switch users itself"),
    "project-console-script": (
        {"pyproject.toml": "[project]\nname = 'x'\n[project.scripts]\nserve-x = 'x:main'\n", "x.py": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install .\nHEALTHCHECK CMD serve-x --ping && nosuchtool\nCMD [\"serve-x\"]\n",
        "nosuchtool"),
    "pip-by-path": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN /usr/local/bin/pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n",
        "system site-packages"),
    "go-build-missing-package": (
        {"go.mod": "module x\n\ngo 1.22\n", "cmd/webapp/main.go": "package main\nfunc main() {}\n"},
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o ./bin/server ./cmd/ghostbin/main.go\nENTRYPOINT [\"/app/bin/server\"]\n",
        "not in the build context"),
    "go-creates-dirs-at-run-time": (
        {"go.mod": "module x\n\ngo 1.22\n", "main.go": 'package main\nimport _ "github.com/joho/godotenv/autoload"\nfunc main() {}\n',
         ".env": "LOG_FILE=./logs/app.log\n"},
        "FROM golang:1.22\nWORKDIR /app\nCOPY . .\nRUN go build -o /app/server .\nCMD [\"/app/server\"]\n",
        "creates at run time"),
    # real-repository findings (notes/real-run-findings.md M1, M3)
    "node-modules-moved": (
        {"package.json": '{"dependencies": {"ms": "2"}}', "package-lock.json": "{}", "server.js": ""},
        "FROM node:18\nWORKDIR /usr/local/app\nCOPY package*.json ./\nRUN npm ci && mv /usr/local/app/node_modules /node_modules\nCOPY . .\nCMD [\"node\", \"server.js\"]\n",
        "moves or removes /usr/local/app/node_modules"),
    "privileged-port": (
        {"package.json": '{"dependencies": {"ms": "2"}}', "package-lock.json": "{}", "server.js": ""},
        "FROM node:18\nWORKDIR /app\nCOPY . .\nRUN npm ci\nENV PORT=80\nEXPOSE 80\nCMD [\"node\", \"server.js\"]\n",
        "port 80, below 1024"),
    "go-writes-work-folder": (
        {"go.mod": "module x\ngo 1.21\n", "main.go": 'package main\nimport "os"\nfunc main() { os.Mkdir("message", 0755) }\n'},
        "FROM golang:1.21\nWORKDIR /app\nCOPY . .\nRUN go build -o main main.go\nCMD [\"./main\"]\n",
        "creates message under the work folder"),
    "script-piped-into-shell": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nRUN curl -fsSL https://deb.nodesource.com/setup_20.x | bash -\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n",
        "piped into a shell"),
    "build-script-writes-system": (
        {"requirements.txt": "six\n", "a.py": "", "setup.sh": "#!/bin/sh\nmkdir -p /etc/app && cp app.ini /etc/app/\n"},
        "FROM python:3.11\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nRUN ./setup.sh\nCMD [\"python\", \"a.py\"]\n",
        "mentions /etc/app"),
    "go-distroless-folder-given-to-user": (
        {"go.mod": "module x\ngo 1.21\n", "main.go": 'package main\nimport "os"\nfunc main() { os.Mkdir("message", 0755) }\n'},
        "FROM golang:1.21\nRUN useradd -u 10001 app && mkdir -p /app && chown app:app /app\nWORKDIR /app\nCOPY . .\n"
        "RUN go build -o main main.go\nUSER 10001:10001\nCMD [\"./main\"]\n",
        "has no shell to change that"),
    "archive-into-system-folder": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nRUN curl -fsSL https://example.com/tool.tgz | tar -xz -C /usr/local\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n",
        "unpacks or copies into /usr/local"),
    "copy-from-numbered-stage": (
        {"requirements.txt": "six\n", "a.py": ""},
        "FROM python:3.11\nWORKDIR /app\nCOPY --from=0 /x /x\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n",
        "stage graph is broken"),
    "nothing-to-gain": (
        {"package.json": '{"dependencies": {"ms": "2"}}', "index.js": ""},
        "FROM node:20-slim\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD [\"node\", \"index.js\"]\n", "leave nothing behind"),
}


def write_context(root: Path, files: dict[str, str], dockerfile: str) -> Path:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    df = root / "Dockerfile"
    df.write_text(dockerfile)
    return df


@pytest.mark.parametrize("name", sorted(SKIPS))
def test_skips_with_a_reason(tmp_path, name):
    files, dockerfile, reason = SKIPS[name]
    path = write_context(tmp_path, files, dockerfile)
    result = run(path)
    assert result.error is None
    assert result.output == dockerfile, result.output
    reasons = [s.reason for s in result.skips if s.codemod == "multi-stage"]
    assert any(reason in r for r in reasons), reasons


def test_no_context_no_change():
    df = parse_dockerfile("FROM python:3.11\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n")
    ctx = Context(path=None, build_context=None)
    assert CODEMOD.transform(df, ctx) is df
    assert "build context is unknown" in ctx.skips[0].reason


def test_runner_base_option_overrides(tmp_path):
    case = CORPUS / "python-pip"
    shutil.copytree(case, tmp_path / "ctx")
    text = read_text_exact(case / "Dockerfile")
    df = parse_dockerfile(text)
    ctx = Context(path=tmp_path / "ctx" / "Dockerfile", build_context=BuildContext(tmp_path / "ctx"),
                  options={"runner_base": "registry.example.com/python:3.11-slim-hardened"})
    out = CODEMOD.transform(df, ctx)
    assert "FROM registry.example.com/python:3.11-slim-hardened AS runner" in out.code
    assert "--runner-base" in ctx.edits[0].rationale


def test_templated_base_keeps_its_variable(tmp_path):
    files = {"package.json": '{"scripts": {"build": "tsc"}, "devDependencies": {"typescript": "5"}}', "tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}', "package-lock.json": "{}"}
    text = "ARG NODE_VERSION=20\nFROM node:${NODE_VERSION}\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\nCMD [\"node\", \"dist/main.js\"]\n"
    result = run(write_context(tmp_path, files, text))
    assert result.error is None
    assert "FROM node:${NODE_VERSION}-slim AS runner" in result.output


def test_escape_backtick_file_keeps_its_escape(tmp_path):
    files = {"requirements.txt": "six\n", "a.py": ""}
    text = "# escape=`\nFROM python:3.11\nRUN apt-get update && apt-get install -y `\n    gcc\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD [\"python\", \"a.py\"]\n"
    result = run(write_context(tmp_path, files, text))
    assert result.error is None and result.output != text
    assert "\\\n" not in result.output  # new multi-line text uses the file's escape
    assert parse_dockerfile(result.output).escape == "`"


def test_file_without_final_newline(tmp_path):
    files = {"requirements.txt": "six\n", "a.py": ""}
    text = "FROM python:3.11\nWORKDIR /app\nCMD [\"python\", \"a.py\"]\nCOPY . .\nRUN pip install -r requirements.txt"
    result = run(write_context(tmp_path, files, text))
    assert result.error is None, result.error
    assert result.output != text
    for inst in parse_dockerfile(result.output).instructions[:-1]:
        assert inst.newline


# --- the shared corpus of real Dockerfiles -------------------------------------------------------

REAL = real_corpus()


def _manifest() -> dict[str, dict[str, str]]:
    path = SHARED_REAL / "MANIFEST.tsv"
    if not path.exists():
        return {}
    rows = [ln.split("\t") for ln in path.read_text().splitlines()]
    head = rows[0]
    return {r[0]: dict(zip(head, r)) for r in rows[1:] if len(r) == len(head)}


@pytest.mark.shared_corpus
@pytest.mark.parametrize("path", shared_params(REAL))
def test_real_file_unchanged_without_its_context(path):
    """The shared corpus has the Dockerfiles but not their build contexts: never guess."""
    text = read_text_exact(path)
    result = run(path, text)
    assert result.output == text
    assert not [e for e in result.edits if e.codemod == "multi-stage"]


ECOSYSTEM_FILES = {
    "node": {
        "package.json": json.dumps({"name": "x", "version": "1.0.0", "scripts": {"build": "tsc", "start": "node dist/index.js"},
                                    "dependencies": {"ms": "2"}, "devDependencies": {"typescript": "5"}}),
        "package-lock.json": "{}", "yarn.lock": "", "tsconfig.json": '{"compilerOptions": {"outDir": "dist", "rootDir": "src"}}',
        "src/index.ts": "", "index.js": "", "server.js": "",
    },
    "python": {"requirements.txt": "flask\ngunicorn\n", "pyproject.toml": "[project]\nname = 'x'\n", "app.py": "", "main.py": "",
               "setup.py": ""},
    "go": {"go.mod": "module example.com/app\n\ngo 1.22\n", "go.sum": "", "main.go": "package main\n"},
    "rust": {"Cargo.toml": '[package]\nname = "app"\nversion = "0.1.0"\n', "Cargo.lock": "", "src/main.rs": "fn main() {}\n"},
}


def synthesize_context(root: Path, text: str, ecosystem: str) -> None:
    """A plausible build context for a real Dockerfile: the ecosystem's manifests and every
    literal COPY/ADD source it names."""
    for rel, body in ECOSYSTEM_FILES[ecosystem].items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(body)
    try:
        df = parse_dockerfile(text)
    except Exception:
        return
    for inst in df.instructions:
        if inst.cmd not in ("COPY", "ADD") or inst.flag_value("from") is not None:
            continue
        for src in inst.value[:-1]:
            src = src.strip("\"'").lstrip("/")
            if not src or src in (".", "./") or "$" in src or "://" in src or ".." in src:
                continue
            if any(c in src for c in "*?["):
                continue
            p = root / src
            if src.endswith("/") or "." not in Path(src).name:
                p.mkdir(parents=True, exist_ok=True)
                (p / "keep.txt").write_text("x\n")
            elif not p.exists():
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_text("#!/bin/sh\nexec \"$@\"\n" if src.endswith(".sh") else "x\n")


REAL_APPS = [p for p in REAL if _manifest().get(p.name, {}).get("ecosystem") in ECOSYSTEM_FILES]


@pytest.mark.shared_corpus
@pytest.mark.parametrize("path", shared_params(REAL_APPS))
def test_real_file_with_a_synthesized_context(tmp_path, path):
    """With a plausible context, every real python/node/go/rust file either splits into a file
    that parses (ours and BuildKit's), keeps every comment, names its stages, reruns as a no-op
    and passes the engine's checks, or is skipped with a reason."""
    info = _manifest()[path.name]
    text = read_text_exact(path)
    synthesize_context(tmp_path, text, info["ecosystem"])
    df_path = tmp_path / "Dockerfile"
    df_path.write_bytes(path.read_bytes())
    result = run(df_path, text)
    assert result.error is None, result.error
    if result.output == text:
        assert info["single_or_multi_stage"] == "multi" or result.skips
        return
    assert info["single_or_multi_stage"] == "single"
    assert kept_comments(text, result.output)
    names = [n.lower() if n else n for n in stage_names(result.output)]
    assert names[0] == "deps" and names[1] == "builder" and names[-1] == "runner"
    oracle = oracle_commands(result.output.replace("\r\n", "\n"))
    assert oracle[0] != "error", oracle
    again = run(df_path, result.output)
    assert again.output == result.output and not again.edits


@pytest.mark.shared_corpus
def test_real_corpus_split_rate():
    """How many of the real single-stage app Dockerfiles split with a plausible context (the
    rest skip with a reason): recorded so a regression shows."""
    tried = split = 0
    reasons: dict[str, int] = {}
    import tempfile

    for path in REAL_APPS:
        info = _manifest()[path.name]
        if info["single_or_multi_stage"] != "single":
            continue
        tried += 1
        with tempfile.TemporaryDirectory() as d:
            root = Path(d)
            text = read_text_exact(path)
            synthesize_context(root, text, info["ecosystem"])
            (root / "Dockerfile").write_bytes(path.read_bytes())
            result = run(root / "Dockerfile", text)
            if result.output != text:
                split += 1
            else:
                for s in result.skips:
                    if s.codemod == "multi-stage":
                        key = re.sub(r"[`'\"].*", "", s.reason)[:60]
                        reasons[key] = reasons.get(key, 0) + 1
    assert tried >= 50
    assert split >= 14, (split, tried, reasons)


def test_binary_found_through_the_toolchain_path_lands_on_the_runner_path():
    out = read_text_exact(CORPUS / "rust-cargo-install" / "Dockerfile.after").split("AS runner", 1)[1]
    assert "COPY --from=builder /usr/local/cargo/bin/svc /usr/local/bin/" in out
    assert "libssl3" in out and "ca-certificates" in out  # reqwest links OpenSSL
    assert 'CMD ["svc"]' in out


def test_alpine_runner_gets_alpine_package_names():
    out = read_text_exact(CORPUS / "python-alpine-psycopg" / "Dockerfile.after").split("AS runner", 1)[1]
    assert "RUN apk add --no-cache libpq\n" in out and "libpq5" not in out and "gcc" not in out
    assert "adduser -S -u 10001 -G app app" in out and "USER 10001:10001" in out


def test_tools_the_container_runs_stay_in_the_runner():
    """HEALTHCHECK, shell-form commands and entrypoint scripts: their programs reach the runner
    (installed with the family's package manager); shell builtins (`exit`) are not programs."""
    hc = read_text_exact(CORPUS / "healthcheck-curl" / "Dockerfile.after").split("AS runner", 1)[1]
    assert "        curl \\\n" in hc and "exit" not in hc.split("HEALTHCHECK", 1)[0]
    ep = read_text_exact(CORPUS / "entrypoint-script-tool" / "Dockerfile.after").split("AS runner", 1)[1]
    assert "procps" in ep  # docker-entrypoint.sh runs `ps` inside $(...)
    assert "COPY --from=builder /usr/local/bin/docker-entrypoint.sh" in ep  # copied to a system folder
    assert "COPY --from=builder /usr/share/motd/quote.txt" in ep


def test_files_written_outside_the_app_folder_reach_the_runner():
    out = read_text_exact(CORPUS / "writes-outside-app" / "Dockerfile.after").split("AS runner", 1)[1]
    assert "COPY --from=builder --chown=app:app /etc/greeter /etc/greeter\n" in out
    assert "COPY --from=builder /usr/share/greeter-banner.txt /usr/share/greeter-banner.txt\n" in out
    assert "RUN ln -sf /app/greet.py /usr/local/bin/greet\n" in out
    assert out.index("ln -sf") < out.index("USER 10001:10001")


def test_runner_user_comes_from_the_knowledge_layer():
    from refactor.knowledge.users import new_user

    for case, family in (("python-pip", "debian"), ("python-alpine-psycopg", "alpine")):
        out = read_text_exact(CORPUS / case / "Dockerfile.after").split("AS runner", 1)[1]
        nu = new_user(family)
        assert all(c in out for c in nu.create) and f"USER {nu.user}" in out
        # the root original could write its work folder: the runner user owns it
        assert "&& mkdir -p /app && chown app:app /app\n" in out
    node = read_text_exact(CORPUS / "node-yarn" / "Dockerfile.after").split("AS runner", 1)[1]
    assert "USER 1000:1000" in node and "useradd" not in node


def test_named_user_of_the_base_becomes_numeric(tmp_path):
    files = {"package.json": '{"scripts": {"build": "tsc"}, "devDependencies": {"typescript": "5"}}',
             "tsconfig.json": '{"compilerOptions": {"outDir": "dist"}}', "package-lock.json": "{}"}
    text = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nUSER node\nCMD [\"node\", \"dist/main.js\"]\n"
    result = run(write_context(tmp_path, files, text))
    runner = result.output.split("AS runner", 1)[1]
    assert "USER 1000:1000" in runner and "USER node" not in runner


def test_go_runner_gets_the_env_file_and_the_paths_it_names(tmp_path):
    """The program loads `.env` (godotenv) and opens the paths its values name: both reach the
    runner (real-run finding M1)."""
    files = {"go.mod": "module x\n\ngo 1.22\n", ".env": "INDEX_FILE=./public/index.html\n", "public/index.html": "hi",
             "cmd/webapp/main.go": 'package main\nimport (\n_ "github.com/joho/godotenv/autoload"\n"os"\n)\n'
                                   'func main() { os.ReadFile(os.Getenv("INDEX_FILE")) }\n'}
    text = ("FROM golang:1.22\nWORKDIR /app\nCOPY go.mod ./\nRUN go mod download\nCOPY . .\n"
            "RUN CGO_ENABLED=0 go build -o ./bin/server ./cmd/webapp/main.go\nENTRYPOINT [\"/app/bin/server\"]\n")
    result = run(write_context(tmp_path, files, text))
    runner = result.output.split("AS runner", 1)[1]
    assert "/app/.env ./" in runner and "/app/public ./public/" in runner


def test_node_unknown_build_outputs_take_the_whole_built_folder(tmp_path):
    """`npm run build` runs a script of the project's own: its outputs are unknown, so the runner
    gets the whole built app folder with the production node_modules (samples-failures: node-web)."""
    files = {"package.json": '{"scripts": {"build": "node scripts/bundle.js", "start": "node dist/server.js"}, '
                             '"dependencies": {"ms": "2"}, "devDependencies": {"esbuild": "0.20"}}',
             "package-lock.json": "{}", "scripts/bundle.js": "", "src/server.js": ""}
    text = "FROM node:20\nWORKDIR /home/node/app\nCOPY . .\nRUN npm ci && npm run build\nCMD [\"npm\", \"start\"]\n"
    runner = run(write_context(tmp_path, files, text)).output.split("AS runner", 1)[1]
    assert "COPY --from=prod-deps --chown=node:node /home/node/app ./" in runner


def test_node_without_dependencies_copies_no_node_modules(tmp_path):
    """`npm ci` of a package without dependencies makes no node_modules: nothing to copy
    (samples-failures: node-zero-deps)."""
    files = {"package.json": '{"name": "x", "bin": "cli.js"}', "package-lock.json": "{}", "cli.js": ""}
    text = "FROM node:20\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nCMD [\"node\", \"cli.js\"]\n"
    runner = run(write_context(tmp_path, files, text)).output.split("AS runner", 1)[1]
    assert "node_modules" not in runner and "/app/cli.js" in runner


def test_accounts_made_in_several_runs_are_made_again_and_user_is_numeric(tmp_path):
    """Every RUN that only makes accounts is repeated in the runner; the USER the original names
    becomes numeric when its useradd fixes the ids (refactor.knowledge.users.Accounts)."""
    files = {"requirements.txt": "six\n", "a.py": ""}
    text = ("FROM python:3.11\nRUN groupadd --gid 1500 svc\nRUN useradd --uid 1500 --gid svc --create-home svc\n"
            "WORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nUSER svc\nCMD [\"python\", \"a.py\"]\n")
    runner = run(write_context(tmp_path, files, text)).output.split("AS runner", 1)[1]
    assert "RUN groupadd --gid 1500 svc\nRUN useradd --uid 1500 --gid svc --create-home svc\n" in runner
    assert "USER 1500:1500" in runner and "--chown=svc:svc" in runner


def test_npm_6_prunes_with_production(tmp_path):
    """npm 6 (node 14 and older) ignores `--omit=dev`: the prod-deps stage would keep the
    devDependencies while the explanation says they are gone."""
    shutil.copytree(CORPUS / "node-npm-ts", tmp_path / "app")
    df = tmp_path / "app" / "Dockerfile"
    text = read_text_exact(df).replace("FROM node:20", "FROM node:14", 1)
    df.write_text(text)
    result = run(df, text)
    assert "npm prune --production" in result.output and "--omit=dev" not in result.output


NODE_WRITER = {"package.json": '{"name": "a", "version": "1.0.0", "dependencies": {"ms": "2"}}', "package-lock.json": "{}",
               "server.js": "const fs = require('fs');\nfs.writeFileSync('./db.json', '{}');\n"}
NODE_WRITER_DF = "FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n"


def _runner(output: str) -> str:
    assert "AS runner" in output, output
    return output.split("AS runner", 1)[1]


def test_node_app_writing_its_folder_gets_the_folder_in_the_runner(tmp_path):
    """The app creates db.json in its WORKDIR at run time, which the root original could: the
    runner's WORKDIR would be root-owned, so the runner gives the folder to its user first."""
    runner = _runner(run(write_context(tmp_path, NODE_WRITER, NODE_WRITER_DF)).output)
    assert "RUN mkdir -p /app && chown node:node /app\nWORKDIR /app\n" in runner, runner
    assert "COPY --from=builder /app /app" not in runner


def test_non_root_shape_is_the_app_folder_not_a_write_outside_it(tmp_path):
    """non-root's `mkdir -p /app && chown node:node /app` before WORKDIR makes the app folder the
    user's: the runner does the same (its WORKDIR alone would make it root-owned) and does not
    carry the builder's whole folder as a write outside the app."""
    text = ("FROM node:20\nRUN mkdir -p /app && chown node:node /app\nWORKDIR /app\n"
            "COPY --chown=node:node package.json package-lock.json ./\nUSER 1000:1000\nRUN npm ci\n"
            "COPY --chown=node:node . .\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n")
    runner = _runner(run(write_context(tmp_path, NODE_WRITER, text)).output)
    assert "RUN mkdir -p /app && chown 1000:1000 /app\nWORKDIR /app\n" in runner, runner
    assert "COPY --from=builder /app /app" not in runner and "USER 1000:1000" in runner


def test_default_run_splits_an_app_writing_its_folder_as_multi_stage_alone_does(tmp_path):
    """Every codemod, round after round: the result is the split multi-stage alone makes (the
    runner's folder given to its user), whatever non-root did to the single stage."""
    path = write_context(tmp_path, NODE_WRITER, NODE_WRITER_DF)
    alone = _runner(run(path).output)
    result = refactor_text(NODE_WRITER_DF, path=path, selection=make_selection())
    assert result.error is None
    everything = _runner(result.output)
    assert "chown node:node /app\nWORKDIR /app\n" in everything, everything
    assert "COPY --from=builder /app /app" not in everything
    assert everything.count("COPY --from=") == alone.count("COPY --from=")
    assert not [s for s in result.skips if s.codemod == "multi-stage"]

"""`dockwright bot` against a real git remote (a local bare repository, and the same repository
served over smart HTTP with token auth) and a local server answering GitHub's pulls endpoints.

The engine is replaced by `fake_refactor`, which rewrites Dockerfiles deterministically with
`Edit`s from two codemods, so these tests exercise only the bot."""
from __future__ import annotations

import base64
import re
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from buildenv import builder_for, builders_under_test, exclusive, new_since, store_state
from fake_github import FakeGitHub
from refactor.bot import run as bot_mod, gitops, pr_body
from refactor.bot.commits import Change, plan_commits, split_by_codemod
from refactor.bot.run import BotOptions, run_bot
from refactor.bot.github_api import GitHubClient
from refactor.codemods.base import Edit, Safety
from refactor.engine.results import FileResult

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "ghs_S3cr3tT0kenS3cr3tT0kenS3cr3tT0ken42"
TOKEN_B64 = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()

DOCKERFILE = textwrap.dedent("""\
    FROM debian:latest
    RUN apt-get update && apt-get install -y curl
    COPY . /app
    CMD ["/app/run"]
    """)
API_DOCKERFILE = "FROM python:3.12-slim\r\nRUN apt-get install -y gcc \\\r\n    make\r\n"
CLEAN_DOCKERFILE = "FROM alpine:3.19\nRUN echo ok\n"


# --- the fake engine ---------------------------------------------------------------------------

def _rewrite(source: str) -> tuple[str, tuple[Edit, ...]]:
    out, edits = [], []
    for i, line in enumerate(source.splitlines(True), 1):
        if line.startswith("FROM ") and ":latest" in line:
            line = line.replace(":latest", ":12")
            edits.append(Edit("pin-base-image", Safety.UNSAFE, "Pinned the base image to a tag",
                              "`latest` moves under you; a pinned tag rebuilds the same image.", i))
        elif "apt-get install -y " in line and "--no-install-recommends" not in line:
            line = line.replace("apt-get install -y ", "apt-get install -y --no-install-recommends ")
            edits.append(Edit("apt-no-recommends", Safety.SAFE, "Skip recommended packages",
                              "Recommended packages are rarely needed and add megabytes.", i))
        out.append(line)
    return "".join(out), tuple(edits)


def fake_refactor(repo_dir: Path) -> list[FileResult]:
    results = []
    for path in sorted(Path(repo_dir).rglob("Dockerfile*")):
        if ".git" in path.relative_to(repo_dir).parts:
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            source = fh.read()
        output, edits = _rewrite(source)
        results.append(FileResult(path=path, original=source, output=output, edits=edits))
    return results


def no_changes(repo_dir: Path) -> list[FileResult]:
    return [FileResult(path=p, original=p.read_text(), output=p.read_text())
            for p in sorted(Path(repo_dir).glob("Dockerfile"))]


# --- git fixtures ------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    cfg = home / ".gitconfig"
    cfg.write_text("[user]\n\tname = Test Human\n\temail = human@example.com\n"
                   "[init]\n\tdefaultBranch = main\n[advice]\n\tdetachedHead = false\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(cfg))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for var in ("GITHUB_TOKEN", "GIT_DIR", "GIT_WORK_TREE", "GITHUB_API_URL"):
        monkeypatch.delenv(var, raising=False)


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@dataclass
class Workspace:
    root: Path
    bare: Path  # the "GitHub" repository
    seed: Path  # a clone other people push from
    work: Path  # the clone the bot runs in

    def push_to_main(self, files: dict[str, str], message: str) -> str:
        git(self.seed, "pull", "-q", "origin", "main")
        for rel, text in files.items():
            target = self.seed / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", newline="") as fh:
                fh.write(text)
        git(self.seed, "add", "-A")
        git(self.seed, "commit", "-qm", message)
        git(self.seed, "push", "-q", "origin", "main")
        return git(self.seed, "rev-parse", "HEAD")

    def remote_sha(self, branch: str) -> str | None:
        proc = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                              cwd=self.bare, capture_output=True, text=True)
        return proc.stdout.strip() or None

    def show(self, rev: str, path: str) -> str:
        return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=self.bare, capture_output=True,
                              check=True).stdout.decode()  # bytes: keep CRLF as stored


@pytest.fixture
def ws(tmp_path) -> Workspace:
    bare = tmp_path / "remote" / "acme" / "app.git"
    bare.parent.mkdir(parents=True)
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(bare), str(seed))
    files = {"Dockerfile": DOCKERFILE, "services/api/Dockerfile": API_DOCKERFILE,
             "tools/Dockerfile": CLEAN_DOCKERFILE, "README": "hello\n"}
    for rel, text in files.items():
        (seed / rel).parent.mkdir(parents=True, exist_ok=True)
        with open(seed / rel, "w", newline="") as fh:
            fh.write(text)
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "initial")
    git(seed, "push", "-q", "origin", "main")
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(bare), str(work))
    return Workspace(tmp_path, bare, seed, work)


@pytest.fixture
def github(ws):
    fake = FakeGitHub(TOKEN, git_root=ws.root / "remote")
    fake.add_repo("acme", "app", ws.bare)
    with fake:
        yield fake


def run(ws: Workspace, github: FakeGitHub, *, refactor=fake_refactor, env_token=TOKEN, **options):
    opts = BotOptions(repo=options.pop("repo", ws.work), github_api=options.pop("github_api", github.url),
                      **options)
    environ = dict(os.environ)
    if env_token is not None:
        environ["GITHUB_TOKEN"] = env_token
    return run_bot(opts, refactor_repo=refactor, environ=environ)


def commits_on(ws: Workspace, branch: str, base: str = "main") -> list[dict]:
    raw = git(ws.bare, "log", "--format=%H%x1f%an%x1f%ae%x1f%s%x1f%(trailers:key=Dockwright-Bot,valueonly)%x1e",
              f"{base}..{branch}")
    out = []
    for rec in raw.split("\x1e"):
        rec = rec.strip()
        if rec:
            sha, name, email, subject, trailer = rec.split("\x1f")
            out.append({"sha": sha, "name": name, "email": email, "subject": subject,
                        "trailer": trailer.strip()})
    return out[::-1]


def assert_no_token_anywhere(ws: Workspace, *texts: str) -> None:
    for text in texts:
        assert TOKEN not in text and TOKEN_B64 not in text
    for repo in (ws.work, ws.bare):
        config = (repo / "config") if repo == ws.bare else (repo / ".git" / "config")
        assert TOKEN not in config.read_text() and TOKEN_B64 not in config.read_text()
        everything = git(repo, "log", "--all", "-p", "--format=%H %an %ae %cn %ce%n%B")
        assert TOKEN not in everything and TOKEN_B64 not in everything
        refs = git(repo, "for-each-ref")
        assert TOKEN not in refs
    assert TOKEN not in git(ws.work, "remote", "get-url", "origin")
    listed = git(ws.work, "config", "--list", "--show-origin")
    assert TOKEN not in listed and TOKEN_B64 not in listed


# --- first run, re-runs, existing PRs ----------------------------------------------------------

def test_first_run_opens_one_pr_with_one_commit_per_codemod(ws, github, capsys):
    head_before = git(ws.work, "rev-parse", "HEAD")
    main_before = ws.remote_sha("main")

    outcome = run(ws, github)

    assert outcome.code == 0, outcome.message
    assert outcome.pr_action == "opened" and outcome.pr_number == 1
    assert outcome.changed_files == ["Dockerfile", "services/api/Dockerfile"]
    # the base is never touched
    assert ws.remote_sha("main") == main_before
    # one commit per codemod, written and marked by the bot
    commits = commits_on(ws, "dockwright/refactor")
    assert [c["trailer"] for c in commits] == ["pin-base-image", "apt-no-recommends"]
    assert all(c["name"] == "dockwright[bot]" and c["email"] == gitops.BOT_EMAIL for c in commits)
    assert commits[0]["subject"] == "dockwright: pin-base-image in Dockerfile"
    assert commits[1]["subject"] == "dockwright: apt-no-recommends in 2 files"
    # intermediate state after the first commit has only the first codemod's edit
    first = ws.show(commits[0]["sha"], "Dockerfile")
    assert "debian:12" in first and "--no-install-recommends" not in first
    # final tree is exactly the refactored text, CRLF kept, untouched file untouched
    assert ws.show("dockwright/refactor", "Dockerfile") == _rewrite(DOCKERFILE)[0]
    assert ws.show("dockwright/refactor", "services/api/Dockerfile") == _rewrite(API_DOCKERFILE)[0]
    assert "\r\n" in ws.show("dockwright/refactor", "services/api/Dockerfile")
    assert ws.show("dockwright/refactor", "tools/Dockerfile") == CLEAN_DOCKERFILE
    changed = git(ws.bare, "diff", "--name-only", "main", "dockwright/refactor").splitlines()
    assert changed == ["Dockerfile", "services/api/Dockerfile"]
    # the pull request, as GitHub stores it
    repo = github.repos[("acme", "app")]
    assert len(repo.pulls) == 1
    pr = repo.pulls[0]
    assert pr["head"]["label"] == "acme:dockwright/refactor" and pr["base"]["ref"] == "main"
    assert pr["title"] == "Refactor 2 Dockerfiles with dockwright (includes changes to review)"
    assert "| `Dockerfile` | `pin-base-image`, `apt-no-recommends` | +2 / −2 |" in pr["body"]
    assert "unsafe" in pr["body"] and "dockwright --diff Dockerfile services/api/Dockerfile" in pr["body"]
    assert github.api_calls() == [("GET", "/repos/acme/app/pulls"), ("POST", "/repos/acme/app/pulls")]
    listed = github.requests[0]["query"]
    assert "head=acme%3Adockwright%2Frefactor" in listed and "state=open" in listed
    # the user's checkout is untouched and no worktree is left behind
    assert git(ws.work, "rev-parse", "HEAD") == head_before
    assert git(ws.work, "status", "--porcelain") == ""
    assert len(git(ws.work, "worktree", "list").splitlines()) == 1
    out = capsys.readouterr()
    assert "opened pull request #1" in out.out
    assert_no_token_anywhere(ws, out.out, out.err)


def test_rerun_with_nothing_new_pushes_nothing_and_leaves_the_pr(ws, github):
    assert run(ws, github).code == 0
    sha = ws.remote_sha("dockwright/refactor")
    calls = len(github.requests)

    outcome = run(ws, github)

    assert outcome.code == 0 and outcome.pr_action == "unchanged" and not outcome.pushed
    assert ws.remote_sha("dockwright/refactor") == sha
    assert github.api_calls()[calls:] == [("GET", "/repos/acme/app/pulls")]
    assert len(github.repos[("acme", "app")].pulls) == 1


def test_rerun_after_the_base_moved_updates_the_branch_and_the_pr(ws, github):
    assert run(ws, github).code == 0
    old_sha = ws.remote_sha("dockwright/refactor")
    new_main = ws.push_to_main({"worker/Dockerfile": "FROM node:latest\n"}, "add a worker")

    outcome = run(ws, github)

    assert outcome.code == 0 and outcome.pr_action == "updated" and outcome.pushed
    new_sha = ws.remote_sha("dockwright/refactor")
    assert new_sha != old_sha
    assert git(ws.bare, "merge-base", "main", "dockwright/refactor") == new_main
    assert ws.show("dockwright/refactor", "worker/Dockerfile") == "FROM node:12\n"
    assert all(c["email"] == gitops.BOT_EMAIL for c in commits_on(ws, "dockwright/refactor"))
    pulls = github.repos[("acme", "app")].pulls
    assert len(pulls) == 1 and pulls[0]["number"] == 1
    assert "worker/Dockerfile" in pulls[0]["body"] and "3 Dockerfiles" in pulls[0]["title"]
    assert github.api_calls()[-2:] == [("GET", "/repos/acme/app/pulls"), ("PATCH", "/repos/acme/app/pulls/1")]


def test_an_open_pr_from_another_run_is_updated_not_duplicated(ws, github):
    assert run(ws, github).code == 0
    # A fresh API (another runner, another day) already knows PR #41 from the branch.
    fresh = FakeGitHub(TOKEN)
    fresh.add_repo("acme", "app", ws.bare)
    fresh._next_number = 41
    fresh.add_pull("acme", "app", head="dockwright/refactor", base="main", title="old title", body="old")
    fresh.add_pull("acme", "app", head="someone/else", base="main", title="unrelated")
    with fresh:
        outcome = run(ws, fresh, github_api=fresh.url)
    assert outcome.code == 0 and outcome.pr_action == "updated" and outcome.pr_number == 41
    assert [m for m, _ in fresh.api_calls()] == ["GET", "PATCH"]
    pr = fresh.repos[("acme", "app")].pulls[0]
    assert pr["title"].startswith("Refactor 2 Dockerfiles") and "dockwright-bot" in pr["body"]
    assert fresh.repos[("acme", "app")].pulls[1]["title"] == "unrelated"


def test_a_pr_opened_between_list_and_create_is_updated(ws, github):
    # GET answers [] (stale), POST answers 422 "already exists": the bot lists again and PATCHes.
    github.add_pull("acme", "app", head="dockwright/refactor", base="main", title="racing run")
    github.fail("GET", r"/pulls$", 200, [], times=1)
    outcome = run(ws, github)
    assert outcome.code == 0 and outcome.pr_action == "updated"
    assert [m for m, _ in github.api_calls()] == ["GET", "POST", "GET", "PATCH"]
    assert len(github.repos[("acme", "app")].pulls) == 1


def test_a_run_that_stopped_after_pushing_completes_next_time(ws, github, capsys):
    github.fail("POST", r"/pulls$", 502, {"message": "Server Error"})
    first = run(ws, github)
    assert first.code == 4 and "server error" in first.message.lower()
    assert ws.remote_sha("dockwright/refactor") is not None
    assert github.repos[("acme", "app")].pulls == []
    sha = ws.remote_sha("dockwright/refactor")

    second = run(ws, github)

    assert second.code == 0 and second.pr_action == "opened" and not second.pushed
    assert ws.remote_sha("dockwright/refactor") == sha
    assert len(github.repos[("acme", "app")].pulls) == 1
    assert_no_token_anywhere(ws, *capsys.readouterr())


def test_nothing_to_change_means_no_branch_no_pr(ws, github, capsys):
    outcome = run(ws, github, refactor=no_changes)
    assert outcome.code == 0 and outcome.pr_action is None
    assert ws.remote_sha("dockwright/refactor") is None
    assert github.requests == []
    assert "nothing to refactor" in capsys.readouterr().out


def test_files_the_engine_could_not_parse_are_reported_not_committed(ws, github):
    def with_error(repo_dir):
        results = fake_refactor(repo_dir)
        broken = repo_dir / "tools" / "Dockerfile"
        return results + [FileResult(broken, "x", "x", error="tools/Dockerfile:1:1: unexpected 'x'")]

    outcome = run(ws, github, refactor=with_error)
    assert outcome.code == 0
    body = github.repos[("acme", "app")].pulls[0]["body"]
    assert "could not be processed" in body and "unexpected 'x'" in body


def test_extra_files_are_committed(ws, github):
    def with_dockerignore(repo_dir):
        results = fake_refactor(repo_dir)
        first = results[0]
        return [FileResult(first.path, first.original, first.output, first.edits,
                           extra_files={repo_dir / ".dockerignore": ".git\n"})] + results[1:]

    assert run(ws, github, refactor=with_dockerignore).code == 0
    assert ws.show("dockwright/refactor", ".dockerignore") == ".git\n"
    assert ".dockerignore" in github.repos[("acme", "app")].pulls[0]["body"]


# --- safety ------------------------------------------------------------------------------------

def test_foreign_commits_on_the_bot_branch_stop_the_bot(ws, github, capsys):
    assert run(ws, github).code == 0
    # a human adds a commit on top of the bot's branch
    git(ws.seed, "fetch", "-q", "origin")
    git(ws.seed, "checkout", "-q", "-b", "fix", "origin/dockwright/refactor")
    (ws.seed / "Dockerfile").write_text("FROM debian:12\n# tuned by hand\n")
    git(ws.seed, "commit", "-qam", "hand tuning")
    git(ws.seed, "push", "-q", "origin", "fix:dockwright/refactor")
    human_sha = ws.remote_sha("dockwright/refactor")
    calls = len(github.requests)

    outcome = run(ws, github)

    assert outcome.code == 1
    assert "did not write" in outcome.message and "hand tuning" in outcome.message
    assert ws.remote_sha("dockwright/refactor") == human_sha
    assert len(github.requests) == calls  # no API call at all
    assert "stopped:" in capsys.readouterr().err


def test_a_commit_by_the_bot_identity_without_the_trailer_is_foreign(ws, github):
    git(ws.seed, "checkout", "-q", "-b", "x")
    (ws.seed / "Dockerfile").write_text("FROM scratch\n")
    subprocess.run(["git", "commit", "-qam", "pretending"], cwd=ws.seed, check=True,
                   env=dict(os.environ, GIT_AUTHOR_NAME="dockwright[bot]", GIT_AUTHOR_EMAIL=gitops.BOT_EMAIL))
    git(ws.seed, "push", "-q", "origin", "x:dockwright/refactor")
    assert run(ws, github).code == 1


@pytest.mark.parametrize("branch", ["main"])
def test_the_bot_never_pushes_to_the_base(ws, github, branch):
    main_before = ws.remote_sha("main")
    outcome = run(ws, github, branch=branch)
    assert outcome.code == 1 and "never pushes to the base" in outcome.message
    assert ws.remote_sha("main") == main_before and github.requests == []


def test_the_default_branch_is_protected_even_when_another_base_is_given(ws, github):
    git(ws.seed, "push", "-q", "origin", "main:release")
    outcome = run(ws, github, base="release", branch="main")
    assert outcome.code == 1


def test_push_refuses_protected_branches_at_the_lowest_level(ws):
    g = gitops.Git(ws.work)
    with pytest.raises(gitops.GitError, match="base branch"):
        g.push("origin", git(ws.work, "rev-parse", "HEAD"), "main", None, {"main"})


def test_a_branch_moved_during_the_run_is_not_overwritten(ws, github, monkeypatch):
    assert run(ws, github).code == 0
    git(ws.seed, "fetch", "-q", "origin")
    ws.push_to_main({"Dockerfile": DOCKERFILE + "EXPOSE 80\n"}, "base moves")
    real_push = gitops.Git.push

    def racing_push(self, remote, sha, branch, expect, protected):
        # someone pushes the branch between the bot's fetch and its push
        git(ws.seed, "push", "-q", "-f", "origin", "main:dockwright/refactor")
        return real_push(self, remote, sha, branch, expect, protected)

    monkeypatch.setattr(gitops.Git, "push", racing_push)
    outcome = run(ws, github)
    assert outcome.code == 1 and "changed on" in outcome.message
    assert ws.remote_sha("dockwright/refactor") == ws.remote_sha("main")


# --- API failures ------------------------------------------------------------------------------

RATE_RESET = str(int(time.time()) + 3000)


@pytest.mark.parametrize("method,status,payload,headers,expect", [
    ("GET", 401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                  "status": "401"}, {}, "rejected the token"),
    ("POST", 403, {"message": "Resource not accessible by integration",
                   "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
                   "status": "403"}, {}, "pull-requests: write"),
    ("POST", 422, {"message": "Validation Failed", "errors": [
        {"resource": "PullRequest", "field": "base", "code": "invalid"}],
        "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"}, {},
     "PullRequest base invalid"),
    ("GET", 403, {"message": "API rate limit exceeded for installation ID 1.",
                  "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"},
     {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": RATE_RESET}, "the limit resets at"),
    ("POST", 403, {"message": "You have exceeded a secondary rate limit. Please wait a few minutes "
                              "before you try again."}, {"Retry-After": "120"}, "retry after 120 seconds"),
    ("GET", 429, {"message": "Too many requests"}, {"Retry-After": "90"}, "retry after 90 seconds"),
    ("GET", 503, {"message": "Service unavailable"}, {}, "try again later"),
])
def test_api_errors_exit_4_with_a_clear_message(ws, github, capsys, method, status, payload, headers, expect):
    github.fail(method, r"/pulls", status, payload, headers, times=5)
    outcome = run(ws, github)
    assert outcome.code == 4
    assert expect in outcome.message
    err = capsys.readouterr()
    assert expect in err.err
    assert_no_token_anywhere(ws, err.out, err.err, outcome.message)


def test_wrong_token_is_a_401_and_is_never_printed(ws, github, capsys):
    wrong = "ghp_WrongWrongWrongWrongWrong0123456789"
    outcome = run(ws, github, env_token=wrong)
    assert outcome.code == 4 and "rejected the token" in outcome.message
    out = capsys.readouterr()
    assert wrong not in out.out + out.err


def test_unknown_repository_is_a_404(ws, github):
    outcome = run(ws, github, github_repo="acme/missing")
    assert outcome.code == 4 and "404" in outcome.message and "--github-repo" in outcome.message


def test_short_rate_limit_waits_are_slept_through(ws, github):
    github.fail("POST", r"/pulls$", 403, {"message": "You have exceeded a secondary rate limit."},
                {"Retry-After": "3"})
    slept = []
    opts = BotOptions(repo=ws.work, github_api=github.url)
    outcome = run_bot(opts, refactor_repo=fake_refactor, environ=dict(os.environ, GITHUB_TOKEN=TOKEN),
                      client_factory=lambda url, tok, red: GitHubClient(url, tok, sleep=slept.append, redact=red))
    assert outcome.code == 0 and outcome.pr_action == "opened"
    assert slept == [3.0]


def test_network_errors_exit_4(ws, github):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    outcome = run(ws, github, github_api=f"http://127.0.0.1:{port}")
    assert outcome.code == 4 and "could not reach the GitHub API" in outcome.message


def test_unreachable_git_remote_exits_4(ws, github):
    git(ws.work, "remote", "set-url", "origin", str(ws.root / "nowhere.git"))
    outcome = run(ws, github, github_repo="acme/app")
    assert outcome.code == 4 and "cannot read the remote" in outcome.message


# --- usage -------------------------------------------------------------------------------------

def test_missing_token_is_a_usage_error(ws, github):
    outcome = run(ws, github, env_token=None)
    assert outcome.code == 2 and "$GITHUB_TOKEN" in outcome.message
    assert github.requests == [] and ws.remote_sha("dockwright/refactor") is None


def test_not_a_git_repository_is_a_usage_error(tmp_path, github):
    outcome = run_bot(BotOptions(repo=tmp_path, github_api=github.url), refactor_repo=fake_refactor,
                      environ=dict(os.environ, GITHUB_TOKEN=TOKEN))
    assert outcome.code == 2 and "not inside a git repository" in outcome.message


def test_unknown_base_and_remote_are_usage_errors(ws, github):
    assert run(ws, github, base="nope").code == 2
    assert run(ws, github, remote="upstream").code == 2
    assert run(ws, github, branch="bad..name").code == 2


def test_dry_run_needs_no_token_and_changes_nothing(ws, github, capsys):
    outcome = run(ws, github, env_token=None, dry_run=True)
    assert outcome.code == 0 and outcome.message == "dry run"
    assert ws.remote_sha("dockwright/refactor") is None and github.requests == []
    out = capsys.readouterr().out
    assert "would push" in out and "| `Dockerfile` |" in out
    assert len(git(ws.work, "worktree", "list").splitlines()) == 1


def test_click_command_exit_codes(ws, github, monkeypatch):
    monkeypatch.setattr(bot_mod, "default_refactor_repo", fake_refactor)
    runner = CliRunner()
    result = runner.invoke(bot_mod.bot_command, ["--help"])
    assert result.exit_code == 0 and "--token-env" in result.output and "Exit codes" in result.output
    result = runner.invoke(bot_mod.bot_command, ["--repo", str(ws.work), "--github-api", github.url])
    assert result.exit_code == 2  # no GITHUB_TOKEN
    result = runner.invoke(bot_mod.bot_command, ["--bogus"])
    assert result.exit_code == 2
    result = runner.invoke(bot_mod.bot_command, ["--repo", str(ws.work), "--github-api", github.url],
                           env={"GITHUB_TOKEN": TOKEN})
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    result = runner.invoke(bot_mod.bot_command, ["--repo", str(ws.work), "--github-api", github.url,
                                                 "--branch", "main"], env={"GITHUB_TOKEN": TOKEN})
    assert result.exit_code == 1


def test_token_env_names_the_variable(ws, github):
    environ = dict(os.environ, DW_TOKEN=TOKEN)
    outcome = run_bot(BotOptions(repo=ws.work, github_api=github.url, token_env="DW_TOKEN"),
                      refactor_repo=fake_refactor, environ=environ)
    assert outcome.code == 0


# --- verify ------------------------------------------------------------------------------------

def test_verify_sizes_go_into_the_body_and_failures_leave_the_file_out(ws, github):
    seen = []

    def verify(path, original, refactored):
        seen.append(path)
        assert path.is_file() and original != refactored
        if path.parent.name == "api":
            raise RuntimeError("build failed: exit status 100")
        return {"size_before": 124_000_000, "size_after": 98_500_000}

    opts = BotOptions(repo=ws.work, github_api=github.url, verify=True)
    outcome = run_bot(opts, refactor_repo=fake_refactor, verify_fn=verify,
                      environ=dict(os.environ, GITHUB_TOKEN=TOKEN))
    assert outcome.code == 0 and len(seen) == 2
    assert outcome.changed_files == ["Dockerfile"]
    body = github.repos[("acme", "app")].pulls[0]["body"]
    assert "Image size (before → after)" in body
    assert "124.0 MB → 98.5 MB (-20.6%)" in body
    assert "`services/api/Dockerfile`: left out: `--verify` failed: build failed" in body
    assert ws.show("dockwright/refactor", "services/api/Dockerfile") == API_DOCKERFILE


@pytest.mark.build
@pytest.mark.parametrize("builder_name", builders_under_test())
def test_verify_builds_for_real_on_each_builder(ws, github, builder_name):
    """`bot --verify` with real builds (refactor.verify.verify_sizes) on buildah and on docker:
    the pinned root Dockerfile builds before and after and its sizes go into the body; the one
    whose base image is not on this machine is judged by nothing and says so; nothing stays in
    the builder's store."""
    from refactor.verify.session import verify_sizes

    builder = builder_for(builder_name, ("docker.io/library/debian:latest", "docker.io/library/debian:12"))
    ws.push_to_main({"Dockerfile": "FROM debian:latest\nRUN echo built > /built\nCMD [\"cat\", \"/built\"]\n"},
                    "a Dockerfile that builds offline")
    with exclusive(builder):
        before = store_state(builder)
        outcome = run_bot(BotOptions(repo=ws.work, github_api=github.url, verify=True), refactor_repo=fake_refactor,
                          verify_fn=lambda p, o, r: verify_sizes(p, o, r, timeout=300, builder=builder),
                          environ=dict(os.environ, GITHUB_TOKEN=TOKEN))
        left = new_since(builder, before)
    assert outcome.code == 0
    body = github.repos[("acme", "app")].pulls[0]["body"]
    root_row = next(ln for ln in body.splitlines() if ln.startswith("| `Dockerfile`"))
    assert re.search(r"\d+\.\d MB → \d+\.\d MB \([+-]?\d+\.\d%\)", root_row), root_row
    api_row = next(ln for ln in body.splitlines() if ln.startswith("| `services/api/Dockerfile`"))
    assert "verify did not build it" in api_row  # python:3.12-slim is no stand-in here
    if builder_name == "docker":  # the daemon is the suite's alone (exclusive): nothing may stay
        assert left == {}, left
    else:
        assert not any("dockwright-verify" in c for c in left.get("containers", ())), left


# --- https remote: the token reaches git through the environment only ---------------------------

@pytest.fixture
def https_ws(ws, github):
    git(ws.work, "remote", "set-url", "origin", github.git_url("acme", "app"))
    return ws


def test_https_remote_gets_the_token_via_an_extraheader_only(https_ws, github, capsys):
    ws = https_ws
    # like actions/checkout with persist-credentials: a stale header is configured already
    stale = base64.b64encode(b"x-access-token:stale").decode()
    git(ws.work, "config", f"http.{github.url}/.extraheader", f"AUTHORIZATION: basic {stale}")

    outcome = run(ws, github)

    assert outcome.code == 0, outcome.message
    assert outcome.pr_action == "opened" and ws.remote_sha("dockwright/refactor")
    assert github.git_requests, "git must have talked over HTTP"
    for req in github.git_requests:  # exactly one header, ours, on every request
        assert req["authorizations"] == [f"basic {TOKEN_B64}"]
    assert any("git-receive-pack" in r["path"] for r in github.git_requests)
    out = capsys.readouterr()
    assert_no_token_anywhere(ws, out.out, out.err)
    # the stale header is still the only one stored: nothing was written to the config
    assert git(ws.work, "config", "--get-all", f"http.{github.url}/.extraheader").endswith(stale)


def test_https_remote_with_a_wrong_token_fails_cleanly(https_ws, github, capsys):
    wrong = "ghp_WrongWrongWrongWrongWrong0123456789"
    outcome = run(https_ws, github, env_token=wrong)
    assert outcome.code == 4 and "cannot read the remote" in outcome.message
    out = capsys.readouterr()
    assert wrong not in out.out + out.err + outcome.message


def test_token_never_on_a_command_line_in_a_real_process(https_ws, github, tmp_path):
    """Runs the click command in a child process with a `git` shim on PATH that logs every git
    argv: the token must not be in any argv, in the output, in git config or in git history."""
    ws = https_ws
    real_git = shutil.which("git")
    shim_dir = tmp_path / "shim"
    shim_dir.mkdir()
    log = tmp_path / "argv.log"
    shim = shim_dir / "git"
    shim.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{log}"\nexec "{real_git}" "$@"\n')
    shim.chmod(0o755)
    script = textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]
        import test_bot
        from refactor.bot import run as bot
        bot.default_refactor_repo = test_bot.fake_refactor
        bot.bot_command(["--repo", {str(ws.work)!r}, "--github-api", {github.url!r}], prog_name="dockwright bot")
    """)
    env = dict(os.environ, GITHUB_TOKEN=TOKEN, PATH=f"{shim_dir}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "opened pull request #1" in proc.stdout
    argv = log.read_text()
    assert "push" in argv and "ls-remote" in argv
    assert TOKEN not in argv and TOKEN_B64 not in argv
    assert_no_token_anywhere(ws, proc.stdout, proc.stderr)


# --- units: remote URLs, commit planning, redaction ---------------------------------------------

@pytest.mark.parametrize("url,expected", [
    ("https://github.com/acme/app.git", ("acme", "app")),
    ("https://github.com/acme/app", ("acme", "app")),
    ("https://x-access-token:ghs_abc@github.com/acme/app.git/", ("acme", "app")),
    ("http://127.0.0.1:8080/git/acme/app.git", ("acme", "app")),
    ("git@github.com:acme/app.git", ("acme", "app")),
    ("ssh://git@github.com/acme/app.git", ("acme", "app")),
    ("ssh://git@github.com:22/acme/app", ("acme", "app")),
    ("git://github.com/acme/app.git", ("acme", "app")),
    ("file:///srv/git/acme/app.git", ("acme", "app")),
    ("/srv/git/acme/app.git", ("acme", "app")),
    ("https://github.com/app.git", None),
    ("app.git", None),
])
def test_owner_and_repo_from_remote_urls(url, expected):
    assert gitops.parse_owner_repo(url) == expected


def test_redactor_hides_tokens_and_url_credentials():
    r = gitops.Redactor([TOKEN])
    text = f"fatal: https://x-access-token:{TOKEN}@github.com/a/b {TOKEN_B64} Bearer {TOKEN}"
    cleaned = r(text)
    assert TOKEN not in cleaned and TOKEN_B64 not in cleaned
    assert "https://***@github.com/a/b" in cleaned
    assert gitops.public_url("https://u:p@h/x") == "https://h/x"


def test_auth_env_only_for_http_remotes():
    env = gitops.auth_env("https://github.com/a/b.git", TOKEN, {})
    assert env["GIT_CONFIG_COUNT"] == "2"
    assert env["GIT_CONFIG_KEY_0"] == env["GIT_CONFIG_KEY_1"] == "http.https://github.com/.extraheader"
    assert env["GIT_CONFIG_VALUE_0"] == "" and env["GIT_CONFIG_VALUE_1"].endswith(TOKEN_B64)
    shifted = gitops.auth_env("https://github.com/a/b.git", TOKEN, {"GIT_CONFIG_COUNT": "1"})
    assert shifted["GIT_CONFIG_COUNT"] == "3" and "GIT_CONFIG_KEY_0" not in shifted
    assert gitops.auth_env("git@github.com:a/b.git", TOKEN, {}) == {}
    assert gitops.auth_env("/srv/a/b.git", TOKEN, {}) == {}
    assert gitops.auth_env("https://github.com/a/b.git", None, {}) == {}


def _result(original: str, output: str, *edits: tuple[str, int]) -> FileResult:
    return FileResult(Path("Dockerfile"), original, output,
                      tuple(Edit(c, Safety.SAFE, c, "", line) for c, line in edits))


def test_split_follows_continuation_lines_back_to_the_instruction():
    original = "FROM a\nRUN x \\\n    y\nRUN z\n"
    output = "FROM b\nRUN x \\\n    y2\nRUN z\n"
    split = split_by_codemod(_result(original, output, ("one", 1), ("two", 2)))
    assert split == {"one": {0}, "two": {1}}


def test_ambiguous_hunks_fall_back_to_one_combined_commit():
    original = "FROM a\nRUN x\nRUN y\n"
    output = "FROM a\nRUN x && y\n"  # two codemods touched the same lines
    res = _result(original, output, ("merge", 2), ("quote", 3))
    assert split_by_codemod(res) is None
    plan = plan_commits([Change("Dockerfile", res)])
    assert len(plan) == 1 and plan[0].codemods == ["merge", "quote"]
    assert plan[0].files == {"Dockerfile": output}
    assert plan[0].message().rstrip().endswith("Dockwright-Bot: merge, quote")


def test_planned_commits_end_exactly_at_the_output():
    original = "".join(f"RUN step{i}\n" for i in range(10))
    output = original.replace("step2", "S2").replace("step3", "S3").replace("step7\n", "")
    res = _result(original, output, ("a", 3), ("b", 4), ("a", 8))
    plan = plan_commits([Change("Dockerfile", res)])
    assert [p.codemods for p in plan] == [["a"], ["b"]]
    assert "S2" in plan[0].files["Dockerfile"] and "step3" in plan[0].files["Dockerfile"]
    assert plan[-1].files["Dockerfile"] == output


# --- PR body -----------------------------------------------------------------------------------

def test_body_has_table_rationale_safety_and_reproduction():
    original, output = DOCKERFILE, _rewrite(DOCKERFILE)[0]
    res = FileResult(Path("Dockerfile"), original, output, _rewrite(DOCKERFILE)[1])
    report = pr_body.FileReport("Dockerfile", res, {"size_before": 2_000_000, "size_after": 1_500_000})
    body = pr_body.render_body([report], base="main", branch="dockwright/refactor", verified=True)
    assert body.startswith(pr_body.MARKER)
    assert "| File | Codemods | Lines | Image size (before → after) |" in body
    assert "+2 / −2" in body and "2.0 MB → 1.5 MB (-25.0%)" in body
    assert "**`pin-base-image`** (line 1, ⚠️ unsafe" in body
    assert "**`apt-no-recommends`** (line 2, safe)" in body
    assert "Recommended packages are rarely needed" in body
    assert "dockwright --diff Dockerfile" in body and "git checkout main" in body
    assert pr_body.render_body([report], base="main", branch="b", verified=True) == \
        pr_body.render_body([report], base="main", branch="b", verified=True)


def test_body_escapes_pipes_and_is_truncated_to_githubs_limit():
    res = FileResult(Path("a|b/Dockerfile"), "RUN x\n", "RUN y\n",
                     tuple(Edit("c", Safety.SAFE, "s" * 100, "r" * 2000, 1) for _ in range(60)))
    body = pr_body.render_body([pr_body.FileReport("a|b/Dockerfile", res)], base="main", branch="b",
                               verified=False)
    assert "a\\|b/Dockerfile" in body
    assert len(body) <= pr_body.GITHUB_BODY_LIMIT and "truncated" in body


# --- the default refactor_repo, on the real engine ---------------------------------------------

def test_default_refactor_repo_uses_discovery_and_config(tmp_path):
    (tmp_path / ".dockwright.toml").write_text('exclude = ["vendored/*"]\n')
    for rel in ("Dockerfile", "app/Dockerfile.prod", "vendored/Dockerfile", "node_modules/x/Dockerfile"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("FROM alpine:3.19\nRUN echo hi\n")
    (tmp_path / "bad" ).mkdir()
    (tmp_path / "bad" / "Dockerfile").write_bytes(b"FROM alpine\nRUN echo \xff\n")
    results = bot_mod.default_refactor_repo(tmp_path)
    names = sorted(r.path.relative_to(tmp_path).as_posix() for r in results)
    assert names == ["Dockerfile", "app/Dockerfile.prod", "bad/Dockerfile"]
    bad = next(r for r in results if r.path.parent.name == "bad")
    assert bad.error and "UTF-8" in bad.error and not bad.changed


def test_a_broken_config_is_a_usage_error(ws, github):
    ws.push_to_main({".dockwright.toml": "select = 3\n"}, "bad config")
    outcome = run_bot(BotOptions(repo=ws.work, github_api=github.url),
                      environ=dict(os.environ, GITHUB_TOKEN=TOKEN))
    assert outcome.code == 2 and "dockwright config" in outcome.message
    assert ws.remote_sha("dockwright/refactor") is None


def test_the_real_engine_end_to_end_in_dry_run(ws, github):
    outcome = run_bot(BotOptions(repo=ws.work, github_api=github.url, dry_run=True),
                      environ=dict(os.environ))
    assert outcome.code == 0, outcome.message
    assert set(outcome.changed_files) <= {"Dockerfile", "services/api/Dockerfile", "tools/Dockerfile"}
    assert github.requests == [] and ws.remote_sha("dockwright/refactor") is None


def test_verify_without_the_verify_module_is_a_usage_error(ws, github, monkeypatch):
    monkeypatch.setattr(bot_mod, "_verify_available", lambda: "--verify needs refactor.verify")
    outcome = run(ws, github, verify=True)
    assert outcome.code == 2 and github.requests == []


# --- the files users wire up: pre-commit hook and GitHub Action --------------------------------

def test_pre_commit_files_pattern_matches_what_discovery_finds():
    from refactor.engine.discovery import is_dockerfile_name

    text = (ROOT / ".pre-commit-hooks.yaml").read_text()
    assert "\n  entry: dockwright --check\n" in text and "- id: dockwright\n" in text
    pattern = re.compile(re.search(r"^  files: (.+)$", text, re.M).group(1))
    names = ["Dockerfile", "Dockerfile.prod", "Dockerfile.dev.arm64", "api.dockerfile", "API.Dockerfile",
             "Containerfile", "Containerfile.alpine", "dockerfile", "Dockerfile-old", "Dockerfile_5_2", "Dockerfiles",
             "README.md", "docker-compose.yml", "notDockerfile", "x.dockerfile.bak"]
    for name in names:
        for path in (name, f"services/api/{name}"):
            assert bool(pattern.search(path)) == is_dockerfile_name(name), path


def test_action_passes_inputs_through_the_environment_only():
    text = (ROOT / "action.yml").read_text()
    assert "using: composite" in text and "dockwright \"${args[@]}\"" in text
    # ${{ }} expressions only as values of `with:`/`env:` keys, never inside a run script
    in_run = False
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        if re.match(r"\s+run: \|", line):
            in_run = True
            continue
        if in_run and re.match(r"\s{4}- |\S", line):
            in_run = False
        if in_run:
            assert "${{" not in line, line
    assert "DOCKWRIGHT_BOT_TOKEN: ${{ inputs.token }}" in text
    assert "--token-env DOCKWRIGHT_BOT_TOKEN" in text


def test_a_shallow_checkout_does_not_mistake_history_for_foreign_commits(ws, github, tmp_path):
    assert run(ws, github).code == 0
    for i in range(3):
        ws.push_to_main({f"notes/{i}.txt": f"{i}\n"}, f"unrelated change {i}")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{ws.bare}", str(shallow))
    assert git(shallow, "rev-parse", "--is-shallow-repository") == "true"
    outcome = run(ws, github, repo=shallow)
    assert outcome.code == 0, outcome.message
    assert outcome.pr_action in ("updated", "unchanged") and outcome.pushed
    assert len(github.repos[("acme", "app")].pulls) == 1


def test_a_pr_closed_without_merging_is_not_reopened_for_the_same_changes(ws, github, capsys):
    assert run(ws, github).code == 0
    github.repos[("acme", "app")].pulls[0]["state"] = "closed"

    outcome = run(ws, github)

    assert outcome.code == 0 and outcome.pr_action == "closed"
    assert len(github.repos[("acme", "app")].pulls) == 1
    assert "not reopening" in capsys.readouterr().out
    # new changes on the base: a fresh pull request is welcome again
    ws.push_to_main({"worker/Dockerfile": "FROM node:latest\n"}, "add a worker")
    outcome = run(ws, github)
    assert outcome.pr_action == "opened" and outcome.pr_number == 2


def test_a_rejected_push_that_is_not_a_lease_failure_is_a_remote_error(ws, github):
    hook = ws.bare / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'protected branch hook declined' >&2\nexit 1\n")
    hook.chmod(0o755)
    outcome = run(ws, github)
    assert outcome.code == 4 and "cannot push" in outcome.message
    assert "declined" in outcome.message

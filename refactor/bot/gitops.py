"""Git plumbing for `dockwright bot`, through the `git` executable (subprocess, no library).

Secrets: a token for an http(s) remote reaches git only through the environment of the one git
process that needs it (`GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n`, git >= 2.31,
carrying an `http.<scheme://host/>.extraheader`). It is never put on a command line (visible in
`ps` and CI logs), in `.git/config`, or in the remote URL, and every piece of git output this
module hands back or raises goes through `Redactor` first.
"""
from __future__ import annotations

import base64
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

BOT_NAME = "dockwright[bot]"
BOT_EMAIL = "dockwright-bot@users.noreply.github.com"
TRAILER = "Dockwright-Bot"

_URL_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")


class GitError(Exception):
    """A git command failed. The message is already redacted."""

    def __init__(self, message: str, returncode: int = 1, stderr: str = ""):
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


class Redactor:
    """Removes secrets (and any credentials embedded in URLs) from text meant for people."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        self._secrets: list[str] = []
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret:
            return
        # The raw value, and the forms git and HTTP may show it in.
        forms = {
            secret,
            base64.b64encode(f"x-access-token:{secret}".encode()).decode(),
            base64.b64encode(secret.encode()).decode(),
        }
        for form in forms:
            if form and form not in self._secrets:
                self._secrets.append(form)
        self._secrets.sort(key=len, reverse=True)

    def __call__(self, text: str | None) -> str:
        if not text:
            return text or ""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _URL_USERINFO.sub(lambda m: m.group("scheme") + "***@", text)


def public_url(url: str) -> str:
    """The URL without any user:password part, for messages."""
    return _URL_USERINFO.sub(lambda m: m.group("scheme"), url)


def auth_env(remote_url: str, token: str | None, environ: Mapping[str, str]) -> dict[str, str]:
    """Environment entries that make git send `token` to an http(s) remote, and to nothing else.

    The header is scoped to the remote's scheme://host/, and an empty value first resets any
    extraheader for that prefix already configured (actions/checkout persists one), so exactly one
    Authorization header goes out. ssh, file and plain-path remotes get nothing: they need no token.
    """
    if not token:
        return {}
    parts = urlsplit(remote_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return {}
    host = parts.hostname
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    if parts.port:
        host = f"{host}:{parts.port}"
    key = f"http.{parts.scheme}://{host}/.extraheader"
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
    try:
        start = int(environ.get("GIT_CONFIG_COUNT", "0") or 0)
    except ValueError:
        start = 0
    env = {
        f"GIT_CONFIG_KEY_{start}": key,
        f"GIT_CONFIG_VALUE_{start}": "",
        f"GIT_CONFIG_KEY_{start + 1}": key,
        f"GIT_CONFIG_VALUE_{start + 1}": f"AUTHORIZATION: basic {basic}",
        "GIT_CONFIG_COUNT": str(start + 2),
    }
    return env


_SCP_LIKE = re.compile(r"^(?:[^@/\s]+@)?(?P<host>[^:/\s]+):(?P<path>(?!//).+)$")


def parse_owner_repo(url: str) -> tuple[str, str] | None:
    """owner/name from a remote URL: https://host/o/r(.git), ssh://git@host/o/r.git,
    git@host:o/r.git, git://host/o/r, file:///x/o/r.git or a plain path (its last two parts)."""
    url = url.strip()
    if "://" in url:
        path = urlsplit(url).path
    else:
        m = _SCP_LIKE.match(url)
        path = m.group("path") if m and not os.path.isabs(url) and not url.startswith(".") else url
    parts = [p for p in path.replace("\\", "/").split("/") if p]
    if len(parts) < 2:
        return None
    owner, name = parts[-2], parts[-1]
    if name.endswith(".git"):
        name = name[:-4]
    if not owner or not name or owner in (".", "..") or name in (".", ".."):
        return None
    return owner, name


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    author_email: str
    trailer: str  # value(s) of the Dockwright-Bot trailer, "" when absent
    subject: str

    @property
    def written_by_bot(self) -> bool:
        return bool(self.trailer.strip()) and self.author_email.lower() == BOT_EMAIL


class Git:
    """Runs git in one repository. `auth` is the environment from `auth_env`, applied only to the
    commands that talk to the remote."""

    def __init__(self, cwd: Path, redact: Redactor | None = None, auth: Mapping[str, str] | None = None,
                 environ: Mapping[str, str] | None = None):
        self.cwd = Path(cwd)
        self.redact = redact or Redactor()
        self.auth = dict(auth or {})
        base = dict(os.environ if environ is None else environ)
        base.update({
            "GIT_TERMINAL_PROMPT": "0",  # fail, never hang waiting for a password
            "LC_ALL": "C",
            "LANGUAGE": "C",
        })
        # Git variables that would redirect these commands away from `cwd`.
        for var in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
            base.pop(var, None)
        self.env = base

    def at(self, cwd: Path) -> "Git":
        other = Git.__new__(Git)
        other.cwd, other.redact, other.auth, other.env = Path(cwd), self.redact, self.auth, self.env
        return other

    def run(self, *args: str, remote: bool = False, input: str | None = None, check: bool = True,
            extra_env: Mapping[str, str] | None = None) -> subprocess.CompletedProcess:
        env = dict(self.env)
        if remote:
            env.update(self.auth)
        if extra_env:
            env.update(extra_env)
        # No repository hooks run for the bot's own commands (worktree add, commit, push).
        cmd = ["git", "-c", "core.hooksPath=/dev/null", *args]
        try:
            proc = subprocess.run(cmd, cwd=self.cwd, env=env, input=input, capture_output=True,
                                  text=True, encoding="utf-8", errors="replace")
        except FileNotFoundError as exc:
            raise GitError("git is not installed or not on PATH") from exc
        if check and proc.returncode != 0:
            shown = " ".join(args[:2])
            # `push --porcelain` reports rejections ("[rejected] (stale info)") on stdout.
            detail = self.redact("\n".join(t for t in (proc.stderr.strip(), proc.stdout.strip()) if t))
            raise GitError(f"`git {shown}` failed: {detail}", proc.returncode, detail)
        return proc

    def out(self, *args: str, **kw) -> str:
        return self.run(*args, **kw).stdout.strip()

    # --- local queries -------------------------------------------------------------------------

    def toplevel(self) -> Path:
        return Path(self.out("rev-parse", "--show-toplevel"))

    def remote_url(self, remote: str) -> str:
        return self.out("remote", "get-url", remote)

    def is_shallow(self) -> bool:
        return self.out("rev-parse", "--is-shallow-repository") == "true"

    def valid_branch_name(self, name: str) -> bool:
        return self.run("check-ref-format", "--branch", name, check=False).returncode == 0 and \
            not name.startswith("-")

    def tree_of(self, rev: str) -> str:
        return self.out("rev-parse", f"{rev}^{{tree}}")

    def merge_base(self, a: str, b: str) -> str | None:
        proc = self.run("merge-base", a, b, check=False)
        return proc.stdout.strip() or None

    def commits_between(self, exclude: str, tip: str) -> list[CommitInfo]:
        """Commits reachable from `tip` but not from `exclude`, newest first."""
        fmt = "%H%x1f%ae%x1f%(trailers:key=" + TRAILER + ",valueonly,separator=%x2c)%x1f%s%x1e"
        raw = self.run("log", f"--format={fmt}", tip, "--not", exclude, "--").stdout
        commits = []
        for record in raw.split("\x1e"):
            record = record.strip("\n")
            if not record:
                continue
            sha, email, trailer, subject = (record.split("\x1f") + ["", "", "", ""])[:4]
            commits.append(CommitInfo(sha, email, trailer.strip(), subject))
        return commits

    # --- remote --------------------------------------------------------------------------------

    def ls_remote(self, remote: str) -> tuple[dict[str, str], str | None]:
        """(refs/heads/* -> sha, the remote's default branch name or None)."""
        out = self.out("ls-remote", "--symref", remote, "HEAD", "refs/heads/*", remote=True)
        refs: dict[str, str] = {}
        default = None
        for line in out.splitlines():
            if line.startswith("ref: "):
                target, _, name = line[5:].partition("\t")
                if name == "HEAD" and target.startswith("refs/heads/"):
                    default = target[len("refs/heads/"):]
                continue
            sha, _, ref = line.partition("\t")
            if ref.startswith("refs/heads/"):
                refs[ref] = sha
        return refs, default

    def fetch(self, remote: str, refspecs: Sequence[str], unshallow: bool = False) -> None:
        args = ["fetch", "--no-tags", "--quiet"]
        if unshallow:
            args.append("--unshallow")
        self.run(*args, remote, *refspecs, remote=True)

    def push(self, remote: str, sha: str, branch: str, expect: str | None, protected: Iterable[str]) -> None:
        """Point refs/heads/<branch> on the remote at `sha`, only if it is still at `expect`
        (None: only if it does not exist yet). Never pushes to a protected (base) branch."""
        if branch in set(protected):
            raise GitError(f"refusing to push to {branch!r}: it is the base branch")
        ref = f"refs/heads/{branch}"
        lease = f"--force-with-lease={ref}:{expect or ''}"
        self.run("push", "--porcelain", "--no-verify", lease, remote, f"{sha}:{ref}", remote=True)

    # --- worktrees and commits -----------------------------------------------------------------

    def add_worktree(self, path: Path, rev: str) -> "Git":
        self.run("worktree", "add", "--detach", "--quiet", str(path), rev)
        return self.at(path)

    def remove_worktree(self, path: Path) -> None:
        self.run("worktree", "remove", "--force", str(path), check=False)
        self.run("worktree", "prune", check=False)

    def commit(self, paths: Sequence[str], message: str) -> str | None:
        """Stage `paths` (relative to this worktree) and commit them as the bot. Returns the new
        sha, or None when the staged tree equals HEAD's (nothing to commit)."""
        self.run("add", "--", *paths)
        if self.run("diff", "--cached", "--quiet", check=False).returncode == 0:
            return None
        identity = {
            "GIT_AUTHOR_NAME": BOT_NAME, "GIT_AUTHOR_EMAIL": BOT_EMAIL,
            "GIT_COMMITTER_NAME": BOT_NAME, "GIT_COMMITTER_EMAIL": BOT_EMAIL,
        }
        self.run("-c", "commit.gpgsign=false", "commit", "--quiet", "--no-verify",
                 "-F", "-", input=message, extra_env=identity)
        return self.out("rev-parse", "HEAD")

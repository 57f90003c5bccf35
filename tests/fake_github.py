"""A local stand-in for GitHub, for the bot's tests.

* REST: the three pulls endpoints the bot uses, answering as api.github.com does (status codes,
  JSON shapes, rate-limit headers, 401/403/404/422 bodies):
    GET   /repos/{owner}/{repo}/pulls?head=owner:branch&state=open   -> 200 [pull, ...]
    POST  /repos/{owner}/{repo}/pulls                                -> 201 pull (+ Location)
    PATCH /repos/{owner}/{repo}/pulls/{number}                       -> 200 pull
  POST checks what GitHub checks against the real git repository: the head and base branches
  exist, there are commits between them, no open pull request from head into base exists yet.
* Git smart HTTP: /git/{owner}/{repo}.git/... runs `git http-backend` on the bare repository and
  requires HTTP Basic auth whose password is the token (user name free, as with x-access-token).

Everything received is logged (`requests`, `git_requests`) so tests can assert what was sent,
and `fail(...)` queues canned error answers.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import threading
import time
from base64 import b64decode
from dataclasses import dataclass, field
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

DOCS = "https://docs.github.com/rest"


@dataclass
class Failure:
    method: str
    path: re.Pattern
    status: int
    payload: object
    headers: dict
    times: int


@dataclass
class Repo:
    owner: str
    name: str
    bare: Path | None
    pulls: list[dict] = field(default_factory=list)


class FakeGitHub:
    def __init__(self, token: str, git_root: Path | None = None, login: str = "dockwright[bot]"):
        self.token = token
        self.git_root = Path(git_root) if git_root else None
        self.login = login
        self.repos: dict[tuple[str, str], Repo] = {}
        self.requests: list[dict] = []
        self.git_requests: list[dict] = []
        self.failures: list[Failure] = []
        self._next_number = 1
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- setup --------------------------------------------------------------------------------

    def add_repo(self, owner: str, name: str, bare: Path | None = None) -> Repo:
        repo = Repo(owner, name, Path(bare) if bare else None)
        self.repos[(owner, name)] = repo
        return repo

    def fail(self, method: str, path: str, status: int, payload: object = None,
             headers: dict | None = None, times: int = 1) -> None:
        """Answer the next `times` requests matching method and path regex with this."""
        self.failures.append(Failure(method.upper(), re.compile(path), status, payload,
                                     dict(headers or {}), times))

    def add_pull(self, owner: str, name: str, *, head: str, base: str, title: str = "x",
                 body: str = "", state: str = "open", head_owner: str | None = None) -> dict:
        repo = self.repos[(owner, name)]
        pull = self._new_pull(repo, title=title, body=body, head=head, base=base,
                              head_owner=head_owner or owner)
        pull["state"] = state
        repo.pulls.append(pull)
        return pull

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def git_url(self, owner: str, name: str) -> str:
        return f"{self.url}/git/{owner}/{name}.git"

    def api_calls(self) -> list[tuple[str, str]]:
        return [(r["method"], r["path"]) for r in self.requests]

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> "FakeGitHub":
        fake = self

        class Handler(_Handler):
            github = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeGitHub":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- model --------------------------------------------------------------------------------

    def _branch_sha(self, repo: Repo, branch: str) -> str | None:
        if repo.bare is None:
            return "0" * 40
        proc = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                              cwd=repo.bare, capture_output=True, text=True)
        return proc.stdout.strip() or None

    def _commits_between(self, repo: Repo, base: str, head: str) -> int:
        if repo.bare is None:
            return 1
        proc = subprocess.run(["git", "rev-list", "--count", f"refs/heads/{base}..refs/heads/{head}"],
                              cwd=repo.bare, capture_output=True, text=True)
        return int(proc.stdout.strip() or 0)

    def _now(self) -> str:
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _new_pull(self, repo: Repo, *, title, body, head, base, head_owner) -> dict:
        with self._lock:
            number = self._next_number
            self._next_number += 1
        api = f"https://api.github.com/repos/{repo.owner}/{repo.name}"
        now = self._now()
        return {
            "url": f"{api}/pulls/{number}",
            "id": 1000 + number,
            "node_id": f"PR_fake{number}",
            "html_url": f"https://github.com/{repo.owner}/{repo.name}/pull/{number}",
            "diff_url": f"https://github.com/{repo.owner}/{repo.name}/pull/{number}.diff",
            "issue_url": f"{api}/issues/{number}",
            "number": number,
            "state": "open",
            "locked": False,
            "title": title,
            "user": {"login": self.login, "id": 41898282, "type": "Bot"},
            "body": body,
            "labels": [],
            "created_at": now,
            "updated_at": now,
            "closed_at": None,
            "merged_at": None,
            "draft": False,
            "maintainer_can_modify": False,
            "head": {"label": f"{head_owner}:{head}", "ref": head, "sha": None,
                     "user": {"login": head_owner},
                     "repo": {"name": repo.name, "full_name": f"{repo.owner}/{repo.name}",
                              "owner": {"login": repo.owner}}},
            "base": {"label": f"{repo.owner}:{base}", "ref": base, "sha": None,
                     "user": {"login": repo.owner},
                     "repo": {"name": repo.name, "full_name": f"{repo.owner}/{repo.name}",
                              "owner": {"login": repo.owner}}},
        }

    def _render(self, repo: Repo, pull: dict) -> dict:
        out = json.loads(json.dumps(pull))
        out["head"]["sha"] = self._branch_sha(repo, pull["head"]["ref"])
        out["base"]["sha"] = self._branch_sha(repo, pull["base"]["ref"])
        return out


def _validation(errors: list, doc: str = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request"):
    return 422, {"message": "Validation Failed", "errors": errors, "documentation_url": doc, "status": "422"}


class _Handler(BaseHTTPRequestHandler):
    github: FakeGitHub
    server_version = "GitHub.com"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    # --- plumbing -----------------------------------------------------------------------------

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send_json(self, status: int, payload: object, headers: dict | None = None) -> None:
        if isinstance(payload, bytes):  # a proxy's HTML error page and the like
            raw, ctype = payload, "text/html; charset=utf-8"
        else:
            raw, ctype = (b"" if payload is None else json.dumps(payload).encode()), "application/json; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        sent = {k.lower() for k in (headers or {})}
        defaults = {"X-RateLimit-Limit": "5000", "X-RateLimit-Remaining": "4999",
                    "X-RateLimit-Reset": str(int(time.time()) + 3600), "X-RateLimit-Used": "1",
                    "X-RateLimit-Resource": "core"}
        for k, v in defaults.items():
            if k.lower() not in sent:
                self.send_header(k, v)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        if raw and self.command != "HEAD":
            self.wfile.write(raw)

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()

    def _dispatch(self):
        parts = urlsplit(self.path)
        if parts.path.startswith("/git/"):
            return self._git(parts)
        body = self._body()
        gh = self.github
        gh.requests.append({"method": self.command, "path": parts.path, "query": parts.query,
                            "headers": dict(self.headers.items()), "body": body.decode("utf-8", "replace")})
        for failure in gh.failures:
            if failure.times > 0 and failure.method == self.command and failure.path.search(parts.path):
                failure.times -= 1
                return self._send_json(failure.status, failure.payload, failure.headers)
        if not self.headers.get("User-Agent"):
            return self._send_json(403, {
                "message": "Request forbidden by administrative rules. Please make sure your request "
                           "has a User-Agent header (https://docs.github.com/en/rest/overview/"
                           "resources-in-the-rest-api#user-agent-required). Check "
                           "https://developer.github.com for other possible causes."})
        auth = self.headers.get("Authorization", "")
        if not auth:
            return self._send_json(401, {"message": "Requires authentication",
                                         "documentation_url": DOCS, "status": "401"})
        scheme, _, value = auth.partition(" ")
        if scheme.lower() not in ("bearer", "token") or value != gh.token:
            return self._send_json(401, {"message": "Bad credentials", "documentation_url": DOCS,
                                         "status": "401"})
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/pulls(?:/(\d+))?", parts.path)
        if not m:
            return self._send_json(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})
        owner, name, number = unquote(m.group(1)), unquote(m.group(2)), m.group(3)
        repo = gh.repos.get((owner, name))
        if repo is None:
            return self._send_json(404, {"message": "Not Found",
                                         "documentation_url": f"{DOCS}/pulls/pulls", "status": "404"})
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                return self._send_json(400, {"message": "Problems parsing JSON",
                                             "documentation_url": DOCS, "status": "400"})
        else:
            data = {}
        if self.command == "GET" and number is None:
            return self._list(repo, parse_qs(parts.query))
        if self.command == "POST" and number is None:
            return self._create(repo, data)
        if self.command == "PATCH" and number is not None:
            return self._update(repo, int(number), data)
        return self._send_json(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})

    # --- REST ---------------------------------------------------------------------------------

    def _list(self, repo: Repo, query: dict) -> None:
        state = query.get("state", ["open"])[0]
        head = query.get("head", [None])[0]
        base = query.get("base", [None])[0]
        if state not in ("open", "closed", "all"):
            return self._send_json(*_validation([{"resource": "PullRequest", "field": "state",
                                                  "code": "invalid"}]))
        pulls = [p for p in repo.pulls
                 if (state == "all" or p["state"] == state)
                 and (head is None or p["head"]["label"] == head)
                 and (base is None or p["base"]["ref"] == base)]
        self._send_json(200, [self.github._render(repo, p) for p in pulls])

    def _create(self, repo: Repo, data: dict) -> None:
        gh = self.github
        if not isinstance(data, dict):
            return self._send_json(400, {"message": "Problems parsing JSON", "documentation_url": DOCS})
        missing = [f for f in ("title", "head", "base") if not data.get(f)]
        if missing:
            return self._send_json(*_validation([{"resource": "PullRequest", "field": f,
                                                  "code": "missing_field"} for f in missing]))
        head, base = str(data["head"]), str(data["base"])
        head_owner, _, head_ref = head.rpartition(":")
        head_owner = head_owner or repo.owner
        if gh._branch_sha(repo, base) is None:
            return self._send_json(*_validation([{"resource": "PullRequest", "field": "base",
                                                  "code": "invalid"}]))
        if gh._branch_sha(repo, head_ref) is None:
            return self._send_json(*_validation([{"resource": "PullRequest", "field": "head",
                                                  "code": "invalid"}]))
        for p in repo.pulls:
            if p["state"] == "open" and p["head"]["label"] == f"{head_owner}:{head_ref}" \
                    and p["base"]["ref"] == base:
                return self._send_json(*_validation([{
                    "resource": "PullRequest", "code": "custom",
                    "message": f"A pull request already exists for {head_owner}:{head_ref}."}]))
        if gh._commits_between(repo, base, head_ref) == 0:
            return self._send_json(*_validation([{
                "resource": "PullRequest", "code": "custom",
                "message": f"No commits between {base} and {head_ref}"}]))
        pull = gh._new_pull(repo, title=str(data["title"]), body=str(data.get("body") or ""),
                            head=head_ref, base=base, head_owner=head_owner)
        pull["maintainer_can_modify"] = bool(data.get("maintainer_can_modify", False))
        repo.pulls.append(pull)
        self._send_json(201, gh._render(repo, pull), {"Location": pull["url"]})

    def _update(self, repo: Repo, number: int, data: dict) -> None:
        gh = self.github
        pull = next((p for p in repo.pulls if p["number"] == number), None)
        if pull is None:
            return self._send_json(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})
        if not isinstance(data, dict):
            return self._send_json(400, {"message": "Problems parsing JSON", "documentation_url": DOCS})
        if "state" in data and data["state"] not in ("open", "closed"):
            return self._send_json(*_validation([{"resource": "PullRequest", "field": "state",
                                                  "code": "invalid"}],
                                                "https://docs.github.com/rest/pulls/pulls#update-a-pull-request"))
        if "base" in data and gh._branch_sha(repo, str(data["base"])) is None:
            return self._send_json(*_validation([{"resource": "PullRequest", "field": "base",
                                                  "code": "invalid"}],
                                                "https://docs.github.com/rest/pulls/pulls#update-a-pull-request"))
        for key in ("title", "body", "state"):
            if key in data:
                pull[key] = data[key]
        if "base" in data:
            pull["base"]["ref"] = data["base"]
            pull["base"]["label"] = f"{repo.owner}:{data['base']}"
        pull["updated_at"] = gh._now()
        self._send_json(200, gh._render(repo, pull))

    # --- git smart HTTP -----------------------------------------------------------------------

    def _git(self, parts) -> None:
        gh = self.github
        body = self._body()
        auth = self.headers.get("Authorization", "")
        gh.git_requests.append({"method": self.command, "path": parts.path, "query": parts.query,
                                "headers": dict(self.headers.items()),
                                "authorizations": self.headers.get_all("Authorization") or []})
        user = password = None
        if auth.lower().startswith("basic "):
            try:
                user, _, password = b64decode(auth[6:].strip()).decode().partition(":")
            except ValueError:
                pass
        if len(self.headers.get_all("Authorization") or []) > 1 or password != gh.token:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="GitHub"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": str(gh.git_root),
            "GIT_HTTP_EXPORT_ALL": "1",
            "PATH_INFO": parts.path[len("/git"):],
            "QUERY_STRING": parts.query,
            "REQUEST_METHOD": self.command,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "REMOTE_USER": user or "x-access-token",
            "REMOTE_ADDR": "127.0.0.1",
            "GIT_HTTP_MAX_REQUEST_BUFFER": "100M",
        }
        if self.headers.get("Content-Encoding"):
            env["HTTP_CONTENT_ENCODING"] = self.headers["Content-Encoding"]
        if self.headers.get("Git-Protocol"):
            env["GIT_PROTOCOL"] = self.headers["Git-Protocol"]
        proc = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
        raw = proc.stdout
        head, rest = raw, b""
        for sep in (b"\r\n\r\n", b"\n\n"):
            if sep in raw:
                head, rest = raw.split(sep, 1)
                break
        status, headers = 200, []
        for line in head.decode("latin-1").splitlines():
            key, _, value = line.partition(":")
            if key.lower() == "status":
                status = int(value.strip().split()[0])
            elif key:
                headers.append((key.strip(), value.strip()))
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(rest)))
        self.end_headers()
        self.wfile.write(rest)

"""A small client for the three GitHub REST endpoints the bot needs, on urllib alone:

    GET   /repos/{owner}/{repo}/pulls?head={owner}:{branch}&state=open   list open PRs from a branch
    POST  /repos/{owner}/{repo}/pulls                                  open a PR (201)
    PATCH /repos/{owner}/{repo}/pulls/{pull_number}                    update its title/body (200)

Every failure becomes a `GitHubError` whose message says what happened and what to do; the token
never appears in one (it is only ever sent in the Authorization header).
"""
from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any, Callable, Mapping
from urllib.parse import quote, urlencode

API_VERSION = "2022-11-28"
USER_AGENT = "dockwright-bot"


class GitHubError(Exception):
    """An API or network failure, with a message fit to print."""

    def __init__(self, message: str, status: int | None = None, errors: list | None = None):
        super().__init__(message)
        self.status = status
        self.errors = errors or []


class NetworkError(GitHubError):
    pass


class AuthError(GitHubError):  # 401
    pass


class ForbiddenError(GitHubError):  # 403 that is not a rate limit
    pass


class NotFoundError(GitHubError):  # 404
    pass


class ValidationFailed(GitHubError):  # 422
    def mentions(self, text: str) -> bool:
        text = text.lower()
        if text in str(self).lower():
            return True
        for err in self.errors:
            blob = json.dumps(err).lower() if not isinstance(err, str) else err.lower()
            if text in blob:
                return True
        return False


class RateLimited(GitHubError):  # 403/429 with rate-limit headers or message
    def __init__(self, message: str, status: int, retry_after: float | None, reset_at: int | None):
        super().__init__(message, status)
        self.retry_after = retry_after
        self.reset_at = reset_at


class GitHubClient:
    def __init__(self, api_url: str, token: str | None, *, timeout: float = 30.0,
                 max_wait: float = 60.0, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, redact: Callable[[str], str] | None = None):
        self.api_url = api_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        self.max_wait = max_wait  # rate-limit waits up to this long are slept through, once
        self._sleep = sleep
        self._clock = clock
        self._redact = redact or (lambda s: s.replace(token, "***") if token else s)

    def __repr__(self) -> str:  # never show the token
        return f"GitHubClient({self.api_url!r})"

    # --- endpoints -----------------------------------------------------------------------------

    def list_open_pulls(self, owner: str, repo: str, head_owner: str, branch: str) -> list[dict]:
        return self.list_pulls(owner, repo, head_owner, branch, state="open")

    def list_pulls(self, owner: str, repo: str, head_owner: str, branch: str,
                   state: str = "open") -> list[dict]:
        """Pull requests from `head_owner:branch`, newest first (first page, up to 100)."""
        path = f"/repos/{_seg(owner)}/{_seg(repo)}/pulls"
        query = {"head": f"{head_owner}:{branch}", "state": state, "per_page": "100"}
        data = self.request("GET", path, query=query)
        if not isinstance(data, list):
            raise GitHubError(f"unexpected answer from GET {path}: expected a list of pull requests")
        return data

    def create_pull(self, owner: str, repo: str, *, title: str, head: str, base: str, body: str,
                    maintainer_can_modify: bool = True) -> dict:
        path = f"/repos/{_seg(owner)}/{_seg(repo)}/pulls"
        payload = {"title": title, "head": head, "base": base, "body": body,
                   "maintainer_can_modify": maintainer_can_modify}
        return self._expect_pull(self.request("POST", path, body=payload), path)

    def update_pull(self, owner: str, repo: str, number: int, **fields: Any) -> dict:
        path = f"/repos/{_seg(owner)}/{_seg(repo)}/pulls/{int(number)}"
        payload = {k: v for k, v in fields.items() if v is not None}
        return self._expect_pull(self.request("PATCH", path, body=payload), path)

    @staticmethod
    def _expect_pull(data: Any, path: str) -> dict:
        if not isinstance(data, dict) or "number" not in data:
            raise GitHubError(f"unexpected answer from {path}: no pull request number in it")
        return data

    # --- transport -----------------------------------------------------------------------------

    def request(self, method: str, path: str, *, query: Mapping[str, str] | None = None,
                body: Any = None) -> Any:
        url = self.api_url + path + (("?" + urlencode(query)) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        waited = False
        while True:
            try:
                return self._send(method, url, data)
            except RateLimited as exc:
                wait = exc.retry_after
                if wait is None and exc.reset_at is not None:
                    wait = max(0.0, exc.reset_at - self._clock()) + 1
                if waited or wait is None or wait > self.max_wait:
                    raise
                waited = True
                self._sleep(wait)

    def _send(self, method: str, url: str, data: bytes | None) -> Any:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": USER_AGENT,
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if data is not None:
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        where = f"{method} {url.split('?')[0]}"
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                raw = resp.read()
                status = resp.status
        except urllib.error.HTTPError as exc:
            raw = b""
            try:
                raw = exc.read()
            except Exception:  # noqa: BLE001 - the body is best effort
                pass
            raise self._error(exc.code, exc.headers, raw, where) from None
        except urllib.error.URLError as exc:
            raise NetworkError(self._redact(
                f"could not reach the GitHub API at {self.api_url} ({where}): {exc.reason}. "
                "Check the network and --github-api.")) from None
        except (socket.timeout, TimeoutError):
            raise NetworkError(f"the GitHub API at {self.api_url} did not answer within "
                               f"{self.timeout:g}s ({where}); try again later") from None
        except (ConnectionError, OSError) as exc:
            raise NetworkError(self._redact(
                f"network error talking to the GitHub API at {self.api_url} ({where}): {exc}")) from None
        if status == 204 or not raw:
            return None
        try:
            return json.loads(raw)
        except ValueError:
            raise GitHubError(f"the GitHub API answered {where} with something that is not JSON "
                              f"(HTTP {status}); is --github-api ({self.api_url}) right?", status) from None

    def _error(self, status: int, headers: Any, raw: bytes, where: str) -> GitHubError:
        try:
            payload = json.loads(raw) if raw else {}
        except ValueError:
            payload = {}
        if not isinstance(payload, dict):
            payload = {}
        server_msg = str(payload.get("message") or "").strip().rstrip(".")
        errors = payload.get("errors") if isinstance(payload.get("errors"), list) else []
        said = f" GitHub said: {server_msg}." if server_msg else ""
        said = self._redact(said)

        retry_after = _number(headers.get("Retry-After")) if headers else None
        remaining = headers.get("X-RateLimit-Remaining") if headers else None
        reset_at = _number(headers.get("X-RateLimit-Reset")) if headers else None
        limited = status == 429 or (status == 403 and (
            retry_after is not None or remaining == "0" or "rate limit" in server_msg.lower()))
        if limited:
            if retry_after is not None:
                when = f"retry after {retry_after:g} seconds"
            elif reset_at is not None and remaining == "0":
                at = datetime.fromtimestamp(reset_at, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
                when = f"the limit resets at {at}"
            else:
                when = "wait at least a minute before retrying"
            return RateLimited(f"GitHub API rate limit hit on {where} (HTTP {status}): {when}.{said}",
                               status, retry_after, int(reset_at) if reset_at is not None else None)
        if status == 401:
            return AuthError(f"GitHub rejected the token (HTTP 401 on {where}): it is missing, "
                             f"expired or revoked. Check the variable named by --token-env.{said}", status)
        if status == 403:
            return ForbiddenError(
                f"GitHub refused {where} (HTTP 403): the token may not write pull requests here. It "
                "needs `contents: write` and `pull-requests: write` (or the classic `repo` scope); in "
                "GitHub Actions also allow Actions to create pull requests in the repository "
                f"settings.{said}", status)
        if status == 404:
            return NotFoundError(
                f"GitHub answered 404 for {where}: the repository does not exist, or the token cannot "
                f"see it (GitHub answers 404, not 403, to a token without access to a private "
                f"repository). Check --github-repo / the remote URL.{said}", status)
        if status == 422:
            details = "; ".join(self._redact(_describe(e)) for e in errors)
            return ValidationFailed(
                f"GitHub rejected {where} (HTTP 422 Validation Failed)"
                + (f": {details}" if details else "") + "." + ("" if details else said), status, errors)
        if status >= 500:
            return GitHubError(f"GitHub had a server error on {where} (HTTP {status}); try again "
                               f"later.{said}", status)
        return GitHubError(f"GitHub answered {where} with HTTP {status}.{said}", status)


def _seg(part: str) -> str:
    return quote(part, safe="")


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _describe(err: Any) -> str:
    if isinstance(err, str):
        return err
    if not isinstance(err, dict):
        return str(err)
    if err.get("message"):
        return str(err["message"])
    bits = [str(err[k]) for k in ("resource", "field", "code") if err.get(k)]
    return " ".join(bits) or json.dumps(err)

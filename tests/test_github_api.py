"""The REST client alone, against the local fake of GitHub's pulls endpoints."""
from __future__ import annotations

import json
import time

import pytest

from fake_github import FakeGitHub
from refactor.bot.github_api import (AuthError, ForbiddenError, GitHubClient, GitHubError, NetworkError,
                                 NotFoundError, RateLimited, ValidationFailed)

TOKEN = "ghs_ClientT0kenClientT0kenClientT0ken99"


@pytest.fixture
def gh():
    fake = FakeGitHub(TOKEN)
    fake.add_repo("acme", "app")
    with fake:
        yield fake


def client(gh, token=TOKEN, **kw) -> GitHubClient:
    return GitHubClient(gh.url, token, **kw)


def test_create_list_update_round_trip(gh):
    c = client(gh)
    assert c.list_open_pulls("acme", "app", "acme", "dockwright/refactor") == []
    pr = c.create_pull("acme", "app", title="t", head="dockwright/refactor", base="main", body="b")
    assert pr["number"] == 1 and pr["state"] == "open" and pr["head"]["ref"] == "dockwright/refactor"
    listed = c.list_open_pulls("acme", "app", "acme", "dockwright/refactor")
    assert [p["number"] for p in listed] == [1]
    assert c.list_open_pulls("acme", "app", "acme", "other") == []
    updated = c.update_pull("acme", "app", 1, title="t2", body=None)
    assert updated["title"] == "t2" and updated["body"] == "b"
    sent = json.loads(gh.requests[-1]["body"])
    assert sent == {"title": "t2"}  # None fields are not sent


def test_headers_github_expects(gh):
    client(gh).list_open_pulls("acme", "app", "acme", "x")
    headers = {k.lower(): v for k, v in gh.requests[0]["headers"].items()}
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"
    assert headers["user-agent"]


def test_token_stays_out_of_repr_and_errors(gh):
    c = client(gh)
    assert TOKEN not in repr(c)
    gh.fail("GET", "/pulls", 401, {"message": f"Bad credentials {TOKEN}"})
    with pytest.raises(AuthError) as exc:
        c.list_open_pulls("acme", "app", "acme", "x")
    assert TOKEN not in str(exc.value)


def test_the_fake_rejects_a_wrong_token_like_github(gh):
    with pytest.raises(AuthError, match="Bad credentials"):
        client(gh, token="nope").list_open_pulls("acme", "app", "acme", "x")
    with pytest.raises(AuthError, match="Requires authentication"):
        client(gh, token=None).list_open_pulls("acme", "app", "acme", "x")


@pytest.mark.parametrize("status,payload,headers,error,text", [
    (403, {"message": "Resource not accessible by integration"}, {}, ForbiddenError, "pull-requests: write"),
    (404, {"message": "Not Found"}, {}, NotFoundError, "cannot see it"),
    (422, {"message": "Validation Failed", "errors": [{"resource": "PullRequest", "code": "custom",
                                                       "message": "No commits between main and b"}]},
     {}, ValidationFailed, "No commits between main and b"),
    (429, {"message": "slow down"}, {"Retry-After": "600"}, RateLimited, "retry after 600 seconds"),
    (403, {"message": "API rate limit exceeded"}, {"X-RateLimit-Remaining": "0",
                                                   "X-RateLimit-Reset": str(int(time.time()) + 7200)},
     RateLimited, "the limit resets at"),
    (502, None, {}, GitHubError, "server error"),
])
def test_error_mapping(gh, status, payload, headers, error, text):
    gh.fail("POST", "/pulls", status, payload, headers)
    with pytest.raises(error, match=text) as exc:
        client(gh).create_pull("acme", "app", title="t", head="b", base="main", body="")
    assert exc.value.status == status


def test_already_exists_is_recognisable(gh):
    gh.add_pull("acme", "app", head="b", base="main")
    with pytest.raises(ValidationFailed) as exc:
        client(gh).create_pull("acme", "app", title="t", head="b", base="main", body="")
    assert exc.value.mentions("already exists")


def test_short_waits_are_slept_once_then_retried(gh):
    slept = []
    gh.fail("GET", "/pulls", 403, {"message": "You have exceeded a secondary rate limit"},
            {"Retry-After": "2"})
    assert client(gh, sleep=slept.append).list_open_pulls("acme", "app", "acme", "x") == []
    assert slept == [2.0]


def test_reset_based_wait_uses_the_clock(gh):
    slept = []
    now = 1_000_000.0
    gh.fail("GET", "/pulls", 403, {"message": "API rate limit exceeded"},
            {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(now) + 10)})
    c = client(gh, sleep=slept.append, clock=lambda: now)
    assert c.list_open_pulls("acme", "app", "acme", "x") == []
    assert slept == [11.0]


def test_only_one_wait_then_the_error(gh):
    slept = []
    gh.fail("GET", "/pulls", 429, {"message": "slow"}, {"Retry-After": "1"}, times=3)
    with pytest.raises(RateLimited):
        client(gh, sleep=slept.append).list_open_pulls("acme", "app", "acme", "x")
    assert slept == [1.0]


def test_answers_that_are_not_json_or_not_a_list_are_reported(gh):
    gh.fail("GET", "/pulls", 200, b"<html>captive portal</html>")
    with pytest.raises(GitHubError, match="not JSON"):
        client(gh).list_open_pulls("acme", "app", "acme", "x")
    gh.fail("GET", "/pulls", 200, {"message": "odd"})
    with pytest.raises(GitHubError, match="expected a list"):
        client(gh).list_open_pulls("acme", "app", "acme", "x")


def test_network_error():
    with pytest.raises(NetworkError, match="could not reach"):
        GitHubClient("http://127.0.0.1:9", TOKEN, timeout=5).list_open_pulls("a", "b", "a", "c")


def test_path_segments_are_quoted(gh):
    gh.add_repo("acme", "my repo")
    client(gh).list_open_pulls("acme", "my repo", "acme", "x")
    assert gh.requests[-1]["path"] == "/repos/acme/my%20repo/pulls"

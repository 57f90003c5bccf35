"""refactor/knowledge/users.py: the per-family way to create a user (which non-root and
multi-stage's runner share), and what account commands prove about uids and gids."""
from __future__ import annotations

import pytest

from refactor.knowledge.baseimages import Family
from refactor.knowledge.users import APP_UID, Accounts, create_commands, new_user


def test_new_user_per_family():
    deb = new_user("debian")
    assert deb.user == f"{APP_UID}:{APP_UID}" and deb.chown == "app:app"
    assert deb.create == (
        "groupadd --system --gid 10001 app",
        "useradd --system --uid 10001 --gid app --no-log-init --create-home app",
    )
    assert new_user(Family.RHEL).create == deb.create
    assert new_user("alpine").create == ("addgroup -S -g 10001 app", "adduser -S -u 10001 -G app app")
    assert new_user("scratch").user == "65532:65532" and not new_user("scratch").create
    assert new_user("distroless").user == "65532:65532"
    assert new_user("rhel-minimal") is None  # no useradd without shadow-utils
    assert new_user("rhel-minimal", shadow_utils=True).create == deb.create
    assert new_user("windows") is None and new_user("unknown") is None
    assert create_commands("alpine", "web", 1001) == ("addgroup -S -g 1001 web", "adduser -S -u 1001 -G web web")


def test_new_user_reuses_the_image_user_numerically():
    node = new_user("debian", "node:20-slim")
    assert (node.user, node.chown, node.create) == ("1000:1000", "node:node", ())
    assert new_user("debian", "mcr.microsoft.com/dotnet/aspnet:8.0").user == "1654:1654"
    assert new_user("distroless", "gcr.io/distroless/static-debian12").chown == "65532:65532"


def _acc(family: Family, *commands: str) -> Accounts:
    acc = Accounts(family)
    for c in commands:
        acc.feed(c.split())
    return acc


@pytest.mark.parametrize(
    "family,commands,name,uid,gid",
    [
        (Family.DEBIAN, ["useradd -m -u 1500 svc"], "svc", 1500, 1500),  # user group: gid = uid
        (Family.DEBIAN, ["useradd -ms /bin/bash -u1500 svc"], "svc", 1500, 1500),  # clustered flags
        (Family.DEBIAN, ["groupadd -g 3000 grp", "useradd -u 1500 -g grp svc"], "svc", 1500, 3000),
        (Family.DEBIAN, ["useradd --uid=1500 --gid=100 svc"], "svc", 1500, 100),
        (Family.DEBIAN, ["groupadd -r worker", "useradd -r -g worker -u 999 worker"], "worker", 999, None),
        (Family.DEBIAN, ["useradd -r app"], "app", None, None),  # system range: unknown
        (Family.DEBIAN, ["useradd -u 999 app"], "app", 999, None),  # below 1000 a base group may sit
        (Family.DEBIAN, ["groupadd other", "useradd -u 1500 svc"], "svc", 1500, None),  # gid may be taken
        (Family.DEBIAN, ["addgroup --gid 2000 svc", "adduser --uid 2000 --ingroup svc --disabled-password svc"], "svc", 2000, 2000),
        (Family.DEBIAN, ["adduser --system --uid 120 svc"], "svc", 120, 65534),  # nogroup
        (Family.ALPINE, ["addgroup -S -g 1001 web", "adduser -S -D -H -u 1001 -G web web"], "web", 1001, 1001),
        (Family.ALPINE, ["adduser -D -u 1200 app"], "app", 1200, 1200),
        (Family.ALPINE, ["adduser -S app"], "app", None, None),
        (Family.RHEL, ["adduser -u 1500 svc"], "svc", 1500, 1500),  # RHEL's adduser is useradd
    ],
)
def test_account_commands(family, commands, name, uid, gid):
    u = _acc(family, *commands).users[name]
    assert (u.uid, u.gid) == (uid, gid)


def test_memberships_create_no_user():
    acc = _acc(Family.ALPINE, "adduser -D -u 1200 app", "addgroup app wheel")
    assert set(acc.users) == {"app"} and "wheel" not in acc.groups
    assert set(_acc(Family.DEBIAN, "adduser app docker").users) == set()

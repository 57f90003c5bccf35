"""Users in images: how each OS family creates one, which ids dockwright gives the users it
creates, and what the account commands of a Dockerfile (`useradd`, `adduser`, `groupadd`,
`addgroup`) create, with which uid and gid.

    from refactor.knowledge.users import new_user, Accounts
    u = new_user("debian")                      # Family or its value: debian, alpine, rhel...
    u.user, u.chown, u.create                   # ('10001:10001', 'app:app', ('groupadd ...', 'useradd ...'))
    new_user("alpine").create                   # busybox: addgroup -S -g 10001 app, adduser -S ...
    new_user("debian", "node:20").user          # '1000:1000': node images have `node`
    new_user("distroless").user                 # '65532:65532', distroless' nonroot, nothing to create
    new_user("rhel-minimal")                    # None: no useradd (shadow-utils) in the base

    acc = Accounts(Family.ALPINE)
    acc.feed(["addgroup", "-g", "1500", "svc"]); acc.feed(["adduser", "-D", "-u", "1500", "-G", "svc", "svc"])
    acc.users["svc"]                            # User(name='svc', uid=1500, gid=1500, group='svc')

A uid or gid is only ever stated when the command proves it: an explicit `-u`/`--uid`, or a
user group whose gid follows the uid by the tools' own rule (shadow's useradd and busybox's
adduser give a new user group the gid equal to the uid when it is free, which ids from 1000 up
are in the bases these tables know). Everything else is None, and callers decline.
Sources: shadow-utils useradd(8)/groupadd(8), Debian adduser(8), BusyBox adduser/addgroup.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from refactor.knowledge.baseimages import Family, ImageRef, User, existing_user

__all__ = ["APP_USER", "APP_UID", "NONROOT_ID", "NewUser", "create_commands", "new_user", "Accounts"]

# The user dockwright creates: uid/gid 10001 is above the ranges distributions allocate (system
# accounts below 1000, login users from 1000), so it never collides with an account a package
# creates, and it is the same in every image, which keeps shared volumes' ownership predictable.
APP_USER = "app"
APP_UID = 10001
# distroless' `nonroot`, and the customary numeric user of images without /etc/passwd (scratch)
NONROOT_ID = 65532

# Groups every base of a family has, with their gid (for `useradd -g users`).
_SYSTEM_GROUPS = {"root": 0, "users": 100}


@dataclass(frozen=True)
class NewUser:
    """The user a stage should run as, and how to get it."""

    user: str  # the USER value, always numeric `uid:gid`
    chown: str  # the owner for `--chown=` and chown(1): `name:group` where the image has them
    create: tuple[str, ...]  # shell commands creating it (run as root); () when the image has it
    desc: str  # who, in words, for edit summaries


def create_commands(family: Family | str, name: str = APP_USER, uid: int = APP_UID,
                    gid: int | None = None) -> tuple[str, ...] | None:
    """The commands creating a system user `name` (and its group) with fixed ids, with the
    family's own tools; None when the family has none (scratch, distroless, the RHEL minimal
    images without shadow-utils). `--no-log-init`: a large uid would otherwise grow
    /var/log/lastlog to gigabytes (docker/docs#4754)."""
    fam = Family(family)
    g = uid if gid is None else gid
    if fam in (Family.DEBIAN, Family.RHEL):
        return (
            f"groupadd --system --gid {g} {name}",
            f"useradd --system --uid {uid} --gid {name} --no-log-init --create-home {name}",
        )
    if fam is Family.ALPINE:
        return (f"addgroup -S -g {g} {name}", f"adduser -S -u {uid} -G {name} {name}")
    return None


def new_user(family: Family | str, image: str | ImageRef | None = None, *,
             shadow_utils: bool = False) -> NewUser | None:
    """The non-root user for a stage of `family` built on `image`: the image's own user when
    it has one (node, bun, .NET's app, distroless' nonroot), 65532 for scratch, else `app`
    (10001) created with the family's tools. `shadow_utils`: a RUN step installs shadow-utils
    (which gives the RHEL minimal images useradd). None: no proven way (decline)."""
    fam = Family(family)
    if fam is Family.SCRATCH:
        ids = f"{NONROOT_ID}:{NONROOT_ID}"
        return NewUser(ids, ids, (), f"uid/gid {NONROOT_ID} (scratch has no /etc/passwd, so no name)")
    existing = existing_user(image) if image is not None else None
    if existing is not None and existing.numeric is not None:
        own = existing.numeric if fam is Family.DISTROLESS else f"{existing.name}:{existing.group_name}"
        where = f"`{image.familiar if isinstance(image, ImageRef) else image}`"
        return NewUser(existing.numeric, own, (), f"`{existing.name}` (uid {existing.uid}), which {where} already has")
    if fam is Family.DISTROLESS:
        ids = f"{NONROOT_ID}:{NONROOT_ID}"
        return NewUser(ids, ids, (), f"uid/gid {NONROOT_ID}, distroless' nonroot")
    tools = Family.RHEL if fam is Family.RHEL_MINIMAL and shadow_utils else fam
    create = create_commands(tools)
    if create is None:
        return None
    return NewUser(f"{APP_UID}:{APP_UID}", f"{APP_USER}:{APP_USER}", create,
                   f"`{APP_USER}` (uid/gid {APP_UID}), created with the {fam.value} family's tools")


# --- reading account commands -------------------------------------------------------------------


def _parse(argv: list[str], short_values: str, long_values: frozenset[str]) -> tuple[dict[str, str | None], list[str]]:
    """getopt-style: options (`-u 5`, `-u5`, `-mu 5`, `--uid=5`, `--uid 5`) and positionals.
    Options are keyed by their spelling (`-u`, `--uid`); flags without a value map to None."""
    opts: dict[str, str | None] = {}
    pos: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            pos.extend(argv[i:])
            break
        if a.startswith("--"):
            key, eq, val = a.partition("=")
            if eq:
                opts[key] = val
            elif key in long_values and i < len(argv):
                opts[key] = argv[i]
                i += 1
            else:
                opts[key] = None
        elif a.startswith("-") and len(a) > 1:
            for k, ch in enumerate(a[1:], 1):
                if ch in short_values:
                    rest = a[k + 1:]
                    if rest:
                        opts["-" + ch] = rest
                    elif i < len(argv):
                        opts["-" + ch] = argv[i]
                        i += 1
                    else:
                        opts["-" + ch] = None
                    break
                opts["-" + ch] = None
        else:
            pos.append(a)
    return opts, pos


def _get(opts: dict[str, str | None], *keys: str) -> str | None:
    for k in keys:
        if k in opts:
            return opts[k]
    return None


def _has(opts: dict[str, str | None], *keys: str) -> bool:
    return any(k in opts for k in keys)


def _int(v: str | None) -> int | None:
    return int(v) if v is not None and v.isdigit() else None


_USERADD_LONG = frozenset(
    "--base-dir --comment --home-dir --home --expiredate --inactive --gid --groups --skel --key "
    "--password --root --prefix --shell --uid --selinux-user --selinux-range".split())
_GROUPADD_LONG = frozenset("--gid --key --password --root --prefix --users".split())
_DEB_ADDUSER_LONG = frozenset(
    "--home --shell --ingroup --gid --uid --gecos --comment --firstuid --lastuid --firstgid "
    "--lastgid --conf".split())


@dataclass
class Accounts:
    """The users and groups account commands create, fed in build order. `users[name].uid` (or
    `.gid`) is None when the command does not prove it; `uncertain` names what was created in a
    way this reading cannot follow (it may hold any id)."""

    family: Family
    users: dict[str, User] = field(default_factory=dict)
    groups: dict[str, int | None] = field(default_factory=dict)
    # a group was created without a fixed gid: it may have taken any free one from 1000 up
    free_gid_taken: bool = False
    uncertain: list[str] = field(default_factory=list)

    def group_id(self, group: str | None) -> int | None:
        if group is None:
            return None
        if group.isdigit():
            return int(group)
        if group in self.groups:
            return self.groups[group]
        if group in self.users:
            return self.users[group].gid  # its user group
        return _SYSTEM_GROUPS.get(group)

    def _user_group_gid(self, uid: int | None) -> int | None:
        """The gid of a new user group that follows the uid (shadow's useradd, busybox adduser,
        Debian adduser all prefer gid == uid): proven when the uid is from 1000 up (no base group
        sits there) and no group of this file could have taken it."""
        if uid is None or uid < 1000 or uid >= 65534 or self.free_gid_taken or uid in self.groups.values():
            return None
        return uid

    def _add_user(self, name: str, uid: int | None, gid: int | None, group: str | None) -> None:
        self.users[name] = User(name, uid, gid, group if group and not group.isdigit() else None)

    def _add_group(self, name: str, gid: int | None, system: bool) -> None:
        self.groups[name] = gid
        if gid is None and not system:
            self.free_gid_taken = True

    def feed(self, argv: list[str]) -> None:
        """Read one command (its literal words); commands that create no account are ignored."""
        if not argv:
            return
        name = argv[0].rsplit("/", 1)[-1]
        args = argv[1:]
        if name == "adduser" and self.family in (Family.RHEL, Family.RHEL_MINIMAL):
            name = "useradd"  # on RHEL, adduser is a link to useradd
        if name == "useradd":
            self._useradd(args)
        elif name == "groupadd":
            opts, pos = _parse(args, "gKpRP", _GROUPADD_LONG)
            if len(pos) == 1:
                self._add_group(pos[0], _int(_get(opts, "-g", "--gid")), _has(opts, "-r", "--system"))
        elif name in ("adduser", "addgroup") and self.family is Family.ALPINE:
            self._busybox(name, args)
        elif name == "adduser":
            self._deb_adduser(args)
        elif name == "addgroup":
            opts, pos = _parse(args, "", _DEB_ADDUSER_LONG)
            if len(pos) == 1:
                self._add_group(pos[0], _int(_get(opts, "--gid")), _has(opts, "--system"))

    def _useradd(self, args: list[str]) -> None:
        opts, pos = _parse(args, "bcdefgGkKpRPsuZ", _USERADD_LONG)
        if len(pos) != 1 or _has(opts, "-D", "--defaults"):
            if pos:
                self.uncertain.append(pos[-1])
            return
        user = pos[0]
        uid = _int(_get(opts, "-u", "--uid"))
        group = _get(opts, "-g", "--gid")
        if group is not None:
            gid = self.group_id(group)
        elif _has(opts, "-N", "--no-user-group"):
            gid, group = None, None  # the default group (GROUP= in /etc/default/useradd)
        else:
            gid, group = self._user_group_gid(uid), user
            self.groups[user] = gid
        self._add_user(user, uid, gid, group)

    def _busybox(self, name: str, args: list[str]) -> None:
        if name == "addgroup":
            opts, pos = _parse(args, "g", frozenset({"--gid"}))
            if len(pos) == 1:
                self._add_group(pos[0], _int(_get(opts, "-g", "--gid")), _has(opts, "-S", "--system"))
            return  # `addgroup user group`: a membership
        opts, pos = _parse(args, "hgsGuk", frozenset({"--home", "--gecos", "--shell", "--ingroup", "--uid"}))
        if len(pos) != 1:
            return  # `adduser user group`: a membership
        user = pos[0]
        uid = _int(_get(opts, "-u", "--uid"))
        group = _get(opts, "-G", "--ingroup")
        if group is not None:
            gid = self.group_id(group)
        else:
            gid, group = self._user_group_gid(uid), user
            self.groups[user] = gid
        self._add_user(user, uid, gid, group)

    def _deb_adduser(self, args: list[str]) -> None:
        opts, pos = _parse(args, "", _DEB_ADDUSER_LONG)
        if len(pos) != 1:
            return  # `adduser user group`: a membership
        user = pos[0]
        system = _has(opts, "--system")
        if _has(opts, "--group") and not system:
            self._add_group(user, _int(_get(opts, "--gid")), False)  # `adduser --group` is addgroup
            return
        uid = _int(_get(opts, "--uid"))
        group = _get(opts, "--ingroup")
        if group is not None:
            gid = self.group_id(group)
        elif _get(opts, "--gid") is not None:
            gid, group = _int(_get(opts, "--gid")), None
        elif system and not _has(opts, "--group"):
            gid, group = 65534, "nogroup"  # a system user without --group joins nogroup
        elif system:
            gid, group = None, user  # its group comes from the system range
            self.groups[user] = None
        else:
            gid, group = self._user_group_gid(uid), user
            self.groups[user] = gid
        self._add_user(user, uid, gid, group)

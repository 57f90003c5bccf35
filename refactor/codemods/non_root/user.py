"""Who the image runs as: the user an earlier USER line switched to, the one a RUN step creates,
the base image's own, or a new one made with the family's tools (refactor/knowledge/users.py).
The USER line is always numeric (`uid:gid`, hadolint DL3066, Kubernetes' runAsNonRoot), so a
user whose ids the file does not prove is declined, never written by name."""
from __future__ import annotations

import re
from dataclasses import dataclass

from refactor.codemods.non_root.steps import Decline, Step, base, literal
from refactor.knowledge import baseimages as bi
from refactor.knowledge.baseimages import User
from refactor.knowledge.users import Accounts, new_user
from refactor.syntax.lazy_re import lazy

ACCOUNT_COMMANDS = frozenset({"useradd", "adduser", "groupadd", "addgroup"})
_NUMERIC = lazy(r"\d+(?::\d+)?")


@dataclass(frozen=True)
class Plan:
    """The user a stage switches to, and what creating it takes."""
    user_line: str  # the USER value (numeric)
    chown: str | None  # the --chown value
    owner: str | None  # the chown(1) argument for folders (None: no shell to run chown)
    create: tuple[str, ...]  # commands creating the user
    desc: str  # who, for the edit summaries


class ChooseUser:
    """The choice of user of `Analysis` (see analysis.py)."""

    def earlier_user(self) -> str | None:
        """The last non-root user a USER line of the chain switched to (and away from)."""
        found = None
        for inst in self.insts:
            if inst.cmd == "USER" and inst.value and not bi.is_root_user(inst.value[0]) and "$" not in inst.value[0]:
                found = inst.value[0]
        return found

    def accounts(self) -> tuple[Accounts, dict[str, Step]]:
        """The users and groups the chain's RUN steps create (`$VAR`s expanded from ENV/ARG),
        and the step creating each user."""
        if getattr(self, "_accounts", None) is None:
            acc = Accounts(self.users_family)
            made: dict[str, Step] = {}
            for s in self.build_steps:
                if s.inst.cmd != "RUN":
                    continue
                for c in self.commands(s.inst)[0]:
                    if base(c.name) not in ACCOUNT_COMMANDS:
                        continue
                    lit = literal(c, s.env)
                    words = [w.value for w in lit.args] if lit is not None else [None]
                    if lit is None or any(w is None or "$" in w for w in words):
                        raise Decline("a RUN step creates a user or group whose name or ids it cannot resolve", s.inst)
                    before = dict(acc.users)
                    acc.feed([base(lit.name), *words])
                    for name, u in acc.users.items():
                        if before.get(name) is not u:
                            made[name] = s
            self._accounts = (acc, made)
        return self._accounts

    def created_user(self) -> tuple[User, Step] | None:
        """The last user a RUN step of the chain creates."""
        acc, made = self.accounts()
        if not made:
            return None
        order = {id(s): k for k, s in enumerate(self.build_steps)}
        name = max(made, key=lambda n: order[id(made[n])])
        return acc.users[name], made[name]

    def shadow_install(self) -> Step | None:
        found = None
        for s in self.all_steps:
            if s.inst.cmd == "RUN":
                for c in self.commands(s.inst)[0]:
                    if base(c.name) in ("dnf", "yum", "microdnf", "tdnf") and any(w.value in ("shadow-utils", "shadow") for w in c.args):
                        found = s
        return found

    def author_owner(self) -> str | None:
        """The numeric non-root owner (`1000:2000`) RUN steps `chown` folders to, when there is
        exactly one; declines when there are several."""
        found: set[str] = set()
        for s in self.build_steps:
            if s.inst.cmd != "RUN":
                continue
            for c in self.commands(s.inst)[0]:
                if base(c.name) != "chown":
                    continue
                args = [w.value for w in c.args_without_flags(("--from", "--reference"))]
                if args and args[0] and re.fullmatch(r"\d+[:.]\d+", args[0]) and not bi.is_root_user(args[0]):
                    found.add(args[0].replace(".", ":"))
        if len(found) > 1:
            raise Decline(f"RUN steps give folders to several uids ({', '.join(sorted(found))}): which one the "
                          "process runs as is not clear")
        return next(iter(found), None)

    def numeric_of(self, user: str) -> str:
        """The numeric `uid:gid` of a USER value (`node`, `app:app`, `1000`): from the account
        commands of the chain, else the base image's own users. Declines when unknown."""
        if _NUMERIC.fullmatch(user):
            return user  # as the author wrote it: a bare uid takes its group from /etc/passwd
        name, _, group = user.partition(":")
        acc, _ = self.accounts()
        u = acc.users.get(name)
        if u is None:
            known = bi.existing_user(self.ref)
            if known is not None and known.name == name:
                u = known
        if u is None or u.uid is None:
            raise Decline(f"USER {user}: the uid of `{name}` is not known (the base image's, or a "
                          "useradd/adduser without -u), and a USER line must be numeric (uid:gid)")
        gid = acc.group_id(group) if group else u.gid
        if gid is None:
            raise Decline(f"USER {user}: the gid of `{name}` is not known, and a USER line must be numeric (uid:gid)")
        return f"{u.uid}:{gid}"

    def plan(self) -> Plan:
        fam, shell = self.family, self.family.has_shell
        earlier = self.earlier_user()
        if earlier is not None:
            ids = self.numeric_of(earlier)
            name = earlier.partition(":")[0]
            who = f"`{name}` ({ids})" if name != ids else ids
            return Plan(ids, earlier, earlier if shell else None, (), f"{who}, the user an earlier USER line switched to")
        created = self.created_user()
        if created is not None:
            u = created[0]
            if u.uid is None:
                raise Decline(f"a RUN step creates `{u.name}` without a fixed uid (`-u`), so the numeric USER "
                              "line cannot be written: give it one (e.g. `useradd -u 10001`)", created[1].inst)
            if u.gid is None:
                raise Decline(f"a RUN step creates `{u.name}` with a group whose gid is not fixed, so the numeric "
                              "USER line cannot be written: give the group one (`-g`)", created[1].inst)
            ids = f"{u.uid}:{u.gid}"
            # without a shell (scratch holding a copied /etc/passwd) the owner is numeric
            own = f"{u.name}:{u.group or u.gid}" if shell else ids
            return Plan(ids, own, own if shell else None, (), f"`{u.name}`, the user a RUN step creates")
        owner = self.author_owner()
        if owner is not None:
            # the file already hands its writable folders to this uid (`chown -R 1000:2000 media`):
            # run as it, not as a new user who could not write them
            return Plan(owner, owner, owner if shell else None, (), f"uid:gid {owner}, which the file gives its folders to")
        if self.passwd_from is not None:
            raise Decline(f"the image copies /etc/passwd from `{self.passwd_from}`, which creates no user with a "
                          "proven uid: its users, not an empty scratch image's, apply")
        shadow = self.shadow_install() is not None
        chosen = new_user(fam, self.ref, shadow_utils=shadow)
        if chosen is None:
            if bi.needs_user_tools(fam):
                raise Decline(
                    f"`{self.ref.familiar}` ships without shadow-utils (no useradd): install it in a RUN "
                    "step, or set a numeric USER yourself")
            raise Decline(f"no known way to create a user in a {fam.value} image")
        path = self.end.env.get("PATH")
        if chosen.create and path is not None and "sbin" not in path:
            raise Decline(f"ENV PATH={path} leaves out the sbin folders, where the user tools are")
        return Plan(chosen.user, chosen.chown, chosen.chown if shell else None, chosen.create, chosen.desc)

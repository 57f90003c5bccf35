"""Where the new lines go and how they read: the RUN creating the user and giving it the app
folder, `--chown` on the COPYs into it, the folders RUN steps made for the app, and the USER
line; written in the file's keyword case, continuation style and line endings."""
from __future__ import annotations

import dataclasses
import posixpath
import shlex

from refactor.codemods.base import Codemod
from refactor.codemods.non_root.steps import (
    NODE_TOOLS, SYSTEM_DIRS, Decline, Step, base, inside, node_global, resolve,
)
from refactor.codemods.non_root.user import Plan
from refactor.knowledge import baseimages as bi
from refactor.knowledge.users import APP_USER
from refactor.syntax.edit import (
    body_text, continuation_indent, insert_after, insert_before, keyword_case, lines_inside_body, new_instruction,
    ends_open, replace_instruction, with_body, with_flag, with_line_ending,
)
from refactor.syntax.nodes import Continuation, Dockerfile, Instruction, Piece
from refactor.syntax.pragmas import ignored_codemods
from refactor.syntax.lazy_re import lazy

# Folders RUN steps create that are not the app's to write: package and system locations.
NOT_APP_DATA = lazy(
    r"^/(?:usr|etc|opt|lib\w*|bin|sbin|tmp|var/tmp|var/cache|var/lib/(?:apt|dpkg|rpm|yum|dnf|apk)|"
    r"root|proc|sys|dev|boot|go|run/(?:nginx|php|apache2|httpd|sshd))(?:/|$)"
)
NODE_USER_SUBCOMMANDS = frozenset(
    {"ci", "install", "i", "add", "run", "run-script", "build", "test", "prune", "rebuild", "generate",
     "cache", "store"}
)
MKDIR_VALUE_FLAGS = ("-m", "--mode", "-d", "--date", "-t", "-r", "--reference", "--context", "-Z")


class Edits:
    """The placement and edits of `Analysis` (see analysis.py)."""

    # -- where ---------------------------------------------------------------------------------

    def user_safe_run(self, step: Step) -> bool:
        """A RUN that works as the new user: node package installs and builds in the app
        folder (which the user then owns), without mounts, heredocs or opaque shell."""
        inst = step.inst
        if inst.cmd != "RUN" or inst.flags or inst.heredocs or inst.is_json or not self.dedicated:
            return False
        if not inside(step.cwd, self.app_dir):
            return False
        cmds, opaque = self.commands(inst)
        if opaque or not cmds:
            return False
        node = False
        for c in cmds:
            name = base(c.name)
            if name in ("cd", "echo", "true"):
                continue
            if name not in NODE_TOOLS or node_global(c) or c.wrappers or c.redirects or c.assignments:
                return False
            vals = [w.value for w in c.args]
            if any(v is None for v in vals):
                return False
            first = next((v for v in vals if not v.startswith("-")), None)
            if first is not None and first not in NODE_USER_SUBCOMMANDS:
                return False
            if first is None and name != "yarn":
                return False
            node = True
        return node

    def last_root_run(self) -> int:
        """Index (in the final stage) of the last RUN that must stay root; -1 when none."""
        last = -1
        for s in self.steps:
            if s.inst.cmd == "RUN" and not self.user_safe_run(s):
                last = s.index
        return last

    def data_dirs(self, before: int) -> tuple[list[str], int]:
        """Folders RUN steps (running as root, before final-stage index `before`) create for the
        app to write in: `mkdir`/`touch` targets inside the app folder, and outside it any that
        are not system or package locations (`/data`, `/var/log/app`); and the final-stage index
        of the last RUN making one (0: all come from the stages below)."""
        found: dict[str, int] = {}
        for s in self.all_steps:
            if s.inst.cmd != "RUN" or (s.final and s.index >= before) or not bi.is_root_user(s.user):
                continue
            for c in self.commands(s.inst)[0]:
                name = base(c.name)
                if name not in ("mkdir", "touch"):
                    continue
                for w in c.args_without_flags(MKDIR_VALUE_FLAGS):
                    p = resolve(w.value, s.cwd, s.env)
                    if p is None:
                        if w.value is None or "$" in (w.value or ""):
                            raise Decline(f"a RUN step creates `{w.text}`, a path it cannot resolve, where the app may write", s.inst)
                        continue
                    paths = [p]
                    if name == "mkdir" and c.has_flag("-p", "--parents"):
                        parent = posixpath.dirname(p)
                        while parent not in ("/", "") and parent not in SYSTEM_DIRS:
                            paths.append(parent)
                            parent = posixpath.dirname(parent)
                    for q in paths:
                        if self.dedicated and inside(q, self.app_dir):
                            if q == self.app_dir:
                                continue
                        elif q in SYSTEM_DIRS or NOT_APP_DATA.match(q) or (self.app_dir and inside(self.app_dir, q)):
                            continue
                        found[q] = s.index if s.final else 0
        removed = self._paths_touched_by(("rm", "rmdir", "mv"))
        chowned = self._paths_touched_by(("chown",), recursive_only=True)
        keep = sorted(
            (p for p in found if p not in removed and not any(inside(p, c) for c in chowned)),
            key=lambda p: (p.count("/"), p),
        )
        return keep, max((found[p] for p in keep), default=0)

    def _paths_touched_by(self, names: tuple[str, ...], recursive_only: bool = False) -> set[str]:
        """Paths RUN steps of the chain pass to `names` (`rm`, `chown -R`...)."""
        out: set[str] = set()
        for s in self.all_steps:
            if s.inst.cmd != "RUN":
                continue
            for c in self.commands(s.inst)[0]:
                if base(c.name) not in names:
                    continue
                if recursive_only and not c.has_flag("-R", "--recursive"):
                    continue
                args = c.args_without_flags(("--from", "--reference"))
                if base(c.name) == "chown":
                    args = args[1:]  # the owner
                for w in args:
                    p = resolve(w.value, s.cwd, s.env)
                    if p:
                        out.add(p)
        return out

    def check_volumes(self, owned: list[str]) -> None:
        for s in self.all_steps:
            if s.inst.cmd != "VOLUME":
                continue
            for v in s.inst.value:
                p = resolve(v, s.cwd, s.env)
                if p is None or not ((self.dedicated and inside(p, self.app_dir)) or any(inside(p, o) for o in owned)):
                    raise Decline(f"VOLUME {v}: the new user may not be able to write it", s.inst)

    def apply(self, codemod: Codemod, plan: Plan) -> Dockerfile:
        df, ctx, insts = self.df, self.ctx, self.final.instructions
        steps = self.steps
        last_root = self.last_root_run()
        n = len(insts)

        # the user exists after this index of the final stage (a RUN creating it, or one
        # installing shadow-utils): nothing that needs it may come earlier
        exists_after = 0
        created = self.created_user()
        if created is not None and not plan.create and created[1].final:
            exists_after = created[1].index
        shadow = self.shadow_install()
        if plan.create and shadow is not None and shadow.final:
            exists_after = max(exists_after, shadow.index)

        # USER: before the first RUN after the last root RUN (user-safe node installs), else
        # before the first CMD/ENTRYPOINT after the last RUN, else at the end
        user_at = n
        later = [s.index for s in steps if s.inst.cmd == "RUN" and s.index > last_root]
        if later:
            user_at = later[0]
        else:
            last_run = max((s.index for s in steps if s.inst.cmd == "RUN"), default=0)
            user_at = next((s.index for s in steps if s.index > last_run and s.inst.cmd in ("CMD", "ENTRYPOINT")), n)
        user_at = max(user_at, exists_after + 1)

        # an explicit `USER root` after the last RUN is rewritten in place
        root_line = None
        users = [s for s in steps if s.inst.cmd == "USER" and s.inst.value]
        last_run_any = max((s.index for s in steps if s.inst.cmd == "RUN"), default=-1)
        if users and bi.is_root_user(users[-1].inst.value[0]) and users[-1].index > max(last_run_any, exists_after):
            root_line = users[-1]
            user_at = root_line.index

        def root_at(i: int) -> bool:
            """Whether a RUN inserted before final-stage instruction `i` runs as root."""
            return bi.is_root_user(steps[i].user if i < n else self.end.user)

        # COPY/ADD into the app folder
        chowns: list[Instruction] = []
        if plan.chown and self.dedicated:
            for s in steps:
                inst = s.inst
                if inst.cmd not in ("COPY", "ADD") or s.index <= exists_after or len(inst.value) < 2:
                    continue
                if inst.flag_value("chown") is not None or ignored_codemods(inst) is not None:
                    continue
                if inside(resolve(inst.value[-1], s.cwd, s.env), self.app_dir):
                    chowns.append(inst)

        # the RUN creating the user and giving it the app folder: before the WORKDIR that makes
        # the folder, the first COPY given to the user and the USER line, whichever is first
        prep: list[str] = list(plan.create)
        chowned = self._paths_touched_by(("chown",), recursive_only=True)
        if plan.owner and self.dedicated and not self._owned_home(plan) and not any(inside(self.app_dir, c) for c in chowned):
            q = shlex.quote(self.app_dir)
            prep.append(f"mkdir -p {q} && chown {plan.owner} {q}")
        prep_at = user_at
        if prep:
            spots = [user_at]
            spots += [s.index for s in steps if s.inst.cmd == "WORKDIR" and s.inst.value
                      and resolve(s.inst.value[0], s.cwd, s.env) == self.app_dir][:1]
            spots += [s.index for s in steps if chowns and s.inst is chowns[0]]
            prep_at = max(min(spots), exists_after + 1)
            if not root_at(prep_at):
                if plan.create:
                    raise Decline("no place where root could create the user before it is needed")
                prep = []  # a WORKDIR made under a non-root USER is already that user's

        # folders RUN steps made as root for the app to write in: given to the user right after
        # the last RUN that makes one (before any VOLUME over them)
        data, made_at = self.data_dirs(user_at) if plan.owner else ([], 0)
        self.check_volumes(data)
        # recursive: what those RUNs wrote inside (`ssh-keygen -f ssh/id_rsa`) is the app's too
        tops = [d for d in data if not any(o != d and inside(d, o) for o in data)]
        late = f"chown -R {plan.owner} " + " ".join(shlex.quote(d) for d in tops) if data else None
        late_at = max(made_at + 1, (prep_at if prep else 0), exists_after + 1)
        if root_line is not None and root_line.index in ((prep_at,) if prep else ()) + ((late_at,) if late else ()):
            if not root_at(root_line.index):
                # the new RUNs go after `USER root` (the user before it is not root), and the
                # new USER after them
                prep_at = root_line.index + 1 if prep and prep_at == root_line.index else prep_at
                late_at = root_line.index + 1 if late and late_at == root_line.index else late_at
                user_at = root_line.index + 1
                root_line = None
        if late and not root_at(late_at):
            late = None
        if late and prep and late_at == prep_at:
            prep.append(late)
            late = None

        # the app folder made by a RUN of the final stage already (`RUN mkdir -p /usr/src/app`):
        # chown it there instead of making it twice (no duplicate instructions, no extra layer)
        append_to: Step | None = None
        folder_line = f"mkdir -p {shlex.quote(self.app_dir)} && chown {plan.owner} {shlex.quote(self.app_dir)}" if self.app_dir else None
        if prep and folder_line in prep:
            maker = self._app_dir_maker(after=exists_after, before=prep_at)
            if maker is not None:
                prep[prep.index(folder_line)] = f"chown {plan.owner} {shlex.quote(self.app_dir)}"
                if len(prep) == 1 and self._appendable(maker.inst):
                    append_to, prep = maker, []

        # -- edits (anchors are original instructions; None: the end of the file) --
        def at(i: int) -> Instruction | None:
            return insts[i] if i < n else None

        kw_run, kw_user = keyword_case(df, "RUN"), keyword_case(df, "USER")
        out = df
        if append_to is not None:
            inst = append_to.inst
            out = replace_instruction(out, inst, with_body(inst, body_text(inst).rstrip() + f" && chown {plan.owner} {shlex.quote(self.app_dir)}"))
            ctx.edit(codemod, inst, f"give the app folder {self.app_dir} to {plan.owner} where the RUN makes it")
        if prep:
            what = f"create {plan.desc}" if plan.create else f"give the app folder {self.app_dir} to {plan.owner}"
            out = self._insert(out, self._run_text(kw_run, prep), at(prep_at), codemod, what)
        for inst in chowns:
            # a `--link` copy runs on an empty layer without /etc/passwd: names cannot resolve
            # there (moby/buildkit#2987), so its owner is numeric
            owner = plan.user_line if inst.flag_value("link") not in (None, "false") else plan.chown
            out = replace_instruction(out, inst, with_flag(inst, f"--chown={owner}"))
            ctx.edit(codemod, inst, f"copy into {self.app_dir} as {owner}")
        if late:
            out = self._insert(out, self._run_text(kw_run, [late]), at(late_at), codemod,
                               f"give {', '.join(data)} (created by RUN steps as root) to {plan.owner}")
        summary = f"run as {plan.desc}: USER {plan.user_line}"
        if root_line is not None:
            if lines_inside_body(root_line.inst):  # the new USER is written on one line: they would go
                raise Decline("the USER to rewrite has comment or blank lines inside its name", root_line.inst)
            out = replace_instruction(out, root_line.inst, with_body(root_line.inst, plan.user_line))
            ctx.edit(codemod, root_line.inst, summary)
        else:
            out = self._insert(out, f"{kw_user} {plan.user_line}", at(user_at), codemod, summary)
        return out

    def _app_dir_maker(self, after: int, before: int) -> Step | None:
        """The final-stage RUN (as root, between the two indexes) that makes the app folder
        with `mkdir`."""
        for s in self.steps:
            if s.inst.cmd != "RUN" or not (after < s.index < before) or not bi.is_root_user(s.user):
                continue
            for c in self.commands(s.inst)[0]:
                if base(c.name) == "mkdir" and any(resolve(w.value, s.cwd, s.env) == self.app_dir
                                                   for w in c.args_without_flags(MKDIR_VALUE_FLAGS)):
                    return s
        return None

    def _appendable(self, inst: Instruction) -> bool:
        """A RUN whose shell text `&& chown ...` can safely be appended to: one line of plain
        commands (no heredoc, JSON form, comment, `if`/`for` or trailing `&`/`;`)."""
        if inst.is_json or inst.heredocs or inst.flags:
            return False
        body = body_text(inst).rstrip()
        cmds, opaque = self.commands(inst)
        return bool(cmds) and not opaque and "#" not in body and not body.endswith(("&", ";", "\\", "|"))

    def _owned_home(self, plan: Plan) -> bool:
        """The app folder is the user's home, which it owns already."""
        if plan.create:
            return self.app_dir == f"/home/{APP_USER}"
        existing = bi.existing_user(self.ref)
        return existing is not None and plan.user_line == existing.numeric and self.app_dir == f"/home/{existing.name}"

    # -- text in the file's style --------------------------------------------------------------

    def _run_text(self, kw: str, parts: list[str]) -> str:
        if len(parts) == 1:
            return f"{kw} {parts[0]}"
        indent, leading = self._continuation_style()
        if leading:
            return f"{kw} " + f" \\\n{indent}&& ".join(parts)
        return f"{kw} " + f" && \\\n{indent}".join(parts)

    def _continuation_style(self) -> tuple[str, bool]:
        """How the file's RUNs chain commands over lines: the continuation indent, and whether
        lines start with `&&` (rather than end with it). Default: 4 blanks, leading `&&`."""
        indent = None
        leading = trailing = 0
        for inst in self.df.instructions:
            if inst.cmd != "RUN":
                continue
            ind = continuation_indent(inst)
            if ind is None:
                continue
            pieces = inst.pieces
            for k, p in enumerate(pieces):
                if not isinstance(p, Continuation):
                    continue
                before = pieces[k - 1].text.rstrip() if k and isinstance(pieces[k - 1], Piece) else ""
                after = pieces[k + 1].text.lstrip(" \t") if k + 1 < len(pieces) and isinstance(pieces[k + 1], Piece) else ""
                if after.startswith(("&&", "||")):
                    leading += 1
                    indent = indent if indent is not None else ind
                elif before.endswith(("&&", "||", ";")):
                    trailing += 1
                    indent = indent if indent is not None else ind
        if indent is None:
            for inst in self.df.instructions:
                if inst.cmd == "RUN" and continuation_indent(inst):
                    indent = continuation_indent(inst)
                    break
        return indent or "    ", leading >= trailing

    def _insert(self, df: Dockerfile, text: str, anchor: Instruction | None, codemod: Codemod, summary: str) -> Dockerfile:
        ctx = self.ctx
        inst = new_instruction(text, df)
        if anchor is not None:
            out = insert_before(df, anchor, [inst])
            line_of = anchor
            touched: tuple[Instruction, ...] = ()
        else:
            last = df.instructions[-1]
            touched = ()
            if ends_open(last):
                # the file ends without a line break (or in a continuation): keep it so, after
                # the new line
                fixed = with_line_ending(last, df.newline)
                df = replace_instruction(df, last, fixed)
                touched = (last,)
                inst = inst.with_changes(newline="")
                last = fixed
            out = insert_after(df, last, [inst])
            line_of = last
        ctx.edit(codemod, None, summary, touched=touched)
        if line_of.start is not None:
            ctx.edits[-1] = dataclasses.replace(ctx.edits[-1], line=line_of.start.line)
        return out


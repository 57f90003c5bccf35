"""non-root for a final stage on the official nginx image (a built site copied in, often from a
node build stage): the server itself is made unprivileged instead of declined. The config nginx
loads is modelled from the image's own files plus what the stage copies into /etc/nginx (read
from the build context); refactor.knowledge.nginx computes the RUN that drops `user`, moves the
pid file and temp paths to /tmp, gives /var/cache/nginx to the nginx user and moves privileged
`listen` ports (80 -> 8080), and proves on the text that no port below 1024 is left. Then
`USER 101:101` (the image's nginx account) and EXPOSE follow the port.

Declined: a port that something in the repository points at (a compose mapping, kamal,
a manifest, another service's proxy: refactor.knowledge.port_consumers), a config that comes
from another stage or that a RUN edits (unreadable), templates
(rendered into conf.d by the entrypoint at start, as root), entrypoint.d scripts, a start command
other than nginx, a HEALTHCHECK or VOLUME, and whatever knowledge.nginx cannot prove."""
from __future__ import annotations

import fnmatch
import posixpath
import re

from refactor.codemods.base import Codemod, Context
from refactor.codemods.non_root.steps import Decline
from refactor.knowledge import nginx
from refactor.knowledge.context import MAX_PATH, within_path_max
from refactor.shell.parse import SimpleCommand, parse_shell
from refactor.syntax.edit import (
    ends_open,
    insert_after,
    keyword_case,
    lines_inside_body,
    new_instruction,
    replace_instruction,
    with_body,
    with_line_ending,
)
from refactor.syntax.nodes import Dockerfile, Instruction, Stage

RATIONALE = (
    "The official nginx image starts its master process as root, which then switches its workers "
    "to the nginx user: a container escape or a bug in the master is root on the host's kernel, and "
    "Kubernetes' runAsNonRoot refuses the image. Run as the image's own nginx user (101:101) instead, "
    "the way nginxinc/nginx-unprivileged does: the pid file and the temp files go to /tmp, the cache "
    "folder becomes the user's, the `user` directive (meaningless without root) goes, and ports below "
    "1024, which a non-root process cannot bind, move (80 -> 8080, 443 -> 8443). Behaviour changes: "
    "the container listens on the new port, so port mappings, Services and probes must follow it.")


def is_nginx_stage(df: Dockerfile, chain: list[Stage]) -> bool:
    """The final stage stands directly on the official nginx image."""
    return len(chain) == 1 and nginx.is_official(chain[0].base_image)


def _dest(words: list[str], workdir: str) -> tuple[list[str], str, bool]:
    srcs, dest = words[:-1], words[-1]
    is_dir = dest.endswith("/") or len(srcs) > 1
    p = dest if dest.startswith("/") else posixpath.join(workdir, dest)
    return srcs, posixpath.normpath(p), is_dir


class NginxSite:
    def __init__(self, df: Dockerfile, stage: Stage, ctx: Context) -> None:
        self.df, self.stage, self.ctx = df, stage, ctx
        self.bc = ctx.build_context

    def _copy(self, inst: Instruction, workdir: str, files: dict[str, str | None]) -> bool:
        """Model a COPY/ADD; True when it writes the nginx config."""
        words = [w.strip("\"'") for w in inst.value]
        if inst.heredocs or len(words) < 2:
            if any("/etc/nginx" in w for w in words) or inst.heredocs:
                raise Decline(f"{inst.cmd} into the nginx config not understood", inst)
            return False
        srcs, dest, is_dir = _dest(words, workdir)
        for bad in (nginx.TEMPLATES_DIR, nginx.ENTRYPOINT_DIR):
            if dest == bad or dest.startswith(bad + "/") or (dest in ("/etc/nginx", "/") and not inst.flag_value("from")
                                                             and any(self._has_dir(s, posixpath.basename(bad)) for s in srcs)):
                raise Decline(f"copies into {bad}: the official entrypoint uses it at start, as root", inst)
        if not (dest == "/etc/nginx" or dest.startswith("/etc/nginx/") or dest == "/"):
            return False
        if inst.flag_value("from") is not None:
            raise Decline(f"the nginx config at {dest} comes from another stage or image: I cannot read it", inst)
        if self.bc is None:
            raise Decline("the build context is unknown: I read the nginx config before changing its port", inst)
        for s in srcs:
            rel = posixpath.normpath(s.lstrip("/")) if s.strip("/") not in ("", ".") else ""
            if any(ch in rel for ch in "*?[") or "$" in s:
                raise Decline(f"{inst.cmd} {s}: a pattern into the nginx config, not understood", inst)
            if rel and self.bc.is_file(rel):
                target = posixpath.join(dest, posixpath.basename(rel)) if is_dir or dest in ("/etc/nginx", nginx.CONF_DIR) else dest
                files[target] = self.bc.read_text(rel)
                continue
            if not self.bc.exists(rel) if rel else False:
                raise Decline(f"{inst.cmd} source {s} is not in the build context", inst)
            prefix = rel + "/" if rel else ""
            for f in self.bc.files:
                if f.startswith(prefix) and self.bc.sent(f):
                    target = posixpath.join(dest, f[len(prefix):])
                    if target.startswith("/etc/nginx/"):
                        files[target] = self.bc.read_text(f)
                    elif target.startswith((nginx.TEMPLATES_DIR + "/", nginx.ENTRYPOINT_DIR + "/")):
                        raise Decline(f"copies into {posixpath.dirname(target)}: the official entrypoint uses it "
                                      "at start, as root", inst)
        return True

    def _has_dir(self, src: str, name: str) -> bool:
        rel = posixpath.normpath(src.lstrip("/")) if src.strip("/") not in ("", ".") else ""
        return self.bc is not None and self.bc.exists(posixpath.join(rel, name) if rel else name)

    def _run(self, inst: Instruction, files: dict[str, str | None]) -> bool:
        """Model a RUN; True when it changes the nginx config (a removal we follow)."""
        text = " ".join(inst.value) if inst.is_json else (inst.value[0] if inst.value else "")
        if re.search(r"\b(?:apt-get|apt|apk|yum|dnf|microdnf)\b[^;&|]*\b(?:install|add)\b", text) and "nginx" in text:
            raise Decline("installs nginx packages: an nginx image of its own (a base for other images), not a "
                          "site served by the official one", inst)
        if not any(k in text for k in ("/etc/nginx", "nginx.conf", "conf.d", "docker-entrypoint", "/var/cache/nginx")) \
                and not inst.heredocs:
            return False
        if inst.heredocs:
            raise Decline("a RUN heredoc near the nginx config: not understood", inst)
        for u in parse_shell(text, inst.escape).units():
            if not isinstance(u, SimpleCommand):
                raise Decline("a RUN with loops or conditionals changes the nginx config: I cannot read what it leaves", inst)
            args = [w.value for w in u.args]
            if (u.name or "").rsplit("/", 1)[-1] == "rm" and None not in args:
                for a in args:
                    if a.startswith("-"):
                        continue
                    gone = [p for p in files if fnmatch.fnmatchcase(p, a) or p.startswith(a.rstrip("/") + "/")]
                    for p in gone:
                        del files[p]
                continue
            if any(a is None or "/etc/nginx" in a or "conf.d" in a or "docker-entrypoint" in a for a in args) \
                    or "/etc/nginx" in u.raw:
                raise Decline(f"`{u.raw.strip()[:60]}` changes the nginx config: I cannot read what it leaves", inst)
        return True

    def plan(self, codemod: Codemod) -> Dockerfile:
        files: dict[str, str | None] = dict(nginx.OFFICIAL_FILES)
        workdir = "/"
        anchor = self.stage.from_instruction  # USER goes after the last COPY/RUN (root's steps)
        conf_anchor = anchor  # the config edits go after the last step that writes the config
        exposes: list[Instruction] = []
        for inst in self.stage.instructions[1:]:
            cmd = inst.cmd
            if cmd == "WORKDIR" and inst.value:
                workdir = posixpath.normpath(posixpath.join(workdir, inst.value[0].strip("\"'")))
                if within_path_max(workdir) is None:
                    raise Decline(f"the WORKDIR path is longer than {MAX_PATH:,} bytes, more than a working "
                                  "directory can be", inst)
            elif cmd in ("COPY", "ADD"):
                if self._copy(inst, workdir, files):
                    conf_anchor = inst
                anchor = inst
            elif cmd == "RUN":
                if self._run(inst, files):
                    conf_anchor = inst
                anchor = inst
            elif cmd == "EXPOSE":
                exposes.append(inst)
            elif cmd == "CMD":
                self._check_cmd(inst)
            elif cmd == "ENTRYPOINT":
                argv = list(inst.value) if inst.is_json else None
                if argv != list(nginx.ENTRYPOINTS):
                    raise Decline("an ENTRYPOINT of the file's own in front of nginx: not understood", inst)
            elif cmd in ("HEALTHCHECK", "VOLUME", "ONBUILD", "USER"):
                raise Decline(f"{cmd} on an nginx stage: not understood (the port and the user change)", inst)
        plan = nginx.unprivileged(files)
        if plan.problem:
            raise Decline(plan.problem, self.stage.from_instruction)
        # the repository's own deployment (compose, kamal, manifests) must still reach the port
        from refactor.knowledge import port_consumers  # here: only an nginx stage needs it (start-up)

        used = port_consumers.decline_reason(self.ctx.path, self.bc.root if self.bc else None, plan.ports,
                                              self.stage.name)
        if used:
            raise Decline(used, self.stage.from_instruction)
        df = self.df
        kw = lambda w: keyword_case(df, w)
        body = " \\\n    && ".join(plan.commands)
        run = new_instruction(f"{kw('RUN')} {body}", df)
        user = new_instruction(f"{kw('USER')} {nginx.UID}:{nginx.GID}", df)
        new = [user] if conf_anchor is not anchor else [run, user]
        touched: list[Instruction] = []
        for e in exposes:
            words = nginx.exposed_after(list(e.value), plan.ports)
            if words != list(e.value):
                if lines_inside_body(e):  # the new port list is written on one line: they would go
                    raise Decline("the EXPOSE to rewrite has comment or blank lines among its ports", e)
                df = replace_instruction(df, e, with_body(e, " ".join(words)))
                touched.append(e)
        if plan.ports and not exposes:
            new.append(new_instruction(f"{kw('EXPOSE')} " + " ".join(str(p) for p in sorted(plan.ports.values())), df))
        if ends_open(anchor):  # no line break at the end of the file (a lone "\r" is none)
            fixed = with_line_ending(anchor, df.newline)
            df = replace_instruction(df, anchor, fixed)
            touched.append(anchor)
            new[-1] = new[-1].with_changes(newline="")
            anchor = fixed
        df = insert_after(df, anchor, new)
        if conf_anchor is not anchor:
            # before the site's files: a site rebuild then leaves the config edits' layer cached
            df = insert_after(df, conf_anchor, [run])
        moved = ", ".join(f"{a} -> {b}" for a, b in sorted(plan.ports.items()))
        summary = (f"nginx runs as its own user (USER {nginx.UID}:{nginx.GID}): pid file and temp paths in /tmp, "
                   f"{nginx.CACHE_DIR} its own" + (f"; listens on {moved} (behaviour change: the port moves)" if moved else ""))
        rationale = RATIONALE
        if plan.rewritten:
            rationale += " The listen lines rewritten: " + ", ".join(plan.rewritten) + "."
        self.ctx.edit(codemod, self.stage.from_instruction, summary, rationale=rationale, touched=tuple(touched))
        return df

    def _check_cmd(self, inst: Instruction) -> None:
        if inst.is_json:
            argv = list(inst.value)
        else:
            units = list(parse_shell(inst.value[0] if inst.value else "", inst.escape).units())
            if len(units) != 1 or not isinstance(units[0], SimpleCommand) or None in [w.value for w in units[0].words]:
                raise Decline("the start command is not nginx alone: not understood", inst)
            argv = [w.value for w in units[0].words]
        if not argv or posixpath.basename(argv[0]) not in ("nginx", "nginx-debug") \
                or any(a not in ("-g",) and not a.startswith("daemon off;") for a in argv[1:]):
            raise Decline("the start command is not `nginx -g 'daemon off;'`: not understood", inst)

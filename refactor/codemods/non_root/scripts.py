"""Reading the start scripts of an image: which scripts a start command runs, where a COPY or
ADD of the chain took each from (the build context, a heredoc), and their text."""
from __future__ import annotations

import posixpath

from refactor.codemods.non_root.steps import SHELLS, base, inside, resolve
from refactor.shell.parse import SimpleCommand


class Scripts:
    """The script-reading part of `Analysis` (see analysis.py)."""

    def _scripts(self, c: SimpleCommand) -> list[tuple[str, bool]]:
        """Script files a start command runs (`./start.sh`, `sh run.sh`, `/docker-entrypoint`),
        each with whether it must be read (False: an executable the build context holds, which is
        read when it is a script, `/etc/confluent/docker/run`, and passed over when a binary)."""
        name = c.name or ""
        if base(name) in SHELLS:
            if c.has_flag("-c"):
                return []
            rest = c.args_without_flags(())
            return [(rest[0].value, True)] if rest and rest[0].value else []
        if name.endswith((".sh", ".bash")) or "entrypoint" in base(name).lower():
            return [(name, True)]
        if "/" in name and self._source_for(name) is not None:
            return [(name, False)]
        return []

    def _source_for(self, script: str) -> str | None:
        """Where a COPY/ADD of the chain took `script` from: `ctx:<path>` in the build context,
        `name:<file>` (somewhere in it), or `heredoc:<text>`. None when no COPY made it."""
        target = None
        if script.startswith("/"):
            target = posixpath.normpath(script)
        elif "/" in script:
            target = resolve(script, self.end.cwd, self.end.env)
            if target is None:
                return None
        found = None
        for s in self.all_steps:
            inst = s.inst
            if inst.cmd not in ("COPY", "ADD") or inst.flag_value("from") is not None or len(inst.value) < 2:
                continue
            dest_word = inst.value[-1]
            dest = resolve(dest_word, s.cwd, s.env)
            if dest is None:
                continue
            srcs = inst.value[:-1]
            into_dir = dest_word.endswith("/") or len(srcs) > 1
            for k, src in enumerate(srcs):
                if src.startswith("<<"):
                    bodies = inst.heredoc_info
                    path = posixpath.join(dest, src[2:].lstrip("-").strip("'\"")) if into_dir else dest
                    if bodies and (target == path or (target is None and posixpath.basename(path) == script)):
                        found = "heredoc:" + bodies[min(k, len(bodies) - 1)].content
                    continue
                clean = src.rstrip("/")
                if clean in (".", ""):
                    if target is not None and inside(target, dest):
                        found = "ctx:" + posixpath.relpath(target, dest)
                    elif target is None:
                        found = "name:" + script
                    continue
                places = [posixpath.join(dest, posixpath.basename(clean))] if into_dir else [dest, posixpath.join(dest, posixpath.basename(clean))]
                for place in places:
                    if target is not None and target == place:
                        found = "ctx:" + clean
                    elif target is not None and inside(target, place):
                        found = "ctx:" + posixpath.join(clean, posixpath.relpath(target, place))
                    elif target is None and posixpath.basename(place) == script:
                        found = "ctx:" + clean
        return found

    def _script_text(self, script: str) -> str | None:
        src = self._source_for(script)
        if src is None:
            return None
        kind, _, rest = src.partition(":")
        if kind == "heredoc":
            return rest
        bc = self.ctx.build_context
        if bc is None:
            return None
        if kind == "name":
            hits = [f for f in bc.files if posixpath.basename(f) == rest]
            return bc.read_text(hits[0]) if len(hits) == 1 else None
        rel = posixpath.normpath(rest.lstrip("/"))
        if rel.startswith("..") or "*" in rel:
            return None
        return bc.read_text(rel)


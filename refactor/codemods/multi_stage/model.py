"""What the multi-stage planner reads a single-stage Dockerfile into: each command of each RUN
(CmdInfo, RunInfo), each COPY (CopyEntry), each instruction's role (Step), and the plan it
emits (Plan); small path and argv helpers. `_Decline`, the reason the codemod skips, lives in
refactor.codemods.multi_stage.gate."""
from __future__ import annotations

import fnmatch
import posixpath
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

from refactor.codemods.multi_stage.gate import _Decline  # noqa: F401 (re-exported: the strategies raise it)
from refactor.shell.parse import SimpleCommand, parse_shell
from refactor.syntax.nodes import Instruction

VENV = "/opt/venv"


CONFIG_CMDS = frozenset({"CMD", "ENTRYPOINT", "EXPOSE", "HEALTHCHECK", "LABEL", "STOPSIGNAL", "VOLUME", "MAINTAINER"})


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def _abspath(path: str, workdir: str) -> str:
    p = path if path.startswith("/") else posixpath.join(workdir, path)
    p = posixpath.normpath(p)
    return "/" if p in (".", "//") else p.replace("//", "/")


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def _rel(path: str, root: str) -> str:
    if path == root:
        return "."
    return path[len(root.rstrip("/")) + 1 :]


def _matches_any(name: str, patterns) -> bool:
    return any(fnmatch.fnmatchcase(name, p) for p in patterns)


def _argv_of(inst: Instruction) -> list[str] | None:
    """CMD/ENTRYPOINT as an argv list; a shell form becomes ["/bin/sh", "-c", text]."""
    if not inst.value:
        return []
    if inst.is_json:
        return list(inst.value)
    return ["/bin/sh", "-c", inst.value[0]]


def _shell_commands(text: str, escape: str = "\\") -> list:
    return list(parse_shell(text, escape).units())


def _opaque_command_names(raw: str) -> list[str]:
    """The first word of each simple command inside shell text the parser keeps opaque
    (loops, conditionals, subshells): good enough to see which programs a script needs."""
    text = re.sub(r"\b(?:then|do|else|if|until|while|elif|done|fi|esac|case|in|for|select|function|time)\b|!|\$\(|`", ";", raw)
    out = []
    for seg in re.split(r"[;&|(){}\n]", text):
        for word in seg.split():
            if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", word):
                continue
            if re.fullmatch(r"[A-Za-z./][\w./+-]*", word):
                out.append(word.rsplit("/", 1)[-1])
            break
    return out


def _cmd_text(argv: list[str]) -> str:
    if len(argv) >= 3 and argv[0] in ("/bin/sh", "sh", "/bin/bash", "bash") and argv[1] == "-c":
        return argv[2]
    return " ".join(shlex.quote(a) for a in argv)


@dataclass
class CmdInfo:
    """One command of a RUN, classified for the stage split."""
    kind: str  # sys | tool | user | neutral | deps | build | other
    name: str
    manifests: tuple[str, ...] = ()  # image paths (absolute) the install reads
    hoistable: bool = True  # reads nothing but its manifests
    apt: tuple[str, ...] = ()
    pm: str | None = None  # npm | yarn | pnpm | pip | poetry | uv | go | cargo
    scripts: tuple[str, ...] = ()  # package.json scripts it runs
    prod_only: bool = False  # a node install that skips devDependencies
    writes: tuple[str, ...] = ()  # paths it visibly writes (relative or absolute)
    cmd: SimpleCommand | None = None
    raw: str = ""  # the text of a loop/conditional the shell parser keeps opaque


@dataclass
class RunInfo:
    """A RUN's commands, classified, and the kind of step they make."""
    kind: str  # sys | deps | build
    cmds: list[CmdInfo]
    opaque: bool = False

    @property
    def manifests(self) -> set[str]:
        return {m for c in self.cmds for m in c.manifests}

    @property
    def hoistable(self) -> bool:
        return self.kind in ("sys", "deps") and all(c.hoistable for c in self.cmds)

    @property
    def apt(self) -> list[str]:
        return [p for c in self.cmds for p in c.apt]


@dataclass
class CopyEntry:
    """One source of a COPY from the context, and where it lands."""
    src: str  # context path ("" = the context root)
    dest: str  # absolute image path
    is_dir: bool  # a directory whose contents land in dest


@dataclass
class Step:
    """An instruction of the single stage, read for the multi-stage plan."""
    inst: Instruction
    index: int
    kind: str
    workdir: str
    user: str
    run: RunInfo | None = None
    entries: list[CopyEntry] = field(default_factory=list)
    env: Mapping[str, str] = field(default_factory=dict)  # variables set before the instruction


@dataclass
class Plan:
    """The stages the multi-stage rewrite emits, with its summary and rationale."""
    base_text: str
    runner_image: str
    ecosystem: str
    deps: list[Instruction]
    builder: list[Instruction]
    extra: list[tuple[str, list[Instruction]]]
    runner: list[Instruction]
    touched: list[Instruction]
    summary: str
    rationale: str

"""The facts non-root reasons with: the final stage's chain read instruction by instruction
(`walk`: each instruction with the working directory, environment and user BuildKit has when it
runs), paths resolved against them, and the simple commands that RUN, CMD, ENTRYPOINT and start
scripts run (through `sh -c`, tini, and the opaque parts of if/for/while).

`Decline` is how any part of the analysis says "leave this file alone, because ...".
"""
from __future__ import annotations

import posixpath
import re
import shlex
from collections import ChainMap
from dataclasses import dataclass

from refactor.knowledge import baseimages as bi
from refactor.knowledge.context import within_path_max
from refactor.knowledge.step_env import StepEnv
from refactor.shell.parse import SimpleCommand, parse_shell
from refactor.syntax.buildkit import expand_variables
from refactor.syntax.edit import body_text
from refactor.syntax.nodes import Dockerfile, Instruction, Stage
from refactor.syntax.lazy_re import lazy

# Folders the system or a package owns: never given to the app user.
SYSTEM_DIRS = frozenset(
    """/ /bin /sbin /lib /lib32 /lib64 /libx32 /usr /usr/bin /usr/sbin /usr/lib /usr/local
    /usr/local/bin /usr/local/sbin /usr/local/lib /usr/local/share /usr/share /usr/src /etc
    /var /var/lib /var/www /var/www/html /var/log /var/cache /var/run /run /tmp /var/tmp /opt
    /srv /home /mnt /media /proc /sys /dev /boot /go /go/src /go/bin /workspace /workspaces
    """.split()
)

SHELLS = frozenset("sh bash ash dash zsh ksh".split())
INIT_WRAPPERS = frozenset("tini tini-static dumb-init catatonit".split())
NODE_TOOLS = frozenset({"npm", "yarn", "pnpm", "bun"})


class Decline(Exception):
    def __init__(self, reason: str, inst: Instruction | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.inst = inst


@dataclass
class Step:
    """An instruction of the stage chain, with the state BuildKit has when it runs."""

    inst: Instruction
    final: bool  # in the final stage (the only one we edit)
    index: int  # position in its stage (FROM is 0)
    cwd: str | None  # None: unknown (a variable we cannot expand)
    env: StepEnv
    user: str


# --- the stage chain, instruction by instruction ------------------------------------------------


def walk(df: Dockerfile, chain: list[Stage]) -> tuple[list[Step], Step]:
    """Every instruction of the chain (root stage first) with its cwd, env and user, and the
    state after the last one."""
    final = chain[0]
    # the root image (`stage_images.root_image`), from the chain already found
    user = bi.default_user(bi.parse_image(chain[-1].base_image)) or "root"
    cwd: str | None = None
    env = StepEnv()
    out: list[Step] = []
    for stage in reversed(chain):
        is_final = stage is final
        for k, inst in enumerate(stage.instructions):
            out.append(Step(inst, is_final, k, cwd, env, user))
            cmd = inst.cmd
            if cmd == "WORKDIR" and inst.value:
                target = expand(inst.value[0], env)
                if target is None:
                    cwd = None
                elif target.startswith("/"):
                    cwd = posixpath.normpath(target)
                elif cwd is not None:
                    cwd = posixpath.normpath(posixpath.join(cwd, target))
                else:
                    cwd = posixpath.normpath("/" + target)  # relative to the image's "/"
                cwd = within_path_max(cwd)
            elif cmd == "ENV":
                v = inst.value
                values: dict[str, str] = {}
                seen = ChainMap(values, env)  # each value sees the ones set before it
                for i in range(0, len(v) - 1, 2):
                    val = expand(v[i + 1], seen)
                    values[v[i]] = val if val is not None else unquote(v[i + 1])
                env = env.with_values(values)
            elif cmd == "ARG":
                values = {}
                seen = ChainMap(values, env)
                for word in inst.value:
                    key, eq, val = word.partition("=")
                    if eq and key not in seen:
                        exp = expand(val, seen)
                        if exp is not None:
                            values[key] = exp
                env = env.with_values(values)
            elif cmd == "USER" and inst.value:
                user = inst.value[0]
    last = final.instructions[-1]
    return out, Step(last, True, len(final.instructions), cwd, env, user)


def unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def expand(text: str, env: dict[str, str]) -> str | None:
    """`text` unquoted, its variables substituted from `env`; None when one is unknown."""
    return expand_variables(unquote(text), env)


def resolve(path: str | None, cwd: str | None, env: dict[str, str]) -> str | None:
    """An absolute, normalized path for `path` as seen from `cwd`; None when unknown."""
    if path is None:
        return None
    p = expand(path, env)
    if p is None:
        return None
    if p.startswith("/"):
        return posixpath.normpath(p)
    if cwd is None:
        return None
    return posixpath.normpath(posixpath.join(cwd, p))


def inside(path: str | None, folder: str | None) -> bool:
    if path is None or folder is None:
        return False
    return path == folder or path.startswith(folder.rstrip("/") + "/")


# --- the commands of RUN, CMD and ENTRYPOINT ----------------------------------------------------


def commands_of(inst: Instruction) -> tuple[list[SimpleCommand], bool]:
    """The simple commands an instruction runs, heredoc bodies included, and whether part of
    it is opaque to the shell parser (if/for/subshells, whose commands are still listed)."""
    texts: list[str] = []
    if inst.is_json:
        texts.append(argv_text(list(inst.value)))
    elif inst.value:
        # the body as written reads as BuildKit's value does (continuations and the comment
        # lines inside them are the shell layer's trivia), and other codemods parse it too
        texts.append(body_text(inst) if not inst.heredocs else inst.value[0])
    texts.extend(h.content for h in inst.heredoc_info)
    cmds: list[SimpleCommand] = []
    opaque = False
    for text in texts:
        try:
            c, o = script_commands(text, inst.escape)
        except Decline as d:
            raise Decline(d.reason, d.inst or inst) from None
        cmds.extend(c)
        opaque = opaque or o
    return cmds, opaque


def argv_text(argv: list[str]) -> str:
    """An exec-form argv as shell text, past tini/dumb-init; `sh -c "script"` is the script."""
    while argv and posixpath.basename(argv[0]) in INIT_WRAPPERS:
        argv = argv[1:]
        while argv and argv[0].startswith("-"):
            done = argv[0] == "--"
            argv = argv[1:]
            if done:
                break
    if len(argv) >= 3 and posixpath.basename(argv[0]) in SHELLS and re.fullmatch(r"-[a-z]*c[a-z]*", argv[1]):
        return argv[2]
    return shlex.join(argv)


COMPOUND_WORDS = lazy(
    r"(?<![\w-])(?:if|then|else|elif|fi|do|done|for|while|until|case|esac|in|function)(?![\w-])|[(){}]|;;"
)


_PARAM = lazy(r"\$\{[^{}]*\}")
_MAX_FLAT = 20000  # characters of an opaque unit read again as a flat list of commands


def script_commands(text: str, escape: str = "\\", depth: int = 0) -> tuple[list[SimpleCommand], bool]:
    script = parse_shell(text, escape)
    # the commands inside `if`, loops, `case`, groups and subshells too (their bodies are parsed)
    cmds = list(script.all_commands())
    # `sh -c 'script'`: the script's commands too
    for c in list(cmds):
        if depth < 3 and base(c.name) in SHELLS:
            vals = [w.value for w in c.args]
            for k, v in enumerate(vals[:-1]):
                if v is not None and re.fullmatch(r"-[a-z]*c[a-z]*", v) and vals[k + 1]:
                    cmds.extend(script_commands(vals[k + 1], "\\", depth + 1)[0])
                    break
    # what the parser still keeps opaque (here-documents, unparsable text): blank the keywords and
    # read the rest as a flat list, which is good enough to spot an `apt-get` or a `chown`
    for op in script.unmodelled():
        if len(op.raw) > _MAX_FLAT or op.reason == "too-long":
            # what root does in it cannot be read: the analysis cannot clear it
            raise Decline(f"{len(op.raw) / 1024:,.0f} KB of shell code this analysis does not read "
                          f"(`{op.raw.strip()[:30]}…`): what it does is unknown")
        # `${x}` keeps its braces (a path in a reason reads `/a/${x}`, not `/a/$;x;`)
        flat = COMPOUND_WORDS.sub(";", _PARAM.sub(lambda m: m.group().replace("{", "\x01").replace("}", "\x02"), op.raw))
        flat = re.sub(r"(?:;\s*)+", "; ", flat).strip("; \t\n").replace("\x01", "{").replace("\x02", "}")
        if flat != op.raw and depth < 3:
            cmds.extend(script_commands(flat, escape, depth + 1)[0])
    return cmds, script.has_opaque


def base(name: str | None) -> str:
    return (name or "").rpartition("/")[2]  # posixpath.basename, without its per-call set-up


def subcommand(cmd: SimpleCommand) -> str | None:
    word = cmd.subcommand()
    return word.value if word is not None else None


def literal(cmd: SimpleCommand, env: dict[str, str]) -> SimpleCommand | None:
    """The command with `$VAR`/`"$VAR"` words expanded from `env` (None when a word holds
    anything else that expands, or a variable `env` lacks)."""
    words = []
    for w in cmd.words:
        if w.value is not None:
            words.append(w.value)
            continue
        if w.has_command_substitution:
            return None
        text = w.text
        if not re.fullmatch(r'(?:[^`\\\'"$]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|"(?:[^"`\\$]|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)*")*', text):
            return None
        val = expand(text.replace('"', ""), env)
        if val is None:
            return None
        words.append(val)
    script = parse_shell(shlex.join(words))
    cmds = script.commands()
    return cmds[0] if len(cmds) == 1 else None


def node_global(cmd: SimpleCommand) -> bool:
    vals = [w.value or "" for w in cmd.args]
    return any(v in ("-g", "--global", "--location=global") for v in vals) or (
        base(cmd.name) == "yarn" and vals[:1] == ["global"]
    )


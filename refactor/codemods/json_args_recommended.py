"""json-args-recommended: shell-form CMD and ENTRYPOINT to the JSON (exec) form, where no shell
feature is used.

What it does
    `CMD node server.js` becomes `CMD ["node", "server.js"]`, and the same for ENTRYPOINT, when
    the command is plain words: no variable, glob, redirection, operator, command substitution,
    escape or shell built-in. Quoted words keep their text (`CMD echo "a b"` → `["echo", "a b"]`).
    A leading `exec` is dropped: exec form already replaces the shell.

Why
    In shell form the container's PID 1 is `/bin/sh -c`, which does not forward SIGTERM: `docker
    stop` waits its 10 s and kills the process without a clean shutdown. BuildKit reports it
    (build check JSONArgsRecommended), hadolint too (DL3025).

Example
    CMD exec gunicorn app:app   →   CMD ["gunicorn", "app:app"]

Safety
    Unsafe: the process becomes PID 1 and receives signals itself; the image must contain the
    program (no shell is started to find it, the image's PATH still applies). Arguments given to
    `docker run` are appended to an exec-form ENTRYPOINT, where the shell form ignored them; a
    base image's ENTRYPOINT script (the node and php images have one) receives the program's
    words instead of `/bin/sh -c ...` (those scripts exec their arguments either way).
    Declines where the stage (or a stage it builds on) sets SHELL (BuildKit does not report
    those), a CMD where the stage chain sets an ENTRYPOINT (the CMD's words are its arguments),
    an ENTRYPOINT where it sets a CMD, a CMD on images whose entrypoint steps down to the
    service's user by the command's first word (redis, postgres, mysql…: `/bin/sh` keeps root,
    `redis-server` does not), and where a comment sits inside the instruction.
"""
from __future__ import annotations

import json
import re

from refactor.codemods._checks import error_note, gate, apply_replacements
from refactor.checks.findings import chains
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.knowledge.baseimages import drops_privileges
from refactor.syntax.edit import with_body
from refactor.syntax.nodes import Continuation, Dockerfile
from refactor.syntax.lazy_re import lazy

RULE = "JSONArgsRecommended"
# One word: plain characters and quoted strings with nothing the shell would interpret inside.
_PLAIN = r"[A-Za-z0-9_@%+=:,./-]"
_PART = lazy(rf"{_PLAIN}+|'[^']*'|\"[^\"$`\\]*\"")
# Words /bin/sh runs itself: exec form would look for a program of that name.
BUILTINS = frozenset("""
    . : [ [[ alias bg break case cd command continue do done elif else esac eval exec exit export
    fc fg fi for function getopts hash if in jobs let local read readonly return select set shift
    source test then time times trap type typeset ulimit umask unalias unset until wait while
    { } ! echo printf true false pwd kill
""".split())


def exec_words(args: str) -> list[str] | None:
    """The words `/bin/sh -c args` would run, when it is one plain command; None otherwise."""
    words: list[str] = []
    for raw in re.split(r"[ \t]+", args.strip()):
        if not raw:
            return None
        pos, out = 0, []
        while pos < len(raw):
            m = _PART.match(raw, pos)
            if m is None:
                return None
            part = m.group(0)
            out.append(part[1:-1] if part[0] in "'\"" else part)
            pos = m.end()
        words.append("".join(out))
    if not words or "=" in words[0]:
        return None  # `VAR=value cmd`: an assignment for the shell
    if words[0] == "exec" and len(words) > 1 and not words[1].startswith("-"):
        words = words[1:]
    first = words[0]
    if first in BUILTINS or first.startswith("-"):
        return None
    return words


class JsonArgsRecommended(Codemod):
    id = "json-args-recommended"
    summary = "shell-form CMD/ENTRYPOINT to exec form where no shell feature is used"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.UNSAFE
    hadolint = ("DL3025",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        repl: dict = {}  # applied at the end, in one pass
        # what each stage's chain (the stage and the stages of this file it builds on) holds,
        # and the image it builds on: read once per file (per stage it was quadratic)
        chain = chains(df)
        for stage in df.stages:
            cmds = {c: c in chain.keywords[stage.index] for c in ("SHELL", "CMD", "ENTRYPOINT")}
            for inst in stage.instructions:
                if inst.cmd not in ("CMD", "ENTRYPOINT") or inst.is_json or not g.runs(inst):
                    continue
                if not inst.args:
                    continue
                if cmds["SHELL"]:
                    ctx.skip(self, "the stage sets SHELL: the shell form runs that shell", inst)
                    continue
                other = "ENTRYPOINT" if inst.cmd == "CMD" else "CMD"
                if cmds[other]:
                    ctx.skip(self, f"the stage sets {other}: exec form would change the arguments "
                                   f"{'the ENTRYPOINT receives' if other == 'ENTRYPOINT' else 'passed on'}", inst)
                    continue
                if inst.cmd == "CMD" and not cmds["ENTRYPOINT"]:
                    root = chain.root[stage.index].base_image  # the image the stages build on
                    if root and drops_privileges(root):
                        # Its docker-entrypoint.sh steps down to the service's user only when the
                        # first argument is the server (`redis-server`), not `/bin/sh`: exec form
                        # would change the user the process runs as.
                        ctx.skip(self, f"{root}'s entrypoint picks the user from the command's first word: "
                                       "exec form would change the user the process runs as", inst)
                        continue
                if any(isinstance(p, Continuation) and p.lines for p in inst.pieces):
                    ctx.skip(self, "comment lines inside the instruction: left as written", inst)
                    continue
                words = exec_words(inst.args) if inst.escape not in inst.args else None
                if words is None:
                    ctx.skip(self, "the command uses the shell (variables, operators, quotes with "
                                   "specials, built-ins...): left in shell form", inst)
                    continue
                body = json.dumps(words, ensure_ascii=False)
                new = with_body(inst, body)
                if not new.is_json or list(new.value) != words:
                    ctx.skip(self, "the exec form would not read back as the same words", inst)
                    continue
                repl[id(inst)] = new
                ctx.edit(self, new, f"{inst.cmd} in exec form: {body}{error_note(df, RULE)}", touched=(inst,))
        return apply_replacements(df, repl)


CODEMOD = JsonArgsRecommended()

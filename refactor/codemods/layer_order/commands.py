"""Whether a shell command that runs between the broad copy and the install (or before the install
in its RUN) is independent of what the copy writes: package managers, user management, path
commands, global tool installs, downloads to absolute paths. Anything else may read the copy."""
from __future__ import annotations

import re

from refactor.codemods.layer_order.paths import _SYSTEM
from refactor.syntax.edit import body_text
from refactor.syntax.nodes import Instruction

_PKG = {"apt-get", "apt", "aptitude", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper"}
_PATH_CMDS = {"mkdir", "rm", "rmdir", "chown", "chmod", "chgrp", "ln", "touch"}
_USERADD = {"useradd", "adduser", "groupadd", "addgroup"}
_USERMOD = {"usermod", "groupmod", "userdel", "groupdel", "deluser", "delgroup"}
_NOOP = {"true", ":", "set", "ulimit", "update-ca-certificates", "ldconfig", "locale-gen", "echo", "printf", "sleep", "uname", "id", "whoami", "env"}


def _word_path(w) -> str | None:
    """The static path a word names (glob tails cut off), or None when it expands."""
    if w.has_expansion:
        return None
    text = w.value if w.value is not None else w.text
    if w.has_glob:
        parts = text.split("/")
        keep = []
        for p in parts:
            if any(ch in p for ch in "*?["):
                break
            keep.append(p)
        text = "/".join(keep) or "/"
    return text


def _independent_run(inst: Instruction, touches, roots, chown_names: bool) -> str | None:
    if inst.is_json:
        return "is in exec form"
    if inst.heredocs:
        return "has a heredoc"
    for flag in inst.flags:
        if flag.startswith("--mount") and "type=bind" in flag or flag.startswith("--mount") and "type=" not in flag:
            return "mounts files"
    from refactor.shell.parse import Opaque, parse_shell

    script = parse_shell(body_text(inst), inst.escape)
    for u in script.units():
        if isinstance(u, Opaque):
            return "has shell code this analysis does not follow"
        why = _independent_cmd(u, touches, roots, chown_names=chown_names)
        if why:
            return f"`{u.raw}` {why}"
    return None


def _independent_cmd(cmd, touches, roots, chown_names: bool = False) -> str | None:
    """None when the command neither reads nor writes what `touches` says the moved copy
    writes; else why not."""
    from refactor.shell.parse import Opaque

    if isinstance(cmd, Opaque):
        return "is shell code this analysis does not follow"
    for r in cmd.redirects:
        if r.fd_number is not None and r.operator in (">&", "<&"):
            continue
        t = r.target
        if t.value in ("/dev/null", "/dev/stdout", "/dev/stderr") or r.operator in (">&", "<&") and (t.value or "").isdigit():
            continue
        p = _word_path(t)
        if p is None or not p.startswith("/"):
            return "redirects to a relative or computed path"
        if touches(p):
            return f"writes {p}, where the copy puts files"
    for a in cmd.assignments:
        if a.has_command_substitution:
            return "runs a command substitution"
    for w in cmd.words:
        if w.has_command_substitution:
            return "runs a command substitution"
    name = (cmd.name or "").rsplit("/", 1)[-1]
    args = cmd.args
    vals = [w.value for w in args]
    if not cmd.words:
        return None
    if name in _NOOP:
        return None
    if name in _PKG:
        for w in args:
            v = w.value if w.value is not None else w.text
            if "/" in v and not v.startswith("-") or v.endswith((".deb", ".rpm", ".apk")):
                return "installs a package file"
        for p in _SYSTEM:
            if touches(p):
                return f"installs into {p}, where the copy puts files"
        return None
    if name in _USERMOD:
        return "changes users" if chown_names else _paths_ok(args, touches, ("/etc", "/home"))
    if name in _USERADD:
        for p in ("/etc", "/home", "/var"):
            if touches(p):
                return f"writes {p}, where the copy puts files"
        for w in args:
            v = w.value
            if v is not None and v.startswith("/") and touches(v):
                return f"creates {v}, where the copy puts files"
        return None
    if name in _PATH_CMDS:
        return _paths_ok(args, touches, ())
    if name in ("pip", "pip3") or re.match(r"^pip\d", name) or re.match(r"^python\d?(\.\d+)?$", name) and vals[:2] == ["-m", "pip"]:
        rest = vals[2:] if name.startswith("python") else vals
        if not rest:
            return "runs pip"
        if rest[0] in ("config", "cache"):
            return None
        if rest[0] != "install":
            return "runs pip"
        for v in rest[1:]:
            if v is None:
                return "installs a computed requirement"
            if v.startswith("-") and v.split("=")[0] in ("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-t", "--target", "--prefix", "--root", "-f", "--find-links"):
                return "reads or writes project files"
            if not v.startswith("-") and (v.startswith((".", "/", "~")) or "/" in v.split("@")[0] and "://" not in v):
                return "installs a local path"
        for p in roots:
            if p == "?" or touches(p):
                return "installs into a folder the copy writes"
        return None
    if name in ("npm", "yarn", "pnpm"):
        v = [x for x in vals if x is not None]
        glob = "-g" in v or "--global" in v or (name == "yarn" and v[:1] == ["global"])
        if (v[:2] in (["cache", "clean"], ["config", "set"]) or v[:1] == ["set"]) or (glob and (v[:1] in (["install"], ["i"], ["add"], ["global"]))):
            for p in roots:
                if p == "?" or touches(p):
                    return "installs into a folder the copy writes"
            return None
        return f"runs {name} in the project"
    if name == "corepack":
        if vals[:1] == ["enable"] or (vals[:1] == ["prepare"] and len(vals) >= 2 and vals[1] and "@" in vals[1]):
            return None
        return "reads package.json"
    if name == "gem" and vals[:1] == ["install"] and all(v is not None and not v.endswith(".gem") and "/" not in v for v in vals[1:]):
        return None
    if name in ("curl", "wget"):
        outs = [cmd.option_value("-o", "--output", value_flags=("-o", "--output")), cmd.option_value("-O", "--output-document", value_flags=("-O", "--output-document"))] if name == "wget" else [cmd.option_value("-o", "--output", value_flags=("-o", "--output"))]
        outs = [o for o in outs if o is not None]
        if name == "curl" and not outs and any(v in ("-O", "--remote-name") for v in vals):
            return "downloads into the working directory"
        if name == "wget" and not outs:
            return "downloads into the working directory"
        for o in outs:
            if o == "-" :
                continue
            if not o.startswith("/"):
                return "downloads into the working directory"
            if touches(o):
                return f"writes {o}, where the copy puts files"
        return None
    if name == "tar":
        d = cmd.option_value("-C", "--directory", value_flags=("-C", "--directory", "-f", "--file"))
        f = cmd.option_value("-f", "--file", value_flags=("-C", "--directory", "-f", "--file"))
        if d is None or not d.startswith("/") or (f not in (None, "-") and not f.startswith("/")):
            return "reads or writes relative paths"
        if touches(d):
            return f"extracts into {d}, where the copy puts files"
        return None
    if name == "git" and vals[:2] == ["config", "--global"]:
        return None
    if name == "poetry" and vals[:1] == ["config"] and "--local" not in vals:
        return None
    if name in ("pipx", "uv") and vals[:1] == ["install"] or name == "uv" and vals[:2] == ["tool", "install"]:
        return None
    return "may read the copied files"


def _paths_ok(args, touches, implicit) -> str | None:
    for p in implicit:
        if touches(p):
            return f"writes {p}, where the copy puts files"
    for w in args:
        v = w.value if w.value is not None else w.text
        if v.startswith("-"):
            continue
        if w.has_expansion:
            return "uses a computed path"
        p = _word_path(w)
        if p is None or not p.startswith("/"):
            if re.fullmatch(r"[A-Za-z0-9_.-]+(:[A-Za-z0-9_.-]+)?", v) and ":" in v:
                continue  # chown user:group
            if re.fullmatch(r"[0-7]{3,4}|[ugoa]*[+=-][rwxXst]+", v):
                continue  # chmod mode
            return "names a relative path"
        if touches(p):
            return f"touches {p}, where the copy puts files"
    return None


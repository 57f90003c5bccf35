"""What a build RUN writes: the paths each shell command creates or changes (`mkdir`, `cp`,
`mv`, `ln`, `install`, `touch`, `tee`, `sed -i`, `chmod`, `tar -x -C`, `unzip -d`, `curl -o`,
`wget -O`, `git clone`, redirections), for the multi-stage runner, which starts from another
image and so gets only what is copied into it. A command whose writes cannot be enumerated
(an installer into system folders, a path from a variable, a loop that writes outside the app
folder) yields a reason, and the codemod declines.

    writes = command_writes(cmd, cwd="/app", env={})     # -> CmdWrites
    writes.paths     # [Write("/etc/app/conf", "file"), ...]
    writes.unknown   # why the writes cannot be enumerated, or None
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from refactor.codemods.multi_stage.model import _abspath, _unquote
from refactor.knowledge.project_files import SYSTEM_DIRS
from refactor.shell.parse import Opaque, SimpleCommand
from refactor.syntax.buildkit import expand_variables
from refactor.syntax.lazy_re import lazy

# kinds of Write: "file" or "dir" (created or replaced whole), "contents" (a folder filled by an
# archive or a `cp dir/. dest`), "link" (a symbolic link: repeated, not copied), "meta" (mode
# changed in place), "owner" (ownership changed), "remove"
_DEVICES = ("/dev/", "/proc/", "/sys/")

# Installers that write into system folders in ways no command line tells.
_SYSTEM_INSTALLERS = {
    "dpkg": "installs a .deb with dpkg",
    "rpm": "installs an .rpm",
    "make": "runs `make install`",
    "cmake": "runs `cmake --install`",
    "ninja": "runs `ninja install`",
    "checkinstall": "runs checkinstall",
    "gem": "installs Ruby gems",
    "bundle": "installs Ruby gems",
    "composer": "installs PHP packages",
    "cpanm": "installs Perl modules",
    "update-alternatives": "changes system alternatives",
    "locale-gen": "generates locales",
    "localedef": "generates locales",
    "dpkg-reconfigure": "reconfigures a package",
    "systemctl": "changes system services",
    "setcap": "sets file capabilities",
}

_VALUE_FLAGS = {
    "cp": ["-t", "--target-directory", "-S", "--suffix"],
    "mv": ["-t", "--target-directory", "-S", "--suffix"],
    "install": ["-m", "--mode", "-o", "--owner", "-g", "--group", "-t", "--target-directory", "-S", "--suffix"],
    "mkdir": ["-m", "--mode"],
    "ln": ["-t", "--target-directory", "-S", "--suffix"],
    "chmod": ["--reference"],
    "chown": ["--reference", "--from"],
    "touch": ["-d", "--date", "-r", "--reference", "-t"],
    "tee": [],
}


@dataclass(frozen=True)
class Write:
    """A path a command writes in the image, and how."""
    path: str  # absolute; may end in a glob (`/etc/x/*.conf`)
    kind: str


@dataclass
class CmdWrites:
    """What a command writes, or why that cannot be told."""
    paths: list[Write] = field(default_factory=list)
    unknown: str | None = None  # a reason: the writes cannot be enumerated
    link: bool = False  # the command makes symbolic links (repeat it in the runner)


def word_value(w, env: dict[str, str]) -> str | None:
    """A word's value with variables from `env` substituted and globs kept; None when it
    depends on the build (command substitution, unknown variable)."""
    v = w.value
    if v is not None:
        return v
    if w.has_command_substitution:
        return None
    text = _unquote(w.text)
    if "$" in text:
        text = expand_variables(text, env)
    return text


def _is_dir_like(path: str) -> bool:
    """A destination that is (very likely) an existing folder: written with a trailing slash,
    or a system folder every image has."""
    return path.endswith("/") or path.rstrip("/") in SYSTEM_DIRS or path in ("/usr/local/share",)


def _copy_targets(srcs: list[str], dest: str, cwd: str, dest_dir_known: bool) -> list[Write]:
    d = _abspath(dest, cwd)
    out = []
    if dest_dir_known or len(srcs) > 1 or _is_dir_like(dest):
        for s in srcs:
            base = posixpath.basename(s.rstrip("/"))
            if base in (".", ""):
                out.append(Write(d, "contents"))
            else:
                out.append(Write(posixpath.join(d, base), "file"))
        return out
    s = srcs[0] if srcs else ""
    return [Write(d, "contents" if posixpath.basename(s.rstrip("/")) in (".", "") else "file")]


def command_writes(cmd: SimpleCommand, cwd: str, env: dict[str, str], known_dirs: set[str]) -> CmdWrites:
    """The paths `cmd` (run in `cwd`) writes; `known_dirs`: folders earlier commands created."""
    out = CmdWrites()
    for r in cmd.redirects:
        if r.operator in (">", ">>", ">|", "&>", "&>>"):
            t = word_value(r.target, env)
            if t is None:
                out.unknown = f"`{cmd.raw.strip()[:60]}` writes to a file named by the build"
                return out
            p = _abspath(t, cwd)
            if not p.startswith(_DEVICES) and p != "/dev/null":
                out.paths.append(Write(p, "file"))
    name = (cmd.name or "").rsplit("/", 1)[-1]
    if not cmd.words or not name:
        return out
    if name in ("composer", "composer.phar"):
        sub = cmd.subcommand()
        if sub is not None and sub.value in ("global", "self-update", "selfupdate"):
            out.unknown = f"`{cmd.raw.strip()[:60]}` installs PHP packages outside the project: its files are not enumerable"
        return out  # a project command: it writes the project's vendor/, in the app folder
    if name in _SYSTEM_INSTALLERS:
        sub = cmd.subcommand()
        if name not in ("make", "cmake", "ninja") or (sub is not None and sub.value == "install") or cmd.has_flag("--install"):
            out.unknown = f"`{cmd.raw.strip()[:60]}` {_SYSTEM_INSTALLERS[name]}: its files are not enumerable"
            return out
        return out
    vf = _VALUE_FLAGS.get(name)
    args = [word_value(w, env) for w in cmd.args_without_flags(value_flags=vf)] if vf is not None else []
    if vf is not None and any(a is None for a in args):
        out.unknown = f"`{cmd.raw.strip()[:60]}` writes to a path from a variable"
        return out
    if name == "mkdir":
        out.paths += [Write(_abspath(a, cwd), "dir") for a in args]
    elif name == "touch":
        out.paths += [Write(_abspath(a, cwd), "file") for a in args]
    elif name == "tee":
        out.paths += [Write(_abspath(a, cwd), "file") for a in args]
    elif name in ("cp", "mv", "install"):
        target = cmd.option_value("-t", "--target-directory", value_flags=vf)
        if name == "install" and cmd.has_flag("-d", "--directory", value_flags=vf):
            out.paths += [Write(_abspath(a, cwd), "dir") for a in args]
        elif target is not None:
            out.paths += _copy_targets(args, target + "/", cwd, True)
        elif len(args) >= 2:
            dest = args[-1]
            out.paths += _copy_targets(args[:-1], dest, cwd, _abspath(dest, cwd) in known_dirs)
            if name == "mv":
                out.paths += [Write(_abspath(a, cwd), "remove") for a in args[:-1]]
    elif name == "ln":
        out.link = True
        target = cmd.option_value("-t", "--target-directory", value_flags=vf)
        if target is not None:
            out.paths += [Write(posixpath.join(_abspath(target, cwd), posixpath.basename(a)), "link") for a in args]
        elif len(args) == 1:
            out.paths.append(Write(_abspath(posixpath.basename(args[0]), cwd), "link"))
        elif len(args) >= 2:
            dest = args[-1]
            d = _abspath(dest, cwd)
            if len(args) > 2 or dest.endswith("/") or d in known_dirs:
                out.paths += [Write(posixpath.join(d, posixpath.basename(a)), "link") for a in args[:-1]]
            else:
                out.paths.append(Write(d, "link"))
    elif name in ("chmod", "chown", "chgrp"):
        kind = "meta" if name == "chmod" else "owner"
        out.paths += [Write(_abspath(a, cwd), kind) for a in args[1:]]
    elif name == "rm":
        vals = [word_value(w, env) for w in cmd.args_without_flags()]
        if any(v is None for v in vals):
            out.unknown = f"`{cmd.raw.strip()[:60]}` removes a path from a variable"
            return out
        out.paths += [Write(_abspath(v, cwd), "remove") for v in vals]
    elif name == "sed":
        if cmd.has_flag("-i", "--in-place") or any((w.value or "").startswith(("-i", "--in-place")) for w in cmd.args):
            vals = [word_value(w, env) for w in cmd.args_without_flags(value_flags=["-e", "--expression", "-f", "--file"])]
            files = vals if (cmd.has_flag("-e", "--expression", "-f", "--file")) else vals[1:]
            if any(v is None for v in files):
                out.unknown = f"`{cmd.raw.strip()[:60]}` edits a file named by a variable"
                return out
            out.paths += [Write(_abspath(v, cwd), "file") for v in files]
    elif name in ("curl", "wget"):
        if name == "curl":
            if cmd.has_flag("-O", "--remote-name", "--remote-name-all") and cmd.option_value("-o", "--output") is None:
                out.unknown = f"`{cmd.raw.strip()[:60]}` saves under the name the server gives"
                return out
            o = cmd.option_value("-o", "--output")
        else:
            o = cmd.option_value("-O", "--output-document")
            p = cmd.option_value("-P", "--directory-prefix")
            if p is not None and o is None:
                out.paths.append(Write(_abspath(p, cwd), "contents"))
        if o is not None and o != "-":
            out.paths.append(Write(_abspath(o, cwd), "file"))
    elif name in ("tar", "bsdtar"):
        first = (cmd.args[0].value or "") if cmd.args else ""
        extract = cmd.has_flag("-x", "--extract", "--get") or (not first.startswith("-") and "x" in first)
        if extract:
            d = cmd.option_value("-C", "--directory", value_flags=["-C", "--directory", "-f", "--file"])
            if d is not None:
                out.paths.append(Write(_abspath(d, cwd), "contents"))
    elif name == "unzip":
        d = cmd.option_value("-d", value_flags=["-d"])
        if d is not None:
            out.paths.append(Write(_abspath(d, cwd), "contents"))
    elif name == "git":
        sub = cmd.subcommand()
        if sub is not None and sub.value == "clone":
            rest = [word_value(w, env) for w in cmd.args_without_flags(value_flags=["-b", "--branch", "--depth", "-o", "--origin", "-c", "--config"])[1:]]
            if any(v is None for v in rest) or not rest:
                out.unknown = f"`{cmd.raw.strip()[:60]}` clones into a folder named by a variable"
                return out
            dest = rest[1] if len(rest) > 1 else posixpath.basename(rest[0].rstrip("/")).removesuffix(".git")
            out.paths.append(Write(_abspath(dest, cwd), "dir"))
    return out


_ABS_PATH = lazy(r"(?<![\w.$}-])(/(?:etc|usr|opt|var|srv|home|root|lib|lib64|bin|sbin|data|app|run|mnt|media)(?:/[\w.@+*-]+)*)/?")
_WRITE_WORDS = lazy(r">|\b(?:cp|mv|ln|mkdir|tee|install|touch|chmod|chown|tar|unzip|curl|wget|sed|rm|git)\b")


def opaque_outside_paths(unit: Opaque) -> list[str]:
    """Absolute paths a loop/conditional mentions, when it also runs a writing command: the
    codemod cannot tell which of them it writes."""
    raw = unit.raw
    if not _WRITE_WORDS.search(raw):
        return []
    return [m.group(1) for m in _ABS_PATH.finditer(raw)]

"""Which files a dependency-install command reads: `scan` reads a RUN's commands in order,
following `cd`, and asks each ecosystem module whether a command is one of its installs.

    from refactor.knowledge.ecosystems import install_steps
    for step in install_steps(run_instruction, build_context):
        step.ecosystem, step.manifests      # 'npm', ('package.json', 'package-lock.json')
        step.self_contained                 # True: the step reads nothing but its manifests
        step.problems                       # why not, for the user

A step is *self-contained* when running it with only `manifests` present gives the same result
as running it in the full source tree: every file it reads is listed (lock files, package-manager
configuration, nested requirement files, workspace manifests), none is missing from the build
context, and nothing else is read (no lifecycle scripts, no local path dependencies, no install of
the project itself). `outputs` are the paths the step writes inside the project (node_modules,
.venv, vendor): a later copy of the sources must not bring those. `rewrites` are manifests the
step may itself rewrite (`npm install` and package-lock.json), so a copy of the sources after it
would restore the context's version.

Paths: a step's paths are build-context paths (`frontend/package.json`). `resolve` maps a path as
the RUN sees it (relative to the RUN's working directory, after any `cd`, or absolute) to a
context path, or None when it does not come from the context. By default the RUN's working
directory is the context root.

Knowledge sources: npm docs (scripts: `npm ci`/`npm install` run preinstall, install,
postinstall, prepublish, preprepare, prepare, postprepare and dependencies for the root
project), pip's requirements-file format (nested `-r`/`-c` paths are relative to the file that
names them), Poetry (`--no-root`, `package-mode = false`), uv (`--no-install-project`), Bundler,
Composer (scripts and the autoloader dump), Go (`replace` to a local path, go.work), Maven
(`<modules>`), Gradle (build scripts are code).
"""
from __future__ import annotations

import re
from importlib import import_module
from typing import TYPE_CHECKING

from refactor.knowledge.context import go_clean

if TYPE_CHECKING:
    from refactor.knowledge.context import BuildContext
    from refactor.shell.parse import ShellScript, SimpleCommand
    from refactor.syntax.nodes import Instruction
from refactor.knowledge.ecosystems.steps import (
    CommandInfo,
    InstallStep,
    Resolver,
    basename,
    join_cwd,
)


def install_steps(
    run: "Instruction | str | ShellScript",
    context: "BuildContext | None",
    resolve: Resolver | None = None,
) -> list[InstallStep]:
    """The dependency-install steps in a RUN (shell form), with what each reads."""
    return [c.step for c in scan(run, context, resolve) if c.step is not None]


def scan(
    run: "Instruction | str | ShellScript",
    context: "BuildContext | None",
    resolve: Resolver | None = None,
) -> list[CommandInfo]:
    """Every command of a RUN with its working directory and, for installs, the step."""
    from refactor.shell.parse import Opaque, ShellScript, SimpleCommand, parse_shell

    if resolve is None and not isinstance(run, (str, ShellScript)):
        # nodes are immutable: with the default resolver the answer is the instruction's and the
        # context's alone, and an unchanged RUN is asked again each round
        from refactor.syntax.edit import body_text

        memo = run._memo
        key = ("scan", context)
        if key in memo:
            return list(memo[key])
        found = () if run.is_json or run.heredocs else _scan_text(body_text(run), run.escape, context)
        memo[key] = found
        return list(found)
    if isinstance(run, ShellScript):
        script = run
    elif isinstance(run, str):
        script = parse_shell(run)
    else:
        if run.is_json or run.heredocs:
            return []
        from refactor.syntax.edit import body_text

        script = parse_shell(body_text(run), run.escape)
    resolve = resolve or default_resolver
    out: list[CommandInfo] = []
    cwd: str | None = ""
    generated: set[str] = set()
    items = script.items
    units = [x for x in items if isinstance(x, (SimpleCommand, Opaque))]
    at = {id(x): i for i, x in enumerate(items)}  # a unit's place: searching per unit is quadratic
    for idx, unit in enumerate(units):
        op_after = _operator_after(items, unit, at)
        if isinstance(unit, Opaque):
            out.append(CommandInfo(unit, idx, cwd, None, "opaque"))
            cwd = None if _mentions_cd(unit.raw) else cwd
            continue
        name = basename(unit.name)
        if name in ("cd", "pushd", "popd"):
            args = unit.arg_values
            new = None
            if name == "cd" and len(args) == 1 and args[0] is not None and cwd is not None:
                new = join_cwd(cwd, args[0])
            in_pipeline = op_after in ("|", "|&") or _operator_before(items, unit, at) in ("|", "|&")
            out.append(CommandInfo(unit, idx, cwd, None, "cd"))
            if not in_pipeline:
                cwd = new
            continue
        step = _probe(unit, idx, cwd, context, resolve, generated)
        out.append(CommandInfo(unit, idx, cwd, step, "install" if step is not None else "other"))
    return out


def _scan_text(body: str, escape: str, context: "BuildContext | None") -> tuple[CommandInfo, ...]:
    """scan() of a RUN body with the default resolver, kept with the (cached) parse of the text:
    the answer is the text's and the context's alone."""
    from refactor.shell.parse import parse_shell

    script = parse_shell(body, escape)
    key = ("scan", context)
    found = script._memo.get(key)
    if found is None:
        found = script._memo[key] = tuple(scan(script, context, default_resolver))
    return found


def may_install(text: str) -> bool:
    """Whether shell text can hold a command `scan` reads as an install: an installer's name
    is in it, once quotes and escape characters are taken out (`"n"pm ci` runs npm). False is
    certain; a RUN without one needs no parse to tell."""
    bare = text.translate(_UNQUOTE)
    return any(name in bare for name in _INSTALLER_MODULE)


_UNQUOTE = str.maketrans("", "", "\"'`\\")


def default_resolver(path: str) -> str | None:
    """The RUN's working directory is the context root."""
    if path.startswith("/") or path.startswith("~") or "$" in path:
        return None
    c = go_clean(path)
    if c == ".." or c.startswith("../"):
        return None
    return "" if c == "." else c


def _operator_after(items, unit, at: dict[int, int]) -> str | None:
    i = at.get(id(unit))
    if i is None or i + 1 >= len(items):
        return None
    return getattr(items[i + 1], "op", None)


def _operator_before(items, unit, at: dict[int, int]) -> str | None:
    i = at.get(id(unit))
    if i is None or i == 0:
        return None
    return getattr(items[i - 1], "op", None)


def _mentions_cd(text: str) -> bool:
    return re.search(r"(^|[\s;&|(])(cd|pushd|popd)(\s|$)", text) is not None


_PIP_NAME = re.compile(r"^pip(\d+(\.\d+)?)?$")


_PY_NAME = re.compile(r"^python(\d+(\.\d+)?)?$")


def _tool_and_args(cmd: "SimpleCommand") -> tuple[str, list[str | None]]:
    name = basename(cmd.name)
    args = list(cmd.arg_values)
    if _PY_NAME.match(name) and len(args) >= 2 and args[0] == "-m" and args[1]:
        return basename(args[1]), args[2:]
    if name == "corepack" and args and args[0] in ("yarn", "pnpm", "npm"):
        return args[0], args[1:]
    if name == "uv" and args and args[0] == "pip":
        return "uv-pip", args[1:]
    if _PIP_NAME.match(name):
        return "pip", args
    if name in ("mvnw", "gradlew"):
        return name[:-1] if name == "mvnw" else "gradle", args
    return name, args


def _probe(cmd, index, cwd, context, resolve, generated) -> InstallStep | None:
    tool, args = _tool_and_args(cmd)
    module = _INSTALLER_MODULE.get(tool)
    if module is None:
        return None
    fn = _installers.get(tool)
    if fn is None:  # imported once, on first use (import_module per command was 10% of a big file)
        fn = _installers[tool] = import_module(f"refactor.knowledge.ecosystems.{module}").INSTALLERS[tool]
    return fn(cmd, args, index, cwd, context, resolve, generated)


_installers: dict = {}


# Install tool -> the ecosystem module whose INSTALLERS reads it, imported when a RUN uses the
# tool (tests/test_startup.py holds this equal to the modules' INSTALLERS).
_INSTALLER_MODULE = {
    "npm": "node", "yarn": "node", "pnpm": "node",
    "pip": "python", "uv-pip": "python", "uv": "python", "poetry": "python", "pdm": "python",
    "pipenv": "python", "conda": "python", "mamba": "python", "micromamba": "python",
    "go": "go",
    "cargo": "rust",
    "bundle": "ruby", "bundler": "ruby",
    "composer": "php",
    "mvn": "java", "mvnw": "java", "gradle": "java", "gradlew": "java",
}

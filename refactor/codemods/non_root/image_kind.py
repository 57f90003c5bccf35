"""Images that are not an app but a base for other images: a start command that is a shell or
a bare interpreter (a REPL), alone or behind an official-image style `docker-entrypoint.sh`; no
start command of the file's own (none in the final stage's chain, or `ENTRYPOINT [""]` that
leaves the base image's); ONBUILD triggers; a file named as a base image. A USER line there makes
every image built FROM them run its RUN steps (`apt-get install`...) as the new user."""
from __future__ import annotations

import dataclasses
import os
import posixpath
import re
from pathlib import Path

from refactor.codemods.non_root.steps import INIT_WRAPPERS, Decline, inside, resolve, script_commands, walk
from refactor.knowledge import baseimages as bi
from refactor.knowledge import stage_images as si
from refactor.knowledge.context import git_top, real_path
from refactor.syntax.lazy_re import lazy

# Shells a container is started into for interactive use.
SHELL_NAMES = frozenset("sh bash ash dash zsh ksh mksh fish tcsh csh pwsh powershell nu".split())
# Interpreters that, given no program, start a REPL (or read one from stdin).
_REPL = lazy(
    r"(?:node|nodejs|deno|python[\d.]*|pypy[\d.]*|ipython[\d.]*|bpython|ptpython|irb|pry|ruby|"
    r"jruby|php[\d.]*|psysh|jshell|perl|lua[\d.]*|luajit|R|julia|ghci|iex|erl|scala|amm|groovysh|"
    r"clj|clojure|racket|guile|sbcl|ocaml|utop|swift|tclsh[\d.]*|kotlinc|dotnet-script)"
)
# Flags that give an interpreter its program inline or by module (`python -m x`, `node -e`).
_PROGRAM_FLAGS = frozenset(
    "-c -m -e -r -p -x -E --eval --print --run --command --module -jar --jar --exec -f --file".split()
)
# What a runtime image's default command gives its interpreter instead of a program.
_DEMO_ARGS = frozenset({"eval", "repl", "--version", "-v", "-V", "version", "--help", "-h", "help"})
# A console started as a command: `rails console`, `bin/rails c`, `bundle exec irb`.
_CONSOLES = {"rails": {"console", "c"}, "iex": set(), "flask": {"shell"}}
_SCRIPTISH = lazy(r"(?:\.sh|\.bash)$|entrypoint|docker-[a-z]+-entrypoint", re.I)


def interactive(argv: list[str]) -> str | None:
    """What a start argv opens for interactive use ("a shell (`bash`)", "a bare interpreter
    (`node`)"), or None when it runs a program. Init wrappers (tini, dumb-init) and an
    entrypoint script in front of the command (official-image style: `docker-entrypoint.sh`
    execs its arguments) are looked through."""
    words = list(argv)
    while words and posixpath.basename(words[0]) in INIT_WRAPPERS:
        words = words[1:]
        while words and words[0].startswith("-"):
            done = words[0] == "--"
            words = words[1:]
            if done:
                break
    if len(words) >= 2 and _SCRIPTISH.search(posixpath.basename(words[0])):
        words = words[1:]  # `docker-entrypoint.sh node`: the script execs what follows
    if not words:
        return None
    name = posixpath.basename(words[0])
    rest = words[1:]
    if name == "env":
        rest = [w for w in rest if "=" not in w and not w.startswith("-")]
        return interactive(rest) if rest else None
    positional = [w for w in rest if not w.startswith("-")]
    flags = {w.split("=", 1)[0] for w in rest if w.startswith("-")}
    if name in SHELL_NAMES:
        if "-c" in flags or any(re.fullmatch(r"-[a-z]*c[a-z]*", f) for f in flags) or positional:
            return None
        return f"a shell (`{' '.join(words)}`)"
    if name in _CONSOLES and positional[:1] and positional[0] in _CONSOLES[name]:
        return f"a console (`{' '.join(words)}`)"
    if _REPL.fullmatch(name):
        first = rest[0] if rest else None
        if first in _DEMO_ARGS or (first in ("-e", "-p", "--eval", "--print") and name in ("node", "nodejs", "deno", "bun")):
            # `deno eval "console.log('Welcome')"`, `node --version`: a runtime image's demo
            return f"an interpreter with a demo command (`{' '.join(words)[:60]}`)"
        if flags & _PROGRAM_FLAGS or positional:
            return None
        return f"a bare interpreter (`{' '.join(words)}`)"
    return None


class ImageKind:
    """The base-image checks of `Analysis` (see analysis.py)."""

    def read_copied_root(self) -> None:
        """`FROM scratch` + `COPY --from=x / /` is not an empty scratch image: it is x's root
        filesystem (x's family, x's users, x's packages); `COPY --from=x /etc/passwd ...` gives
        it x's users. Sets `family`, `ref`, `copied_steps`, `passwd_from`."""
        by_name = {st.name.lower(): st for st in self.df.stages if st.name}
        for step in self.all_steps:
            inst = step.inst
            src = inst.flag_value("from") if inst.cmd in ("COPY", "ADD") else None
            if src is None or len(inst.value) < 2:
                continue
            paths = {posixpath.normpath(v) for v in inst.value[:-1]}
            whole = "/" in paths
            passwd = bool(paths & {"/etc/passwd", "/etc", "/etc/group"})
            if not (whole or passwd):
                continue
            stage = by_name.get(src.lower()) or (self.df.stages[int(src)] if src.isdigit() and int(src) < len(self.df.stages) else None)
            if stage is not None:
                chain = si.stage_chain(self.df, stage)
                self.copied_steps = [dataclasses.replace(s, final=False) for s in walk(self.df, chain)[0]]
                fam, ref = si.stage_family(self.df, stage), si.root_image(self.df, stage)
            else:
                ref = bi.parse_image(src)
                fam = bi.image_family(ref)
            if fam in (bi.Family.UNKNOWN, bi.Family.WINDOWS):
                raise Decline(f"the scratch stage copies {'the root filesystem' if whole else '/etc/passwd'} of "
                              f"`{src}`, whose OS family is unknown", inst)
            self.users_family = fam
            if whole:
                self.family, self.ref = fam, ref
            else:
                self.passwd_from = src

    def start_argvs(self) -> list[list[str]] | None:
        """The argvs the container starts (one per simple command of a shell-form start, whose
        words are all literal); [] when the file sets no start command of its own; None when
        some word is not literal."""
        entry = next((i for i in self.start_insts() if i.cmd == "ENTRYPOINT"), None)
        cmd = next((i for i in self.start_insts() if i.cmd == "CMD"), None)
        if entry is not None and entry.is_json and not any(v.strip() for v in entry.value):
            entry = None  # `ENTRYPOINT [""]`/`[]`: the base image's CMD runs alone
        if entry is not None and cmd is not None and entry.is_json and cmd.is_json:
            return [list(entry.value) + list(cmd.value)]
        start = entry if entry is not None else cmd
        if start is None:
            return []
        if start.is_json:
            return [list(start.value)]
        out = []
        cmds = script_commands(start.value[0] if start.value else "", start.escape)[0]
        if not cmds:
            return None  # text the shell cannot read (`["npm", "start]`)
        for c in cmds:
            words = [w.value for w in c.words]
            if any(w is None for w in words):
                return None
            out.append(words)
        return out

    def check_image_kind(self) -> None:
        onbuild = [i for i in self.insts if i.cmd == "ONBUILD"]
        if onbuild:
            raise Decline("ONBUILD triggers would run as the new user in the images built on this one", onbuild[0])
        starts = self.start_insts()
        if not starts:
            raise Decline("no CMD or ENTRYPOINT: a base or tool image, whose users' RUN steps would run as the new user")
        for inst in starts:
            if not inst.is_json and not self.commands(inst)[0]:
                raise Decline(f"cannot read the start command `{inst.value[0] if inst.value else ''}`", inst)
        argvs = self.start_argvs()
        if argvs == []:
            raise Decline("`ENTRYPOINT [\"\"]` and no CMD: the base image's own command runs (a shell or "
                          "interpreter): a base for other images", starts[0])
        for argv in argvs or ():
            what = interactive(argv)
            if what:
                inst = starts[-1]
                raise Decline(f"the image starts {what}: a base, shell or interpreter image, whose users' "
                              "RUN steps would run as the new user", inst)
        self._check_setup_entrypoint()
        name = (self.ctx.path.name if self.ctx.path else "").lower()
        if re.search(r"(?:^|[-_.])base(?:[-_.]|$)", name) or (self.ctx.path and self.ctx.path.parent.name.lower() == "base"):
            raise Decline(f"`{self.ctx.path.name}` is named as a base image, whose users' RUN steps would run as the new user")
        folder = test_folder(self.ctx.path)
        if folder:
            raise Decline(f"the Dockerfile is under `{folder}/`, test infrastructure: the tests that build it may "
                          "check the user it runs as (kamal's integration tests expect root)")

    def _check_mount_point(self) -> None:
        """A working folder nothing fills (no COPY/ADD into it, no RUN in it) is where the user
        mounts their files (`docker run -v $PWD:/src/site`): a new user cannot write a host folder
        owned by another uid."""
        if not self.dedicated:
            return
        def near(path: str | None) -> bool:
            """The path is the folder, inside it, or a parent (not /) whose content may make it."""
            return path is None or inside(path, self.app_dir) or (path != "/" and inside(self.app_dir, path))

        for s in self.all_steps:
            inst = s.inst
            if inst.cmd in ("COPY", "ADD") and len(inst.value) >= 2 and near(resolve(inst.value[-1], s.cwd, s.env)):
                return
            if inst.cmd == "RUN" and s.cwd is not None and near(s.cwd):  # None: no WORKDIR yet, "/"
                return
        workdir = next((s.inst for s in reversed(self.all_steps) if s.inst.cmd == "WORKDIR"), None)
        raise Decline(f"nothing is copied into or built in the working folder {self.app_dir}: it is where the "
                      "user's files are mounted, which a new user may not be able to write", workdir)

    def _check_setup_entrypoint(self) -> None:
        """An entrypoint that only sets up an environment (`source /opt/ros/setup.bash`,
        `exec "$@"`) with a bare tool as CMD (`gzserver`) is an official-style base image: images
        built FROM it install more (`RUN apt-get install`)."""
        entry = next((i for i in self.start_insts() if i.cmd == "ENTRYPOINT"), None)
        cmd = next((i for i in self.start_insts() if i.cmd == "CMD"), None)
        if entry is None or cmd is None or not entry.is_json or not cmd.is_json:
            return
        if len(entry.value) != 1 or len(cmd.value) != 1:
            return
        text = self._script_text(entry.value[0])
        if text and re.search(r'exec\s+"\$@"', text) and re.search(r"^\s*(?:source|\.)\s+\S*setup", text, re.M):
            raise Decline(f"the entrypoint `{entry.value[0]}` only sets up an environment and runs its arguments, with "
                          f"`{cmd.value[0]}` as CMD: a base image, whose users' RUN steps would run as the new user", entry)


# Folders whose Dockerfiles build images for a project's own tests.
_TEST_FOLDERS = frozenset({"test", "tests", "testing", "integration", "integration-tests", "integration_tests",
                           "e2e", "__tests__"})


def test_folder(path) -> str | None:
    """The test folder a Dockerfile lives under, counted inside its repository (the nearest folder
    with `.git`) or, without one, inside the working directory; None otherwise."""
    if path is None:
        return None
    try:
        p = Path(path)
        if p.name not in ("", "..") and not os.path.islink(p):
            # its folder resolved (the build context's, resolved already), then its name: the
            # same path, as a name that is not a link is kept as it is (os.path.realpath)
            here = real_path(p.parent) / p.name
        else:
            here = real_path(p)
    except OSError:
        return None
    top = git_top(here.parent)
    if top is None:
        cwd = real_path(Path.cwd())
        top = cwd if cwd in here.parents else None
    if top is None:
        return None
    parts = here.relative_to(top).parts[:-1]
    for i, part in enumerate(parts):
        if part.lower() in _TEST_FOLDERS:
            return "/".join(parts[: i + 1])
    return None

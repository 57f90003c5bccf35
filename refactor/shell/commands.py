"""Commands of a shell script: `SimpleCommand` (assignments, words and redirects, with the
wrapper and option knowledge that finds a command's real name, subcommand and flags), the
`Operator`s and `Redirect`s between them, `Opaque` text the grammar does not model, and
`Compound` commands (if, loops, case, groups, subshells, functions) cut into their bodies."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional, Union

from refactor.shell.lexer import (
    LIT,
)
from refactor.shell.words import _NO_SPAN, Assignment, Node, Span, Word
from refactor.syntax.lazy_re import lazy


@dataclass(frozen=True, slots=True)
class _Token(Node):
    """A token that is its text: `leading` trivia, then `text`."""

    leading: str
    text: str
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def code(self) -> str:
        return self.leading + self.text

    @property
    def raw(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Leaf(_Token):
    """A punctuation token inside a command: a redirection operator, its fd number, or `!`."""


@dataclass(frozen=True, slots=True)
class Operator(_Token):
    """A control operator between units: `&&`, `||`, `|`, `|&`, `;`, `&` or a newline."""

    @property
    def op(self) -> str:
        """The operator, with a CRLF newline normalised to "\\n"."""
        return "\n" if self.text == "\r\n" else self.text

    @property
    def is_separator(self) -> bool:
        """`;`, `&` or newline: ends an and-or list."""
        return self.op in (";", "&", "\n")

    @property
    def is_pipe(self) -> bool:
        return self.text in ("|", "|&")


@dataclass(frozen=True, slots=True)
class Redirect(Node):
    """`[fd]op target`: `> file`, `2>&1`, `>/dev/null`, `<<< word`."""

    fd: Optional[Leaf]
    op: Leaf
    target: Word
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def leading(self) -> str:
        return self.fd.leading if self.fd is not None else self.op.leading

    @property
    def code(self) -> str:
        return (self.fd.code if self.fd is not None else "") + self.op.code + self.target.code

    @property
    def raw(self) -> str:
        return self.code[len(self.leading) :]

    @property
    def fd_number(self) -> Optional[int]:
        return int(self.fd.text) if self.fd is not None else None

    @property
    def operator(self) -> str:
        return self.op.text


Element = Union[Assignment, Word, Redirect]


@dataclass(frozen=True)
class _WrapperSpec:
    """How a wrapper command (env, sudo, gosu, timeout) is followed by the command it runs."""
    value_flags: frozenset[str] = frozenset()
    assignments: bool = False  # accepts NAME=value before the command (env, sudo)
    positional: int = 0  # operands before the command (gosu USER, timeout DURATION)


def _spec(value_flags: Iterable[str] = (), assignments: bool = False, positional: int = 0):
    return _WrapperSpec(frozenset(value_flags), assignments, positional)


# Commands that run another command: `cmd.name` looks through them.
WRAPPERS: dict[str, _WrapperSpec] = {
    "sudo": _spec(
        "-u --user -g --group -C --close-from -D --chdir -h --host -p --prompt -r --role -t "
        "--type -U --other-user -T --command-timeout -R --chroot".split(),
        assignments=True,
    ),
    "doas": _spec(["-u", "-C"]),
    "env": _spec("-u --unset -C --chdir -S --split-string".split(), assignments=True),
    "command": _spec(),
    "builtin": _spec(),
    "exec": _spec(["-a"]),
    "nohup": _spec(),
    "time": _spec("-f --format -o --output".split()),
    "nice": _spec(["-n", "--adjustment"]),
    "timeout": _spec("-s --signal -k --kill-after".split(), positional=1),
    "stdbuf": _spec("-i -o -e --input --output --error".split()),
    "eatmydata": _spec(),
    "gosu": _spec(positional=1),
    "su-exec": _spec(positional=1),
}


_APT = "-o --option -c --config-file -t --target-release --default-release".split()


_YUM = (
    "-c --config --installroot --releasever --setopt -x --exclude --enablerepo --disablerepo "
    "--repo --repoid -d --debuglevel -e --errorlevel".split()
)


_PIP = (
    "-r --requirement -c --constraint -e --editable -i --index-url --extra-index-url -f "
    "--find-links --log --proxy --retries --timeout --cache-dir -t --target --prefix --root "
    "--src --python --platform --python-version --implementation --abi --progress-bar "
    "--trusted-host --upgrade-strategy --no-binary --only-binary --exists-action --cert "
    "--client-cert --global-option --config-settings -C --report".split()
)


# Options that take a separate value word, per command: used by flags()/args_without_flags()/
# subcommand() so that `apt-get -o X=Y install` has subcommand `install`.
VALUE_FLAGS: dict[str, frozenset[str]] = {
    "apt-get": frozenset(_APT),
    "apt": frozenset(_APT),
    "apt-cache": frozenset(_APT),
    "apk": frozenset(
        "-X --repository -p --root --repositories-file --keys-dir --cache-dir -t --virtual "
        "--arch".split()
    ),
    "yum": frozenset(_YUM),
    "dnf": frozenset(_YUM),
    "microdnf": frozenset(_YUM),
    "tdnf": frozenset(_YUM),
    "zypper": frozenset("-R --root -D --reposd-dir -C --cache-dir".split()),
    "pip": frozenset(_PIP),
    "pip3": frozenset(_PIP),
    "npm": frozenset("--prefix --registry --cache -w --workspace".split()),
    "yarn": frozenset("--cwd --cache-folder --modules-folder --network-timeout --mutex".split()),
    "gem": frozenset("-v --version -i --install-dir -n --bindir -s --source".split()),
    "git": frozenset("-C -c --git-dir --work-tree --namespace".split()),
    "curl": frozenset(
        "-o --output -H --header -d --data -u --user -X --request -A --user-agent -e --referer "
        "-T --upload-file --retry --retry-delay --retry-max-time --connect-timeout -m "
        "--max-time --proto --proto-redir -w --write-out -x --proxy --cacert -b --cookie -c "
        "--cookie-jar -F --form -r --range -y -Y --output-dir".split()
    ),
    "wget": frozenset(
        "-O --output-document -P --directory-prefix -o --output-file -a --append-output -t "
        "--tries -T --timeout -U --user-agent --header -e --execute".split()
    ),
    "tar": frozenset("-f --file -C --directory -T --files-from -X --exclude-from".split()),
    "useradd": frozenset(
        "-u --uid -g --gid -G --groups -d --home-dir -s --shell -c --comment -k --skel -e "
        "--expiredate -f --inactive -K --key -p --password -R --root -Z".split()
    ),
    "groupadd": frozenset("-g --gid -K --key -p --password -R --root".split()),
}


def _flag_text(w: Word) -> Optional[str]:
    """The option text of `w` when it looks like an option (`-y`, `--opt=$X`), else None."""
    v = w.value
    if v is None:
        if w.parts and w.parts[0].kind == LIT and w.parts[0].text.startswith("-"):
            v = w.text
        else:
            return None
    if len(v) > 1 and v.startswith("-"):
        return v
    return None


def _option_names(flag: str, value_flags: frozenset[str]) -> tuple[list[str], bool]:
    """Names in one option word and whether it consumes the next word as its value.
    `--opt=v` -> ['--opt']; `-yq` -> ['-y', '-q']; `-oFoo` (with -o taking a value) -> ['-o']."""
    if flag.startswith("--"):
        name, eq, _ = flag.partition("=")
        return [name], (not eq and name in value_flags)
    names = []
    for k, ch in enumerate(flag[1:], start=1):
        name = "-" + ch
        names.append(name)
        if name in value_flags:
            return names, k == len(flag) - 1
    return names, False


@dataclass(frozen=True, slots=True)
class SimpleCommand(Node):
    """`[! ] [NAME=value ...] word ... [redirections]` with its elements in source order."""

    elements: tuple[Element, ...]
    bang: Optional[Leaf] = None
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False, hash=False)

    @property
    def leading(self) -> str:
        if self.bang is not None:
            return self.bang.leading
        return self.elements[0].leading if self.elements else ""

    @property
    def code(self) -> str:
        # Kept: a command of thousands of words is asked for its text many times.
        code = self._memo.get("code")
        if code is None:
            head = self.bang.code if self.bang is not None else ""
            code = self._memo["code"] = head + "".join(e.code for e in self.elements)
        return code

    @property
    def raw(self) -> str:
        return self.code[len(self.leading) :]

    # --- elements ------------------------------------------------------------------------
    @property
    def assignments(self) -> tuple[Assignment, ...]:
        return tuple(e for e in self.elements if type(e) is Assignment)

    @property
    def words(self) -> tuple[Word, ...]:
        """All words (command name, wrappers and arguments; not redirection targets)."""
        memo = self._memo
        if "words" not in memo:
            memo["words"] = tuple(e for e in self.elements if type(e) is Word)
        return memo["words"]

    @property
    def redirects(self) -> tuple[Redirect, ...]:
        return tuple(e for e in self.elements if type(e) is Redirect)

    @property
    def argv(self) -> tuple[Optional[str], ...]:
        """The values of all words (None for words that expand)."""
        return tuple(w.value for w in self.words)

    # --- the command name, through wrappers (sudo, env, command, ...) -----------------------
    def _name_index(self) -> int:
        memo = self._memo
        if "name_index" not in memo:
            memo["name_index"] = self._find_name_index()
        return memo["name_index"]

    def _find_name_index(self) -> int:
        words = self.words
        i = 0
        while i < len(words):
            spec = WRAPPERS.get(words[i].value or "")
            if spec is None:
                return i
            j = i + 1
            while j < len(words):
                a = words[j].value
                if a is None:
                    break
                if a == "--":
                    j += 1
                    break
                if spec.assignments and _ASSIGN_RE.match(a):
                    j += 1
                    continue
                if len(a) > 1 and a.startswith("-"):
                    if words[i].value == "command" and a in ("-v", "-V"):
                        return i  # `command -v x` asks, it does not run x
                    _, takes_value = _option_names(a, spec.value_flags)
                    j += 2 if takes_value else 1
                    continue
                break
            j += spec.positional
            if j >= len(words):
                return i  # a wrapper with no command (`env` alone) is the command
            i = j
        return 0

    @property
    def name_word(self) -> Optional[Word]:
        """The word naming the program that runs (`apt-get` in `sudo -E apt-get install`)."""
        words = self.words
        return words[self._name_index()] if words else None

    @property
    def name(self) -> Optional[str]:
        """The program name (through sudo/env/command/... wrappers); None when there is no
        word or the name is not a plain literal."""
        memo = self._memo
        if "name" not in memo:  # asked of every command by every codemod, many times
            w = self.name_word
            memo["name"] = w.value if w is not None else None
        return memo["name"]

    @property
    def argv0(self) -> Optional[str]:
        """The first word's value, without looking through wrappers."""
        words = self.words
        return words[0].value if words else None

    @property
    def wrappers(self) -> tuple[Word, ...]:
        """The words before the program name (`sudo -E`, `env -i FOO=1`)."""
        return self.words[: self._name_index()]

    @property
    def args(self) -> tuple[Word, ...]:
        """The words after the program name."""
        words = self.words
        return words[self._name_index() + 1 :] if words else ()

    @property
    def arg_values(self) -> tuple[Optional[str], ...]:
        return tuple(w.value for w in self.args)

    def has_args(self, *values: str) -> bool:
        """True when any argument's value is one of `values` (hadolint's cmdHasArgs)."""
        want = set(values)
        return any(w.value in want for w in self.args)

    def has_all_args(self, *values: str) -> bool:
        have = {w.value for w in self.args}
        return all(v in have for v in values)

    def _value_flags(self, value_flags: Optional[Iterable[str]]) -> frozenset[str]:
        if value_flags is not None:
            return frozenset(value_flags)
        return VALUE_FLAGS.get(self.name or "", _NONE)

    def _classify(self, value_flags: Optional[Iterable[str]]):
        """(word, kind) over args: kind is 'flag', 'flag-value', 'end-of-options' (`--`) or
        'arg'. Kept per node for the default value flags: codemods ask flags(), has_flag() and
        args_without_flags() of one command many times (linear work on huge RUNs)."""
        if value_flags is not None:
            return tuple(self._classify_words(value_flags))
        memo = self._memo.get("classify")
        if memo is None:
            memo = self._memo["classify"] = tuple(self._classify_words(None))
        return memo

    def _classify_words(self, value_flags: Optional[Iterable[str]]):
        vf = self._value_flags(value_flags)
        args = self.args
        i = 0
        options_done = False
        while i < len(args):
            w = args[i]
            if not options_done and w.value == "--":
                options_done = True
                yield w, "end-of-options"
                i += 1
                continue
            f = None if options_done else _flag_text(w)
            if f is None:
                yield w, "arg"
                i += 1
                continue
            yield w, "flag"
            _, takes_value = _option_names(f, vf)
            if takes_value and i + 1 < len(args):
                yield args[i + 1], "flag-value"
                i += 1
            i += 1

    def flags(self, value_flags: Optional[Iterable[str]] = None) -> tuple[Word, ...]:
        """The option words among the arguments (`-y`, `--no-install-recommends`, `-o`)."""
        return tuple(w for w, kind in self._classify(value_flags) if kind == "flag")

    def flag_names(self, value_flags: Optional[Iterable[str]] = None) -> tuple[str, ...]:
        """Option names, with short bundles split: `-yq --opt=1` -> ('-y', '-q', '--opt')."""
        if value_flags is None:
            memo = self._memo
            if "flag_names" not in memo:
                memo["flag_names"] = self._flag_names(None)
            return memo["flag_names"]
        return self._flag_names(value_flags)

    def _flag_names(self, value_flags: Optional[Iterable[str]]) -> tuple[str, ...]:
        vf = self._value_flags(value_flags)
        out: list[str] = []
        for w in self.flags(value_flags):
            f = _flag_text(w)
            if f is not None:
                out.extend(_option_names(f, vf)[0])
        return tuple(out)

    def has_flag(self, *names: str, value_flags: Optional[Iterable[str]] = None) -> bool:
        """True when any of `names` (`-y`, `--yes`) is given, also inside bundles (`-qy`)."""
        have = set(self.flag_names(value_flags))
        return any(n in have for n in names)

    def args_without_flags(self, value_flags: Optional[Iterable[str]] = None) -> tuple[Word, ...]:
        """The arguments that are not options nor option values (`--` dropped).  Options taking
        a separate value come from `value_flags`, by default `VALUE_FLAGS[self.name]`."""
        if value_flags is None:
            memo = self._memo
            if "args_without_flags" not in memo:
                memo["args_without_flags"] = tuple(w for w, kind in self._classify(None) if kind == "arg")
            return memo["args_without_flags"]
        return tuple(w for w, kind in self._classify(value_flags) if kind == "arg")

    def option_value(
        self, *names: str, value_flags: Optional[Iterable[str]] = None
    ) -> Optional[str]:
        """The value given to option `names` (`-o X`, `-oX`, `--opt=X`, `--opt X`), the last
        one when repeated; None when absent or not a plain literal.  Options taking a separate
        value come from `value_flags` (default `VALUE_FLAGS[self.name]`)."""
        vf = self._value_flags(value_flags) | set(names)  # asked for a value: it takes one
        want = set(names)
        found: Optional[str] = None
        pending = False
        for w, kind in self._classify(vf):
            if kind == "flag-value":
                if pending:
                    found = w.value
                pending = False
                continue
            pending = False
            if kind != "flag":
                continue
            f = _flag_text(w)
            if f is None:
                continue
            if f.startswith("--"):
                name, eq, value = f.partition("=")
                if name in want:
                    if eq:
                        found = value if w.value is not None else None
                    else:
                        pending = True
                continue
            opts, takes_value = _option_names(f, vf)
            if opts and opts[-1] in want:
                if takes_value:
                    pending = True
                elif opts[-1] in vf:
                    found = f[1 + len(opts) :] if w.value is not None else None
        return found

    def subcommand(self, value_flags: Optional[Iterable[str]] = None) -> Optional[Word]:
        """The first non-option argument (`install` in `apt-get -y install x`), or None."""
        rest = self.args_without_flags(value_flags)
        return rest[0] if rest else None


_ASSIGN_RE = lazy(r"[A-Za-z_][A-Za-z0-9_]*=")
_NONE: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Opaque(Node):
    """Text the grammar does not model, kept verbatim; codemods should decline to edit it.
    `reason`: if, for, while, until, select, case, group, [[, subshell, arith, function,
    heredoc, unterminated, syntax."""

    leading: str
    raw: str
    reason: str
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def code(self) -> str:
        return self.leading + self.raw


@dataclass(frozen=True, slots=True)
class Compound(Opaque):
    """A compound command cut into its pieces: `if`/`elif`/`else`, `for`/`while`/`until` loops,
    `case`, `{ …; }` groups, `( … )` subshells and function definitions. `parts` are the
    keywords and heads (`Leaf`s) and the bodies (`ShellScript`s) in order; their nodes carry
    spans into the whole script, so `script.insert_after(word_in_a_body, …)` edits them.

    It is still an `Opaque` to code that does not look inside (`isinstance(u, Opaque)`): the
    codemods that understand compound commands walk `bodies` (`ShellScript.walk_units`)."""

    parts: tuple = field(default=(), compare=False, repr=False)

    @property
    def kind(self) -> str:
        return self.reason

    @property
    def bodies(self) -> tuple:
        return tuple(p for p in self.parts if type(p) is not Leaf)

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(p.raw for p in self.parts if type(p) is Leaf)


Unit = Union[SimpleCommand, Opaque]


Item = Union[SimpleCommand, Opaque, Operator]

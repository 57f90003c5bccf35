"""Concrete syntax tree of a shell-form RUN body, libcst-style.

Every node is a frozen dataclass; `.code` prints exactly the text it was parsed from (all the
trivia included), and `with_changes(**fields)` returns a modified copy.  Trivia -- blanks,
Dockerfile continuations (escape+newline, with the comment and blank lines BuildKit drops inside
them) and shell comments -- is owned by the token that follows it, as its `leading` text; what
follows the last token is `ShellScript.trailing`.

`span` (on every node, excluded from equality) is the (start, end) offset of the node's text
*without* its leading trivia in the text it was parsed from.  The edit helpers on `ShellScript`
(`insert_after`, `remove`, `append_command`, ...) splice the text at these spans and parse the
result again, so every script they return has fresh spans and untouched bytes stay identical.
After editing nodes by hand with `with_changes`, call `script.reparse()` before using spans.

Structure: `ShellScript.items` is a flat sequence of units (`SimpleCommand` or `Opaque`) joined by
`Operator`s (`&&`, `||`, `|`, `|&`, `;`, `&`, newline).  A `SimpleCommand` holds its leading
`Assignment`s, `Word`s and `Redirect`s in source order; a `Word` holds `WordPart`s (literal text,
quotes, escapes, `$x`, `${x}`, `$(...)`, backticks, `$((...))`, globs, ...).  `Opaque` is text the
grammar does not model (if/for/while/case, subshells, groups, functions, here-documents,
unterminated quotes, syntax errors): it is kept verbatim, never edited, and `reason` says why.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Union

from refactor.shell.lexer import (
    ANSI,
    ARITH,
    BACKTICK,
    CMDSUB,
    DQ,
    ESC,
    GLOB,
    LIT,
    PARAM,
    PROCSUB,
    SQ,
    TILDE,
    continuation_re,
)

Span = tuple[int, int]
_NO_SPAN: Span = (0, 0)

EXPANSION_KINDS = frozenset({PARAM, CMDSUB, BACKTICK, ARITH, TILDE, PROCSUB})
LITERAL_KINDS = frozenset({LIT, ESC, SQ, ANSI})


class Node:
    """Base of all CST nodes."""

    __slots__ = ()

    @property
    def code(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    # Nodes with text also have `leading` (the trivia before them) and, except ShellScript,
    # `raw` (their text without it) and `span`.  (Not declared here: dataclass fields.)

    def with_changes(self, **changes):
        """A copy with some fields replaced (spans are copied as they are: see module doc)."""
        return dataclasses.replace(self, **changes)


# ---------------------------------------------------------------------------------------------
# Words


@dataclass(frozen=True, slots=True)
class WordPart(Node):
    """One piece of a word.  `kind` is one of: literal, escape, single_quoted, double_quoted,
    ansi_c_quoted, param, command_sub, backtick, arith, glob, tilde, process_sub, array (the
    `(a b)` of a bash array assignment).

    `raw` is the exact source text (it may contain Dockerfile continuations); `text` is the same
    with those continuations removed, as the shell sees it.  Inside double quotes, `parts` lists
    the inner pieces (read-only: edit the enclosing word)."""

    kind: str
    raw: str
    text: str
    parts: tuple["WordPart", ...] = ()
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def code(self) -> str:
        return self.raw

    @property
    def leading(self) -> str:
        return ""

    @property
    def value(self) -> Optional[str]:
        """The literal text this part contributes (quotes removed, escapes processed), or None
        when it expands (`$x`, `$(...)`, globs, ...)."""
        kind = self.kind
        if kind == LIT:
            return self.text
        if kind == ESC:
            return "" if self.text[1:] == "\n" else self.text[1:]
        if kind == SQ:
            return self.text[1:-1]
        if kind == ANSI:
            return _decode_ansi_c(self.text[2:-1])
        if kind == DQ:
            out = []
            for p in self.parts:
                v = p.value
                if v is None:
                    return None
                out.append(v)
            return "".join(out)
        return None

    @property
    def is_expansion(self) -> bool:
        if self.kind == DQ:
            return any(p.is_expansion for p in self.parts)
        return self.kind in EXPANSION_KINDS

    @property
    def is_quoted(self) -> bool:
        return self.kind in (SQ, DQ, ANSI)

    @property
    def body(self) -> Optional[str]:
        """The text inside `$(...)`, `<(...)`, backticks (unescaped), `$((...))` or `${...}`."""
        kind, t = self.kind, self.text
        if kind in (CMDSUB, PROCSUB):
            return t[2:-1]
        if kind == BACKTICK:
            return re.sub(r"\\([$`\\])", r"\1", t[1:-1])
        if kind == ARITH:
            return t[3:-2]
        if kind == PARAM:
            return t[2:-1] if t.startswith("${") else t[1:]
        return None

    def parse_body(self, escape: str = "\\") -> Optional["ShellScript"]:
        """Parse the script inside `$(...)`, `<(...)` or backticks (spans are relative to the
        body text)."""
        if self.kind in (CMDSUB, PROCSUB):
            from refactor.shell.parse import parse_shell

            return parse_shell(self.raw[2:-1], escape)
        if self.kind == BACKTICK:
            from refactor.shell.parse import parse_shell

            return parse_shell(self.body or "", escape)
        return None

    def walk(self) -> Iterator["WordPart"]:
        yield self
        for p in self.parts:
            yield from p.walk()


class _WordLike(Node):
    """Shared behaviour of Word and Assignment (both: `leading`, `parts`, `span`)."""

    __slots__ = ()

    @property
    def raw(self) -> str:
        return "".join(p.raw for p in self.parts)  # type: ignore[attr-defined]

    @property
    def code(self) -> str:
        return self.leading + self.raw

    @property
    def text(self) -> str:
        """The word as the shell sees it (Dockerfile continuations removed, quotes kept)."""
        return "".join(p.text for p in self.parts)  # type: ignore[attr-defined]

    @property
    def has_expansion(self) -> bool:
        """Contains `$x`, `${x}`, `$(...)`, backticks, `$((...))`, `~` or `<(...)`."""
        return any(p.is_expansion for p in self.parts)  # type: ignore[attr-defined]

    @property
    def has_command_substitution(self) -> bool:
        return any(p.kind in (CMDSUB, BACKTICK, PROCSUB) for p in self.walk_parts())

    @property
    def has_glob(self) -> bool:
        """Contains an unquoted `*`, `?` or `[...]`."""
        return any(p.kind == GLOB for p in self.parts)  # type: ignore[attr-defined]

    @property
    def is_quoted(self) -> bool:
        return any(p.is_quoted or p.kind == ESC for p in self.parts)  # type: ignore[attr-defined]

    def walk_parts(self) -> Iterator[WordPart]:
        for p in self.parts:  # type: ignore[attr-defined]
            yield from p.walk()

    def substitutions(self) -> tuple[WordPart, ...]:
        """The `$(...)`, backtick and `<(...)` parts, including those inside double quotes."""
        return tuple(p for p in self.walk_parts() if p.kind in (CMDSUB, BACKTICK, PROCSUB))


def _join_values(parts: Iterable[WordPart]) -> Optional[str]:
    out = []
    for p in parts:
        v = p.value
        if v is None:
            return None
        out.append(v)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Word(_WordLike):
    """A shell word: `leading` trivia, then its parts."""

    leading: str
    parts: tuple[WordPart, ...]
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)
    # Derived values, computed once (nodes are immutable; with_changes starts afresh).
    _memo: dict = field(default_factory=dict, init=False, compare=False, repr=False, hash=False)

    @property
    def value(self) -> Optional[str]:
        """The unquoted value when the word is a plain literal (quotes removed, escapes
        processed); None when it contains an expansion or a glob."""
        memo = self._memo
        if "value" not in memo:
            memo["value"] = _join_values(self.parts)
        return memo["value"]

    @property
    def is_literal(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Assignment(_WordLike):
    """`NAME=value` (or `NAME+=value`) before the command name."""

    leading: str
    parts: tuple[WordPart, ...]
    name: str
    span: Span = field(default=_NO_SPAN, compare=False, repr=False)

    @property
    def value_parts(self) -> tuple[WordPart, ...]:
        """The parts after `=` (the first one cut at the `=`)."""
        text = self.text
        cut = text.index("=") + 1
        out: list[WordPart] = []
        pos = 0
        for p in self.parts:
            end = pos + len(p.text)
            if end <= cut:
                pos = end
                continue
            if pos < cut:
                t = p.text[cut - pos :]
                if t:
                    out.append(WordPart(p.kind, t, t))
            else:
                out.append(p)
            pos = end
        return tuple(out)

    @property
    def value(self) -> Optional[str]:
        """The unquoted value assigned, or None when it expands."""
        return _join_values(self.value_parts)

    @property
    def is_append(self) -> bool:
        return self.text[len(self.name)] == "+" if len(self.text) > len(self.name) else False


# ---------------------------------------------------------------------------------------------
# Tokens, redirections, commands


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
        head = self.bang.code if self.bang is not None else ""
        return head + "".join(e.code for e in self.elements)

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
        w = self.name_word
        return w.value if w is not None else None

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
        return VALUE_FLAGS.get(self.name or "", frozenset())

    def _classify(self, value_flags: Optional[Iterable[str]]):
        """Yield (word, kind) over args: kind is 'flag', 'flag-value', 'end-of-options' (`--`)
        or 'arg'."""
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


_ASSIGN_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")


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


Unit = Union[SimpleCommand, Opaque]
Item = Union[SimpleCommand, Opaque, Operator]


# ---------------------------------------------------------------------------------------------
# The script


@dataclass(frozen=True, slots=True)
class ShellScript(Node):
    """A parsed RUN body: units joined by operators, then trailing trivia.

    `script.code == text` for the text it was parsed from, always."""

    items: tuple[Item, ...]
    trailing: str = ""
    escape: str = "\\"

    @property
    def leading(self) -> str:
        return self.items[0].leading if self.items else ""

    @property
    def code(self) -> str:
        return "".join(i.code for i in self.items) + self.trailing

    def reparse(self) -> "ShellScript":
        """Parse `self.code` again (fresh spans after hand edits with `with_changes`)."""
        from refactor.shell.parse import parse_shell

        return parse_shell(self.code, self.escape)

    # --- queries -------------------------------------------------------------------------
    def units(self) -> tuple[Unit, ...]:
        """Commands and opaque nodes, in order."""
        return tuple(i for i in self.items if type(i) is not Operator)

    def commands(self) -> tuple[SimpleCommand, ...]:
        """The simple commands at the top level (not those inside `$(...)` or opaque text)."""
        return tuple(i for i in self.items if type(i) is SimpleCommand)

    def commands_named(self, name: str) -> tuple[SimpleCommand, ...]:
        return tuple(c for c in self.commands() if c.name == name)

    def opaque(self) -> tuple[Opaque, ...]:
        return tuple(i for i in self.items if type(i) is Opaque)

    @property
    def has_opaque(self) -> bool:
        """True when part of the script is not modelled: codemods may want to decline."""
        return any(type(i) is Opaque for i in self.items)

    @property
    def operators(self) -> tuple[Operator, ...]:
        return tuple(i for i in self.items if type(i) is Operator)

    def _index(self, node: Node) -> int:
        for k, it in enumerate(self.items):
            if it is node:
                return k
        for k, it in enumerate(self.items):
            if it == node and it.span == getattr(node, "span", None):
                return k
        raise ValueError("node is not an item of this script")

    def operator_before(self, unit: Unit) -> Optional[Operator]:
        """The operator joining `unit` to the unit before it (None for the first)."""
        k = self._index(unit)
        prev = self.items[k - 1] if k > 0 else None
        return prev if type(prev) is Operator else None

    def operator_after(self, unit: Unit) -> Optional[Operator]:
        """The operator right after `unit` (None at the end): `&&`, `|`, `;`, ..."""
        k = self._index(unit)
        nxt = self.items[k + 1] if k + 1 < len(self.items) else None
        return nxt if type(nxt) is Operator else None

    def pipeline_of(self, unit: Unit) -> tuple[Unit, ...]:
        """The units joined to `unit` by `|` or `|&` (itself included), in order."""
        k = self._index(unit)
        items = self.items
        lo = k
        while lo >= 2 and type(items[lo - 1]) is Operator and items[lo - 1].is_pipe:
            lo -= 2
        hi = k
        while hi + 2 < len(items) and type(items[hi + 1]) is Operator and items[hi + 1].is_pipe:
            hi += 2
        return tuple(it for it in items[lo : hi + 1] if type(it) is not Operator)

    def command_at(self, offset: int) -> Optional[Unit]:
        """The unit whose span contains `offset`."""
        for u in self.units():
            if u.span[0] <= offset < u.span[1]:
                return u
        return None

    def leaves(self) -> list[Node]:
        """Every token in order: Words, Assignments, Leafs, Operators and Opaques."""
        out: list[Node] = []
        for it in self.items:
            if type(it) is SimpleCommand:
                if it.bang is not None:
                    out.append(it.bang)
                for e in it.elements:
                    if type(e) is Redirect:
                        if e.fd is not None:
                            out.append(e.fd)
                        out.append(e.op)
                        out.append(e.target)
                    else:
                        out.append(e)
            else:
                out.append(it)
        return out

    # --- edits: each returns a new ShellScript; untouched bytes stay identical -------------
    def _check(self, node: Node) -> Span:
        span = getattr(node, "span", None)
        raw = getattr(node, "raw", None)
        code = self.code
        if span is None or raw is None:
            raise TypeError(f"cannot locate {type(node).__name__}")
        s, e = span
        if not (0 <= s <= e <= len(code)) or code[s:e] != raw or s == e:
            raise ValueError(
                "node does not belong to this script (stale span? call reparse() after "
                "with_changes, and take nodes from the script you edit)"
            )
        return span

    def splice(self, start: int, end: int, text: str) -> "ShellScript":
        """Replace code[start:end] with `text` and parse the result."""
        from refactor.shell.parse import parse_shell

        code = self.code
        return parse_shell(code[:start] + text + code[end:], self.escape)

    def replace(self, node: Node, text: str) -> "ShellScript":
        """Replace the node's text (not its leading trivia) with raw shell `text`."""
        s, e = self._check(node)
        return self.splice(s, e, text)

    def insert_after(self, node: Node, text: str) -> "ShellScript":
        """Insert raw shell `text` (one or more words) after `node`, separated by a space:
        `script.insert_after(install_word, "--no-install-recommends")`."""
        _, e = self._check(node)
        return self.splice(e, e, " " + text)

    def insert_before(self, node: Node, text: str) -> "ShellScript":
        """Insert raw shell `text` before `node`, separated by a space."""
        s, _ = self._check(node)
        return self.splice(s, s, text + " ")

    def remove(self, node: Node) -> "ShellScript":
        """Remove a word, assignment or redirection (or a unit, see `remove_command`).
        Trivia is merged so that continuations and comment lines survive where they can."""
        if type(node) in (SimpleCommand, Opaque):
            return self.remove_command(node)  # type: ignore[arg-type]
        s, e = self._check(node)
        return self._remove_run(s, e)

    def remove_command(self, unit: Unit) -> "ShellScript":
        """Remove a command (or opaque unit) together with its joining operator: the one after
        it; for the last unit, or when operators start the lines (`\\\n    && unit`), the one
        before it.  Comment lines outside the removed text are kept."""
        self._check(unit)
        k = self._index(unit)
        unit_idx = [i for i, it in enumerate(self.items) if type(it) is not Operator]
        pos = unit_idx.index(k)
        leading_layout = pos > 0 and "\n" in self.items[k - 1].leading
        if pos + 1 < len(unit_idx) and not leading_layout:
            run = self.items[k : unit_idx[pos + 1]]
        elif pos > 0:
            run = self.items[unit_idx[pos - 1] + 1 : k + 1]
        else:
            run = self.items[k:]
        return self._remove_run(run[0].span[0], run[-1].span[1])

    def _remove_run(self, start: int, end: int) -> "ShellScript":
        code = self.code
        leaves = self.leaves()
        first = next(i for i, lf in enumerate(leaves) if lf.span[0] == start)
        lead_start = start - len(leaves[first].leading)
        nxt = next((lf for lf in leaves[first:] if lf.span[0] >= end), None)
        li = code[lead_start:start]
        if nxt is None:
            merged = _merge_trivia(li, code[end:], first == 0, True)
            new = code[:lead_start] + merged
        else:
            merged = _merge_trivia(li, code[end : nxt.span[0]], first == 0, False)
            if not merged and first > 0 and _glues(code[lead_start - 1], code[nxt.span[0]]):
                merged = " "  # keep two words apart
            new = code[:lead_start] + merged + code[nxt.span[0] :]
        from refactor.shell.parse import parse_shell

        return parse_shell(new, self.escape)

    def insert_command_after(
        self, unit: Unit, text: str, separator: str = " && "
    ) -> "ShellScript":
        """Insert command `text` after `unit`, joined by `separator`.  When the script uses
        continuations, follow its layout: `<escape><newline><indent>&& text` (or
        ` && <escape><newline><indent>text` when its operators end lines), with the script's
        own escape character and line ending."""
        _, e = self._check(unit)
        if type(unit) is Opaque and unit.reason == "heredoc":
            raise ValueError("cannot add a command after a here-document's terminator line")
        code = self.code
        op = separator.strip()
        if not op and "\n" in separator:  # newline-separated (a here-document script)
            nl = "\r\n" if "\r\n" in code else "\n"
            line_start = code.rfind("\n", 0, e) + 1
            indent = re.match(r"[ \t]*", code[line_start:]).group()
            return self.splice(e, e, nl + indent + text)
        conts = list(continuation_re(self.escape).finditer(code))
        if not op or not conts or "\n" in separator:
            return self.splice(e, e, separator + text)
        layout = self._join_layout(e)
        if layout is None:
            style, indent = "leading", self._continuation_indent(e, conts)
        else:
            style, indent = layout
        sample = max((m for m in conts if m.start() < e), key=lambda m: m.start(), default=conts[0])
        k = sample.start()
        while k > 0 and code[k - 1] in " \t":
            k -= 1
        pre_ws = code[k : sample.start()]  # the blanks the script puts before its escapes
        nl = "\r\n" if sample.group().endswith("\r\n") else "\n"
        esc = self.escape
        if style == "trailing":
            ins = " " + op + pre_ws + esc + nl + indent + text
        else:
            ins = pre_ws + esc + nl + indent + op + " " + text
        return self.splice(e, e, ins)

    def insert_command_before(
        self, unit: Unit, text: str, separator: str = " && "
    ) -> "ShellScript":
        """Insert command `text` before `unit`, on the same line: `text && unit`."""
        s, _ = self._check(unit)
        if type(unit) is Opaque and unit.reason == "heredoc" and unit.raw.startswith("<<"):
            raise ValueError("cannot add a command before a RUN here-document")
        return self.splice(s, s, text + separator)

    def append_command(self, text: str, separator: str = " && ") -> "ShellScript":
        """Add command `text` after the last unit (before any trailing `;`, comment or
        newline), following the script's continuation layout (see insert_command_after)."""
        units = self.units()
        if not units:
            return self._into_empty(text)
        return self.insert_command_after(units[-1], text, separator)

    def prepend_command(self, text: str, separator: str = " && ") -> "ShellScript":
        """Add command `text` before the first unit: `apt-get update && ...`."""
        units = self.units()
        if not units:
            return self._into_empty(text)
        return self.insert_command_before(units[0], text, separator)

    def _into_empty(self, text: str) -> "ShellScript":
        code = self.code
        k = len(code) - len(code.lstrip(" \t"))
        rest = code[k:]
        glue = " " if rest and not rest[0].isspace() else ""
        return self.splice(k, k, text + glue)

    def _join_layout(self, offset: int) -> Optional[tuple[str, str]]:
        """How the script lays out multi-line joins, near `offset`: ('leading', indent) when the
        operator starts the next line (`\\\n    && b`), ('trailing', indent) when it ends the line
        (`a && \\\n    b`); the last such join before `offset`, else the first one after it."""
        items = self.items
        found: Optional[tuple[str, str]] = None
        for k in range(1, len(items) - 1):
            op, before, after = items[k], items[k - 1], items[k + 1]
            if type(op) is not Operator or Operator in (type(before), type(after)):
                continue
            if "\n" in op.leading:
                layout = ("leading", _last_line_indent(op.leading))
            elif "\n" in after.leading:
                layout = ("trailing", _last_line_indent(after.leading))
            else:
                continue
            if op.span[0] >= offset and found is not None:
                break
            found = layout
            if op.span[0] >= offset:
                break
        return found

    def _continuation_indent(self, offset: int, conts: list) -> str:
        """Indentation of the last continuation line starting before `offset` (else of the
        first continuation line)."""
        from refactor.shell.lexer import _DROPPED_LINES

        code = self.code
        best = None
        for m in conts:
            line_start = _DROPPED_LINES.match(code, m.end()).end()
            if best is None or line_start <= offset:
                best = line_start
            if line_start > offset:
                break
        if best is None:
            return ""
        return re.match(r"[ \t]*", code[best:]).group()


def _last_line_indent(trivia: str) -> str:
    return re.match(r"[ \t]*", trivia[trivia.rindex("\n") + 1 :]).group()


def _merge_trivia(li: str, ln: str, at_start: bool, at_end: bool) -> str:
    """Trivia left when the tokens between `li` (their leading trivia) and `ln` (the next
    token's leading trivia, or the script's trailing text) are removed."""
    if at_end:
        return ln  # never leave a dangling continuation at the end of the body
    if at_start:
        return li + (ln if "#" in ln else "")
    if "\n" not in li:
        merged = ln
    elif "\n" not in ln:
        merged = li
    else:
        merged = li[: li.rindex("\n") + 1] + ln[ln.index("\n") + 1 :]
    return merged


def _glues(before: str, after: str) -> bool:
    """Would these two characters, once adjacent, join two tokens into one?"""
    return not (before.isspace() or after.isspace() or before in ";&|<>()" or after in ";&|<>()")


def _decode_ansi_c(s: str) -> str:
    simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b",
              "f": "\f", "v": "\v", "\\": "\\", "'": "'", '"': '"', "?": "?"}

    def sub(m: re.Match[str]) -> str:
        t = m.group(1)
        if t in simple:
            return simple[t]
        if t[0] == "x":
            return chr(int(t[1:], 16)) if len(t) > 1 else "\\x"
        if t[0] in "01234567":
            return chr(int(t, 8) & 0xFF)
        return "\\" + t

    return re.sub(r"\\(x[0-9A-Fa-f]{0,2}|[0-7]{1,3}|.)", sub, s, flags=re.S)


def quote(value: str) -> str:
    """Quote `value` as one shell word (like shlex.quote)."""
    if value and re.fullmatch(r"[A-Za-z0-9_@%+=:,./-]+", value):
        return value
    return "'" + value.replace("'", "'\"'\"'") + "'"

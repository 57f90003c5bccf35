"""BuildKit's `check` settings for a Dockerfile: the `# check=...` parser directive at the top of
the file, merged per instruction with a `# check=...` comment directly above it.

Semantics follow BuildKit's linter (frontend/dockerfile/linter/linter.go): the value is
`skip=<rules>|all`, `experimental=<rules>|all` and `error=<bool>`, separated by `;`. A skipped
rule is neither reported nor, here, fixed; experimental rules (InvalidDefinitionDescription) run
only when enabled; `error=true` makes every finding fail the build. A comment above an
instruction may skip or enable more rules for that instruction (BuildKit's
WithMergedConfigFromComments: the first `check=` comment counts, its value cut at the first
space; `error=` there does not change the file's setting). A value BuildKit cannot read is
ignored for a comment; for the file directive it is recorded in `invalid` (BuildKit fails).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from refactor.syntax.nodes import Dockerfile, Instruction

_COMMENT_DIRECTIVE = re.compile(r"^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$")
_TRUE = {"1", "t", "T", "TRUE", "true", "True"}  # Go's strconv.ParseBool
_FALSE = {"0", "f", "F", "FALSE", "false", "False"}


@dataclass(frozen=True)
class CheckConfig:
    """What the file's `# check=` directive turns on and off (BuildKit's linter config)."""
    skip_all: bool = False
    skip: frozenset[str] = frozenset()
    experimental_all: bool = False
    experimental: frozenset[str] = frozenset()
    error: bool = False
    invalid: str | None = None  # why the file's directive could not be read

    def runs(self, rule: str, *, experimental: bool = False) -> bool:
        """Whether BuildKit would report `rule` (linter.Run)."""
        if experimental:
            return self.experimental_all or rule in self.experimental
        return not (self.skip_all or rule in self.skip)

    def merged(self, other: CheckConfig) -> CheckConfig:
        return replace(
            self,
            skip_all=self.skip_all or other.skip_all,
            skip=self.skip | other.skip,
            experimental_all=self.experimental_all or other.experimental_all,
            experimental=self.experimental | other.experimental,
        )


def parse_options(text: str) -> CheckConfig:
    """linter.ParseLintOptions; ValueError for what BuildKit rejects."""
    text = text.strip()
    if not text:
        return CheckConfig()
    values: dict = {}
    for part in text.split(";", 2):
        key, sep, value = part.partition("=")
        if not sep:
            raise ValueError(f"invalid check option {part!r}")
        key, value = key.strip(), value.strip()
        if key in ("skip", "experimental"):
            if value == "all":
                values[f"{key}_all"] = True
            else:
                values[key] = frozenset(r.strip() for r in value.split(","))
        elif key == "error":
            if value not in _TRUE | _FALSE:
                raise ValueError(f"failed to parse check option {part!r}")
            values["error"] = value in _TRUE
        else:
            raise ValueError(f"invalid check option {key!r}")
    return CheckConfig(**values)


def file_config(df: Dockerfile) -> CheckConfig:
    """The `# check=` directive of the file (with the build's defaults when there is none)."""
    memo = df._memo
    if "check_config" not in memo:
        config = CheckConfig()
        for d in df.directives:
            if d.key == "check":
                try:
                    config = parse_options(d.value)
                except ValueError as e:
                    config = CheckConfig(invalid=str(e))
        memo["check_config"] = config
    return memo["check_config"]


def instruction_config(df: Dockerfile, inst: Instruction) -> CheckConfig:
    """The file's settings merged with a `# check=` comment directly above `inst`."""
    base = file_config(df)
    for comment in inst.comments:
        m = _COMMENT_DIRECTIVE.match(comment)
        if m is None or m.group(1).lower() != "check":
            continue
        value = m.group(2).split(" ", 1)[0]
        try:
            return base.merged(parse_options(value))
        except ValueError:
            return base
    return base


@dataclass(frozen=True)
class RuleGate:
    """Answers "does BuildKit check `rule` here?" for one file, per instruction."""

    df: Dockerfile
    rule: str
    experimental: bool = False

    def file_runs(self) -> bool:
        """False when the whole file skips the rule (no comment can turn it back on)."""
        return file_config(self.df).runs(self.rule, experimental=self.experimental) or self.experimental

    def runs(self, inst: Instruction) -> bool:
        return instruction_config(self.df, inst).runs(self.rule, experimental=self.experimental)

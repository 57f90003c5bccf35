"""Findings for BuildKit's build checks, computed from the Dockerfile text (and the build
context's ignore file) without building: what `dockwright lint` prints.

Each rule follows BuildKit's own check (frontend/dockerfile/instructions/parse.go and
dockerfile2llb/{convert,validations,convert_expose}.go): same trigger, same message, reported at
the instruction's line, and skipped where the file's `# check=` directive or a `# check=`
comment above the instruction skips it. BuildKit also knows the base image's config (its ENV and
SHELL); dockwright pulls nothing, so where a finding depends on that config it says so or stays
silent (UndefinedVar, JSONArgsRecommended): see refactor.checks.variables.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from refactor.checks.config import CheckConfig, file_config, instruction_config
from refactor.checks.rules import RULES
from refactor.knowledge.context import BuildContext, go_clean
from refactor.syntax import buildkit
from refactor.syntax import heredocs
from refactor.syntax.nodes import BlankLine, Continuation, Dockerfile, Instruction, Stage

RESERVED_STAGE_NAMES = ("context", "scratch")
_OS = {"linux", "windows", "darwin", "freebsd", "netbsd", "openbsd", "solaris", "illumos", "aix",
       "android", "ios", "js", "wasip1", "plan9", "dragonfly"}
_ARCH = {"amd64": "amd64", "x86_64": "amd64", "x86-64": "amd64", "arm64": "arm64", "aarch64": "arm64",
         "arm": "arm", "armhf": "arm", "armel": "arm", "386": "386", "i386": "386", "ppc64le": "ppc64le",
         "s390x": "s390x", "riscv64": "riscv64", "mips64le": "mips64le", "loong64": "loong64", "wasm": "wasm"}


@dataclass(frozen=True)
class Finding:
    """One build-check warning at a line of the file."""
    rule: str
    line: int
    message: str
    error: bool = False  # the file sets check=error=true: this fails the build
    column: int = 1

    @property
    def url(self) -> str:
        return RULES[self.rule].url

    @property
    def hadolint(self) -> tuple[str, ...]:
        return RULES[self.rule].hadolint

    @property
    def codemod(self) -> str | None:
        return RULES[self.rule].codemod

    def text(self, path: str) -> str:
        extra = []
        if self.hadolint:
            extra.append(f"hadolint {'/'.join(self.hadolint)}")
        if self.codemod:
            extra.append(f"fix: dockwright --select {self.codemod}")
        tail = f" [{'; '.join(extra)}]" if extra else ""
        return f"{path}:{self.line}:{self.column}: {self.rule} {self.message}{tail}"


class Reporter:
    """Collects findings, honouring the `# check=` settings for each instruction."""

    def __init__(self, df: Dockerfile, rules: set[str] | None = None, experimental: bool = False) -> None:
        self.df = df
        self.experimental = experimental  # run experimental rules even without check=experimental
        self.config: CheckConfig = file_config(df)
        self.rules = rules
        self.findings: list[Finding] = []

    def wants(self, rule: str) -> bool:
        return self.rules is None or rule in self.rules

    def report(self, rule: str, inst: Instruction, message: str) -> None:
        if not self.wants(rule):
            return
        config = instruction_config(self.df, inst)
        experimental = RULES[rule].experimental
        if experimental and self.experimental:
            if not config.runs(rule):  # an explicit skip still counts
                return
        elif not config.runs(rule, experimental=experimental):
            return
        line = inst.start.line if inst.start else 0
        self.findings.append(Finding(rule, line, message, error=self.config.error))


# --- the rules a codemod fixes (reported with `lint --all`, and to count what the codemods fix) --


def check_syntax_rules(r: Reporter) -> None:
    df = r.df
    stage_insts = [i for s in df.stages for i in s.instructions]
    lower = sum(i.keyword == i.keyword.lower() for i in stage_insts)
    upper = sum(i.keyword == i.keyword.upper() and i.keyword != i.keyword.lower() for i in stage_insts)
    majority_lower = lower > upper
    for inst in df.instructions:
        cmd = inst.cmd
        if cmd == "MAINTAINER":
            r.report("MaintainerDeprecated", inst, "Maintainer instruction is deprecated in favor of using label")
        if any(isinstance(p, Continuation) and any(isinstance(t, BlankLine) for t in p.lines) for p in inst.pieces):
            r.report("NoEmptyContinuation", inst, "Empty continuation line")
        if cmd == "FROM":
            for flag in inst.flags:
                if flag in ("--platform=$TARGETPLATFORM", "--platform=${TARGETPLATFORM}"):
                    r.report("RedundantTargetPlatform", inst, "Setting platform to predefined "
                             f"{flag.split('=', 1)[1]} in FROM is redundant as this is the default behavior")
        if cmd == "FROM" and len(inst.value) == 3:
            name, kw, as_word = inst.value[2], inst.keyword, inst.value[1]
            if name != name.lower():
                r.report("StageNameCasing", inst, f"Stage name '{name}' should be lowercase")
            if (kw == kw.lower() and as_word != as_word.lower()) or (
                    kw == kw.upper() and kw != kw.lower() and as_word != as_word.upper()):
                r.report("FromAsCasing", inst, f"'{as_word}' and '{kw}' keywords' casing do not match")
        if cmd in ("ENV", "LABEL") and _is_legacy(inst):
            r.report("LegacyKeyValueFormat", inst, f'"{cmd} key=value" should be used instead of legacy "{cmd} key value" format')
        if cmd == "EXPOSE":
            for port in inst.value:
                proto = port.rsplit("/", 1)[1] if "/" in port else ""
                if proto != proto.lower():
                    r.report("ExposeProtoCasing", inst, f"Defined protocol '{port}' in EXPOSE instruction should be lowercase")
    for inst in stage_insts:
        kw = inst.keyword
        if majority_lower and kw != kw.lower():
            r.report("ConsistentInstructionCasing", inst, f"Command '{kw}' should match the case of the command majority (lowercase)")
        elif not majority_lower and kw != kw.upper():
            r.report("ConsistentInstructionCasing", inst, f"Command '{kw}' should match the case of the command majority (uppercase)")
    for stage in df.stages:
        for kind in ("CMD", "ENTRYPOINT", "HEALTHCHECK"):
            found = [i for i in stage.instructions if i.cmd == kind]
            for inst in found[:-1]:
                r.report("MultipleInstructionsDisallowed", inst, f"Multiple {kind} instructions should not be used "
                         "in the same stage because only the last one will be used")
        shell_set = "SHELL" in chains(df).keywords[stage.index]
        for inst in stage.instructions:
            if inst.cmd in ("CMD", "ENTRYPOINT") and not inst.is_json and not shell_set:
                r.report("JSONArgsRecommended", inst, f"JSON arguments recommended for {inst.cmd} to prevent "
                         "unintended behavior related to OS signals")


def _is_legacy(inst: Instruction) -> bool:
    try:
        words = buildkit._parse_words(inst.args, inst.escape)
    except buildkit.BuildKitError:
        return False
    return bool(words) and "=" not in words[0]


class Chains:
    """Each stage's chain, the stage and the stages of this file it builds on (`FROM <stage>`),
    as what the checks ask of it, computed once per file in stage order (walking every stage's
    chain anew was quadratic: 24 s for a file of 3,300 stages each built on the one before)."""

    def __init__(self, df: Dockerfile) -> None:
        by_name = {s.name.lower(): s for s in df.stages if s.name}
        self.parent: dict[int, Stage | None] = {}
        self.root: dict[int, Stage] = {}  # the chain's first stage, whose base is an image
        self.keywords: dict[int, frozenset[str]] = {}  # the instructions the chain holds
        for stage in df.stages:
            base = by_name.get(stage.base_image)
            parent = base if base is not None and base.index < stage.index else None
            own = frozenset(i.cmd for i in stage.instructions)
            self.parent[stage.index] = parent
            self.root[stage.index] = self.root[parent.index] if parent is not None else stage
            self.keywords[stage.index] = own | self.keywords[parent.index] if parent is not None else own

    def ancestors_have(self, stage: Stage, keyword: str) -> bool:
        """Whether a stage the stage builds on (not the stage itself) holds `keyword`."""
        parent = self.parent[stage.index]
        return parent is not None and keyword in self.keywords[parent.index]


def chains(df: Dockerfile) -> Chains:
    """The file's `Chains`, kept on the tree (the checks and json-args ask it per stage)."""
    memo = df._memo
    found = memo.get("stage-chains")
    if found is None:
        found = memo["stage-chains"] = Chains(df)
    return found


# --- the rules only reported ------------------------------------------------------------------


def check_stage_rules(r: Reporter) -> None:
    seen: set[str] = set()
    for stage in r.df.stages:
        name = stage.name.lower() if stage.name else None
        inst = stage.from_instruction
        if name:
            if name in RESERVED_STAGE_NAMES:
                r.report("ReservedStageName", inst, f'Stage name should not use the same name as reserved stage "{name}"')
            if name in seen:
                r.report("DuplicateStageName", inst, f'Duplicate stage name "{name}", stage names should be unique')
            seen.add(name)
            _definition_description(r, "FROM", [name], inst)
        platform = inst.flag_value("platform")
        if platform and "$" not in platform:
            _const_platform(r, inst, platform, name or "")
    for inst in r.df.instructions:
        if inst.cmd == "ARG":
            _definition_description(r, "ARG", [w.split("=", 1)[0] for w in inst.value], inst)


def _const_platform(r: Reporter, inst: Instruction, platform: str, stage_name: str) -> None:
    """reportConstPlatformDisallowed: a platform that parses, whose OS and architecture the
    stage's name does not mention."""
    parts = platform.lower().split("/")
    if len(parts) == 1:
        os_, arch = (parts[0], "amd64") if parts[0] in _OS else ("linux", _ARCH.get(parts[0]))
    else:
        os_, arch = parts[0], _ARCH.get(parts[1])
    if os_ not in _OS or arch is None or len(parts) > 3:
        return  # platforms.Parse fails: BuildKit stays silent here and errors later
    if os_ in stage_name or arch in stage_name:
        return
    r.report("FromPlatformFlagConstDisallowed", inst, f'FROM --platform flag should not use constant value "{platform}"')


def _definition_description(r: Reporter, kind: str, keys: list[str], inst: Instruction) -> None:
    """validateDefinitionDescription (experimental in BuildKit): the comment directly above a
    named stage or an ARG must start with the name."""
    comments = inst.comments  # a `# check=` comment counts too: BuildKit keeps it in PrevComment
    if not comments or not keys:
        return
    if comments[-1].split(" ")[0] in keys:
        return
    example = keys[0] if len(keys) == 1 else "<arg_key>"
    r.report("InvalidDefinitionDescription", inst, f"Comment for {kind} should follow the format: `# {example} <description>`")


def check_instruction_rules(r: Reporter, context: BuildContext | None) -> None:
    for stage in r.df.stages:
        workdir_set = chains(r.df).ancestors_have(stage, "WORKDIR")
        for inst in stage.instructions:
            if inst.cmd == "WORKDIR" and inst.value:
                path = _word(inst.value[0])
                if not workdir_set and not path.startswith("/") and not _windows_abs(inst.value[0]) and "$" not in path:
                    r.report("WorkdirRelativePath", inst, f'Relative workdir "{path}" can have unexpected results '
                             "if the base image changes")
                workdir_set = True
            elif inst.cmd == "EXPOSE":
                for port in inst.value:
                    if ":" in port.split("/", 1)[0]:
                        r.report("ExposeInvalidFormat", inst, "EXPOSE instruction should not define an IP address "
                                 f"or host-port mapping, found '{port}'")
    if context is not None:
        _copy_ignored(r, context)


def _word(raw: str) -> str:
    """A word as BuildKit's ProcessWord reads it (quotes removed; variables left as written)."""
    words = heredocs.shell_words(raw, raw_quotes=False, raw_escapes=False)
    return " ".join(words) if words else raw


def _windows_abs(path: str) -> bool:
    return bool(re.match(r"^[A-Za-z]:[\\/]", path)) or path.startswith("\\")


def _copy_ignored(r: Reporter, context: BuildContext) -> None:
    """validateCopySourcePath: a COPY/ADD source from the context that .dockerignore excludes
    (not checked when the ignore file has `!` exceptions, as in BuildKit)."""
    ignore = context.dockerignore
    if ignore.text is None or ignore.has_exclusions:
        return
    for inst in r.df.instructions:
        if inst.cmd not in ("COPY", "ADD") or inst.flag_value("from") is not None or inst.heredocs:
            continue
        sources = list(inst.value[:-1])
        for src in sources:
            if "$" in src or re.match(r"^[a-z][a-z0-9+.-]*://", src, re.I) or src.startswith("git@"):
                continue
            clean = go_clean(src.lstrip("/")) or "."
            if clean in (".", "/"):
                if not any(p in ("*", "**", "**/*") for p in ignore.patterns):
                    continue
            if clean == "." or ignore.excludes(clean):
                cmd = "Add" if inst.cmd == "ADD" else "Copy"
                r.report("CopyIgnoredFile", inst, f'Attempting to {cmd} file "{clean}" that is excluded by .dockerignore'
                         + (f" ({ignore.source})" if ignore.source else ""))


def lint_dockerfile(df: Dockerfile, context: BuildContext | None = None, *, rules: set[str] | None = None,
                    include_fixable: bool = False, experimental: bool = False) -> list[Finding]:
    """Every finding for `df`, in line order. Rules a codemod fixes are included only with
    `include_fixable` (the codemod is the answer to them)."""
    from refactor.checks.variables import check_variable_rules

    r = Reporter(df, rules, experimental)
    checks: list[Callable[[], None]] = [
        lambda: check_stage_rules(r),
        lambda: check_instruction_rules(r, context),
        lambda: check_variable_rules(r),
    ]
    if include_fixable:
        checks.append(lambda: check_syntax_rules(r))
    for c in checks:
        c()
    out = [f for f in r.findings if include_fixable or RULES[f.rule].codemod is None]
    return sorted(out, key=lambda f: (f.line, f.rule))


def iter_rules(include_fixable: bool) -> Iterator[str]:
    for name, rule in RULES.items():
        if include_fixable or rule.codemod is None:
            yield name

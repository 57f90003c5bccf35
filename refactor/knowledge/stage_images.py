"""What a stage is built on: the global ARGs a FROM line reads, the FROM reference with them
expanded, the chain of stages a stage builds on, the image at its root, and the family of a
stage (from its image, or from the package managers its RUNs call when the image says nothing)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from refactor.syntax.lazy_re import lazy

if TYPE_CHECKING:
    from refactor.syntax.nodes import Dockerfile, Instruction, Stage

from refactor.knowledge.baseimages import (
    _PM_FAMILY,
    _VAR,
    Family,
    ImageRef,
    image_family,
    package_manager_family,
    parse_image,
)


def global_args(df: Dockerfile) -> dict[str, str]:
    """The ARG defaults declared before the first FROM (those a FROM line can use)."""
    out: dict[str, str] = {}
    for inst in df.instructions:
        if inst.cmd == "FROM":
            break
        if inst.cmd == "ARG":
            for word in inst.value:
                key, eq, val = word.partition("=")
                if eq:
                    out[key] = _unquote(val)
                else:
                    out.setdefault(key, "")
    return out


def _unquote(s: str) -> str:
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def expand_from(image: str, args: dict[str, str]) -> str:
    """Substitute ARG defaults in a FROM image (`${V}`, `$V`, `${V:-x}`); a variable without
    a default is left as written, so the result still `has_variables`."""

    def sub(m: re.Match[str]) -> str:
        text = m.group(0)
        if not text.startswith("${"):
            val = args.get(text[1:])
            return val if val else text
        inner = text[2:-1]
        mm = re.fullmatch(r"([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?", inner, re.S)
        if mm is None:
            return text
        name, op, word = mm.group(1), mm.group(2) or "", mm.group(3) or ""
        val = args.get(name)
        if op in (":-", "-"):
            return val if val else word
        if op in (":+", "+"):
            return word if val else ""
        return val if val else text

    return _VAR.sub(sub, image)


_STAGES_BY_NAME: list = [None, {}]  # [the last file asked about, its stages by name]


def _stages_by_name(df: Dockerfile) -> dict[str, Stage]:
    # Built once per file, not once per call: callers ask for every stage's chain.
    if _STAGES_BY_NAME[0] is not df:
        _STAGES_BY_NAME[:] = [df, {s.name.lower(): s for s in df.stages if s.name}]
    return _STAGES_BY_NAME[1]


def stage_chain(df: Dockerfile, stage: Stage) -> list[Stage]:
    """`stage` and the stages it is built on (`FROM builder` -> builder -> ...), nearest first."""
    by_name = _stages_by_name(df)
    chain = [stage]
    seen = {stage.index}
    current = stage
    while True:
        base = current.base_image.lower()
        parent = by_name.get(base)
        if parent is None or parent.index in seen or parent.index >= current.index:
            return chain
        chain.append(parent)
        seen.add(parent.index)
        current = parent


def root_image(df: Dockerfile, stage: Stage, *, expand: bool = False) -> ImageRef:
    """The external image at the bottom of `stage`'s chain, as written (`node:${V}` stays
    templated: a build arg can change it). With `expand=True`, the global ARG defaults are
    substituted: what a build without `--build-arg` would use."""
    base = stage_chain(df, stage)[-1].base_image
    return parse_image(expand_from(base, global_args(df)) if expand else base)


def run_command_names(inst: Instruction) -> Iterator[str]:
    """The names of the commands a RUN runs (through sudo/env wrappers), heredoc bodies
    included; for text the shell parser cannot model, every word that looks like a command."""
    from refactor.shell.parse import parse_shell
    from refactor.syntax.edit import body_text

    texts: list[str] = []
    if inst.is_json:
        if inst.value:
            texts.append(" ".join(_shquote(v) for v in inst.value))
    else:
        # The body as written (the same text, and so the same cached parse, as the codemods'),
        # not the logical value: the shell parser reads continuations itself.
        texts.append(body_text(inst) if inst.args else "")
    texts.extend(h.content for h in inst.heredoc_info)
    for text in texts:
        script = parse_shell(text, inst.escape)
        for cmd in script.commands():
            if cmd.name:
                yield cmd.name
        for op in script.opaque():
            yield from _WORDISH.findall(op.raw)


_WORDISH = lazy(r"(?<![\w/.-])(?:/[\w./-]*/)?([A-Za-z][\w.+-]*)")


def _shquote(s: str) -> str:
    import shlex

    return shlex.quote(s)


def _mentions_package_manager(inst: Instruction) -> bool:
    texts = [inst.logical, *(h.content for h in inst.heredoc_info)]
    return any(pm in text for text in texts for pm in _PM_FAMILY)


def stage_family(df: Dockerfile, stage: Stage, chain: list[Stage] | None = None) -> Family:
    """The family of a stage: from its root image's name, else from the package managers its
    chain's RUN steps use (apt-get -> debian, apk -> alpine, dnf/yum/microdnf -> rhel). UNKNOWN
    when the name and the package managers disagree, and for a templated name (`FROM $BASE`),
    which a build arg can point anywhere. `chain`: `stage_chain(df, stage)`, when the caller
    has it already."""
    if chain is None:
        chain = stage_chain(df, stage)
    ref = parse_image(chain[-1].base_image)  # root_image(df, stage)
    if ref.name_has_variables:
        return Family.UNKNOWN  # `FROM $BASE`: whatever a build arg makes it
    by_name = image_family(ref)
    names: list[str] = []
    for s in chain:
        for inst in s.instructions:
            # Only a RUN whose text names a package manager can say anything: the others are
            # not shell-parsed here (a file of 10,000 RUNs must stay fast).
            if inst.cmd == "RUN" and _mentions_package_manager(inst):
                names.extend(run_command_names(inst))
    by_pm = package_manager_family(names)
    if by_name is Family.UNKNOWN:
        return by_pm if by_pm is not None else Family.UNKNOWN
    if by_pm is None or by_pm is by_name:
        return by_name
    if {by_pm, by_name} <= {Family.RHEL, Family.RHEL_MINIMAL}:
        return by_name  # ubi-minimal using dnf once installed, or ubi using microdnf
    return Family.UNKNOWN  # the name says one family, the package managers another


def family(subject: str | ImageRef | Stage, df: Dockerfile | None = None) -> Family:
    """The family of an image reference, or of a build stage (pass the Dockerfile too: the
    stage's `FROM` may name another stage or use ARG defaults, and its RUN steps' package
    managers count)."""
    from refactor.syntax.nodes import Stage

    if isinstance(subject, Stage):
        if df is None:
            return image_family(subject.base_image)
        return stage_family(df, subject)
    return image_family(subject)

"""The build checks about variables: UndefinedVar, UndefinedArgInFrom, InvalidDefaultArgInFrom,
and SecretsUsedInArgOrEnv.

BuildKit expands variables in the words of ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER,
VOLUME and WORKDIR (and ARG defaults) with the stage's environment, and reports every variable it
did not find, even one with a `${X:-default}` (UndefinedVar). That environment starts with the
base image's ENV, which dockwright cannot see without pulling the image: for a stage built on an
image, a name the file never sets is reported only when it looks like a typo of one it does set
(BuildKit's suggestion: edit distance under 3); for a stage built on `scratch` or on a stage of
the file whose chain starts at `scratch`, every unset name is reported.
"""
from __future__ import annotations

import re

from refactor.checks.findings import Reporter, chains
from refactor.syntax.buildkit import expand_variables
from refactor.syntax.heredocs import shell_words
from refactor.syntax.nodes import Dockerfile, Instruction
from refactor.syntax.stage_graph import BUILTIN_ARGS
from refactor.syntax.lazy_re import lazy

EXPANDING = frozenset({"ADD", "COPY", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"})
# Predefined build args usable without an ARG (BuildKit's proxy args are in every build's args).
PROXY_ARGS = frozenset({"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "ftp_proxy",
                        "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"})
# Names images commonly set in their config: never reported as typos when the base is an image.
COMMON_IMAGE_ENV = frozenset({"PATH", "HOME", "HOSTNAME", "LANG", "LC_ALL", "LANGUAGE", "TERM", "USER",
                              "JAVA_HOME", "GOPATH", "GOROOT", "CARGO_HOME", "RUSTUP_HOME", "GEM_HOME",
                              "BUNDLE_PATH", "PYTHONPATH", "NODE_VERSION", "YARN_VERSION", "PYTHON_VERSION",
                              "GOLANG_VERSION", "RUBY_VERSION", "PHP_VERSION", "JAVA_VERSION", "APP_ROOT",
                              "HOME_DIR", "PHP_INI_DIR", "NGINX_VERSION", "TZ"})
DEFAULT_PLATFORM = {"TARGETPLATFORM": "linux/amd64", "TARGETOS": "linux", "TARGETARCH": "amd64",
                    "TARGETVARIANT": "", "BUILDPLATFORM": "linux/amd64", "BUILDOS": "linux",
                    "BUILDARCH": "amd64", "BUILDVARIANT": "", "TARGETOSVERSION": "", "BUILDOSVERSION": "",
                    "TARGETSTAGE": ""}

_SECRET = lazy(r"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)")
_ALLOW = lazy(r"(?i)(?:_|^)(?:public|file|version)(?:_|$)")
# A reference as distribution/reference's ParseNormalizedNamed accepts it.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN = r"(?:localhost|(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)|\[[0-9a-fA-F:.]+\])(?::[0-9]+)?"
_REFERENCE = lazy(
    rf"^(?:{_DOMAIN}/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[\w][\w.-]{{0,127}})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)


_REFERENCE_AT = lazy(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")


def variables_in(text: str, escape: str = "\\") -> list[str]:
    """The names BuildKit's word processing looks up in `text` (not in single quotes, not
    escaped), in order."""
    out: list[str] = []
    if "$" not in text:
        return out
    i, n, quote = 0, len(text), ""
    while i < n:
        ch = text[i]
        if ch == escape and quote != "'":
            i += 2
            continue
        if ch == "'" and quote != '"':
            quote = "" if quote == "'" else "'"
        elif ch == '"' and quote != "'":
            quote = "" if quote == '"' else '"'
        elif ch == "$" and quote != "'":
            m = _REFERENCE_AT.match(text, i)
            if m:
                out.append(m.group(1) or m.group(2))
                i += 1
                continue
        i += 1
    return out


def suggest(name: str, options: set[str]) -> str | None:
    """util/suggest.Search, case-sensitive: the closest option under edit distance 3."""
    best, dist = None, 3
    for opt in sorted(options):
        if opt == name:
            return None
        if abs(len(opt) - len(name)) >= dist:  # the distance is at least that: not closer
            continue
        d = _levenshtein(name, opt)
        if d < dist:
            best, dist = opt, d
    return best


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def global_args(df: Dockerfile) -> tuple[dict[str, str | None], list[str]]:
    """The ARGs before the first FROM (name -> default, expanded with those above it) and
    every ARG name declared anywhere in the file."""
    known: dict[str, str | None] = {}
    every: list[str] = []
    in_global = True
    for inst in df.instructions:
        if inst.cmd == "FROM":
            in_global = False
        if inst.cmd != "ARG":
            continue
        for word in inst.value:
            name, eq, default = word.partition("=")
            every.append(name)
            if in_global:
                env = {**DEFAULT_PLATFORM, **{k: v for k, v in known.items() if v is not None}}
                known[name] = _arg_default(default, env) if eq else None
    return known, every


def _arg_default(raw: str, env: dict[str, str]) -> str | None:
    """An ARG default as BuildKit's ProcessWord reads it: quotes removed, variables expanded
    (None when a variable it uses has no value)."""
    words = shell_words(raw, raw_quotes=False, raw_escapes=False)
    if words is None:
        return None
    return expand_variables(" ".join(words), env)


def check_variable_rules(r: Reporter) -> None:
    df = r.df
    known, every = global_args(df)
    for inst in df.instructions:
        if inst.cmd in ("ARG", "ENV"):
            keys = [w.split("=", 1)[0] for w in inst.value] if inst.cmd == "ARG" else list(inst.value[::2])
            for key in keys:
                if _SECRET.search(key) and not _ALLOW.search(key):
                    r.report("SecretsUsedInArgOrEnv", inst,
                             f'Do not use ARG or ENV instructions for sensitive data ({inst.cmd} "{key}"): the value '
                             "stays in the image's history or config. Pass it as a build secret instead: "
                             f"`RUN --mount=type=secret,id={key.lower()},env={key} ...` with "
                             f"`docker build --secret id={key.lower()},env={key}`")
    _from_rules(r, known, every)
    for stage in df.stages:
        _undefined_vars(r, stage)


def _from_rules(r: Reporter, known: dict[str, str | None], every: list[str]) -> None:
    keys = set(known) | set(every) | BUILTIN_ARGS
    env = {**DEFAULT_PLATFORM, **{k: v for k, v in known.items() if v is not None}}
    for stage in r.df.stages:
        inst = stage.from_instruction
        texts = [stage.base_image] + ([stage.platform] if stage.platform else [])
        for text in texts:
            for name in dict.fromkeys(variables_in(text)):
                if name not in keys:
                    hint = suggest(name, keys)
                    r.report("UndefinedArgInFrom", inst, f"FROM argument '{name}' is not declared"
                             + (f" (did you mean {hint}?)" if hint else ""))
        base = stage.base_image
        if "$" in base:
            value = expand_variables(base, {k: v for k, v in env.items()}) if all(
                n in env for n in variables_in(base)) else _expand_missing_empty(base, env)
            if value is not None and not _REFERENCE.match(value):
                r.report("InvalidDefaultArgInFrom", inst,
                         f"Default value for ARG {base} results in empty or invalid base image name")


def _expand_missing_empty(text: str, env: dict[str, str]) -> str | None:
    """Expansion with unset names as empty (what BuildKit's defaults-only pass does)."""
    filled = dict(env)
    for name in variables_in(text):
        filled.setdefault(name, "")
    return expand_variables(text, filled)


def _undefined_vars(r: Reporter, stage) -> None:
    c = chains(r.df)
    from_image = c.root[stage.index].base_image.lower() != "scratch"
    defined: set[str] = set(_inherited(r.df, c, stage))
    for inst in stage.instructions:
        if inst.cmd in EXPANDING:
            text = inst.args
            extra = [f for f in inst.flags if f.startswith(("--chown=", "--chmod="))]
            for name in dict.fromkeys(variables_in(" ".join([*extra, text]), inst.escape)):
                if name in defined or name in PROXY_ARGS:
                    continue
                hint = suggest(name, defined)
                if from_image and (hint is None or name in COMMON_IMAGE_ENV):
                    continue  # the base image's ENV may set it: BuildKit knows, dockwright does not
                r.report("UndefinedVar", inst, f"Usage of undefined variable '${name}'"
                         + (f" (did you mean ${hint}?)" if hint else ""))
        if inst.cmd == "ARG":
            for word in inst.value:
                name, eq, default = word.partition("=")
                for used in dict.fromkeys(variables_in(default)) if eq else ():
                    if used in defined or used in PROXY_ARGS:
                        continue
                    hint = suggest(used, defined)
                    if from_image and (hint is None or used in COMMON_IMAGE_ENV):
                        continue
                    r.report("UndefinedVar", inst, f"Usage of undefined variable '${used}'"
                             + (f" (did you mean ${hint}?)" if hint else ""))
        defined |= _defines(inst)


def _inherited(df: Dockerfile, c, stage) -> frozenset[str]:
    """The variables the stages `stage` builds on define, kept per stage (in stage order, each
    from its parent's: walking each chain anew was quadratic)."""
    memo = df._memo.setdefault("lint-inherited", {})
    todo = []  # the stages up the chain not yet known, nearest first
    while stage.index not in memo:
        todo.append(stage)
        parent = c.parent[stage.index]
        if parent is None:
            memo[stage.index] = frozenset()
            todo.pop()
            break
        stage = parent
    for s in reversed(todo):
        parent = c.parent[s.index]
        own: set[str] = set()
        for inst in parent.instructions:
            own |= _defines(inst)
        memo[s.index] = memo[parent.index] | own
    return memo[todo[0].index] if todo else memo[stage.index]


def _defines(inst: Instruction) -> set[str]:
    if inst.cmd == "ENV":
        return set(inst.value[::2])
    if inst.cmd == "ARG":
        return {w.split("=", 1)[0] for w in inst.value}
    return set()

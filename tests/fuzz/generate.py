"""Fuzz inputs: real Dockerfiles mutated the way editors, CI templates and people break them.

`Generator(seed)` turns an index into one `Case` (text and engine configuration), always the
same case for the same (seed, index), so any finding can be regenerated from two numbers. The
seeds are the fixtures under corpus/ and, when present, the shared corpus of real Dockerfiles.
Each case stacks one to four mutations: continuations added and removed, here-documents,
parser directives, CRLF/BOM/NUL/unicode, exec/shell form toggled, flags, RUN snippets with odd
quoting and nested shell, long lines, big files and deep nesting.
"""
from __future__ import annotations

import os
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
SHARED_REAL = Path(os.environ.get("DOCKWRIGHT_SHARED_CORPUS", ROOT.parent / "shared" / "corpus" / "real"))


def codemod_ids() -> tuple[str, ...]:
    from refactor.codemods import by_id

    return tuple(by_id())

BUILDKIT_MAX_LINE = 65535  # bytes, without the "\n" (see refactor/syntax/lexer.py)


@dataclass(frozen=True)
class Seed:
    name: str
    text: str
    context: str | None  # a build-context folder that belongs with this Dockerfile


@dataclass
class Case:
    index: int
    text: str
    seed: str
    mutations: list[str] = field(default_factory=list)
    engine: bool = True
    select: tuple[str, ...] | None = None  # None: every codemod
    context: str | None = None  # a folder, or None for no build context


def _read(path: Path) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _is_dockerfile(p: Path) -> bool:
    n = p.name
    return p.is_file() and (n.endswith(".Dockerfile") or n.startswith("Dockerfile"))


def load_seeds(include_shared: bool = True) -> list[Seed]:
    seeds: list[Seed] = []
    for p in sorted(CORPUS.rglob("*")):
        if not _is_dockerfile(p) or "/context/" in str(p):
            continue
        text = _read(p)
        if text is None:
            continue
        ctx = None
        if (p.parent / "context").is_dir():
            ctx = str(p.parent / "context")
        elif p.name.startswith("Dockerfile") and len(list(p.parent.iterdir())) > 2:
            ctx = str(p.parent)  # multi-stage fixtures: the folder is the context
        seeds.append(Seed(str(p.relative_to(ROOT)), text, ctx))
    if include_shared and SHARED_REAL.is_dir():
        for p in sorted(SHARED_REAL.iterdir()):
            if p.is_file() and p.name != "MANIFEST.tsv":
                text = _read(p)
                if text is not None:
                    seeds.append(Seed(f"shared:{p.name}", text, None))
    return seeds


def context_pool(seeds: list[Seed]) -> list[str]:
    return sorted({s.context for s in seeds if s.context})


# --- building blocks --------------------------------------------------------------------------

SNIPPETS = [
    "apt-get update && apt-get install -y curl",
    "apt-get update && apt-get install -y --no-install-recommends curl ca-certificates",
    "apt install -y git",
    "apt-get update; apt-get install -y x && rm -rf /tmp/*",
    "apk add curl",
    "apk update && apk add --virtual .b gcc",
    "yum install -y httpd",
    "dnf install -y git && dnf clean all",
    "microdnf install -y tar",
    "zypper install -y git",
    "pip install flask",
    "pip3 install -r requirements.txt",
    "python -m pip install --upgrade pip",
    "npm install",
    "npm ci --only=production",
    "yarn install --frozen-lockfile",
    "pnpm install",
    "go mod download && go build -o /app .",
    "cargo build --release",
    "bundle install",
    "composer install",
    "mvn -B package",
    "useradd -m app && chown -R app /app",
    "echo 'it''s' \"a \\\"b\\\"\" `date` $(id -u) ${HOME:-/root}",
    "echo \"unclosed",
    "echo 'unclosed",
    "echo `unclosed",
    "echo $(unclosed",
    "for i in 1 2 3; do for j in a b; do echo $i$j; done; done && apt-get install -y x",
    "for p in a b; do apt-get install -y $p; done && rm -rf /var/lib/apt/lists/*",
    "if [ -f x ]; then apt-get install -y a; else apk add a; fi",
    "case $x in a) apt-get install -y a;; *) true;; esac",
    "f() { apt-get install -y \"$@\"; }; f curl",
    "( cd /x && npm install ) && { pip install y; }",
    "apt-get install -y a | tee log & wait",
    "t&apt install &\\ \"",
    "apt-get install -y a \\\\",
    "npm install \\\\",
    "x;\\\napt-get install \\\\\nn",
    "${v:U} <<O",
    "\"${p#}\" <<EOF",
    "${%} <<X",
    "echo ${a:-${b:-${c}}} $((1+2)) $[3] ${#x} ${x/y/z} ${!p}",
    "echo a\\ b 'c\\' \"d\\\\\" e\\\\ \\$f",
    "bash -c 'apt-get install -y x && rm -rf /var/lib/apt/lists/*'",
    "sh -c \"pip install a; npm install\"",
    "! apt-get install -y x || true",
    "apt-get install -y x # comment && rm",
    "a=1 b=2 apt-get install -y x",
    "exec 3<&0; cat <&3 >&2 2>/dev/null",
    "echo $'\\x41' $\"loc\"",
    "[[ -n $x ]] && (( y++ )) && apt-get install -y z",
    "time apt-get install -y a",
    "coproc x; wait",
    "apt-get update && apt-get install -y a && apt-get clean && rm -rf /var/lib/apt/lists/*",
    "pip install --no-cache-dir a",
    "apk add --no-cache a",
]

INSTRUCTIONS = [
    "FROM python:3.12-slim", "FROM node:20 AS build", "FROM golang:1.22 AS builder",
    "FROM debian:bookworm", "FROM alpine:3.19", "FROM scratch", "FROM ${BASE}", "FROM --platform=$BUILDPLATFORM x",
    "FROM build AS final", "FROM",
    "WORKDIR /app", "WORKDIR --", "WORKDIR", "WORKDIR $HOME/x", "WORKDIR --x",
    "COPY . .", "COPY requirements.txt .", "COPY package*.json ./", "COPY --from=build /app /app",
    "COPY --chown=app:app . /app", "ADD https://x/y.tgz /", "ADD . /src", "COPY --link a b",
    "USER app", "USER root", "USER 0", "USER 1000:1000", "USER", "USER --",
    "EXPOSE 80", "EXPOSE 8080/tcp", "EXPOSE", "EXPOSE $PORT",
    "ENV A=1 B=\"2 3\"", "ENV A 1", "ENV PATH=/venv/bin:$PATH", "ARG BASE=python:3", "ARG",
    "LABEL a=b", "VOLUME /data", "VOLUME [\"/data\"]", "STOPSIGNAL SIGTERM", "SHELL [\"/bin/bash\", \"-c\"]",
    "SHELL [\"powershell\"]", "HEALTHCHECK CMD curl -f http://localhost/", "HEALTHCHECK NONE",
    "ONBUILD RUN apt-get install -y x", "ONBUILD", "MAINTAINER me",
    "CMD [\"python\", \"app.py\"]", "CMD python app.py", "CMD [\"npm\", \"start\"]", "CMD",
    "ENTRYPOINT [\"/docker-entrypoint.sh\"]", "ENTRYPOINT exec node server.js", "CMD [\"a\", 1]",
    "CMD ['single']", "CMD [", "RUN", "RUN --", "RUN --mount=type=cache,target=/root/.cache pip install x",
    "RUN --network=none true", "run echo lower", "Run apt-get install -y X",
]

FLAGS = [
    "--mount=type=cache,target=/var/cache/apt", "--mount=type=secret,id=x", "--network=host",
    "--chown=1000:1000", "--chmod=755", "--from=build", "--link", "--platform=linux/amd64",
    "--security=insecure", "--", "--x=é", "--y=à", "--z=Å中", "--mount=type=bind,source=.,target=/s",
    "--=", "--a", "-x", "--chown=\"a b\"", "--from=${X}",
]

CHARS = [
    "\ufeff", "\x00", "é", "中", "\u0085", "\u00a0", "\u2028", "\u2029", "à", "Å", "\t", "\x0b",
    "\x0c", "\r", "😀", "\u200b", "\u3000", "\\", "`", "'", "\"", "$", "#", "<<", "&&", ";", "|",
    "\x1c", "\x7f", "ﬀ", "İ", "ß",
]

MARKERS = ["<<EOF", "<<-EOF", "<<'EOF'", '<<"EOF"', "<<''", '<<""', "3<<EOF", "<<E\\OF", "<<$X",
           "<<-'END'", "<< EOF", "<<EOF<<END", "cat <<EOF > /x", "<<\"\"", "<<EOF\\"]


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _nl(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _escape_of(text: str) -> str:
    return "`" if re.search(r"(?im)\A(?:\ufeff)?(?:#[^\n]*\n)*#\s*escape\s*=\s*`", text) else "\\"


def _instruction_lines(lines: list[str]) -> list[int]:
    return [i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")]


# --- mutations -------------------------------------------------------------------------------


def m_add_continuation(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    idx = _instruction_lines(lines)
    if not idx:
        return text
    i = rng.choice(idx)
    line = lines[i]
    spaces = [m.start() for m in re.finditer(r" ", line)]
    if not spaces:
        return text
    at = rng.choice(spaces)
    esc = _escape_of(text)
    brk = rng.choice([f" {esc}\n", f"{esc}\n", f" {esc} \n", f" {esc}\n# c\n", f" {esc}\n\n",
                      f" {esc}\r\n", f" {esc}\n   \n", f"{esc}\t\n  "])
    lines[i] = line[:at] + brk + "    " + line[at + 1:]
    return "".join(lines)


def m_remove_continuation(rng: random.Random, text: str) -> str:
    spots = [m for m in re.finditer(r"[\\`][ \t]*\r?\n", text)]
    if not spots:
        return text
    m = rng.choice(spots)
    return text[: m.start()] + rng.choice(["", " ", "\n"]) + text[m.end():]


def m_heredoc(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    idx = [i for i in _instruction_lines(lines) if re.match(r"\s*(RUN|COPY|ADD)\b", lines[i], re.IGNORECASE)]
    marker = rng.choice(MARKERS)
    nl = _nl(text)
    word = re.sub(r"^\d*<<-?\s*", "", marker.split()[-1] if marker.startswith("cat") else marker)
    word = word.strip("'\"") or ""
    if "<<" in word:
        word = "END"
    body = "".join(rng.choice(["echo hi", "apt-get install -y x", "  indented", "\tEOF", "# not a comment",
                               "", "set -e", "$HOME", "EOFX"]) + nl for _ in range(rng.randint(0, 3)))
    end = rng.choice([word, word, "\t" + word, word + " ", "", "EOF", "END"])
    tail = rng.choice([nl, nl, "", "\r" + nl])
    if idx and rng.random() < 0.6:
        i = rng.choice(idx)
        line = lines[i].rstrip("\r\n")
        lines[i] = line + " " + marker + nl + body + end + tail
        return "".join(lines)
    block = f"RUN {marker}{nl}{body}{end}{tail}"
    at = rng.randint(0, len(lines))
    lines.insert(at, block)
    return "".join(lines)


def m_directive(rng: random.Random, text: str) -> str:
    bom = text.startswith("\ufeff")
    body = text[1:] if bom else text
    d = rng.choice(["# escape=`", "# escape=\\", "# syntax=docker/dockerfile:1", "# check=skip=all",
                    "#escape = `", "# check=error=true", "# syntax=x", "# foo=bar", "# escape=x",
                    "# escape=`\n# escape=`", "# check=skip=all\n# escape=`"])
    nl = _nl(text)
    if "escape=`" in d and rng.random() < 0.7:
        body = re.sub(r"\\(?=[ \t]*\r?\n)", "`", body)
    return ("\ufeff" if bom or rng.random() < 0.1 else "") + d.replace("\n", nl) + nl + body


def m_line_endings(rng: random.Random, text: str) -> str:
    r = rng.random()
    if r < 0.35:
        return re.sub(r"\r?\n", "\r\n", text)
    if r < 0.5:
        return text.replace("\r\n", "\n")
    if r < 0.7:
        return text.rstrip("\r\n")
    if r < 0.85:
        lines = _lines(text)
        if lines:
            i = rng.randrange(len(lines))
            lines[i] = lines[i].rstrip("\r\n") + rng.choice(["\r\n", "\r\r\n", "\n", "\r"])
        return "".join(lines)
    return text + rng.choice(["\n", "\r\n", "\n\n", " ", "\t"])


def m_chars(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 3)):
        ch = rng.choice(CHARS)
        if ch == "\ufeff" and rng.random() < 0.5:
            text = ch + text
            continue
        at = rng.randint(0, len(text))
        text = text[:at] + ch + text[at:]
    return text


def m_exec_toggle(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    idx = [i for i in _instruction_lines(lines) if re.match(r"\s*(RUN|CMD|ENTRYPOINT|SHELL|HEALTHCHECK CMD)\b", lines[i], re.IGNORECASE)]
    if not idx:
        return text
    i = rng.choice(idx)
    line = lines[i]
    body = line.rstrip("\r\n")
    nl = line[len(body):]
    m = re.match(r"(\s*\S+\s+)(.*)$", body)
    if not m:
        return text
    head, args = m.groups()
    if args.startswith("["):
        words = re.findall(r'"((?:[^"\\]|\\.)*)"', args)
        new = " ".join(words) if rng.random() < 0.8 else args[1:]
    else:
        words = args.split()
        if rng.random() < 0.8:
            new = "[" + ", ".join('"' + w.replace("\\", "\\\\").replace('"', '\\"') + '"' for w in words) + "]"
        else:
            new = "[" + ", ".join(words) + rng.choice(["]", "", "] trailing", ",]"])
    lines[i] = head + new + nl
    return "".join(lines)


def m_flags(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    idx = _instruction_lines(lines)
    if not idx:
        return text
    i = rng.choice(idx)
    m = re.match(r"(\s*\S+)", lines[i])
    if not m:
        return text
    flags = " ".join(rng.choice(FLAGS) for _ in range(rng.randint(1, 3)))
    lines[i] = m.group(1) + " " + flags + lines[i][m.end():]
    return "".join(lines)


def m_snippet(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    nl = _nl(text)
    esc = _escape_of(text)
    parts = [rng.choice(SNIPPETS) for _ in range(rng.randint(1, 3))]
    joiner = rng.choice([" && ", "; ", f" && {esc}{nl}    ", f" {esc}{nl}  && ", " || ", " & ", f"; {esc}{nl}"])
    body = joiner.join(parts)
    if esc == "`":
        body = body.replace("\\\n", "`\n")
    block = rng.choice(["RUN ", "RUN ", "RUN --mount=type=cache,target=/root/.cache ", "ONBUILD RUN ", "run "]) + body + nl
    at = rng.randint(0, len(lines))
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += nl
    lines.insert(at, block)
    return "".join(lines)


def m_instruction(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    nl = _nl(text)
    block = rng.choice(INSTRUCTIONS) + nl
    r = rng.random()
    if r < 0.6 or not lines:
        at = rng.randint(0, len(lines))
        if at == len(lines) and lines and not lines[-1].endswith("\n"):
            lines[-1] += nl
        lines.insert(at, block)
    elif r < 0.8:
        del lines[rng.randrange(len(lines))]
    else:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return "".join(lines)


def m_comment(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    nl = _nl(text)
    c = rng.choice(["# comment", "  # indented", "#", "# dockwright: ignore", "# dockwright: ignore=apt-cleanup",
                    "# dockwright: skip-file", "#!/bin/sh", "# é 中"]) + nl
    at = rng.randint(0, len(lines))
    if at == len(lines) and lines and not lines[-1].endswith("\n"):
        lines[-1] += nl
    lines.insert(at, c)
    return "".join(lines)


def m_long_line(rng: random.Random, text: str) -> str:
    nl = _nl(text)
    unit = rng.choice(["a", "é", "中", "😀", "x y ", "&& true "])
    ub = len(unit.encode())
    prefix = "RUN apt-get update && apt-get install -y curl && echo "
    target = rng.choice([BUILDKIT_MAX_LINE - 40, BUILDKIT_MAX_LINE - 1, BUILDKIT_MAX_LINE, BUILDKIT_MAX_LINE + 1,
                         40000, 100_000])
    target += rng.randint(-3, 3)
    n = max(0, (target - len(prefix)) // ub)
    line = prefix + unit * n
    if rng.random() < 0.3:
        line = "# " + unit * n  # a long comment line
    return text + ("" if text.endswith("\n") or not text else nl) + line + rng.choice([nl, ""])


def m_long_logical(rng: random.Random, text: str) -> str:
    """A 100k-character logical line made of many short physical lines."""
    nl = _nl(text)
    esc = _escape_of(text)
    n = rng.choice([200, 2000, 5000])
    part = rng.choice(["apt-get install -y pkg", "echo x", "pip install a", "a=1"])
    body = f" && {esc}{nl}    ".join(f"{part}{k}" for k in range(n))
    return text + ("" if text.endswith("\n") or not text else nl) + "RUN " + body + nl


def m_big_file(rng: random.Random, text: str) -> str:
    """About 10,000 lines, or just under the 2,000 instructions the engine analyses in one file:
    the file's instructions repeated, many small RUNs, or one line of the file repeated after its
    first (ENVs, relative WORKDIRs, RUNs to fix: what a work per step that grows with the steps
    before it makes quadratic), numbered or not."""
    nl = _nl(text)
    size = rng.choice([1990, 10000])
    pick = rng.random()
    if pick < 0.35 and text.strip():
        lines = _lines(text if text.endswith("\n") else text + nl)
        reps = max(1, size // max(1, len(lines)))
        return "".join(lines) * reps
    singles = [ln for ln in _lines(text) if ln.strip() and not ln.rstrip("\r\n").endswith("\\")]
    if pick < 0.7 and len(singles) > 1:
        line = rng.choice(singles[1:]).rstrip("\r\n")
        numbered = rng.random() < 0.5
        return singles[0] + "".join(f"{line}{k if numbered else ''}{nl}" for k in range(size))
    head = "FROM debian:bookworm" + nl
    return head + "".join(f"RUN {rng.choice(SNIPPETS)}{nl}" for _ in range(size))


def m_deep_nesting(rng: random.Random, text: str) -> str:
    nl = _nl(text)
    depth = rng.choice([50, 500, 3000])
    kind = rng.randrange(6)
    if kind == 0:
        body = "echo " + "$(" * depth + "x" + ")" * depth
    elif kind == 1:
        body = "{ " * depth + "true; " + "} " * depth
    elif kind == 2:
        body = "( " * depth + "apt-get install -y x" + " )" * depth
    elif kind == 3:
        body = "if true; then " * depth + "apt-get install -y x; " + "fi; " * depth
    elif kind == 4:
        body = "for i in a; do " * min(depth, 500) + "apt-get install -y x; " + "done; " * min(depth, 500)
    else:
        body = "echo " + "\"$(echo '" * depth + "x" + "')\"" * depth
    return text + ("" if text.endswith("\n") or not text else nl) + "RUN " + body + nl


def m_splice(rng: random.Random, text: str, other: str) -> str:
    a, b = _lines(text), _lines(other)
    if not a or not b:
        return text + other
    i, j = rng.randrange(len(a) + 1), rng.randrange(len(b))
    k = rng.randint(j, min(len(b), j + 20))
    return "".join(a[:i] + b[j:k] + a[i:])


def m_truncate(rng: random.Random, text: str) -> str:
    if not text:
        return text
    return text[: rng.randrange(len(text) + 1)]


# (mutation, weight); the cheap ones dominate, the expensive ones (big, long) are rarer.
MUTATIONS = [
    (m_add_continuation, 10), (m_remove_continuation, 8), (m_heredoc, 10), (m_directive, 6),
    (m_line_endings, 8), (m_chars, 8), (m_exec_toggle, 6), (m_flags, 6), (m_snippet, 14),
    (m_instruction, 10), (m_comment, 5), (m_truncate, 2), (m_long_line, 0.6), (m_long_logical, 0.5),
    (m_big_file, 0.3), (m_deep_nesting, 0.8),
]
_FUNCS = [m for m, _ in MUTATIONS]
_HEAVY = {m_long_line, m_long_logical, m_big_file, m_deep_nesting}
_LIGHT_FUNCS = [m for m, _ in MUTATIONS if m not in _HEAVY]
_LIGHT_WEIGHTS = [w for m, w in MUTATIONS if m not in _HEAVY]


class Generator:
    def __init__(self, seed: int, seeds: list[Seed] | None = None, engine_rate: float = 0.4,
                 context_rate: float = 0.4, heavy_rate: float = 1.0) -> None:
        """`heavy_rate` scales the weights of the big-input mutations (long lines, big files,
        deep nesting): they take most of a campaign's time, so a long campaign may run them
        less often to check more inputs in its budget (the inputs depend on it, like the seed)."""
        self.seed = seed
        self.seeds = seeds if seeds is not None else load_seeds()
        self.contexts = context_pool(self.seeds)
        self.engine_rate = engine_rate
        self.context_rate = context_rate
        self.codemods = codemod_ids()
        self.weights = [w * heavy_rate if m in _HEAVY else w for m, w in MUTATIONS]

    def case(self, index: int) -> Case:
        return self.build(random.Random(f"{self.seed}:{index}"), index)

    def build(self, rng: random.Random, index: int = 0, heavy: bool = True) -> Case:
        """One case from `rng`; `heavy=False` leaves out the big-input mutations (quick tests)."""
        funcs, weights = (_FUNCS, self.weights) if heavy else (_LIGHT_FUNCS, _LIGHT_WEIGHTS)
        seed = rng.choice(self.seeds)
        text = seed.text
        names = []
        for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
            if rng.random() < 0.05:
                other = rng.choice(self.seeds)
                text = m_splice(rng, text, other.text)
                names.append("splice")
                continue
            fn = rng.choices(funcs, weights)[0]
            text = fn(rng, text)
            names.append(fn.__name__[2:])
        case = Case(index, text, seed.name, names)
        case.engine = rng.random() < self.engine_rate
        if rng.random() < 0.2:
            case.select = (rng.choice(self.codemods),)
        if rng.random() < self.context_rate and self.contexts:
            case.context = seed.context if seed.context and rng.random() < 0.7 else rng.choice(self.contexts)
        return case

"""A small line-based YAML reader for the configuration files dockwright looks into (compose,
kamal, Kubernetes manifests): block mappings and sequences by indentation, plain and quoted
scalars, flow sequences of scalars (`[80, "443:443"]`), block scalars (`|`, `>`) kept as text,
comments and `---` document breaks. Every value keeps its line number, so a finding can name
`file:line`. Aliases, merge keys, tags and flow mappings are not resolved: the node holding one
has `unsure` set (a document root too when lines were not understood), and callers treat an
unsure node as saying whatever they fear it says.

    docs = read(text)                  # [Node(dict), ...] one per document
    docs[0].get("services").value      # {"web": Node(...), ...}
    node.line, node.scalar()           # 12, "8080:80"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from refactor.syntax.lazy_re import lazy

_KEY = lazy(r"""^(?P<key>"[^"]*"|'[^']*'|[^\s#'"\[\]{}][^#]*?)\s*:(?:\s+(?P<rest>.*))?$""")


@dataclass
class Node:
    """A mapping (dict of key -> Node), a sequence (list of Node) or a scalar (str), with the
    line it starts on (1-based)."""

    value: object
    line: int
    unsure: bool = field(default=False, compare=False)

    def get(self, key: str) -> Node | None:
        return self.value.get(key) if isinstance(self.value, dict) else None

    def scalar(self) -> str | None:
        return self.value if isinstance(self.value, str) else None

    def items(self) -> list[Node]:
        return self.value if isinstance(self.value, list) else []

    def walk(self):
        """This node and every node under it."""
        yield self
        if isinstance(self.value, dict):
            for v in self.value.values():
                yield from v.walk()
        elif isinstance(self.value, list):
            for v in self.value:
                yield from v.walk()


def _strip_comment(text: str) -> str:
    out, quote = [], None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'" and (i == 0 or text[i - 1] in " \t:[,-"):
            quote = ch
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        out.append(ch)
    return "".join(out).rstrip()


def _unquote(s: str) -> str:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        return s[1:-1]
    return s


def _scalar(text: str, line: int) -> Node:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1].strip()
        parts = [p for p in re.findall(r"""\s*("[^"]*"|'[^']*'|[^,]+)\s*,?""", inner)] if inner else []
        return Node([Node(_unquote(p), line) for p in parts], line, unsure=any("{" in p for p in parts))
    unsure = text.startswith(("*", "!", "{"))  # an alias, a tag, a flow mapping
    return Node(_unquote(text), line, unsure=unsure)


class _Reader:
    def __init__(self, lines: list[tuple[int, int, str]]) -> None:
        self.lines = lines  # (line number, indent, content without comment)
        self.i = 0
        self.unsure = False

    def block(self, indent: int) -> Node | None:
        if self.i >= len(self.lines):
            return None
        _, ind, text = self.lines[self.i]
        if ind < indent:
            return None
        if text == "-" or text.startswith("- "):
            return self.sequence(ind)
        return self.mapping(ind)

    def sequence(self, indent: int) -> Node:
        items: list[Node] = []
        start = self.lines[self.i][0]
        while self.i < len(self.lines):
            n, ind, text = self.lines[self.i]
            if ind != indent or not (text == "-" or text.startswith("- ")):
                break
            rest = text[1:].strip()
            if not rest:
                self.i += 1
                items.append(self.block(indent + 1) or Node("", n))
                continue
            # `- key: value` opens a mapping whose keys sit at the column after "- "
            col = indent + len(text) - len(text[1:].lstrip())
            if _KEY.match(rest):
                self.lines[self.i] = (n, col, rest)
                items.append(self.mapping(col))
            else:
                self.i += 1
                items.append(self._value(rest, n, indent))
        return Node(items, start)

    def mapping(self, indent: int) -> Node:
        out: dict[str, Node] = {}
        merged = False
        start = self.lines[self.i][0]
        while self.i < len(self.lines):
            n, ind, text = self.lines[self.i]
            if ind != indent:
                if ind > indent:  # a line deeper than its mapping: not understood
                    self.unsure = True
                    self.i += 1
                    continue
                break
            m = _KEY.match(text)
            if m is None or text.startswith("- "):
                if text.startswith("- "):
                    break
                self.unsure = True
                self.i += 1
                continue
            key = _unquote(m.group("key"))
            rest = (m.group("rest") or "").strip()
            anchor = re.match(r"^&\S+\s*", rest)
            if anchor:  # an anchor's name: the value is what follows it
                rest = rest[anchor.end():]
            if key == "<<":
                merged = True  # keys merged in from elsewhere: this mapping holds more than it shows
            self.i += 1
            if rest:
                out[key] = self._value(rest, n, indent)
            else:
                # a sequence may sit at the key's own column
                child = None
                if self.i < len(self.lines):
                    _, cind, ctext = self.lines[self.i]
                    if cind > indent or (cind == indent and (ctext == "-" or ctext.startswith("- "))):
                        child = self.block(cind)
                out[key] = child if child is not None else Node("", n)
        return Node(out, start, unsure=merged)

    def _value(self, rest: str, n: int, indent: int) -> Node:
        if rest[:1] in "|>":
            parts = []
            while self.i < len(self.lines) and self.lines[self.i][1] > indent:
                parts.append(self.lines[self.i][2])
                self.i += 1
            return Node("\n".join(parts), n)
        node = _scalar(rest, n)
        # a plain scalar continued on deeper lines
        while self.i < len(self.lines) and self.lines[self.i][1] > indent and isinstance(node.value, str) \
                and not _KEY.match(self.lines[self.i][2]) and not self.lines[self.i][2].startswith("- "):
            node.value += " " + self.lines[self.i][2]
            self.i += 1
        return node


def read(text: str) -> list[Node]:
    """The documents of `text`; each root node's `unsure` is set when part of it was not
    understood."""
    docs: list[list[tuple[int, int, str]]] = [[]]
    raw = text.splitlines()
    k = 0
    while k < len(raw):
        line = raw[k]
        n = k + 1
        k += 1
        if line.startswith(("---", "...")):
            docs.append([])
            continue
        body = _strip_comment(line.replace("\t", "    "))
        if not body.strip() or body.lstrip().startswith("%"):
            continue
        indent = len(body) - len(body.lstrip())
        content = body.strip()
        docs[-1].append((n, indent, content))
        if re.search(r":\s*[|>][-+0-9]*$", content) or re.match(r"^-\s*[|>][-+0-9]*$", content):
            # a block scalar: its lines are text, whatever they look like
            while k < len(raw) and (not raw[k].strip() or len(raw[k]) - len(raw[k].lstrip()) > indent):
                if raw[k].strip():
                    docs[-1].append((k + 1, indent + 1 + 1000, raw[k].strip()))
                k += 1
    out: list[Node] = []
    for lines in docs:
        if not lines:
            continue
        r = _Reader(lines)
        node = r.block(lines[0][1]) or Node({}, lines[0][0])
        if r.i < len(lines):
            r.unsure = True
        node.unsure = node.unsure or r.unsure
        out.append(node)
    return out

"""The properties every input must have, as functions that return findings instead of raising.

`check_parse(text)`: the parser round-trips the text byte for byte (and the engine's internal
re-parser builds the same tree), or raises a clean ParseError; and it reads the file exactly as
BuildKit does (the `dockerfile` package), save for the documented differences below.

`check_engine(text, select, context)`: the engine with the selected codemods (None: all), with
or without a build context, lets no exception escape, refuses nothing, swallows no internal
error, and its output is read by BuildKit, keeps every comment, the line ending and the escape
character, is a fixed point of a second run, and took under 2 s of CPU time.

A finding is (class, detail): the class is a short normalised key that groups one bug.
"""
from __future__ import annotations

import re
import signal
import time
import zlib
from collections import Counter
from pathlib import Path

from oracle import oracle_commands

from refactor import ParseError, parse_dockerfile
from refactor.engine import make_selection, refactor_text
from refactor.syntax.commands import buildkit_commands
from refactor.syntax.nodes import Comment, Continuation, Dockerfile
from refactor.syntax.parser import reparse_generated

ENGINE_SECONDS = 2.0
REPARSE_ALWAYS = 4096  # characters: inputs up to this size always get the re-parser check
NO_CONTEXT = Path("/nonexistent-dockwright-context")

Finding = tuple[str, str]
HANG_SECONDS = 10.0  # CPU seconds (the alarm counts this process's CPU: a loaded machine does not fire it)


class Hang(BaseException):
    """Raised by the alarm inside a run that takes too long (BaseException: the engine's
    `except Exception` must not swallow it)."""


def _alarm(signum, frame):
    raise Hang()


def _where(tb) -> str:
    """The innermost refactor/ frame of a traceback: file:function."""
    where = ""
    while tb is not None:
        code = tb.tb_frame.f_code
        if "/refactor/" in code.co_filename:
            where = f"{Path(code.co_filename).name}:{code.co_name}"
        tb = tb.tb_next
    return where


def norm(message: str, limit: int = 90) -> str:
    """A message with its specifics (quoted text, numbers, paths) blanked, for grouping."""
    s = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", "Q", message)
    s = re.sub(r"/\S+", "P", s)
    s = re.sub(r"\d+", "N", s)
    return s[:limit]


# --- documented differences from BuildKit v0.12.5 (the oracle) ------------------------------

_CHECK_DIRECTIVE = re.compile(r"#[\t\f\r ]*check[\t\f\r ]*=", re.IGNORECASE)


def _header_has_check(text: str) -> bool:
    for line in text.lstrip("\ufeff").split("\n")[:10]:
        if _CHECK_DIRECTIVE.match(line.strip(" \t\r\v\f")):  # every blank BuildKit trims
            return True
        if not line.lstrip().startswith("#"):
            break
    return False


def documented(text: str) -> str | None:
    """Which documented oracle difference applies to a whole input, if any."""
    if "\x00" in text:
        return "nul"  # the oracle passes C strings: the text ends at the first NUL
    if _header_has_check(text):
        return "check-directive"  # BuildKit 0.12 predates `# check=`
    return None


def _first_difference(ours: list[dict], theirs: list[dict]) -> tuple[str, int]:
    if len(ours) != len(theirs):
        return "instruction count", -1
    for i, (a, b) in enumerate(zip(ours, theirs)):
        for k in a:
            if a[k] != b.get(k):
                return f"{k} of {b.get('cmd')}", i
    return "?", -1


def _disagreement(text: str, what: str, detail: str, flags: list[str] = ()) -> Finding:
    doc = documented(text)
    if doc is None and any(not f.isascii() for f in flags):
        # BuildKit's extractBuilderFlags reads flags byte by byte: a non-ASCII flag comes out
        # as Latin-1 mojibake, and a 0x85/0xA0 byte inside a character splits the word.
        doc = "flag-bytes"
    if doc:
        return (f"documented:{doc}", detail)
    return (f"oracle:{what}", detail)


_GO_SPACE_BYTES = frozenset(b"\t\n\v\f\r \x85\xa0")  # unicode.IsSpace(rune(b)) for a byte b


def _builder_flags(units, space, dash, quotes, backslash) -> tuple[list, object]:
    """BuildKit's extractBuilderFlags over `units` (bytes, as Go reads them, or characters):
    (flag words, rest of the line)."""
    words, word, phase, quote, blank_ok, pos, n = [], [], "spaces", None, False, 0, len(units)
    while pos <= n:
        ch = units[pos] if pos < n else None
        if phase == "spaces":
            if ch is None:
                break
            if space(ch):
                pos += 1
                continue
            if ch != dash or pos + 1 == n or units[pos + 1] != dash:
                return words, units[pos:]
            phase = "word"
        if ch is None:
            if word != [dash, dash] and (blank_ok or word):
                words.append(word)
            break
        if phase == "word":
            if space(ch):
                phase = "spaces"
                if word == [dash, dash]:
                    return words, units[pos:]
                if blank_ok or word:
                    words.append(word)
                word, blank_ok = [], False
            elif ch in quotes:
                quote, blank_ok, phase = ch, True, "quote"
            elif ch == backslash and pos + 1 == n:
                pass  # a backslash ending the line is skipped
            else:
                if ch == backslash:
                    pos += 1
                    ch = units[pos]
                word.append(ch)
        else:
            if ch == quote:
                phase = "word"
            else:
                if ch == backslash:
                    if pos + 1 == n:
                        phase = "word"
                        pos += 1
                        continue
                    pos += 1
                    ch = units[pos]
                word.append(ch)
        pos += 1
    return words, units[n:]


def flag_bytes_split(text: str) -> bool:
    """Whether BuildKit 0.12's byte-wise flag reading splits some instruction's flags differently
    from a reading by characters (a 0x85/0xA0 byte inside a multi-byte character is a blank to
    it): the documented flag-byte difference, whatever it then makes of the instruction."""
    for line in text.split("\n"):
        head = line.lstrip(" \t")
        cut = next((k for k, c in enumerate(head) if c in " \t"), None)
        if cut is None or head.isascii():
            continue
        rest = head[cut:]
        as_chars = _builder_flags(rest, str.isspace, "-", "'\"", "\\")
        raw = rest.encode()
        as_bytes = _builder_flags(raw, _GO_SPACE_BYTES.__contains__, 45, (39, 34), 92)
        if ([bytes(w) for w in as_bytes[0]], bytes(as_bytes[1])) != (
                ["".join(w).encode() for w in as_chars[0]], as_chars[1].encode()):
            return True
    return False


ORACLE_MAX_CHARS = 4_000_000  # the oracle takes ~12 s per MB of long non-ASCII lines


def _oracle(text: str):
    """oracle_commands, or ("invalid-utf8", ...) when BuildKit 0.12's byte-wise flag reading
    (HEALTHCHECK's too) cut a character in two and the binding cannot decode its answer, or
    ("too-big", ...) for inputs the oracle would take minutes over (not compared)."""
    if len(text) > ORACLE_MAX_CHARS:
        return ("too-big", f"{len(text):,} characters: not compared with the oracle")
    try:
        return oracle_commands(text)
    except UnicodeDecodeError as e:
        return ("invalid-utf8", str(e))


def check_parse(text: str) -> tuple[list[Finding], Dockerfile | None]:
    findings: list[Finding] = []
    theirs = _oracle(text)
    if theirs[0] == "too-big":
        df = _parse_or_none(text)
        return [("skipped:oracle on an input over 4 MB", theirs[1])], df
    if theirs[0] == "invalid-utf8":
        if not text.isascii():
            return [("documented:flag-bytes", "the oracle's answer is not UTF-8")], _parse_or_none(text)
        return [("oracle:answer not UTF-8", theirs[1])], _parse_or_none(text)
    try:
        df = parse_dockerfile(text)
    except ParseError as e:
        if e.line < 1 or e.column < 1:
            findings.append(("parse:bad-position", e.message))
        if not isinstance(theirs, tuple):
            if not text.isascii() and not documented(text) and flag_bytes_split(text):
                findings.append(("documented:flag-bytes", "a flag split byte-wise: " + norm(e.message)))
            else:
                findings.append(_disagreement(text, "we-reject", norm(e.message)))
        return findings, None
    except Exception as e:  # noqa: BLE001 - any other exception is the finding
        return [(f"parse-crash:{type(e).__name__}", norm(str(e)))], None
    if df.code != text:
        findings.append(("parse:round-trip", ""))
    if len(text) <= REPARSE_ALWAYS or zlib.crc32(text.encode("utf-8", "surrogatepass")) % 4 == 0:
        # The engine's re-parser against the parser: on every small input, and on a fixed
        # quarter of the big ones (two more parses and a tree comparison were a fifth of a
        # campaign's time, spent mostly on its few big inputs).
        try:
            if not reparse_generated(text).deep_equals(df):
                findings.append(("parse:reparse-differs", ""))
        except Exception as e:  # noqa: BLE001
            findings.append((f"parse:reparse-crash:{type(e).__name__}", norm(str(e))))
    if isinstance(theirs, tuple):
        if not text.isascii() and not documented(text) and flag_bytes_split(text):
            findings.append(("documented:flag-bytes", "a flag split byte-wise: " + norm(theirs[1])))
        else:
            findings.append(_disagreement(text, "we-accept", norm(theirs[1])))
    else:
        ours = buildkit_commands(df)
        if ours != theirs:
            what, i = _first_difference(ours, theirs)
            if not text.isascii() and not documented(text) and flag_bytes_split(text):
                findings.append(("documented:flag-bytes", "a flag split byte-wise: " + what))
            else:
                findings.append(_disagreement(text, what, what, theirs[i]["flags"] if i >= 0 else ()))
    return findings, df


def _parse_or_none(text: str) -> Dockerfile | None:
    try:
        return parse_dockerfile(text)
    except ParseError:
        return None


def comment_lines(df: Dockerfile) -> Counter[str]:
    lines: Counter[str] = Counter()
    for inst in df.instructions:
        for t in inst.leading:
            if type(t) is Comment:
                lines[t.text.strip()] += 1
        for p in inst.pieces:
            if type(p) is Continuation:
                for t in p.lines:
                    if type(t) is Comment:
                        lines[t.text.strip()] += 1
    for t in df.trailing:
        if type(t) is Comment:
            lines[t.text.strip()] += 1
    return lines


def line_style(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    if crlf and not lf:
        return "crlf"
    if lf and not crlf:
        return "lf"
    return "mixed" if crlf else "none"


_SELECTIONS: dict[tuple[str, ...] | None, object] = {}


def _selection(select: tuple[str, ...] | None):
    if select not in _SELECTIONS:
        _SELECTIONS[select] = make_selection(list(select)) if select else make_selection()
    return _SELECTIONS[select]


def run_engine(text: str, select: tuple[str, ...] | None, context: str | None):
    """(result or None, exception or None, CPU seconds)."""
    if context:
        path, ctx = Path(context) / "Dockerfile", Path(context)
    else:
        path, ctx = Path("/nonexistent-dockwright-context/Dockerfile"), NO_CONTEXT
    t0 = time.process_time()
    old = signal.signal(signal.SIGVTALRM, _alarm)
    signal.setitimer(signal.ITIMER_VIRTUAL, HANG_SECONDS)
    try:
        result = refactor_text(text, path, ctx, _selection(select))
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        return None, e, time.process_time() - t0
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, old)
    return result, None, time.process_time() - t0


def _result_findings(result, stage: str) -> list[Finding]:
    out: list[Finding] = []
    if result.error and ": refused: " in result.error:
        out.append((f"refused{stage}:{norm(result.error.split(': refused: ', 1)[1])}", result.error[-300:]))
    for s in result.skips:
        if "internal error" in s.reason:
            head = s.reason.split(": ", 2)
            kind = head[1] if len(head) > 1 else ""
            msg = head[2] if len(head) > 2 else ""
            out.append((f"swallowed{stage}:{s.codemod}:{kind}:{norm(msg, 60)}", s.reason[:300]))
    return out


def check_engine(text: str, select: tuple[str, ...] | None = None, context: str | None = None,
                 input_tree: Dockerfile | None = None, seconds: float = ENGINE_SECONDS) -> tuple[list[Finding], dict]:
    """`input_tree`: the parse of `text` when the caller has it (the engine only runs on input
    that parses)."""
    stats = {"engine_runs": 1, "engine_seconds": 0.0, "changed": False}
    result, exc, secs = run_engine(text, select, context)
    stats["engine_seconds"] = secs
    if isinstance(exc, Hang):
        return [(f"hang:{_where(exc.__traceback__)}", f"over {HANG_SECONDS} s")], stats
    if exc is not None:
        return [(f"escaped:{type(exc).__name__}:{_where(exc.__traceback__)}", norm(str(exc)))], stats
    findings = _result_findings(result, "")
    if secs > seconds:
        findings.append(("slow:engine over 2 s", f"{secs:.2f} s"))
    if result.error and ": refused: " not in result.error:
        if input_tree is not None:
            findings.append(("engine:error on parsed input", result.error[-200:]))
        return findings, stats
    if not result.changed or result.output == text:
        return findings, stats
    stats["changed"] = True
    out = result.output
    theirs = _oracle(out)
    if isinstance(theirs, tuple) and theirs[0] == "error" and not documented(text):
        findings.append(("output:rejected by BuildKit", norm(theirs[1])))
    try:
        out_tree = parse_dockerfile(out)
    except ParseError as e:
        findings.append(("output:does not parse", norm(e.message)))
        return findings, stats
    before = input_tree if input_tree is not None else parse_dockerfile(text)
    if comment_lines(before) - comment_lines(out_tree):
        findings.append(("output:comment lost", repr(next(iter(comment_lines(before) - comment_lines(out_tree))))[:80]))
    style = line_style(text)
    if style in ("crlf", "lf") and line_style(out) not in (style, "none"):
        findings.append((f"output:{style} file gets other line endings", ""))
    if "\r" not in text and "\r" in out:
        findings.append(("output:CR added", ""))
    if out_tree.escape != before.escape:
        findings.append(("output:escape char changed", f"{before.escape!r} -> {out_tree.escape!r}"))
    again, exc2, secs2 = run_engine(out, select, context)
    stats["engine_runs"] += 1
    if isinstance(exc2, Hang):
        findings.append((f"hang:{_where(exc2.__traceback__)}", f"2nd run over {HANG_SECONDS} s"))
    elif exc2 is not None:
        findings.append((f"escaped-2nd:{type(exc2).__name__}", norm(str(exc2))))
    else:
        findings.extend(_result_findings(again, "-2nd"))
        if again.error is None and (again.output != out or again.edits):
            codemods = ",".join(sorted({e.codemod for e in again.edits}))
            findings.append((f"idempotence:{codemods}", norm(again.edits[0].summary) if again.edits else ""))
    if secs2 > seconds:
        findings.append(("slow:engine over 2 s", f"2nd run {secs2:.2f} s"))
    return findings, stats


def check_case(text: str, engine: bool, select: tuple[str, ...] | None, context: str | None) -> tuple[list[Finding], dict]:
    """Everything for one generated input."""
    t0 = time.process_time()
    findings, df = check_parse(text)
    stats = {"parsed": df is not None, "parse_seconds": time.process_time() - t0, "engine_runs": 0,
             "with_context": 0}
    if df is not None and engine:
        f2, s2 = check_engine(text, select, context, df)
        findings.extend(f2)
        stats.update(s2)
        stats["with_context"] = s2["engine_runs"] if context else 0
    return findings, stats


NOT_FAILURES = ("documented:", "skipped:")  # a documented BuildKit difference; a check not made


def failures(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if not f[0].startswith(NOT_FAILURES)]

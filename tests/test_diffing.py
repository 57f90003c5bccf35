"""The unified diffs `--diff` prints: what `patch` applies to the original is the new text, and
a long text is diffed in linear-logarithmic time (difflib's matching is quadratic on one whose
lines repeat). Below the size where the anchored matching takes over, the diff is difflib's."""
from __future__ import annotations

import difflib
import random
import shutil
import subprocess
import time

import pytest

from refactor.engine import diffing
from refactor.engine.diffing import unified_diff

needs_patch = pytest.mark.skipif(shutil.which("patch") is None, reason="the patch command is not installed")


def _patched(tmp_path, old: str, diff: str) -> str:
    src = tmp_path / "Dockerfile"
    src.write_bytes(old.encode("utf-8", "surrogateescape"))
    out = tmp_path / "out"
    r = subprocess.run(["patch", "-s", "-o", str(out), str(src)], input=diff.encode("utf-8", "surrogateescape"),
                       capture_output=True)
    assert r.returncode == 0, r.stderr
    return out.read_bytes().decode("utf-8", "surrogateescape")


def _stdlib(old: str, new: str, path: str) -> str:
    """What the module printed when it was difflib.unified_diff with the `\\ No newline` marks."""
    a = diffing._LINES.findall(old)
    b = diffing._LINES.findall(new)
    out = []
    for line in difflib.unified_diff(a, b, f"a/{path}", f"b/{path}", n=3):
        if line.startswith(("--- a/", "+++ b/")) and line.endswith("\n"):
            out.append(line)
        elif not line.endswith("\n"):
            out.append(line + "\n")
            out.append(diffing._NO_NEWLINE)
        else:
            out.append(line)
    return "".join(out)


def _block(i: int) -> str:
    return (f"# step {i}\nENV STEP_{i}=value{i}\nRUN apt-get update && apt-get install -y curl{i}\n"
            f"COPY src{i}/ /app/src{i}/\nrun pip install requests=={i}.0\nWORKDIR /app/{i}\n"
            f"RUN set -eux; \\\n    echo {i} > /tmp/{i}; \\\n    ls /tmp\nCMD python app{i}.py\n")


def _mutated(text: str, rng: random.Random, rate: float, pool: list[str]) -> str:
    lines = text.splitlines(True)
    for _ in range(max(1, int(len(lines) * rate))):
        if not lines:
            lines.append(rng.choice(pool))
            continue
        k = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.35:
            lines[k] = lines[k].upper()
        elif op < 0.65:
            del lines[k]
        else:
            lines.insert(k, rng.choice(pool))
    out = "".join(lines)
    if out and rng.random() < 0.3:
        out = out.rstrip("\n")  # no newline at the end
    return out


POOL = ["RUN echo a\n", "USER app\n", "\n", "# note\n", "RUN apt-get update\r\n", "    ls /tmp\n", "x\n"]


def test_the_diff_of_a_small_text_is_difflibs():
    rng = random.Random(7)
    for n in range(300):
        old = "".join(rng.choice(POOL) for _ in range(rng.randrange(0, 60)))
        new = _mutated(old, rng, 0.2, POOL)
        assert unified_diff(old, new, "Dockerfile") == _stdlib(old, new, "Dockerfile"), (old, new)


@needs_patch
@pytest.mark.parametrize("seed", range(6))
def test_the_anchored_diff_patches_to_the_new_text(tmp_path, monkeypatch, seed):
    # anchored from the first line: small texts exercise every branch (gaps, no anchors, ends)
    monkeypatch.setattr(diffing, "_DIFFLIB_LINES", 0)
    monkeypatch.setattr(diffing, "_SMALL_GAP", 4 if seed % 2 else 0)
    rng = random.Random(seed)
    for n in range(40):
        blocks = "".join(_block(rng.randrange(8)) for _ in range(rng.randrange(0, 12)))
        old = blocks + "".join(rng.choice(POOL) for _ in range(rng.randrange(0, 20)))
        new = _mutated(old, rng, rng.choice([0.01, 0.1, 0.5]), POOL + [_block(99)])
        diff = unified_diff(old, new, "Dockerfile")
        if old == new:
            assert diff == ""
            continue
        assert _patched(tmp_path, old, diff) == new


@needs_patch
def test_a_long_text_of_repeating_blocks_is_diffed_quickly_and_exactly(tmp_path):
    old = "FROM debian:12\n" + "".join(_block(i) for i in range(1000))  # 10,001 lines
    new = _mutated(old, random.Random(3), 0.05, POOL)
    t = time.process_time()
    diff = unified_diff(old, new, "Dockerfile")
    spent = time.process_time() - t
    assert _patched(tmp_path, old, diff) == new
    # difflib's matching took 3 s here; the anchored one ~0.02 s (a bound, not a benchmark)
    assert spent < 1.0


@needs_patch
def test_lines_that_never_repeat_once_still_diff(tmp_path, monkeypatch):
    monkeypatch.setattr(diffing, "_SMALL_GAP", 0)
    old = "RUN a\nRUN b\n" * 3000  # no line found once: one replace between the common ends
    new = old.replace("RUN b\n", "RUN c\n", 1)
    diff = unified_diff(old, new, "Dockerfile")
    assert _patched(tmp_path, old, diff) == new


def test_a_removed_last_line_starting_with_dashes_keeps_its_no_newline_mark():
    diff = unified_diff("FROM a\n--x", "FROM a\n", "Dockerfile")
    assert diff.endswith(" FROM a\n---x\n\\ No newline at end of file\n")

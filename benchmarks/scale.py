"""Scale: `dockwright --diff` over 1, 10, 100, 1,000 and 10,000 files (the shared corpus
replicated, one folder per file as in a repository) and over one generated Dockerfile of 100,
1,000 and 10,000 lines; prints wall time, CPU time (every process of the run) and peak memory
(the largest ru_maxrss among the run's processes), with the growth factor per 10x step: linear
growth is 10x in time, and memory bounded per file stays flat. The generated files are analysed
whole: blocks of 25 lines and 4 instructions (RUNs of several lines, already clean, and one in
four written `run`, which gets cased), so the 10,000-line one holds 1,601 instructions and needs
100 edits, within the bounds on what dockwright analyses in one file (2,000 instructions, 128 KB
of shell code, 200 edits; refactor/engine/runner.py). Each row says how many edits it makes.

    .venv/bin/python benchmarks/scale.py [--max-files N] [--repeat N] [--jobs N]

Sizes up to 1,000 are the median of --repeat runs; 10,000 files run once (minutes on 2 cores).
The file sizes are skipped, with a message, when /work/shared/corpus/real is absent.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _measure import ENV

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"

# 25 lines of ordinary Dockerfile, 4 instructions: RUNs the package codemods read and find clean,
# a COPY, and one block in four with a lower-case `run` that gets cased.
BLOCK = """\
# step {i}
ENV STEP_{i}=value{i}
RUN set -eux; \\
    apt-get update; \\
    apt-get install -y --no-install-recommends \\
        ca-certificates \\
        curl \\
        git; \\
    rm -rf /var/lib/apt/lists/*; \\
    mkdir -p /app/{i}; \\
    echo {i} > /tmp/{i}
COPY src{i}/ /app/src{i}/
{run} pip install --no-cache-dir \\
      requests=={i}.0 \\
      flask \\
      gunicorn \\
      pytest \\
      black
# the files this step adds:
#   /app/{i}
#   /tmp/{i}
#   /app/src{i}
#   (and what pip installs)
#   (nothing else)
#
"""


def generated(lines: int) -> str:
    blocks = lines // BLOCK.count("\n")
    return "FROM debian:12\n" + "".join(BLOCK.format(i=i, run="run" if i % 4 == 0 else "RUN") for i in range(blocks))


def measure(cmd: list[str], cwd: str) -> tuple[float, float, int, int]:
    """(wall s, CPU s of the process and its workers, peak RSS KiB, exit code) of one run."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    # wait4's usage covers the child and the workers it waited for; ru_maxrss is the largest one.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode


def edits_of(exe: str, path: Path, cwd: str) -> str:
    """What dockwright does to the file, from an untimed `--check -v` run: its number of edits,
    or that it is left as it is past the bound on edits per file."""
    r = subprocess.run([exe, "--check", "-v", "--no-color", str(path)], capture_output=True, text=True,
                       env=ENV, cwd=cwd, check=False)
    out = r.stdout + r.stderr
    if "left as it is" in out:
        return "left as it is: past a bound on what dockwright does in one file"
    m = re.search(r"\((\d[\d,]*) edits?\)", out)
    return f"{m.group(1)} edits" if m else "no edit"


def row(label: str, n: int, runs: list[tuple[float, float, int, int]], prev: dict | None, note: str = "") -> dict:
    cur = {
        "n": n,
        "wall": statistics.median(r[0] for r in runs),
        "cpu": statistics.median(r[1] for r in runs),
        "rss": statistics.median(r[2] for r in runs) / 1024,
    }
    growth = ""
    if prev is not None:
        step = n / prev["n"]
        growth = (f"x{cur['wall'] / prev['wall']:5.1f} x{cur['cpu'] / prev['cpu']:5.1f} "
                  f"x{cur['rss'] / prev['rss']:4.2f}  (per x{step:g} in size)")
    print(f"  {label:>14} {cur['wall']:8.2f} s {cur['cpu']:8.2f} s {cur['rss']:7.0f} MiB "
          f"{len(runs):>3}  {growth}  exit {runs[-1][3]}{'; ' + note if note else ''}", flush=True)
    return cur


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--max-files", type=int, default=10_000)
    ap.add_argument("--max-lines", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--jobs", help="passed as -j (default: dockwright's own choice)")
    args = ap.parse_args()
    exe = str(Path(sys.executable).parent / "dockwright")
    base = [exe, "--diff", "--no-color", "-q"] + (["-j", args.jobs] if args.jobs else [])
    header = f"  {'size':>14} {'wall':>10} {'CPU':>10} {'peak RSS':>11} {'runs':>4}  growth: wall, CPU, RSS"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([exe, "--help"], capture_output=True, env=ENV, check=False)  # bytecode written
        if not CORPUS.is_dir():
            print(f"{CORPUS} is absent: the file-count sizes are skipped")
        else:
            files = sorted(p for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv")
            print(f"dockwright --diff over N files (the {len(files)} shared files replicated, one folder each)")
            print(header)
            made = 0
            prev = None
            n = 1
            while n <= args.max_files:
                # grow the tree in place: folder k holds a copy of file k mod len(files)
                tree = Path(tmp) / "tree"
                for k in range(made, n):
                    d = tree / f"{k // 1000:02d}" / f"{k:05d}"
                    d.mkdir(parents=True)
                    shutil.copyfile(files[k % len(files)], d / "Dockerfile")
                made = n
                repeat = 1 if n >= 10_000 else args.repeat
                runs = [measure([*base, str(tree)], tmp) for _ in range(repeat)]
                prev = row(f"{n:,} files", n, runs, prev)
                n *= 10
        print(f"dockwright --diff over one generated Dockerfile (blocks of {BLOCK.count(chr(10))} lines)")
        print(header)
        prev = None
        lines = 100
        while lines <= args.max_lines:
            d = Path(tmp) / f"lines{lines}"
            d.mkdir()
            (d / "Dockerfile").write_text(generated(lines))
            repeat = 1 if lines >= 10_000 else args.repeat
            runs = [measure([*base, str(d / "Dockerfile")], tmp) for _ in range(repeat)]
            prev = row(f"{lines:,} lines", lines, runs, prev, edits_of(exe, d / "Dockerfile", tmp))
            lines *= 10
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

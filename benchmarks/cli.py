"""`dockwright --diff` over the 298 shared files as one process, against
`dockerfile-doctor --fix --unsafe-fixes` on copies of the same files, timed in the same run; and
one file per process (pre-commit's use) against `dockerfile-doctor FILE`.
Targets (issue 13): the 298 files in at most 0.75x dockerfile-doctor's time, one file in at most 2x.

    .venv/bin/python benchmarks/cli.py [--repeat N] [--no-compile]

Both tools run with their bytecode compiled, as a pip install leaves them: the script first runs
`python -m compileall` over the venv's site-packages and the project (`--no-compile` skips it).
The commands run in alternation (ours, theirs, ours, ...) after a warm-up round, and the figures
are medians, so that a change in the machine's load hits both tools alike. The ratios are
dockwright's time over dockerfile-doctor's (below 1: dockwright is faster), on wall time and on
CPU time (user + system of the process and its workers). The goals are judged on wall time, the
time a user waits for the command: dockwright's `-j` workers run on the machine's cores (two
here), which the issue asks of it, so its CPU time is the sum over them and exceeds its wall
time; dockerfile-doctor runs in one process. On a loaded machine wall time also measures the
other jobs: run it on a quiet one.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

from _measure import alternate, ratio_line

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def compile_bytecode() -> None:
    """As pip leaves an install: every module of both tools compiled (quick when already done)."""
    site = sysconfig.get_paths()["purelib"]
    subprocess.run([sys.executable, "-m", "compileall", "-q", site, str(ROOT / "refactor")],
                   capture_output=True, check=False)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-compile", action="store_true", help="do not run compileall first")
    args = ap.parse_args()
    if not CORPUS.is_dir():
        print(f"{CORPUS} is absent: nothing to time")
        return 0
    if not args.no_compile:
        compile_bytecode()
    bindir = Path(sys.executable).parent
    files = sorted(p for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv")
    with tempfile.TemporaryDirectory() as tmp:
        ours = Path(tmp) / "ours"
        theirs = Path(tmp) / "theirs"
        for d in (ours, theirs):
            d.mkdir()
            for p in files:
                # dockerfile-doctor only takes files named Dockerfile: one folder per file
                (d / p.name).mkdir()
                shutil.copyfile(p, d / p.name / "Dockerfile")
        one = Path(tmp) / "one" / "Dockerfile"  # the one-file runs: the first file, a folder of its own
        one.parent.mkdir()
        shutil.copyfile(files[0], one)

        def fresh_copies() -> None:  # --fix rewrites them
            for p in files:
                shutil.copyfile(p, theirs / p.name / "Dockerfile")

        # Every command starts in the temporary folder: neither tool finds a configuration file.
        series = alternate({
            "dockwright --diff (298 files)": ([str(bindir / "dockwright"), "--diff", "--no-color", str(ours)], None),
            "dockerfile-doctor --fix --unsafe-fixes (298)": (
                [str(bindir / "dockerfile-doctor"), "--fix", "--unsafe-fixes", "-q",
                 *[str(theirs / p.name / "Dockerfile") for p in files]], fresh_copies),
            "dockwright --diff (one file)": ([str(bindir / "dockwright"), "--diff", "--no-color", str(one)], None),
            "dockerfile-doctor (one file)": ([str(bindir / "dockerfile-doctor"), str(one)], None),
        }, args.repeat, cwd=tmp)
        touched = sum((theirs / p.name / "Dockerfile").read_bytes() != p.read_bytes() for p in files)
    r = series["dockwright --diff (298 files)"].runs[-1]
    out = series["dockerfile-doctor --fix --unsafe-fixes (298)"].runs[-1]
    print(f"{len(files)} files, median of {args.repeat} alternating runs after a warm-up round")
    print(f"  {'':<46} {'CPU':>8} {'wall':>8}")
    for s in series.values():
        print(f"  {s.name:<46} {s.cpu:6.2f} s {s.wall:6.2f} s")
    print(f"  (dockwright exit {r.returncode}, {r.stdout.count(b'+++ ')} files with a diff; "
          f"dockerfile-doctor exit {out.returncode}, {touched} files rewritten)")
    print("dockwright / dockerfile-doctor, wall time (CPU time in brackets)")
    many, many_doc = series["dockwright --diff (298 files)"], series["dockerfile-doctor --fix --unsafe-fixes (298)"]
    one_s, one_doc = series["dockwright --diff (one file)"], series["dockerfile-doctor (one file)"]
    print(ratio_line("298 files, whole process", many.wall, many_doc.wall, 0.75) + f"   [{many.cpu / many_doc.cpu:.2f}x]")
    print(ratio_line("one file, whole process", one_s.wall, one_doc.wall, 2.0) + f"   [{one_s.cpu / one_doc.cpu:.2f}x]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

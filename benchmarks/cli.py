"""`dockwright --diff` over the 298 shared files as one process, against
`dockerfile-doctor --fix --unsafe-fixes` on copies of the same files, timed in the same run.
Target (issue 3): dockwright is faster.

    .venv/bin/python benchmarks/cli.py
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"


def main() -> int:
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
        # As installed tools run: with their bytecode written (a development shell may set
        # PYTHONDONTWRITEBYTECODE, which would make every start compile every module).
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        ours_cmd = [str(bindir / "dockwright"), "--diff", "--no-color", str(ours)]
        subprocess.run(ours_cmd, capture_output=True, env=env)  # warm-up: bytecode, grammar caches
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            r = subprocess.run(ours_cmd, capture_output=True, env=env)
            runs.append(time.perf_counter() - t)
        t_ours = statistics.median(runs)
        doctor_runs = []
        for i in range(4):
            for p in files:  # fresh copies: --fix rewrites them
                shutil.copyfile(p, theirs / p.name / "Dockerfile")
            t = time.perf_counter()
            out = subprocess.run([str(bindir / "dockerfile-doctor"), "--fix", "--unsafe-fixes", "-q",
                                  *[str(theirs / p.name / "Dockerfile") for p in files]], capture_output=True, env=env)
            if i:  # the first run is the warm-up
                doctor_runs.append(time.perf_counter() - t)
        t_doctor = statistics.median(doctor_runs)
        touched = sum((theirs / p.name / "Dockerfile").read_bytes() != p.read_bytes() for p in files)
    print(f"{len(files)} files, median of 3 runs after a warm-up run")
    print(f"  dockwright --diff (one process)          {t_ours:.2f} s  (exit {r.returncode}, {r.stdout.count(b'+++ ')} files with a diff)")
    print(f"  dockerfile-doctor --fix --unsafe-fixes   {t_doctor:.2f} s  (exit {out.returncode}, {touched} files rewritten)")
    print(f"  dockwright is {t_doctor / t_ours:.1f}x faster" if t_ours < t_doctor else "  dockwright is SLOWER")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

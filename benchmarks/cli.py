"""`dockwright --diff` over the 298 shared files as one process, against
`dockerfile-doctor --fix --unsafe-fixes` on copies of the same files, timed in the same run.
Target (issue 3): dockwright is faster.

    .venv/bin/python benchmarks/cli.py
"""
from __future__ import annotations

import shutil
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
        t = time.perf_counter()
        r = subprocess.run([str(bindir / "dockwright"), "--diff", "--no-color", str(ours)], capture_output=True)
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        out = subprocess.run([str(bindir / "dockerfile-doctor"), "--fix", "--unsafe-fixes", "-q",
                              *[str(theirs / p.name / "Dockerfile") for p in files]], capture_output=True)
        t_doctor = time.perf_counter() - t
        touched = sum((theirs / p.name / "Dockerfile").read_bytes() != p.read_bytes() for p in files)
    print(f"{len(files)} files")
    print(f"  dockwright --diff (one process)          {t_ours:.2f} s  (exit {r.returncode}, {r.stdout.count(b'+++ ')} files with a diff)")
    print(f"  dockerfile-doctor --fix --unsafe-fixes   {t_doctor:.2f} s  (exit {out.returncode}, {touched} files rewritten)")
    print(f"  dockwright is {t_doctor / t_ours:.1f}x faster" if t_ours < t_doctor else "  dockwright is SLOWER")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

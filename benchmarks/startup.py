"""Start-up: `dockwright --help`, `dockwright --diff FILE` (one file, the way pre-commit runs it)
and `dockerfile-doctor FILE` on the same file, each a whole process, run in alternation; prints
the median CPU and wall time of N runs and the ratio to dockerfile-doctor.
Target (issue 13): the one-file run at most 2x dockerfile-doctor.

    .venv/bin/python -m compileall -q .venv/lib/python3.11/site-packages refactor   # as pip leaves it
    .venv/bin/python benchmarks/startup.py [--repeat N] [--file PATH] [--dockwright EXE] [--baseline EXE]

CPU time (the child's user + system time) is the figure to compare on a loaded machine; wall time
is printed beside it. The runs happen in an empty temporary folder, so no configuration file is
found (as in a project without one). `--baseline EXE` also times another build of the tool (say, a
checkout of an older commit: a script that puts it first on sys.path and calls refactor.cli.main)
in the same alternation, for a before/after. See also
`python -X importtime -m refactor.cli --help` for where a start's time goes.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from _measure import alternate, ratio_line

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SAMPLE = ROOT / "corpus" / "apt-cleanup" / "basic.before.Dockerfile"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=11)
    ap.add_argument("--file", type=Path, help="the one Dockerfile [default: the shared corpus's first file]")
    ap.add_argument("--dockwright", help="the dockwright executable [default: this venv's]")
    ap.add_argument("--baseline", help="another dockwright executable, timed in the same alternation")
    args = ap.parse_args()
    bindir = Path(sys.executable).parent
    exe = args.dockwright or str(bindir / "dockwright")
    doctor = str(bindir / "dockerfile-doctor")
    source = args.file
    if source is None:
        files = sorted(p for p in CORPUS.iterdir() if p.name != "MANIFEST.tsv") if CORPUS.is_dir() else []
        source = files[0] if files else SAMPLE
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "Dockerfile"
        shutil.copyfile(source, one)
        commands = {}
        for prefix, tool in (("", exe), ("baseline: ", args.baseline)):
            if tool is None:
                continue
            commands.update({
                f"{prefix}dockwright --help": ([tool, "--help"], None),
                f"{prefix}dockwright --diff FILE": ([tool, "--diff", "--no-color", str(one)], None),
                f"{prefix}dockwright --diff --select apt-cleanup FILE":
                    ([tool, "--diff", "--no-color", "--select", "apt-cleanup", str(one)], None),
            })
        commands["dockerfile-doctor FILE"] = ([doctor, str(one)], None)
        commands["python -c pass (the floor)"] = ([sys.executable, "-c", "pass"], None)
        series = alternate(commands, args.repeat, cwd=tmp)
    diff = series["dockwright --diff FILE"].runs[0]
    print(f"{source.name}: median of {args.repeat} alternating runs after a warm-up round "
          f"(--diff exit {diff.returncode}, {diff.stdout.count(b'+++ ')} file with a diff)")
    print(f"  {'':<54} {'CPU':>8} {'CPU min':>8} {'wall':>8}")
    for s in series.values():
        print(f"  {s.name:<54} {s.cpu * 1000:5.0f} ms {s.cpu_min * 1000:5.0f} ms {s.wall * 1000:5.0f} ms")
    doc = series["dockerfile-doctor FILE"]
    print("ratio to dockerfile-doctor: median CPU time (min CPU time; wall time)")
    for name, s in series.items():
        if "dockwright" in name:
            goal = 2.0 if name.endswith("dockwright --diff FILE") else None
            print(ratio_line(name, s.cpu, doc.cpu, goal) + f"   ({s.cpu_min / doc.cpu_min:.2f}x; {s.wall / doc.wall:.2f}x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

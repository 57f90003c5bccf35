"""Timing helpers shared by the benchmarks: one child process timed in wall and CPU time, and
commands timed in alternation so that a change in the machine's load hits every command alike.

CPU time is the child's user + system time (getrusage(RUSAGE_CHILDREN) before and after): on a
machine other jobs load, wall time mostly measures the other jobs, CPU time much less so.
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import time
from dataclasses import dataclass, field

# As installed tools run: with their bytecode written (a development shell may set
# PYTHONDONTWRITEBYTECODE, which would make every start compile every module).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


@dataclass
class Run:
    wall: float
    cpu: float
    returncode: int
    stdout: bytes
    maxrss_kb: int = 0


def run_once(cmd: list[str], cwd: str | None = None, prepare=None) -> Run:
    """Run `cmd` to completion; `prepare()` runs first, untimed (fresh copies for a --fix run)."""
    if prepare is not None:
        prepare()
    cpu0 = _children_cpu()
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, env=ENV, cwd=cwd, check=False)
    wall = time.perf_counter() - t
    return Run(wall, _children_cpu() - cpu0, r.returncode, r.stdout)


@dataclass
class Series:
    name: str
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def cpu_min(self) -> float:
        # Load inflates even CPU time (shared caches and cores): the minimum is the steadiest figure.
        return min(r.cpu for r in self.runs)


def alternate(commands: dict[str, tuple[list[str], object]], repeat: int, cwd: str | None = None,
              warmup: int = 1) -> dict[str, Series]:
    """{name: (cmd, prepare)} run round-robin `repeat` times after `warmup` untimed rounds."""
    series = {name: Series(name) for name in commands}
    for i in range(warmup + repeat):
        for name, (cmd, prepare) in commands.items():
            r = run_once(cmd, cwd, prepare)
            if i >= warmup:
                series[name].runs.append(r)
    return series


def ratio_line(label: str, ours: float, theirs: float, goal: float | None = None) -> str:
    """`ours / theirs` as the issue's table gives it (below 1: dockwright is faster)."""
    r = ours / theirs
    goal_s = f"  goal <= {goal:.2f}x: {'MET' if r <= goal else 'not met'}" if goal is not None else ""
    return f"  {label:<54} {r:5.2f}x{goal_s}"

"""The `dockwright` console script: `refactor.cli.main` with Python's cyclic garbage collector
paused while the process starts.

Start-up allocates only what lives as long as the process (modules, classes, compiled regular
expressions, tables): a collection then finds nothing to free, yet the collector runs dozens of
times while ~200 modules load, 6% of a one-file run. `resume_collector()`, which the command
calls once it has loaded what the run needs (before forking workers, or after the first file),
moves everything allocated so far out of the collector's sight (`gc.freeze`, which also keeps
forked workers from writing to the pages they share with the parent) and turns it back on, so
a long run collects as any other. Python's documentation describes this pattern for `gc.freeze`.
Code that calls `refactor.cli.main` directly (tests, `python -m refactor.cli`) is unaffected.

`run`, the console script, then ends the process at once (`os._exit`, after flushing the output):
Python's own exit would free every module and object one by one, 6% of a one-file run, and
nothing in dockwright needs it (files are written and closed, workers joined, by then)."""
from __future__ import annotations

import gc
import os
import sys

_paused = False


def main() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True
    try:
        from refactor.cli import main as cli_main

        cli_main()
    finally:
        resume_collector()


def resume_collector() -> None:
    """Turn the collector back on if `main` paused it (a no-op otherwise, and after the first)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def run() -> None:
    """The console script: `main`, then the process ends with its exit status."""
    try:
        main()
    except SystemExit as e:
        status = _status(e.code)
    else:
        status = 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe or stream: as Python's own exit says then
        status = status or 120
    # os._exit runs no atexit handler: without this a console-script run never wrote the
    # dataclass-method tables it compiled, and every run compiled them again
    from refactor.syntax import codecache

    codecache.save()
    os._exit(status)


def _status(code) -> int:
    """The exit status Python gives `sys.exit(code)`."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1

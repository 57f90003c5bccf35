"""The forked worker pool of `-j`: results in order and as soon as they are there, errors and dead
workers reported in the parent, and never a child left behind."""
from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
from conftest import ROOT

from refactor.engine.workers import WorkerError, Workers


@contextmanager
def _pool(fn, n, **kw):
    """A pool that must be closed, and whose children must all be reaped, when the test ends."""
    pool = Workers(fn, n, **kw)
    pids = list(pool.pids)
    try:
        with _deadline(30):  # a hang fails the test
            yield pool
    finally:
        pool.close()
        for pid in pids:
            with pytest.raises(ChildProcessError):  # reaped: not even a zombie is left
                os.waitpid(pid, os.WNOHANG)


@contextmanager
def _deadline(seconds):
    def expired(*_):
        raise TimeoutError("the pool hangs")

    old = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _uneven(x):
    time.sleep(0.02 if x % 7 == 0 else 0)
    return x * x, os.getpid()


def test_results_come_in_order_from_every_worker():
    items = list(range(200))
    with _pool(_uneven, 3, chunksize=4) as pool:
        results = list(pool.map(items))
    assert [r for r, _ in results] == [x * x for x in items]
    assert len({pid for _, pid in results}) == 3  # the chunks were shared


def test_nothing_to_do():
    with _pool(_uneven, 2) as pool:
        assert list(pool.map([])) == []


def test_a_result_comes_before_the_last_chunk_is_done():
    # the last item waits for the parent to have the first result: a pool that yields only at
    # the end never gets there (and the worker's wait ends in an error)
    r, w = os.pipe()

    def fn(x):
        if x == 99 and not select.select([r], [], [], 20)[0]:
            raise TimeoutError("the first result was not yielded in time")
        return x

    try:
        with _pool(fn, 2, chunksize=5) as pool:
            results = pool.map(list(range(100)))
            assert next(results) == 0
            os.write(w, b"x")
            assert list(results) == list(range(1, 100))
    finally:
        os.close(r)
        os.close(w)


def _fails_at_17(x):
    if x == 17:
        raise ValueError(f"no {x}")
    return x


def test_an_exception_in_a_worker_is_raised_in_the_parent_with_its_traceback():
    with _pool(_fails_at_17, 2, chunksize=3) as pool, pytest.raises(WorkerError) as e:
        list(pool.map(list(range(40))))
    assert "ValueError: no 17" in str(e.value) and "in _fails_at_17" in str(e.value)


def test_a_result_that_does_not_pickle_is_an_error_too():
    with _pool(lambda x: (lambda: x), 2) as pool, pytest.raises(WorkerError, match="pickle"):
        list(pool.map([1, 2, 3]))


def _killed_at_5(x):
    if x == 5:
        os.kill(os.getpid(), signal.SIGKILL)
    return x


def test_a_killed_worker_is_an_error_not_a_hang():
    with _pool(_killed_at_5, 2, chunksize=2) as pool, pytest.raises(WorkerError, match="killed by signal 9"):
        list(pool.map(list(range(20))))


def test_a_consumer_that_stops_early_leaves_no_worker():
    with _pool(_uneven, 2, chunksize=1) as pool:
        for x in pool.map(list(range(1000))):
            break


def test_each_worker_runs_at_exit_when_it_ends(tmp_path):
    with _pool(_uneven, 2, chunksize=1, at_exit=lambda: (tmp_path / str(os.getpid())).touch()) as pool:
        assert len(list(pool.map(list(range(10))))) == 10
        workers = {str(pid) for pid in pool.pids}
    assert {p.name for p in tmp_path.iterdir()} == workers


_INTERRUPTED = """
import signal, sys, time
# as a terminal's foreground command has it, whatever the test runner was started with (a
# shell's background job ignores SIGINT, and its children inherit that)
signal.signal(signal.SIGINT, signal.default_int_handler)
from refactor.engine.workers import Workers
def slow(x):
    time.sleep(0.05)
    return x
pool = Workers(slow, 2, chunksize=1)
try:
    for x in pool.map(list(range(10_000))):
        if x == 3:
            print("working", flush=True)
except KeyboardInterrupt:
    print("interrupted", flush=True)
finally:
    pool.close()
"""


def _ctrl_c_once_working(code: str, timeout: float):
    """Run `code` in a process group of its own; once it prints `working`, send SIGINT to the
    whole group, as a terminal's Ctrl-C does. The process, its stdout and its stderr."""
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert p.stdout.readline() == "working\n"
        os.killpg(p.pid, signal.SIGINT)
        out, err = p.communicate(timeout=timeout)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    return p, out, err


def test_ctrl_c_stops_every_process_at_once_and_quietly():
    p, out, err = _ctrl_c_once_working(_INTERRUPTED, timeout=10)
    assert out == "interrupted\n" and err == ""  # not a traceback per worker
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # no worker left in the group
        os.killpg(p.pid, 0)


_IGNORING = """
import signal, time
signal.signal(signal.SIGINT, signal.SIG_IGN)  # a shell's background job
from refactor.engine.workers import Workers
def slow(x):
    time.sleep(0.01)
    return x
pool = Workers(slow, 2, chunksize=1)
try:
    for x in pool.map(list(range(60))):
        if x == 3:
            print("working", flush=True)
    print("done", x, flush=True)
finally:
    pool.close()
"""


def test_a_parent_that_ignores_ctrl_c_keeps_its_workers():
    p, out, err = _ctrl_c_once_working(_IGNORING, timeout=30)
    assert (p.returncode, out, err) == (0, "done 59\n", "")

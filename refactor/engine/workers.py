"""A small pool of forked worker processes: `fn` over many items, results in input order.

Why not `concurrent.futures.ProcessPoolExecutor`: importing it (multiprocessing's connections,
queues, locks, threads) is ~18 ms of a run's start-up, before any worker starts, and it runs a
management thread and queue feeder threads in the parent, which compete with the workers for
the CPUs. Here the workers are plain `os.fork()` children of a parent that has already loaded
what they need (they share its pages), each fed chunks of items through one pipe and answering
through another, as pickled, length-prefixed frames; the parent waits on the answer pipes with
`select`. A worker has one chunk in hand at a time and gets the next as soon as it answers, so
the load balances to the end. POSIX only (fork).
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import sys


class WorkerError(RuntimeError):
    """`fn` raised in a worker (the message holds its traceback), or a worker died."""


class Workers:
    """`Workers(fn, n)` forks n workers; `map(items)` (once) yields `fn(item)` for each item, in
    order, as soon as it is there; `close()` (always call it, e.g. in a `finally`) ends and reaps
    them, also after an error, a Ctrl-C or a consumer that stopped early. `at_exit` runs in each
    worker when it ends normally: workers leave with `os._exit`, never through the parent's exit
    handlers (or its `finally` blocks, which are the parent's to run)."""

    def __init__(self, fn, n: int, *, chunksize: int = 8, at_exit=None) -> None:
        self.chunksize = chunksize
        self.pids: list[int] = []  # 0 once reaped
        self.tasks: list[int] = []  # the parent's end of each worker's task pipe, -1 once closed
        self.answers: list[int] = []  # the parent's end of each worker's answer pipe
        # else what is buffered would be written by the parent and, again, by a child
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            for _ in range(n):
                task_r, task_w = os.pipe()
                answer_r, answer_w = os.pipe()
                # a Ctrl-C between the fork and the child's own handler would raise in the child
                # into the parent's code: it waits (blocked) until each side is ready for it
                mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
                try:
                    pid = os.fork()
                    if pid == 0:  # never returns; other workers' pipe ends would hide a parent's end
                        _serve(fn, task_r, answer_w, at_exit, mask, (*self.tasks, *self.answers, task_w, answer_r))
                finally:
                    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
                os.close(task_r)
                os.close(answer_w)
                self.pids.append(pid)
                self.tasks.append(task_w)
                self.answers.append(answer_r)
        except BaseException:
            self.close()
            raise

    def map(self, items):
        chunks = [items[i:i + self.chunksize] for i in range(0, len(items), self.chunksize)]
        done: dict[int, list] = {}  # results that came before those of an earlier chunk
        busy: dict[int, int] = {}  # answer pipe -> worker, for the workers with a chunk in hand
        sent = 0

        def feed(w: int) -> None:
            nonlocal sent
            if sent < len(chunks):
                _write_frame(self.tasks[w], pickle.dumps((sent, chunks[sent]), pickle.HIGHEST_PROTOCOL))
                busy[self.answers[w]] = w
                sent += 1
            else:  # nothing left for it: it ends (and writes its tables) while the others work
                self._close_task(w)

        for w in range(len(self.pids)):
            feed(w)
        for index in range(len(chunks)):
            while index not in done:  # chunks go out in order: this one is in some worker's hands
                for fd in select.select(list(busy), [], [])[0]:
                    w = busy.pop(fd)
                    frame = _read_frame(fd)
                    if frame is None:
                        raise WorkerError(f"a worker ended while processing items ({self._reap(w)})")
                    number, ok, value = pickle.loads(frame)
                    if not ok:
                        raise WorkerError(f"in a worker:\n{value}")
                    feed(w)  # first: the worker waits for nothing while the results are used
                    done[number] = value
            yield from done.pop(index)

    def close(self) -> None:
        """End the workers and reap them. Those with nothing left to do were told so (their task
        pipe is closed) and end on their own; any other is killed: an error, a Ctrl-C or an early
        stop left it work nobody will read. Idempotent."""
        for w, pid in enumerate(self.pids):
            if pid and self.tasks[w] != -1:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            self._close_task(w)
        for w in range(len(self.pids)):
            self._reap(w)
            os.close(self.answers[w])
        self.pids, self.tasks, self.answers = [], [], []

    def _close_task(self, w: int) -> None:
        if self.tasks[w] != -1:
            os.close(self.tasks[w])
            self.tasks[w] = -1

    def _reap(self, w: int) -> str:
        """Wait for worker w to end; how it ended, for an error message."""
        pid, self.pids[w] = self.pids[w], 0
        if not pid:
            return "already reaped"
        status = os.waitpid(pid, 0)[1]
        if os.WIFSIGNALED(status):
            return f"killed by signal {os.WTERMSIG(status)}: {signal.strsignal(os.WTERMSIG(status))}"
        return f"exit status {os.waitstatus_to_exitcode(status)}"


def _serve(fn, tasks: int, answers: int, at_exit, mask, inherited) -> None:
    """A worker's life: chunks in, results (or the traceback of what `fn` raised) out, until the
    parent closes the task pipe; then `at_exit`, and `os._exit`, which runs none of the parent's
    cleanup. Anything else that goes wrong (the parent is gone) ends it without a word: the
    parent, if alive, reports a worker that died."""
    status = 1
    try:
        # Ctrl-C reaches the whole process group: the worker (and a git it runs) ends at once
        # and quietly, rather than with a KeyboardInterrupt traceback; the parent stops the run.
        # A parent that ignores SIGINT (started in the background by a shell) goes on: so do
        # its workers.
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            signal.signal(signal.SIGINT, lambda *_: os._exit(1))
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        for fd in inherited:
            os.close(fd)
        while (frame := _read_frame(tasks)) is not None:
            number, items = pickle.loads(frame)
            try:
                answer = pickle.dumps((number, True, [fn(x) for x in items]), pickle.HIGHEST_PROTOCOL)
            except BaseException:  # also a result that does not pickle
                import traceback  # here: a run that goes well never needs it

                answer = pickle.dumps((number, False, traceback.format_exc()))
            _write_frame(answers, answer)
        if at_exit is not None:
            at_exit()
        status = 0
    finally:
        os._exit(status)


def _write_frame(fd: int, data: bytes) -> None:
    view = memoryview(len(data).to_bytes(8, "big") + data)
    while view:
        view = view[os.write(fd, view):]


def _read_frame(fd: int) -> bytearray | None:
    """One frame; None at the end of the pipe, or if it ends within the frame (its writer died)."""
    header = _read_exactly(fd, 8)
    return None if header is None else _read_exactly(fd, int.from_bytes(header, "big"))


def _read_exactly(fd: int, n: int) -> bytearray | None:
    data = bytearray()
    while len(data) < n:
        more = os.read(fd, n - len(data))
        if not more:
            return None
        data += more
    return data

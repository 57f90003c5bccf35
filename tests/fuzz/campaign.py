"""The long fuzz campaign: generated inputs through the parser, the oracle and the engine.

    .venv/bin/python tests/fuzz/campaign.py --seed 1 --budget 600 --workers 1 --out /tmp/fuzz

Each input is checked in a worker process (tests/fuzz/checks.py) under a watchdog: a worker
that does not answer within --timeout seconds is killed, the input is recorded as a hang, and
a fresh worker takes over. At the end every failure class is minimised (the same class must
reproduce on the smaller input, with the same engine configuration) and a summary table is
printed and written to OUT/summary.md; OUT/findings.jsonl holds the examples.

Inputs are a pure function of (--seed, index): `--replay INDEX` re-checks one of them.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import asdict
from multiprocessing.connection import wait
from pathlib import Path

# The oracle's Go runtime on one thread (read as it loads): the workers are the parallelism,
# and more Go threads only compete with them for the machine's cores.
os.environ.setdefault("GOMAXPROCS", "1")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: oracle, fuzz
sys.path.insert(0, str(HERE.parents[1]))  # the repository: refactor

from fuzz.generate import Case, Generator, load_seeds

NOT_FAILURES = ("documented:", "skipped:")  # as tests/fuzz/checks.py (not imported here: see _worker)


def _worker(conn) -> None:
    try:
        from fuzz.checks import check_case
    except Exception as e:  # noqa: BLE001 - e.g. a module being edited: report, do not loop
        conn.recv()
        conn.send(([(f"checker:import {type(e).__name__}", str(e)[:200])], {}))
        return

    while True:
        try:
            msg = conn.recv()
        except EOFError:
            return
        if msg is None:
            return
        text, engine, select, context = msg
        try:
            findings, stats = check_case(text, engine, select, context)
            if any(f[0].startswith("hang") for f in findings):
                # the alarm interrupted the engine mid-change: its caches cannot be trusted
                conn.send((findings, stats))
                return
        except Exception as e:  # noqa: BLE001 - the checker itself must not stop the campaign
            findings, stats = [(f"checker:{type(e).__name__}", str(e)[:200])], {}
        conn.send((findings, stats))


class Worker:
    """One child process; `start_job` sends an input, `result` waits for it with a deadline."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self.jobs = 0
        self._spawn()

    def _spawn(self) -> None:
        self.conn, child = self.ctx.Pipe()
        self.proc = self.ctx.Process(target=_worker, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.job = None
        self.deadline = 0.0

    def start_job(self, job, payload, timeout: float) -> None:
        self.job = job
        self.deadline = time.monotonic() + timeout
        self.jobs += 1
        try:
            self.conn.send(payload)
        except OSError:  # the child is gone: a fresh one takes the job
            self.kill()
            self.job = job
            self.deadline = time.monotonic() + timeout
            self.conn.send(payload)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.join()
        self.conn.close()
        self._spawn()

    def recycle(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()
        self.jobs = 0
        self._spawn()

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(2)
        if self.proc.is_alive():
            self.proc.kill()


def run_one(worker: Worker, text: str, engine: bool, select, context, timeout: float):
    """Synchronously check one input (used by minimisation); a timeout is the class `hang`."""
    worker.start_job("min", (text, engine, select, context), timeout)
    if worker.conn.poll(timeout):
        try:
            findings, st = worker.conn.recv()
            if any(f[0].startswith(("hang", "checker:import")) for f in findings):
                worker.kill()
            return findings, st
        except (EOFError, OSError):
            worker.kill()
            return [("crash:worker died", "")], {}
    worker.kill()
    return [("hang:watchdog", f"over {timeout} s")], {}


def _classes(findings) -> set[str]:
    return {f[0] for f in findings if not f[0].startswith(NOT_FAILURES)}


def minimise(worker: Worker, case: dict, cls: str, timeout: float, budget_s: float) -> str:
    """Delta debugging: drop chunks of lines, then of characters, while `cls` still shows."""
    text = case["text"]
    sel = tuple(case["select"]) if case["select"] else None
    t_end = time.monotonic() + budget_s
    # Hangs and slow runs are minimised with a short watchdog: a still-slow input is enough.
    slow = cls.startswith(("hang", "slow"))
    tmo = min(timeout, 6.0) if slow else timeout

    def holds(candidate: str) -> bool:
        if time.monotonic() > t_end:
            return False
        findings, _ = run_one(worker, candidate, case["engine"], sel, case["context"], tmo)
        got = _classes(findings)
        if slow:
            return any(c.startswith(("hang", "slow")) for c in got)
        return cls in got

    for unit in ("lines", "chars"):
        parts = text.splitlines(keepends=True) if unit == "lines" else list(text)
        n = 2
        while len(parts) >= 2 and time.monotonic() < t_end:
            chunk = max(1, len(parts) // n)
            reduced = False
            for start in range(0, len(parts), chunk):
                cand = parts[:start] + parts[start + chunk:]
                if cand and holds("".join(cand)):
                    parts = cand
                    n = max(n - 1, 2)
                    reduced = True
                    break
            if not reduced:
                if chunk == 1:
                    break
                n = min(len(parts), n * 2)
        text = "".join(parts)
    return text


def summarise(stats: Counter, classes: dict[str, int], examples: dict, elapsed: float, args) -> str:
    rows = [
        ("inputs", stats["inputs"]),
        ("parsed / ParseError", f"{stats['parsed']} / {stats['inputs'] - stats['parsed'] - stats['hangs']}"),
        ("engine runs (with a build context)", f"{stats['engine_runs']} ({stats['with_context']})"),
        ("hangs (watchdog)", stats["hangs"]),
        ("engine runs over 2 s CPU", classes.get("slow:engine over 2 s", 0)),
        ("refusals", sum(v for k, v in classes.items() if k.startswith("refused"))),
        ("swallowed internal errors", sum(v for k, v in classes.items() if k.startswith("swallowed"))),
        ("exceptions escaping", sum(v for k, v in classes.items() if k.startswith(("escaped", "parse-crash")))),
        ("oracle disagreements", sum(v for k, v in classes.items() if k.startswith("oracle:"))),
        ("documented oracle differences", sum(v for k, v in classes.items() if k.startswith("documented:"))),
        ("checks not made (oracle on inputs over 4 MB)", sum(v for k, v in classes.items() if k.startswith("skipped:"))),
        ("max engine CPU s", f"{stats['max_engine_ms'] / 1000:.2f}"),
    ]
    title = (f"# fuzz campaign: seed {args.seed}, {elapsed:.0f} s, {args.workers} worker(s), "
             f"watchdog {args.timeout} s, engine rate {args.engine_rate}, context rate {args.context_rate}, "
             f"heavy rate {args.heavy_rate}\n")
    out = [title, "| figure | value |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in rows]
    out += ["", "| class | count | minimal example |", "|---|---|---|"]
    for cls, count in sorted(classes.items(), key=lambda kv: (-kv[1], kv[0])):
        ex = examples.get(cls, {})
        shown = ex.get("minimal", ex.get("text", ""))
        shown = repr(shown[:160]) + ("…" if len(shown) > 160 else "")
        cell = shown.replace("|", "\\|").replace("`", "ˋ")
        out.append(f"| {cls.replace('|', '/')} | {count} | `{cell}` |")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--budget", type=float, default=300, help="seconds of generating and checking")
    ap.add_argument("--max-inputs", type=int, default=0)
    ap.add_argument("--start", type=int, default=0, help="first input index")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=20.0, help="per-input watchdog, seconds")
    ap.add_argument("--engine-rate", type=float, default=0.4, help="share of inputs the engine runs on")
    ap.add_argument("--context-rate", type=float, default=0.4, help="share of engine runs with a build context")
    ap.add_argument("--heavy-rate", type=float, default=1.0,
                    help="scale of the big-input mutations' weights (long lines, big files, deep nesting)")
    ap.add_argument("--no-shared", action="store_true", help="fixtures only, not the shared corpus")
    ap.add_argument("--minimise-budget", type=float, default=60.0, help="seconds per failure class")
    ap.add_argument("--out", type=Path, default=Path("/tmp/dockwright-fuzz"))
    ap.add_argument("--replay", type=int, default=None, help="check one input index and print it")
    args = ap.parse_args(argv)

    gen = Generator(args.seed, load_seeds(not args.no_shared), args.engine_rate, args.context_rate, args.heavy_rate)
    if args.replay is not None:
        from fuzz.checks import check_case

        c = gen.case(args.replay)
        print(json.dumps(asdict(c))[:2000])
        print(check_case(c.text, c.engine, c.select, c.context))
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    # The workers are forked from here: load the codemods and the parsers once, not in every
    # fresh worker. Not the oracle: a Go runtime does not survive a fork (its threads stay
    # behind), each worker loads its own.
    try:
        from refactor.engine import make_selection, refactor_text

        refactor_text("FROM debian\nRUN apt-get update && apt-get install curl\n", None, None, make_selection())
    except Exception as e:  # noqa: BLE001 - the workers report it as a finding
        print(f"warm-up failed: {type(e).__name__}: {e}", flush=True)
    ctx = mp.get_context("fork")
    workers = [Worker(ctx) for _ in range(args.workers)]
    stats: Counter = Counter()
    classes: Counter = Counter()
    examples: dict[str, dict] = {}
    by_class: dict[str, list[dict]] = defaultdict(list)
    t0 = time.monotonic()
    index = args.start
    last_report = t0
    log = open(args.out / "findings.jsonl", "w")  # noqa: SIM115 - written to as findings come

    def record(case: Case, findings, st) -> None:
        stats["inputs"] += 1
        stats["parsed"] += bool(st.get("parsed"))
        stats["engine_runs"] += st.get("engine_runs", 0)
        stats["with_context"] += st.get("with_context", 0)
        ms = int(st.get("engine_seconds", 0) * 1000)
        stats["max_engine_ms"] = max(stats["max_engine_ms"], ms)
        for cls in {f[0] for f in findings}:
            classes[cls] += 1
            if cls.startswith("hang"):
                stats["hangs"] += 1
            if len(by_class[cls]) < 3:
                ex = {**asdict(case), "class": cls, "detail": next(f[1] for f in findings if f[0] == cls)}
                by_class[cls].append(ex)
                examples.setdefault(cls, ex)
                log.write(json.dumps(ex) + "\n")
                log.flush()

    def done() -> bool:
        if args.max_inputs and index - args.start >= args.max_inputs:
            return True
        return time.monotonic() - t0 > args.budget

    try:
        while True:
            for w in workers:
                if w.job is None and not done():
                    case = gen.case(index)
                    index += 1
                    if w.jobs >= 3000:
                        w.recycle()  # caches in a long-lived worker only ever grow
                    w.start_job(case, (case.text, case.engine, case.select, case.context), args.timeout)
            busy = [w for w in workers if w.job is not None]
            if not busy:
                break
            now = time.monotonic()
            ready = wait([w.conn for w in busy], max(0.0, min(w.deadline for w in busy) - now))
            for w in busy:
                if w.conn in ready:
                    try:
                        findings, st = w.conn.recv()
                    except (EOFError, OSError):
                        findings, st = [("crash:worker died", "")], {}
                        w.kill()
                    record(w.job, findings, st)
                    w.job = None
                    if any(f[0].startswith(("hang", "checker:import")) for f in findings):
                        if any(f[0].startswith("checker:import") for f in findings):
                            time.sleep(5)  # the tree is being edited: give it a moment
                        w.kill()
                elif time.monotonic() > w.deadline:
                    case = w.job
                    w.kill()
                    record(case, [("hang:watchdog", f"over {args.timeout} s")], {})
            if time.monotonic() - last_report > 60:
                last_report = time.monotonic()
                fails = sum(v for k, v in classes.items() if not k.startswith(NOT_FAILURES))
                print(f"[{time.monotonic() - t0:.0f}s] {stats['inputs']} inputs, {stats['engine_runs']} engine runs, "
                      f"{fails} failing, {len(classes)} classes", flush=True)
    except KeyboardInterrupt:
        print("interrupted: summarising what ran", flush=True)
    elapsed = time.monotonic() - t0

    # Minimise one example per failure class.
    for cls, ex in list(examples.items()):
        if cls.startswith(NOT_FAILURES) or args.minimise_budget <= 0:
            continue
        try:
            ex["minimal"] = minimise(workers[0], ex, cls, args.timeout, args.minimise_budget)
        except KeyboardInterrupt:
            break
        log.write(json.dumps({"class": cls, "minimal": ex["minimal"], "engine": ex["engine"],
                              "select": ex["select"], "context": ex["context"]}) + "\n")
        log.flush()
    for w in workers:
        w.close()
    table = summarise(stats, dict(classes), examples, elapsed, args)
    (args.out / "summary.md").write_text(table)
    (args.out / "stats.json").write_text(json.dumps({"stats": stats, "classes": classes, "last_index": index}))
    print(table)
    return 1 if any(not k.startswith(NOT_FAILURES) for k in classes) else 0


if __name__ == "__main__":
    sys.exit(main())

"""Real-repository regression run: dockwright's default `--apply` over whole public repositories.

For every repository tree under a root folder (the first CLI argument, else $DOCKWRIGHT_REAL_TREES,
else /work/realtrees), this copies the tree to a scratch folder and runs dockwright there the
way a user would: from the tree's top, on `.`, each Dockerfile's folder as its context, the default
codemod selection. First `dockwright --diff --format json .` (to keep each changed file's unified
diff), then `dockwright --apply --format json .` (what is measured). It collects per repository and
in total: files found, files changed, edits and changed files per codemod, every skip reason
(normalised, counted per codemod), every refusal (exit 123) and error (with file and message), and
wall time. Output goes to an output folder (default /work/realrun/<timestamp>/):

    diffs/<owner+name>/<path>.diff   the unified diff of each changed file (and proposed extra files)
    runs/<owner+name>.json           dockwright's own JSON for the repository
    summary.json                     everything below, machine-readable
    summary.md                       the markdown tables that are also printed

Run:  .venv/bin/python benchmarks/real_repos.py [TREES_ROOT] [--out DIR] [--only NAME…] [-j N] [--resume]
                                                   [--compare EARLIER_OUT]
      (DOCKWRIGHT=/path/to/dockwright runs another copy of the tool; the command and its --version
      are recorded in summary.json as "tool", so a run says which copy it measured. --compare adds
      a before/after table against an earlier run's summary.json.)
Only the standard library and the installed `dockwright` command are used (never refactor's
modules), so the package's internals can move without touching this script. When the trees root
does not exist it says so and exits 0 (the trees are public repositories fetched outside the
project, never committed).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

DEFAULT_ROOT = "/work/realtrees"


def dockwright_command() -> list[str]:
    """$DOCKWRIGHT (a command line, e.g. a frozen copy of the tool), else the `dockwright` installed
    next to this Python (the project's venv), else the one on PATH."""
    if os.environ.get("DOCKWRIGHT"):
        return shlex.split(os.environ["DOCKWRIGHT"])
    here = Path(sys.executable).with_name("dockwright")
    found = str(here) if here.exists() else shutil.which("dockwright")
    if not found:
        sys.exit("no `dockwright` command found (install the project: pip install -e .)")
    return [found]


def normalise(reason: str) -> str:
    """Fold the specifics out of a skip reason so equal reasons count together: quoted names,
    image references, paths, numbers and line positions become placeholders."""
    r = re.sub(r"\b(image|images) [^\s`']*[:/$.][^\s`']*", r"\1 <image>", reason)  # base image python:3.12-slim
    r = re.sub(r"`[^`]*`", "`…`", r)
    r = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", r)
    r = re.sub(r"\b[\w.-]+(/[\w.-]+)+(:[\w.-]+)?", "<path>", r)  # a/b/c, registry/image:tag
    r = re.sub(r"\b[\w.-]+:[\w.-]*\d[\w.-]*\b", "<image>", r)  # name:tag
    r = re.sub(r"\b\d+(\.\d+)*\b", "N", r)
    return r.strip()


def run_json(cmd: list[str], cwd: Path) -> tuple[int, dict | None, str, float]:
    start = time.monotonic()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    took = time.monotonic() - start
    try:
        data = json.loads(p.stdout) if p.stdout.strip() else None
    except json.JSONDecodeError:
        data = None
    return p.returncode, data, p.stderr, took


def run_repo(tree: Path, scratch: Path, out: Path, dw: list[str]) -> dict:
    """One repository: copy, --diff (kept), --apply (measured); keep dockwright's JSON in runs/."""
    name = tree.name
    work = scratch / name
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(tree, work, symlinks=True, ignore=shutil.ignore_patterns(".git", ".exported"))
    try:
        # 1. --diff: the unified diff of each file, before anything is written
        _, diff_data, _, _ = run_json(dw + ["--diff", "--format", "json", "."], work)
        for f in (diff_data or {}).get("files", []):
            if f.get("diff"):
                target = out / "diffs" / name / (f["path"] + ".diff")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(f["diff"], "utf-8")
        # 2. --apply: what a user runs; everything counted comes from here
        code, data, stderr, took = run_json(dw + ["--apply", "--format", "json", "."], work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run = {"exit_code": code, "seconds": round(took, 2), "stderr": stderr, "output": data}
    (out / "runs").mkdir(parents=True, exist_ok=True)
    (out / "runs" / f"{name}.json").write_text(json.dumps(run, indent=1), "utf-8")
    return record(name, run)


def record(name: str, run: dict) -> dict:
    """What one repository's run found, from dockwright's JSON and stderr."""
    rec: dict = {"repo": name, "files_found": 0, "files_changed": 0, "edits": 0,
                 "edits_per_codemod": {}, "files_per_codemod": {}, "skips": [], "errors": [],
                 "problems": [], "changed_files": [], "exit_code": run["exit_code"],
                 "seconds": run.get("seconds", 0.0)}
    data, stderr = run["output"], run["stderr"]
    if data is None:
        rec["errors"].append({"file": None, "kind": "no-json", "message": stderr.strip()[-2000:]})
        return rec
    per_codemod_edits: Counter = Counter()
    per_codemod_files: Counter = Counter()
    for f in data["files"]:
        rec["files_found"] += 1
        if f["error"]:
            # an engine refusal (exit 123) says "refused"; anything else is an input error (exit 2)
            kind = "refused" if ": refused: " in f["error"] else "error"
            rec["errors"].append({"file": f["path"], "kind": kind, "message": f["error"]})
        if f["changed"]:
            rec["files_changed"] += 1
            rec["edits"] += len(f["edits"])
            rec["changed_files"].append({"file": f["path"], "codemods": sorted({e["codemod"] for e in f["edits"]}),
                                         "extra_files": f["extra_files"]})
        for e in f["edits"]:
            per_codemod_edits[e["codemod"]] += 1
        for c in {e["codemod"] for e in f["edits"]}:
            per_codemod_files[c] += 1
        for s in f["skips"]:
            rec["skips"].append({"file": f["path"], "codemod": s["codemod"], "line": s["line"],
                                 "reason": s["reason"]})
    # discovery problems (symlink loops, unreadable folders) are printed on stderr, not in the JSON
    known = {e["message"] for e in rec["errors"]}
    rec["problems"] = [line for line in stderr.splitlines() if line.strip() and line not in known]
    rec["edits_per_codemod"], rec["files_per_codemod"] = dict(per_codemod_edits), dict(per_codemod_files)
    return rec


def table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def summarise(records: list[dict]) -> tuple[dict, str]:
    edits, files = Counter(), Counter()
    skips: dict[str, Counter] = defaultdict(Counter)
    for r in records:
        edits.update(r["edits_per_codemod"])
        files.update(r["files_per_codemod"])
        for s in r["skips"]:
            skips[s["codemod"]][normalise(s["reason"])] += 1
    exits = Counter(r["exit_code"] for r in records)
    errors = [dict(e, repo=r["repo"]) for r in records for e in r["errors"]]
    problems = [{"repo": r["repo"], "message": p} for r in records for p in r["problems"]]
    total = {
        "repositories": len(records),
        "files_found": sum(r["files_found"] for r in records),
        "files_changed": sum(r["files_changed"] for r in records),
        "edits": sum(r["edits"] for r in records),
        "refused": sum(e["kind"] == "refused" for e in errors),
        "errors": sum(e["kind"] != "refused" for e in errors),
        "discovery_problems": len(problems),
        "exit_codes": {str(k): v for k, v in sorted(exits.items(), key=lambda kv: str(kv[0]))},
        "seconds": round(sum(r["seconds"] for r in records), 1),
    }
    summary = {"total": total, "edits_per_codemod": dict(edits), "files_per_codemod": dict(files),
               "skip_reasons": {c: dict(v.most_common()) for c, v in sorted(skips.items())},
               "errors": errors, "problems": problems, "repositories": records}

    md = ["## Totals\n", table(["what", "count"], [[k, v] for k, v in total.items() if k != "exit_codes"]),
          "\n## Exit codes\n", table(["exit code", "repositories"], [[k, v] for k, v in total["exit_codes"].items()]),
          "\n## Per codemod\n",
          table(["codemod", "files changed", "edits", "skips"],
                [[c, files[c], edits[c], sum(skips[c].values())] for c in sorted(set(edits) | set(skips))]),
          "\n## Skip reasons (normalised)\n",
          table(["codemod", "reason", "count"],
                [[c, reason, n] for c in sorted(skips) for reason, n in skips[c].most_common()]),
          "\n## Refusals and errors\n",
          table(["repo", "kind", "file", "message"],
                [[e["repo"], e["kind"], e["file"], e["message"][:300]] for e in errors]) if errors else "none\n",
          "\n## Discovery problems (stderr)\n",
          table(["repo", "message"], [[p["repo"], p["message"][:300]] for p in problems]) if problems else "none\n",
          "\n## Per repository\n",
          table(["repo", "files", "changed", "edits", "exit", "seconds"],
                [[r["repo"], r["files_found"], r["files_changed"], r["edits"], r["exit_code"], r["seconds"]]
                 for r in records])]
    return summary, "".join(md)


def tool_identity(dw: list[str]) -> dict:
    """Which dockwright this run measured: the command and what its --version prints."""
    p = subprocess.run([*dw, "--version"], capture_output=True, text=True)
    return {"command": shlex.join(dw), "version": (p.stdout or p.stderr).strip()}


def compare(before: dict, after: dict) -> str:
    """Markdown before/after tables of two summaries: totals, exit codes, per codemod."""
    def skips(s: dict) -> dict:
        return {c: sum(v.values()) for c, v in s.get("skip_reasons", {}).items()}
    rows = [[k, before["total"].get(k, 0), after["total"].get(k, 0)]
            for k in ("repositories", "files_found", "files_changed", "edits", "refused", "errors",
                      "discovery_problems")]
    codes = sorted(set(before["total"]["exit_codes"]) | set(after["total"]["exit_codes"]))
    sb, sa = skips(before), skips(after)
    mods = sorted(set(before["files_per_codemod"]) | set(after["files_per_codemod"]) | set(sb) | set(sa))
    return "".join([
        "\n## Before / after\n", table(["what", "before", "after"], rows),
        "\n", table(["exit code", "before", "after"],
                    [[c, before["total"]["exit_codes"].get(c, 0), after["total"]["exit_codes"].get(c, 0)]
                     for c in codes]),
        "\n", table(["codemod", "files before", "files after", "edits before", "edits after",
                     "skips before", "skips after"],
                    [[m, before["files_per_codemod"].get(m, 0), after["files_per_codemod"].get(m, 0),
                      before["edits_per_codemod"].get(m, 0), after["edits_per_codemod"].get(m, 0),
                      sb.get(m, 0), sa.get(m, 0)] for m in mods])])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", nargs="?", default=os.environ.get("DOCKWRIGHT_REAL_TREES", DEFAULT_ROOT))
    ap.add_argument("--out", help="output folder (default /work/realrun/<timestamp>)")
    ap.add_argument("--only", nargs="*", help="only these tree names (owner+name)")
    ap.add_argument("--resume", action="store_true", help="reuse runs/<repo>.json already in --out")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="repositories processed at once")
    ap.add_argument("--compare", help="an earlier output folder: add a before/after table")
    args = ap.parse_args()
    root = Path(args.root)
    if not root.is_dir():
        print(f"no repository trees at {root}: nothing to run (set DOCKWRIGHT_REAL_TREES or pass a folder)")
        return 0
    trees = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if args.only:
        trees = [t for t in trees if t.name in set(args.only)]
    out = Path(args.out or f"/work/realrun/{time.strftime('%Y%m%d-%H%M%S')}")
    out.mkdir(parents=True, exist_ok=True)
    dw = dockwright_command()
    done = {t.name: json.loads((out / "runs" / f"{t.name}.json").read_text("utf-8"))
            for t in trees if args.resume and (out / "runs" / f"{t.name}.json").exists()}
    todo = [t for t in trees if t.name not in done]
    records = {name: record(name, run) for name, run in done.items()}
    with tempfile.TemporaryDirectory(prefix="dockwright-real-") as scratch, \
            ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {pool.submit(run_repo, t, Path(scratch), out, dw): t for t in todo}
        for i, fut in enumerate(as_completed(futures), len(done) + 1):
            rec = records[futures[fut].name] = fut.result()
            print(f"[{i}/{len(trees)}] {rec['repo']}: {rec['files_found']} files, {rec['files_changed']} changed, "
                  f"exit {rec['exit_code']}, {rec['seconds']}s", file=sys.stderr)
    records = [records[t.name] for t in trees]
    summary, md = summarise(records)
    summary["tool"] = tool_identity(dw)
    md = f"Tool: `{summary['tool']['command']}` ({summary['tool']['version']})\n\n" + md
    if args.compare:
        md += compare(json.loads((Path(args.compare) / "summary.json").read_text("utf-8")), summary)
    (out / "summary.json").write_text(json.dumps(summary, indent=1), "utf-8")
    (out / "summary.md").write_text(md, "utf-8")
    print(md)
    print(f"output: {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Prove a refactor with real builds: build the original and the refactored Dockerfile from the same
context, run the same smoke command in both images, and describe how the images differ.

The verdict is deliberately narrow. A refactor is *broken* (exit 3) only when the original builds
and the refactored one does not, or when the smoke command passes on the original image and fails
on the refactored one. When the original cannot be judged (it does not build, its own smoke test
fails, a step times out, the builder misbehaves) nothing was proven either way: that is a tool
error (exit 4), never a verdict on the refactor. Size, config and file differences are reported,
not judged: shrinking the image and changing the user are often the very point of a refactor.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from refactor.verify import imagediff
from refactor.verify.builders import PER_DOCKERFILE_IGNORE, Builder, BuilderError, BuildOutcome, RunOutcome
from refactor.engine.exitcodes import BUILD_BROKEN, NO_BUILDER, OK, TOOL_ERROR

__all__ = ["BUILD_BROKEN", "NO_BUILDER", "OK", "TOOL_ERROR", "VerifyReport", "verify", "verify_sizes"]

TAG_REPO = "localhost/dockwright-verify"
TEXT_LIST_LIMIT = 15  # paths listed per category in text output
JSON_LIST_LIMIT = 500  # ...and in JSON, where the counts stay exact


@dataclass
class VerifyReport:
    exit_code: int
    verdict: str  # "ok" | "broken" | "error" | "no-builder" | "unchanged"
    message: str  # one line, for humans
    builder: str | None = None
    builder_info: str | None = None  # the builder's own one-line description (version, mode)
    original_build: BuildOutcome | None = None
    refactored_build: BuildOutcome | None = None
    smoke: str | None = None
    smoke_original: RunOutcome | None = None
    smoke_refactored: RunOutcome | None = None
    diff: imagediff.ImageDiff | None = None
    notes: list[str] = field(default_factory=list)
    logs_dir: Path | None = None

    # --------------------------------------------------------------------------------- output
    def failed_logs(self) -> list[Path]:
        return [b.log_path for b in (self.original_build, self.refactored_build) if b is not None and not b.ok]

    def to_text(self) -> str:
        lines = [f"dockwright verify: {self.verdict.upper()}: {self.message}"]
        if self.builder_info:
            lines.append(f"  builder {self.builder_info}")
        for label, b in (("original", self.original_build), ("refactored", self.refactored_build)):
            if b is not None:
                state = "ok" if b.ok else f"FAILED: {b.error}"
                lines.append(f"  build {label:<10} {b.seconds:6.1f}s  {state}")
        if self.smoke is not None:
            shown = repr(self.smoke) if self.smoke else "(each image's own ENTRYPOINT/CMD)"
            lines.append(f"  smoke {shown}")
            for label, r in (("original", self.smoke_original), ("refactored", self.smoke_refactored)):
                if r is not None:
                    lines.append(f"    {label:<10} {_run_state(r)}")
        if self.diff is not None:
            lines += _diff_text(self.diff)
        lines += [f"  note: {n}" for n in self.notes]
        for log in self.failed_logs():
            lines.append(f"  build log: {log}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=True) + "\n"

    def to_dict(self) -> dict[str, Any]:
        d = _plain(self)
        if self.diff is not None:
            d["diff"]["size_delta"] = self.diff.size_delta
            d["diff"]["size_pct"] = round(self.diff.size_pct, 2)
            files = self.diff.files
            if files is not None:
                d["diff"]["files"] = {
                    "files_a": files.files_a,
                    "files_b": files.files_b,
                    "only_a_count": len(files.only_a),
                    "only_b_count": len(files.only_b),
                    "changed_count": len(files.changed),
                    "only_a": list(files.only_a[:JSON_LIST_LIMIT]),
                    "only_b": list(files.only_b[:JSON_LIST_LIMIT]),
                    "changed": [
                        {"path": c.path, "fields": {k: list(v) for k, v in c.fields.items()}}
                        for c in files.changed[:JSON_LIST_LIMIT]
                    ],
                }
        return d


def _plain(obj: Any) -> Any:
    if is_dataclass(obj) and not isinstance(obj, type):
        return {k: _plain(v) for k, v in asdict(obj).items()}
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    return obj


def _run_state(r: RunOutcome) -> str:
    if r.timed_out:
        return f"timed out after {r.seconds:.0f}s"
    out = (r.stdout.strip().splitlines() or [""])[-1][:120]
    err = (r.stderr.strip().splitlines() or [""])[-1][:120]
    tail = f"  stdout: {out}" if out else ""
    if r.exit_code != 0 and err:
        tail += f"  stderr: {err}"
    return f"exit {r.exit_code} ({r.seconds:.1f}s){tail}"


def _diff_text(d: imagediff.ImageDiff) -> list[str]:
    hs = imagediff.human_size
    lines = [
        f"  size   {hs(d.size_a)} -> {hs(d.size_b)} "
        + f"({'+' if d.size_delta >= 0 else ''}{hs(d.size_delta)}, {d.size_pct:+.1f}%)",
        f"  layers {d.layers_a} -> {d.layers_b}",
    ]
    if d.config:
        lines.append("  config:")
        lines += [f"    {c.describe()}" for c in d.config]
    else:
        lines.append("  config: identical")
    f = d.files
    if f is None:
        return lines
    if f.identical:
        lines.append(f"  files: identical ({f.files_a} paths, known rebuild noise ignored)")
        return lines
    lines.append(
        f"  files: {f.files_a} -> {f.files_b} paths; {len(f.only_a)} only in original, "
        f"{len(f.only_b)} only in refactored, {len(f.changed)} changed"
    )
    for sign, paths in (("-", f.only_a), ("+", f.only_b)):
        tops = imagediff.collapse(paths)
        lines += [f"    {sign} {p}" + (f"  (+{n} below)" if n else "") for p, n in tops[:TEXT_LIST_LIMIT]]
        if len(tops) > TEXT_LIST_LIMIT:
            lines.append(f"    {sign} ... {len(tops) - TEXT_LIST_LIMIT} more (--format json lists them)")
    lines += [f"    ~ {c.path}: {c.describe()}" for c in f.changed[:TEXT_LIST_LIMIT]]
    if len(f.changed) > TEXT_LIST_LIMIT:
        lines.append(f"    ~ ... {len(f.changed) - TEXT_LIST_LIMIT} more")
    return lines


# ---------------------------------------------------------------------------------------- verify
class _OutOfTime(Exception):
    pass


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.total = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


def _scratch_dir(context: Path) -> Path:
    """A fresh directory for the two Dockerfiles, outside the build context: a file written into
    the context would be picked up by `COPY . .` and change both images."""
    ctx = context.resolve()
    for parent in (tempfile.gettempdir(), "/var/tmp", str(Path.home())):
        p = Path(parent).resolve()
        if p.is_dir() and os.access(p, os.W_OK) and ctx not in (p, *p.parents):
            return Path(tempfile.mkdtemp(prefix="dockwright-verify-", dir=p))
    raise BuilderError(f"no temporary directory outside the build context {ctx}")


def verify(
    original_text: str,
    refactored_text: str,
    context: Path,
    *,
    builder: Builder,
    smoke: str | Sequence[str] | None,
    timeout: float,
    keep_logs_dir: Path,
    target: str | None = None,
    refactored_dockerignore: str | None = None,
) -> VerifyReport:
    """Build both texts in `context` with `builder`; `timeout` bounds the whole run.

    `smoke`: None skips the smoke test; "" runs each image's own ENTRYPOINT/CMD; anything else
    replaces CMD, as `docker run IMAGE ARGS...` would. `refactored_dockerignore` is used for the
    refactored build only (a refactor may propose one); the original uses the context's own.
    Build logs are written to `keep_logs_dir` and left there; images and temp files are removed.
    """
    run = _Run(builder, context, smoke, timeout, keep_logs_dir, target)
    try:
        return run.go(original_text, refactored_text, refactored_dockerignore)
    finally:
        run.cleanup()


class _Run:
    def __init__(
        self,
        builder: Builder,
        context: Path,
        smoke: str | Sequence[str] | None,
        timeout: float,
        logs: Path,
        target: str | None,
    ) -> None:
        self.builder = builder
        self.context = Path(context)
        self.smoke = smoke
        self.deadline = _Deadline(timeout)
        self.logs = Path(logs)
        self.target = target
        rid = uuid.uuid4().hex[:12]
        self.tags = {w: f"{TAG_REPO}:{rid}-{w}" for w in ("original", "refactored")}
        self.produced: list[str] = []
        self.before: set[str] | None = None
        self.cache_before: set[str] | None = None
        self.scratch: Path | None = None
        self.report = VerifyReport(OK, "ok", "", builder=builder.name, logs_dir=self.logs)
        if smoke is not None:
            self.report.smoke = smoke if isinstance(smoke, str) else " ".join(smoke)

    # The verdict helpers return the report so each exit path reads as one line.
    def _end(self, code: int, verdict: str, message: str) -> VerifyReport:
        self.report.exit_code, self.report.verdict, self.report.message = code, verdict, message
        return self.report

    def go(self, original: str, refactored: str, dockerignore: str | None) -> VerifyReport:
        try:
            return self._go(original, refactored, dockerignore)
        except _OutOfTime as e:
            return self._end(TOOL_ERROR, "error", str(e))
        except (BuilderError, OSError) as e:
            return self._end(TOOL_ERROR, "error", f"builder failed: {e}")

    def _go(self, original: str, refactored: str, dockerignore: str | None) -> VerifyReport:
        rep = self.report
        self.logs.mkdir(parents=True, exist_ok=True)
        self.scratch = _scratch_dir(self.context)
        rep.builder_info = self.builder.describe()
        self.before = self.builder.image_ids()
        self.cache_before = self.builder.cache_ids()
        ignore = None
        if dockerignore is not None:
            ignore = self.scratch / "refactored.dockerignore"
            ignore.write_text(dockerignore)
            if self.builder.cannot("", ignorefile=True):
                rep.notes.append(
                    f"{self.builder.name} cannot use {PER_DOCKERFILE_IGNORE}: the refactored image was built "
                    "with the context's own .dockerignore, not the proposed one"
                )

        rep.original_build = self._build("original", original, None)
        if not rep.original_build.ok:
            what = "timed out" if rep.original_build.timed_out else "does not build"
            return self._end(TOOL_ERROR, "error", f"the original Dockerfile {what}; nothing to compare against")
        rep.refactored_build = self._build("refactored", refactored, ignore)
        if not rep.refactored_build.ok:
            if rep.refactored_build.timed_out:
                return self._end(TOOL_ERROR, "error", "the refactored build timed out; no verdict")
            return self._end(BUILD_BROKEN, "broken", "the original builds but the refactored Dockerfile does not")

        # A smoke regression is final, but the diff is still worth showing beside it.
        smoke_verdict = self._smoke() if self.smoke is not None else None
        if smoke_verdict is not None and smoke_verdict.exit_code == TOOL_ERROR:
            return smoke_verdict
        try:
            rep.diff = self._diff()
        except BuilderError as e:
            if smoke_verdict is None:
                return self._end(TOOL_ERROR, "error", f"both images built, but they could not be compared: {e}")
            rep.notes.append(f"images could not be compared: {e}")
        if smoke_verdict is not None:
            return smoke_verdict
        smoke_note = "" if self.smoke is None else " and passes the smoke test"
        return self._end(OK, "ok", f"the refactored Dockerfile builds{smoke_note}")

    def _left(self, step: str) -> float:
        left = self.deadline.left()
        if left <= 0:
            raise _OutOfTime(f"the time budget of {self.deadline.total:.0f}s ran out before {step}")
        return left

    def _build(self, which: str, text: str, ignore: Path | None) -> BuildOutcome:
        assert self.scratch is not None
        dockerfile = self.scratch / f"{which}.Dockerfile"
        dockerfile.write_text(text)
        out = self.builder.build(
            self.context,
            dockerfile,
            self.tags[which],
            timeout=self._left(f"building the {which} image"),
            log_path=self.logs / f"{which}.build.log",
            target=self.target,
            ignorefile=ignore,
        )
        self.produced.extend(out.produced)
        if out.note:
            self.report.notes.append(f"{which} build: {out.note}")
        if not out.ok and not out.timed_out:
            lacking = self.builder.cannot(text)
            if lacking:
                self.report.notes.append(
                    f"{self.builder.name} as set up here cannot build {', '.join(lacking)}, which the {which} "
                    "Dockerfile uses"
                )
            if out.hint:
                self.report.notes.append(f"{which} build: {out.hint}")
        return out

    def _smoke(self) -> VerifyReport | None:
        """The final report when the smoke test decides the outcome, else None."""
        rep = self.report
        rep.smoke_original = self.builder.run(self.tags["original"], self.smoke, timeout=self._left("smoke"))
        if not rep.smoke_original.ok:
            why = "timed out" if rep.smoke_original.timed_out else f"exits {rep.smoke_original.exit_code}"
            return self._end(TOOL_ERROR, "error", f"the smoke command {why} on the original image too; it proves nothing")
        rep.smoke_refactored = self.builder.run(self.tags["refactored"], self.smoke, timeout=self._left("smoke"))
        r = rep.smoke_refactored
        if r.timed_out:
            return self._end(TOOL_ERROR, "error", "the smoke command timed out on the refactored image; no verdict")
        if not r.ok:
            return self._end(BUILD_BROKEN, "broken", f"the smoke command passes on the original but exits {r.exit_code} on the refactored image")
        if r.stdout != rep.smoke_original.stdout:
            rep.notes.append("the smoke command's output differs between the two images (exit codes agree)")
        return None

    def _diff(self) -> imagediff.ImageDiff:
        a, b = self.tags["original"], self.tags["refactored"]
        ia, ib = self.builder.inspect(a), self.builder.inspect(b)
        with self.builder.filesystem(a) as root_a, self.builder.filesystem(b) as root_b:
            files = imagediff.compare_roots(root_a, root_b)
        return imagediff.diff_images(ia.size_bytes, ib.size_bytes, ia.layers, ib.layers, ia.config, ib.config, files)

    def cleanup(self) -> None:
        """Remove both tags and every image our builds committed: with --layers each instruction
        leaves an intermediate image behind, and a multi-stage build leaves its earlier stages.
        Only IDs named in our own build logs that did not exist before we started are touched,
        so a concurrent build's cache survives. Then BuildKit's cache records that appeared
        during the run (its logs name none, so a build running beside ours on the same daemon
        may lose cache records, never images)."""
        try:
            for tag in self.tags.values():
                self.builder.remove(tag)
            if self.before is not None and self.produced:
                ours = [i for i in self.builder.image_ids() - self.before if any(i.startswith(p) for p in self.produced)]
                order = {p: n for n, p in enumerate(self.produced)}
                ours.sort(key=lambda i: -max(n for p, n in order.items() if i.startswith(p)))
                for _ in range(2):  # children first; a second pass catches ordering surprises
                    ours = [i for i in ours if not self.builder.remove(i)]
                if ours:  # a failed rmi may just mean it went with its child already
                    ours = sorted(set(ours) & self.builder.image_ids())
                if ours:
                    self.report.notes.append(f"{len(ours)} intermediate image(s) could not be removed (in use?)")
            if self.cache_before is not None:
                left = self.builder.remove_cache(self.builder.cache_ids() - self.cache_before)
                if left:
                    self.report.notes.append(f"{len(left)} build cache record(s) could not be removed (in use?)")
        except (BuilderError, OSError) as e:
            self.report.notes.append(f"cleanup incomplete: {e}")
        finally:
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)


def verify_sizes(
    path: Path, original: str, refactored: str, *, timeout: float = 1800.0, builder: Builder | None = None
) -> dict[str, Any] | None:
    """For the PR bot: build both versions of the Dockerfile at `path` (its folder is the
    context). {"size_before": bytes, "size_after": bytes} when both build; None when nothing
    could be judged (no builder, the original does not build); raises when the refactor broke
    the build, so that the bot leaves the file out of its pull request. `builder`: the first
    usable one (`detect("auto")`) when not given."""
    from refactor.verify.builders import NoBuilderError, detect

    if builder is None:
        try:
            builder = detect("auto")
        except NoBuilderError:
            return None
    logs = Path(tempfile.mkdtemp(prefix="dockwright-bot-verify-"))
    report = verify(original, refactored, Path(path).parent, builder=builder, smoke=None,
                    timeout=timeout, keep_logs_dir=logs)
    if report.verdict == "broken":
        raise RuntimeError(f"{report.message} (build logs: {logs})")
    shutil.rmtree(logs, ignore_errors=True)
    if report.verdict != "ok" or report.diff is None:
        return None
    return {"size_before": report.diff.size_a, "size_after": report.diff.size_b}

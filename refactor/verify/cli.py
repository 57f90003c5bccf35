"""`dockwright verify [PATH]`: build a Dockerfile before and after dockwright's refactor and report
whether the refactor still builds and behaves (see `refactor.verify` for the verdict rules).

"Before" is the committed file when PATH is tracked by git and modified, so that verifying right
after `dockwright` rewrote a file in place still compares against what was there before;
otherwise it is the file as it is now. "After" is dockwright's refactoring of the file as it is
now, which for a file dockwright already rewrote is that same text again (the engine is
idempotent), and which keeps any hand edits in the working tree.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import click

from refactor.verify import builders
from refactor.engine.exitcodes import NO_BUILDER, OK, PARSE_ERROR, TOOL_ERROR
from refactor.engine.results import FileResult
from refactor.syntax.sourcefile import UnreadableFile, decode_source, read_source
from refactor.verify.session import VerifyReport, verify

GIT_TIMEOUT = 30.0
DEFAULT_TIMEOUT = 1800.0  # both builds and both smoke runs; cold apt/pip/npm builds take minutes


def refactor_source(source: str, path: Path, context: Path) -> FileResult:
    """The refactoring under test. A module-level function so tests can substitute it; the engine
    is imported here, not at the top, so that `verify` stays importable on its own."""
    from refactor.engine.runner import refactor_text

    return refactor_text(source, path, context)


def detect_builder(preference: str) -> builders.Builder:
    return builders.detect(preference)


def committed_text(path: Path) -> str | None:
    """The file's text at git HEAD, or None when it is not in a git repository or not tracked."""
    where, name = path.resolve().parent, path.name

    def git(*args: str) -> subprocess.CompletedProcess[bytes] | None:
        try:
            return subprocess.run(
                ["git", "-C", str(where), *args], capture_output=True, timeout=GIT_TIMEOUT, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            return None

    tracked = git("ls-files", "--error-unmatch", "--", name)
    if tracked is None or tracked.returncode != 0:
        return None
    # --filters: line-ending and smudge conversion as for a checkout, so an unchanged file compares
    # equal to the working tree on every platform.
    shown = git("cat-file", "--filters", f"HEAD:./{name}")
    if shown is None or shown.returncode != 0:
        return None  # tracked but not committed yet (only staged): there is no "before" in git
    return decode_source(shown.stdout, f"HEAD:{path}")


def original_text(path: Path, current: str) -> tuple[str, str]:
    """(the text to verify against, where it came from)."""
    head = committed_text(path)
    if head is not None and head != current:
        return head, "git HEAD (the working tree has changes)"
    return current, "the file as it is now"


def _dockerignore(result: FileResult) -> tuple[str | None, list[str]]:
    """The proposed .dockerignore (the only extra file a build can use), and the others' names."""
    dockerignore, others = None, []
    for extra, text in result.extra_files.items():
        if Path(extra).name == ".dockerignore":
            dockerignore = text
        else:
            others.append(str(extra))
    return dockerignore, sorted(others)


def _run_verify(
    before: str, result: FileResult, context: Path, builder: builders.Builder, smoke: str | None, timeout: float
) -> tuple[VerifyReport, Path]:
    """verify() with a fresh logs directory, deleted again when everything passed."""
    dockerignore, others = _dockerignore(result)
    logs = Path(tempfile.mkdtemp(prefix="dockwright-verify-logs-"))
    report = verify(
        before,
        result.output,
        context,
        builder=builder,
        smoke=smoke,
        timeout=timeout,
        keep_logs_dir=logs,
        refactored_dockerignore=dockerignore,
    )
    if others:
        report.notes.append(f"proposed files not used by the build: {', '.join(others)}")
    if report.exit_code == OK:
        shutil.rmtree(logs, ignore_errors=True)
        report.logs_dir = None
    return report, logs


def verify_for_apply(
    result: FileResult, context: Path, smoke: str | None, timeout: float = DEFAULT_TIMEOUT
) -> tuple[bool, str]:
    """For `dockwright refactor --apply --verify`: may this result be written? (ok, why not)."""
    try:
        builder = detect_builder("auto")
    except builders.NoBuilderError as e:
        return False, str(e)
    report, logs = _run_verify(result.original, result, context, builder, smoke, timeout)
    if report.exit_code == OK:
        return True, report.message
    where = ", ".join(str(p) for p in report.failed_logs()) or str(logs)
    return False, f"verify: {report.message} (logs: {where})"


def _emit(report: VerifyReport, fmt: str) -> None:
    click.echo(report.to_json() if fmt == "json" else report.to_text(), nl=False)


@click.command("verify")
@click.argument("path", required=False, default="Dockerfile", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--builder",
    "builder_name",
    type=click.Choice(["auto", "docker", "podman", "buildah", "buildah-modern"]),
    default="auto",
    show_default=True,
    help="Container tool to build with; auto takes the first that works of buildah-modern "
    "(heredoc-capable, from .ci/setup-buildah.sh --with-modern), buildah, podman, and docker "
    "when a daemon answers (DOCKER_HOST; BuildKit where the client can, else the legacy builder).",
)
@click.option(
    "--smoke",
    metavar="CMD",
    default=None,
    help="Command to run in both images, as in `docker run IMAGE CMD` (the ENTRYPOINT is kept). "
    "It must succeed on the original; failing on the refactored image is a broken refactor. "
    "An empty string runs each image's own CMD. No network inside.",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Time budget in seconds for the whole run: both builds and both smoke runs.",
)
@click.option(
    "--context",
    "context_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Build context directory (default: the Dockerfile's directory).",
)
def verify_command(
    path: Path, builder_name: str, smoke: str | None, fmt: str, timeout: float, context_dir: Path | None
) -> None:
    """Prove a refactor of PATH (default ./Dockerfile) with real builds.

    Exit status: 0 the refactor builds (and passes the smoke test), 3 it broke the build or the
    smoke test, 4 nothing could be judged (the original does not build, a timeout, a builder or
    refactoring failure), 5 no container builder is available, 2 PATH cannot be read.
    """
    try:
        current = read_source(path)
    except UnreadableFile as e:
        click.echo(f"dockwright verify: {e}", err=True)
        raise SystemExit(PARSE_ERROR)
    context = context_dir if context_dir is not None else path.parent
    before, origin = original_text(path, current)

    result = refactor_source(current, path, context)
    if result.error is not None:
        _emit(VerifyReport(TOOL_ERROR, "error", f"dockwright could not refactor the file: {result.error}"), fmt)
        raise SystemExit(TOOL_ERROR)
    if result.output == before:
        _emit(VerifyReport(OK, "unchanged", "dockwright changes nothing in this file; nothing to verify"), fmt)
        raise SystemExit(OK)

    try:
        builder = detect_builder(builder_name)
    except builders.NoBuilderError as e:
        _emit(VerifyReport(NO_BUILDER, "no-builder", str(e)), fmt)
        raise SystemExit(NO_BUILDER)

    report, logs = _run_verify(before, result, context, builder, smoke, timeout)
    report.notes.insert(0, f"original: {origin}")
    if report.exit_code != OK and fmt == "text":
        report.notes.append(f"build logs kept in {logs}")
    _emit(report, fmt)
    raise SystemExit(report.exit_code)

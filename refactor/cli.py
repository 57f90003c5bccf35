"""The `dockwright` command line (click). Thin: options → engine → report → exit code.

Start-up matters (pre-commit runs one file per process): each command imports what it uses when
it runs, `--help` loads neither the parser nor the codemods, and `--select` loads only the
codemods it names (benchmarks/startup.py)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

import refactor
from refactor.syntax.errors import ParseError
from refactor.engine.exitcodes import PARSE_ERROR
from refactor.syntax.sourcefile import UnreadableFile, decode_source, read_source


class _DefaultGroup(click.Group):
    """`dockwright [OPTIONS] PATHS…` runs the refactoring; a known first word is a subcommand.
    Subcommands with heavy imports (bot, verify) load only when used, to keep start-up fast."""

    default_command = "refactor"
    lazy = {"bot": ("refactor.bot.run", "bot_command"), "verify": ("refactor.verify.cli", "verify_command")}
    # The first paragraph of their help, for `dockwright --help` to list them without importing
    # them (tests/test_cli.py holds these equal to the commands' own).
    lazy_help = {
        "bot": "Open or update one pull request with dockwright's refactorings.",
        "verify": "Prove a refactor of PATH (default ./Dockerfile) with real builds.",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            import importlib

            module, attr = self.lazy[name]
            try:
                self.add_command(getattr(importlib.import_module(module), attr), name)
            except ImportError:
                return None
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        stand_ins = {n: click.Command(n, help=h) for n, h in self.lazy_help.items() if n not in self.commands}
        self.commands.update(stand_ins)
        try:
            super().format_commands(ctx, formatter)
        finally:
            for name in stand_ins:
                del self.commands[name]

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        known = {*self.commands, *self.lazy}
        if not args or (args[0] not in known and args[0] not in ("--help", "-h", "--version")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(refactor.__version__, package_name="dockwright")
def main() -> None:
    """Refactor Dockerfiles the way an expert would, losslessly.

    \b
    dockwright --diff PATH…      show the changes as a unified diff
    dockwright --apply PATH…     rewrite files in place
    dockwright --check PATH…     exit 1 when something would change
    dockwright lint PATH…        BuildKit's build checks no codemod fixes
    dockwright parse [--json] FILE
    """


@main.command("parse")
@click.option("--json", "as_json", is_flag=True, help="Print BuildKit's view: one object per instruction.")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
def parse_command(path: str, as_json: bool) -> None:
    """Parse one Dockerfile (`-` for stdin) and print its structure."""
    from refactor.syntax.commands import buildkit_commands
    from refactor.syntax.parser import parse_dockerfile
    from refactor.syntax.tree_view import render_tree

    try:
        if path == "-":
            name = "<stdin>"
            source = decode_source(sys.stdin.buffer.read(), name)
        else:
            name = path
            source = read_source(Path(path))
        df = parse_dockerfile(source)
    except UnreadableFile as e:
        click.echo(str(e), err=True)
        sys.exit(PARSE_ERROR)
    except ParseError as e:
        click.echo(e.format(name), err=True)
        sys.exit(PARSE_ERROR)
    if as_json:
        import json

        click.echo(json.dumps(buildkit_commands(df), indent=2, ensure_ascii=False))
    else:
        click.echo(render_tree(df, name))


def _csv(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [x.strip() for x in value.split(",") if x.strip()]


def _selection(select: list[str] | None, ignore: list[str], safe_only: bool):
    """The engine's `make_selection`, except that a `--select` imports only the codemods it names
    (make_selection walks the whole registry, importing every codemod). Raises ValueError for an
    unknown id."""
    from refactor.codemods import by_id, load
    from refactor.engine.runner import Selection, make_selection

    known = by_id()
    if not select or any(x not in known for x in (*select, *ignore)):
        return make_selection(select, ignore, safe_only)  # everything, or the engine's error
    # As make_selection: registry order; naming a codemod is consent to its safety class.
    explicit = frozenset(select)
    return Selection(load(explicit - set(ignore)), explicit, safe_only)


def _process(args: tuple[str, str | None, list[str] | None, list[str], bool, dict, tuple | None]):
    """One file, in this process or a worker (hence plain arguments). With `render` (verbose,
    quiet, color) the text report's block for the file is made here too, and what comes back is
    a `_Rendered`, not the texts: workers share the lint and diff work, and a run keeps no file's
    text once it is printed."""
    from refactor.engine.runner import collector_paused, forget_file, refactor_text
    from refactor.engine.results import FileResult

    path_s, context_s, select, ignore, safe_only, options, render = args
    path = Path(path_s)
    # The cyclic collector waits until the file is done and its trees are freed (as in
    # refactor_text): collecting while the lint and diff run would scan the read-back tree.
    with collector_paused(forget_file):
        try:
            source = read_source(path)
        except UnreadableFile as e:
            result = FileResult(path, "", "", error=str(e))
        else:
            selection = _selection(select, ignore, safe_only)
            result = refactor_text(source, path, Path(context_s) if context_s else None, selection, options)
        return result if render is None else _render(result, context_s, *render)


class _Rendered:
    """What the text report needs of a FileResult once the file's block (explanation, lint
    comments, diff) is made: the counts, skips and messages, not the file's texts."""

    __slots__ = ("path", "changed", "edits", "skips", "error", "internal_errors", "block")

    def __init__(self, result, block: str) -> None:
        self.path = result.path
        self.changed = result.changed
        self.edits = result.edits
        self.skips = result.skips
        self.error = result.error
        self.internal_errors = result.internal_errors
        self.block = block


def _render(result, context_dir: str | None, verbose: bool, quiet: bool, color: bool) -> _Rendered:
    from refactor.engine.report import explanation, file_diff

    block = ""
    if result.changed:
        if not quiet:
            block = explanation(result, verbose) + _lint_comments(result, context_dir)
        d = file_diff(result)
        block += colorize(d) if color else d
    return _Rendered(result, block)


@main.command("refactor", hidden=True)
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--diff", "mode_diff", is_flag=True, help="Print a unified diff of the changes (the default).")
@click.option("--apply", "mode_apply", is_flag=True, help="Rewrite the files in place.")
@click.option("--check", "mode_check", is_flag=True, help="Exit 1 when a file would change.")
@click.option("--select", help="Comma-separated codemod ids to run (naming one is consent to its safety class).")
@click.option("--ignore", help="Comma-separated codemod ids not to run.")
@click.option("--safe-only", is_flag=True, default=None, help="Only codemods and edits that keep the image's behaviour.")
@click.option("--context", "context_dir", type=click.Path(file_okay=False, exists=True, path_type=str),
              help="Build context folder (default: each Dockerfile's folder).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True,
              help="How findings are reported.")
@click.option("--no-color", is_flag=True, help="Never colour the diff.")
@click.option("-q", "--quiet", is_flag=True, help="Only diffs and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also say why codemods declined.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Files processed in parallel [default: one per CPU when there are many files].")
@click.option("--verify", "verify_apply", is_flag=True, help="With --apply: write only files whose refactored image builds (and passes --smoke).")
@click.option("--smoke", help="With --verify: a command run in both images that must succeed.")
@click.option("--runner-base", metavar="IMAGE", help="multi-stage: the final stage's base image (default: the slim variant of the original base).")
def refactor_command(paths, mode_diff, mode_apply, mode_check, select, ignore, safe_only, context_dir,
                     fmt, no_color, quiet, verbose, jobs, verify_apply, smoke, runner_base) -> None:
    """Refactor the Dockerfiles in PATHS (files or folders; `-` reads stdin)."""
    from refactor.engine.config import ConfigError, find_config
    from refactor.engine.discovery import discover
    from refactor.engine.report import Report, result_json, sarif, skip_lines
    from refactor.engine.results import FileResult

    out = sys.stdout
    if not paths:
        raise click.UsageError("no PATHS given (a Dockerfile, a folder, or - for stdin)")
    if mode_apply and mode_diff:
        raise click.UsageError("--apply and --diff are exclusive: --diff shows what --apply writes")
    if verify_apply and not mode_apply:
        raise click.UsageError("--verify needs --apply")
    try:
        config = find_config(Path.cwd())
    except ConfigError as e:
        click.echo(f"{e}", err=True)
        sys.exit(PARSE_ERROR)
    select_l = _csv(select) if select is not None else config.select
    ignore_l = (_csv(ignore) or []) + list(config.ignore)
    safe = config.safe_only if safe_only is None else safe_only
    try:
        _selection(select_l, ignore_l, safe)
    except ValueError as e:
        raise click.UsageError(str(e)) from None
    color = (not no_color) and fmt == "text" and out.isatty()
    options = {"runner_base": runner_base} if runner_base else {}
    report = Report(check=mode_check)

    # One run: a repository read beyond a build context serves each of its Dockerfiles (files are
    # written only once every file is done); kept until the command ends.
    from refactor.knowledge.context import repository_reads_kept

    click.get_current_context().with_resource(repository_reads_kept())
    stdin_result = None
    file_paths = [Path(p) for p in paths if p != "-"]
    if "-" in paths:
        from refactor.engine.runner import refactor_text

        try:
            source = decode_source(sys.stdin.buffer.read(), "<stdin>")
            stdin_result = refactor_text(source, None, Path(context_dir) if context_dir else Path.cwd(),
                                         _selection(select_l, ignore_l, safe), options)
        except UnreadableFile as e:
            stdin_result = FileResult(Path("<stdin>"), "", "", error=str(e))
    base = config.source.parent if config.source else Path.cwd()
    files, problems = discover(file_paths, config.exclude, base)
    for p in problems:
        click.echo(p, err=True)
    report.problems = problems

    show_diff = mode_diff or not mode_check
    # The text report of --diff/--check: each file's block is made where the file is processed
    # and printed as it comes, in order (stdout and stderr each get what they always got).
    streaming = fmt == "text" and not mode_apply
    render = (verbose, quiet, color) if streaming and show_diff else None
    jobs_args = [(str(p), context_dir, select_l, ignore_l, safe, options, render) for p in files]
    show_progress = len(jobs_args) >= 20 and sys.stderr.isatty() and not quiet
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 8) if len(jobs_args) >= 16 else 1
    if not hasattr(os, "fork"):  # the workers are forked (refactor.engine.workers): one process
        jobs = 1
    if stdin_result is not None and render is not None:
        stdin_result = _render(stdin_result, context_dir, *render)
    pool = None
    if jobs > 1 and len(jobs_args) > 1:
        from refactor.engine.workers import Workers
        from refactor.syntax import codecache

        # what every worker loads is loaded once, here, and shared by the forked workers
        import refactor.engine.runner  # noqa: F401
        import refactor.shell.parse  # noqa: F401

        _resume_collector()
        # the workers end without the parent's exit: each writes the dataclass-method tables of
        # the modules it loaded (those a file needs that the parent did not), as the console script does
        pool = Workers(_process, jobs, chunksize=8, at_exit=codecache.save)
        iterator = pool.map(jobs_args)
    else:
        iterator = _resuming_after_first(map(_process, jobs_args))
    try:
        if streaming and not show_progress:
            _report_text(iterator, stdin_result, report, show_diff, mode_check, quiet, verbose)
            sys.exit(report.return_code)
        results = _with_progress(iterator, len(jobs_args), show_progress)
    finally:
        if pool is not None:
            pool.close()
    if stdin_result is not None:
        results.insert(0, stdin_result)

    for r in results:
        report.add(r)
        if r.error:
            click.echo(r.error, err=True)
        for message in r.internal_errors:
            click.echo(message, err=True)

    if fmt != "text":
        import json
    if fmt == "json":
        click.echo(json.dumps({"files": [result_json(r, not mode_apply) for r in results],
                               "summary": {"changed": report.changed, "edits": report.edits,
                                           "errors": report.errors + len(report.problems),
                                           "refused": report.refused}}, indent=2))
    elif fmt == "sarif":
        click.echo(json.dumps(sarif(results), indent=2))

    if mode_apply:
        _apply(results, report, fmt, quiet, verbose, verify_apply, smoke, context_dir)
    else:
        for r in results:
            if fmt != "text":
                continue
            if r.changed and show_diff:
                click.echo(r.block, nl=False)
            elif r.changed:
                click.echo(f"would change: {r.path} ({len(r.edits)} edit{'s' * (len(r.edits) != 1)})", err=True)
            if verbose and r.skips and not (r.changed and show_diff):
                click.echo(skip_lines(r), nl=False, err=True)
        if fmt == "text" and not quiet:
            verb = "would change" if mode_check else "to change"
            click.echo(report.summary(verb), err=True)
    sys.exit(report.return_code)


def _report_text(iterator, stdin_result, report, show_diff: bool, mode_check: bool, quiet: bool, verbose: bool) -> None:
    """The text report, printed file by file as the results come: errors and blocks at once;
    the `would change` and skip lines, which always came after every error, at the end."""
    later: list[str] = []
    if stdin_result is not None:
        _report_one(stdin_result, report, show_diff, verbose, later)
    for r in iterator:
        _report_one(r, report, show_diff, verbose, later)
    for text in later:
        click.echo(text, nl=False, err=True)
    if not quiet:
        click.echo(report.summary("would change" if mode_check else "to change"), err=True)


def _report_one(r, report, show_diff: bool, verbose: bool, later: list[str]) -> None:
    from refactor.engine.report import skip_lines

    report.add(r)
    if r.error:
        click.echo(r.error, err=True)
    for message in r.internal_errors:
        click.echo(message, err=True)
    if r.changed and show_diff:
        click.echo(r.block, nl=False)
    elif r.changed:
        later.append(f"would change: {r.path} ({len(r.edits)} edit{'s' * (len(r.edits) != 1)})\n")
    if verbose and r.skips and not (r.changed and show_diff):
        later.append(skip_lines(r))


def _resume_collector() -> None:
    console = sys.modules.get("refactor.console")  # loaded: the console script started this run
    if console is not None:
        console.resume_collector()


def _resuming_after_first(iterator):
    """The results, with the garbage collector back on once the first file (which loads the
    modules a file needs) is done."""
    for result in iterator:
        _resume_collector()
        yield result
    _resume_collector()


def _lint_comments(result, context_dir: str | None) -> str:
    """BuildKit's build checks no codemod fixes, on the refactored text, as `#` lines for the
    explanation block (`patch` skips them)."""
    from refactor.checks.findings import lint_dockerfile
    from refactor.knowledge.context import BuildContext
    from refactor.engine.runner import read_back
    from refactor.syntax.parser import reparse_generated

    if result.path == Path("<stdin>"):
        root = Path(context_dir) if context_dir else Path.cwd()
    else:
        root = Path(context_dir) if context_dir else result.path.parent
    try:
        # The output is the engine's, which read it back before returning it: that tree when it
        # is still at hand (the file was just processed here), else the same tree parsed again.
        tree = read_back(result.output) or reparse_generated(result.output)
        findings = lint_dockerfile(tree, BuildContext(root, result.path) if root.is_dir() else None)
    except ParseError:
        return ""
    return "".join(f"#   lint: {f.text(result.path.as_posix())}\n" for f in findings)


def _with_progress(iterator, total: int, show: bool) -> list:
    if not show:
        return list(iterator)
    with click.progressbar(iterator, length=total, label="dockwright", file=sys.stderr) as bar:
        return list(bar)


def _apply(results, report, fmt, quiet, verbose, verify_apply, smoke, context_dir) -> None:
    from refactor.engine.report import explanation
    from refactor.engine.writer import atomic_write

    for r in results:
        if not r.changed:
            continue
        if r.path == Path("<stdin>"):
            click.echo(r.output, nl=False)
            continue
        if verify_apply:
            from refactor.verify.cli import verify_for_apply

            ok, message = verify_for_apply(r, Path(context_dir) if context_dir else r.path.parent, smoke)
            if not ok:
                click.echo(f"{r.path}: not written: {message}", err=True)
                report.changed -= 1
                report.edits -= len(r.edits)
                report.errors += 1
                continue
        try:
            if r.output != r.original:
                atomic_write(r.path, r.output)
            for extra, text in r.extra_files.items():
                atomic_write(extra, text)
        except OSError as e:
            click.echo(f"{r.path}:0:0: cannot write: {e.strerror or e}", err=True)
            report.changed -= 1
            report.edits -= len(r.edits)
            report.errors += 1
            continue
        if fmt == "text" and not quiet:
            click.echo(explanation(r, verbose), nl=False, err=True)
    if fmt == "text" and not quiet:
        click.echo(report.summary("changed"), err=True)


def colorize(diff: str) -> str:
    from refactor.engine.diffing import colorize as _c

    return _c(diff)


@main.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text", show_default=True)
@click.option("--all", "include_fixable", is_flag=True, help="Also the checks a codemod fixes (naming the codemod).")
@click.option("--experimental", is_flag=True, help="Also BuildKit's experimental checks (InvalidDefinitionDescription).")
@click.option("--context", "context_dir", type=click.Path(file_okay=False, exists=True, path_type=str),
              help="Build context folder, for .dockerignore (default: each Dockerfile's folder).")
def lint_command(paths, fmt, include_fixable, experimental, context_dir) -> None:
    """Report BuildKit's build checks for the Dockerfiles in PATHS, as `path:line:col: Rule message`.
    Exit 1 when there is a finding, 2 when a file cannot be read or parsed."""
    from refactor.checks.findings import lint_dockerfile
    from refactor.checks.output import as_json, as_sarif, as_text
    from refactor.engine.config import ConfigError, find_config
    from refactor.engine.discovery import discover
    from refactor.knowledge.context import BuildContext
    from refactor.syntax.parser import parse_dockerfile

    if not paths:
        raise click.UsageError("no PATHS given (a Dockerfile or a folder)")
    try:
        config = find_config(Path.cwd())
    except ConfigError as e:
        click.echo(f"{e}", err=True)
        sys.exit(PARSE_ERROR)
    base = config.source.parent if config.source else Path.cwd()
    files, errors = discover([Path(p) for p in paths], config.exclude, base)
    results = []
    for path in files:
        try:
            df = parse_dockerfile(read_source(path))
        except UnreadableFile as e:
            errors.append(str(e))
            continue
        except ParseError as e:
            errors.append(e.format(str(path)))
            continue
        root = Path(context_dir) if context_dir else path.parent
        context = BuildContext(root, path) if root.is_dir() else None
        results.append((path.as_posix(), lint_dockerfile(df, context, include_fixable=include_fixable,
                                                         experimental=experimental)))
    for e in errors:
        click.echo(e, err=True)
    if fmt != "text":
        import json
    if fmt == "json":
        click.echo(json.dumps(as_json(results, errors), indent=2))
    elif fmt == "sarif":
        click.echo(json.dumps(as_sarif(results), indent=2))
    else:
        click.echo(as_text(results), nl=False)
    if errors:
        sys.exit(PARSE_ERROR)
    sys.exit(1 if any(fs for _, fs in results) else 0)


@main.command("codemods")
def codemods_command() -> None:
    """List the codemods in the order they run."""
    from refactor.codemods import REGISTRY

    for c in REGISTRY:
        click.echo(f"{c.id:<22} {c.safety.value:<7} {c.summary}")


@main.command("explain")
@click.argument("codemod_id")
def explain_command(codemod_id: str) -> None:
    """Print a codemod's rationale, safety class and the hadolint rules it answers."""
    from refactor.codemods import by_id

    c = by_id().get(codemod_id)
    if c is None:
        raise click.UsageError(f"unknown codemod id {codemod_id!r} (see `dockwright codemods`)")
    click.echo(f"{c.id} ({c.safety.value}): {c.summary}\n")
    click.echo(c.rationale.strip())
    if c.hadolint:
        click.echo(f"\nAnswers hadolint {', '.join(c.hadolint)}.")


if __name__ == "__main__":  # `python -m refactor.cli …`, as `python -X importtime` measures it
    main()

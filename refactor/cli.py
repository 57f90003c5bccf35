"""The `dockwright` command line (click). Thin: options → engine → report → exit code."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .errors import ParseError
from .exitcodes import PARSE_ERROR
from .sourcefile import UnreadableFile, decode_source, read_source


class _DefaultGroup(click.Group):
    """`dockwright [OPTIONS] PATHS…` runs the refactoring; a known first word is a subcommand."""

    default_command = "refactor"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dockwright")
def main() -> None:
    """Refactor Dockerfiles the way an expert would, losslessly.

    \b
    dockwright --diff PATH…      show the changes as a unified diff
    dockwright --apply PATH…     rewrite files in place
    dockwright --check PATH…     exit 1 when something would change
    dockwright parse [--json] FILE
    """


@main.command("parse")
@click.option("--json", "as_json", is_flag=True, help="Print BuildKit's view: one object per instruction.")
@click.argument("path", type=click.Path(dir_okay=False, allow_dash=True, path_type=str))
def parse_command(path: str, as_json: bool) -> None:
    """Parse one Dockerfile (`-` for stdin) and print its structure."""
    from .commands import buildkit_commands
    from .parser import parse_dockerfile
    from .tree_view import render_tree

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
        click.echo(json.dumps(buildkit_commands(df), indent=2, ensure_ascii=False))
    else:
        click.echo(render_tree(df, name))

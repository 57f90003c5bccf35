"""What keeps a run fast and its memory flat (issue 13): reading a Dockerfile needs no Lark, the
shell-parse cache holds one file at a time, and the text report's results carry no file texts."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_reading_a_dockerfile_imports_no_lark():
    code = ("import sys; from refactor.syntax.parser import parse_dockerfile; "
            "parse_dockerfile('FROM a AS b\\nRUN x \\\\\\n  y\\n'); print('lark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_files_shell_parses_are_shared_and_dropped_once_it_is_done(monkeypatch):
    from refactor.engine.runner import refactor_text
    from refactor.shell import parse

    parsed = []
    real = parse._parse
    monkeypatch.setattr(parse, "_parse", lambda text, escape: parsed.append(text) or real(text, escape))
    many = "FROM debian:12\n" + "".join(f"RUN apt-get update && apt-get install -y p{i}\n" for i in range(40))
    assert refactor_text(many).changed  # every codemod: several read each RUN body
    assert len(set(parsed)) >= 40  # each body, and the fixed ones
    assert len(parsed) == len(set(parsed))  # each text parsed once, the codemods shared the parse
    assert parse._parse_cached.cache_info().currsize == 0  # and the file's parses are gone with it


def test_text_report_results_keep_no_file_text(tmp_path):
    from refactor.cli import _process

    f = tmp_path / "Dockerfile"
    f.write_text("from debian:12\nRUN apt-get update && apt-get install -y curl\n")
    done = _process((str(f), None, None, [], False, {}, (False, False, False)))
    assert done.changed and "+FROM debian:12" in done.block and "# " in done.block
    assert not hasattr(done, "original") and not hasattr(done, "output")
    full = _process((str(f), None, None, [], False, {}, None))
    assert full.output != full.original and len(full.edits) == len(done.edits)


def test_the_lint_reads_the_engines_read_back_tree(tmp_path, monkeypatch):
    # The engine parses its output once to prove it reads back; the text report's lint uses
    # that tree instead of parsing the output a second time.
    from refactor.cli import _process
    from refactor.syntax import parser

    f = tmp_path / "Dockerfile"
    outputs = []
    real = parser.parse_dockerfile
    monkeypatch.setattr(parser, "parse_dockerfile", lambda text: outputs.append(text) or real(text))
    f.write_text("from debian:12\nRUN apt-get update && apt-get install -y curl\nENV DB_PASSWORD=secret\n")
    done = _process((str(f), None, None, [], False, {}, (False, False, False)))
    assert done.changed and "#   lint: " in done.block and "SecretsUsedInArgOrEnv" in done.block
    whole = [t for t in outputs if t.startswith("FROM debian:12")]  # the output; not the input, not one new RUN
    assert len(whole) == 1

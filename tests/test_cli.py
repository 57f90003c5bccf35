"""The command line: every mode, option and exit code, and what happens to bad input."""
from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT

from refactor.cli import main

APT = "FROM debian\n# tools\nRUN apt-get update && apt-get install -y curl\n"
APT_FIXED = (
    "FROM debian\n# tools\nRUN apt-get update && apt-get install -y --no-install-recommends curl"
    " ca-certificates && rm -rf /var/lib/apt/lists/*\n"
)
CLEAN = "FROM debian\nRUN echo nothing to do\n"


def run(args, input=None, cwd=None):
    runner = CliRunner()
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return runner.invoke(main, args, input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "Dockerfile").write_text(APT)
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "Containerfile").write_text(CLEAN)
    (tmp_path / "svc" / "api.Dockerfile").write_text("FROM alpine\nRUN apk add curl\n")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "Dockerfile").write_text(APT)  # never walked into
    return tmp_path


def test_diff_is_default_and_exits_zero(repo):
    r = run([str(repo)])
    assert r.exit_code == 0
    assert "+RUN apt-get update && apt-get install -y --no-install-recommends" in r.output
    assert "[apt-cleanup] (unsafe)" in r.output and "[apk-no-cache] (safe)" in r.output
    assert "node_modules" not in r.output
    assert (repo / "Dockerfile").read_text() == APT  # --diff writes nothing


def test_check_exits_one_when_something_would_change(repo):
    assert run(["--check", str(repo)]).exit_code == 1
    assert run(["--check", str(repo / "svc" / "Containerfile")]).exit_code == 0


def test_apply_writes_in_place_and_summarises(repo):
    r = run(["--apply", str(repo)])
    assert r.exit_code == 0
    assert (repo / "Dockerfile").read_text() == APT_FIXED
    assert (repo / "svc" / "api.Dockerfile").read_text() == "FROM alpine\nRUN apk add --no-cache curl\n"
    assert "2 files changed, 3 edits" in r.output
    assert run(["--check", str(repo)]).exit_code == 0  # idempotent on disk


def test_diff_fed_to_patch_gives_what_apply_writes(repo, tmp_path_factory):
    if shutil.which("patch") is None:
        pytest.skip("patch not installed")
    files = {
        "Dockerfile": APT,
        "crlf.Dockerfile": "FROM debian\r\nRUN apt-get update \\\r\n    && apt-get install -y jq\r\n",
        "bom.Dockerfile": "\ufeffFROM debian\nRUN pip install flask",
    }
    a = tmp_path_factory.mktemp("a")
    b = tmp_path_factory.mktemp("b")
    for name, text in files.items():
        (a / name).write_bytes(text.encode())
        (b / name).write_bytes(text.encode())
    # A real process: the test runner's captured output would normalise the CRLF lines.
    exe = str(Path(sys.executable).parent / "dockwright")
    diff = subprocess.run([exe, "--diff", "--no-color", "."], cwd=a, capture_output=True).stdout
    subprocess.run([exe, "--apply", "."], cwd=b, capture_output=True)
    out = subprocess.run(["patch", "-p1"], input=diff, cwd=a, capture_output=True)
    assert out.returncode == 0, (out.stdout, out.stderr, diff)
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    assert (b / "bom.Dockerfile").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in (b / "crlf.Dockerfile").read_bytes()
    assert not (b / "bom.Dockerfile").read_bytes().endswith(b"\n")


def test_apply_keeps_file_mode(repo):
    df = repo / "Dockerfile"
    df.chmod(0o640)
    run(["--apply", str(df)])
    assert stat.S_IMODE(df.stat().st_mode) == 0o640
    assert [p.name for p in repo.iterdir() if p.name.startswith(".Dockerfile")] == []  # no temp left


def test_select_ignore_and_safe_only(repo):
    df = str(repo / "Dockerfile")
    r = run(["--select", "pip-no-cache", df])
    assert r.exit_code == 0 and "+RUN" not in r.output
    r = run(["--ignore", "apt-cleanup", df])
    assert "+RUN" not in r.output
    r = run(["--safe-only", df])
    assert "--no-install-recommends" not in r.output and "rm -rf /var/lib/apt/lists/*" in r.output
    r = run(["--safe-only", "--select", "apt-cleanup", df])  # naming it is consent
    assert "--no-install-recommends" in r.output
    r = run(["--select", "no-such-codemod", df])
    assert r.exit_code == 2 and "unknown codemod id" in r.output


def test_config_file_and_pyproject(repo):
    (repo / ".dockwright.toml").write_text('ignore = ["apk-no-cache"]\nsafe-only = true\n')
    r = run([str(repo)], cwd=repo)
    assert "apk add --no-cache" not in r.output and "--no-install-recommends" not in r.output
    (repo / ".dockwright.toml").unlink()
    (repo / "pyproject.toml").write_text('[tool.dockwright]\nexclude = ["svc/*"]\n')
    r = run(["."], cwd=repo)
    assert "api.Dockerfile" not in r.output and "a/Dockerfile" in r.output
    (repo / "pyproject.toml").write_text('[tool.dockwright]\nbogus = 1\n')
    r = run(["."], cwd=repo)
    assert r.exit_code == 2 and "unknown key" in r.output


def test_inline_pragmas(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("# dockwright: skip-file\n" + APT)
    assert run(["--check", str(f)]).exit_code == 0
    f.write_text("FROM debian\n# dockwright: ignore[apt-cleanup]\nRUN apt-get update && apt-get install -y curl\n")
    assert run(["--check", str(f)]).exit_code == 0


def test_json_and_sarif(repo):
    r = run(["--format", "json", str(repo / "Dockerfile")])
    data = json.loads(r.output)
    assert data["summary"]["changed"] == 1
    f = data["files"][0]
    assert {e["codemod"] for e in f["edits"]} == {"apt-cleanup"}
    assert f["diff"].startswith("--- a/")
    r = run(["--format", "sarif", str(repo / "Dockerfile")])
    sarif = json.loads(r.output)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert results and all(x["ruleId"] == "apt-cleanup" for x in results)
    assert results[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == 3


def test_quiet_verbose_and_color(repo):
    df = str(repo / "Dockerfile")
    assert "# " not in run(["-q", df]).output.split("---")[0]
    f = repo / "cached.Dockerfile"
    f.write_text("FROM node:20\nRUN --mount=type=cache,target=/root/.npm npm ci\n")
    assert "skipped [node-cache-clean]" in run(["-v", str(f)]).output
    assert "\x1b[" not in run(["--no-color", df]).output


def test_stdin(repo):
    r = run(["-"], input=APT)
    assert "+RUN apt-get update" in r.output
    r = run(["--apply", "-"], input=APT)
    assert APT_FIXED in r.output


def test_jobs_gives_the_same_result(repo):
    one = run(["--no-color", str(repo)]).output
    two = run(["--no-color", "-j", "2", str(repo)]).output
    assert one == two


def test_jobs_give_the_same_report_over_many_files(tmp_path):
    # enough files for several chunks in each of the two workers, in text (streamed) and json
    for i, source in enumerate(sorted((ROOT / "corpus").glob("*/*.before.Dockerfile"))[:40]):
        (tmp_path / f"{i:02}").mkdir()
        shutil.copy(source, tmp_path / f"{i:02}" / "Dockerfile")
    for args in (["--no-color", "-v"], ["--format", "json"]):
        one = run([*args, "-j", "1", str(tmp_path)])
        two = run([*args, "-j", "2", str(tmp_path)])
        assert (two.exit_code, two.output) == (one.exit_code, one.output)
        assert one.output.count(str(tmp_path)) >= 40


def test_context_option(repo, tmp_path_factory):
    ctx = tmp_path_factory.mktemp("ctx")
    r = run(["--context", str(ctx), str(repo / "Dockerfile")])
    assert r.exit_code == 0
    r = run(["--context", str(ctx / "missing"), str(repo / "Dockerfile")])
    assert r.exit_code == 2


def test_bad_input_is_reported_and_others_still_processed(tmp_path):
    good = tmp_path / "Dockerfile"
    good.write_text(APT)
    binary = tmp_path / "Dockerfile.bin"
    binary.write_bytes(b"FROM x\n\x00\x01\x02")
    latin = tmp_path / "Dockerfile.latin1"
    latin.write_bytes("FROM debian\nLABEL author=Ren\xe9\n".encode("latin-1"))
    broken = tmp_path / "Dockerfile.broken"
    broken.write_text("FROM debian\nRUN <<EOF\nnever ends\n")
    before = {p: p.read_bytes() for p in (binary, latin, broken)}
    r = run(["--apply", str(tmp_path)])
    assert r.exit_code == 2
    assert f"{binary}:2:1: binary file" in r.output
    assert f"{latin}:2:17: not UTF-8 text" in r.output
    assert f"{broken}:2:1: unterminated heredoc" in r.output
    assert "Traceback" not in r.output
    assert good.read_text() == APT_FIXED  # the good file was still processed
    assert {p: p.read_bytes() for p in before} == before  # bad ones untouched


def test_unreadable_path_and_directory_loop(tmp_path):
    r = run([str(tmp_path / "nope" / "Dockerfile")])
    assert r.exit_code == 2 and "cannot read" in r.output
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text(APT)
    os.symlink(tmp_path, tmp_path / "a" / "loop")
    r = run(["--check", str(tmp_path)])
    assert "directory loop" in r.output
    assert r.exit_code == 2
    assert "+RUN" not in r.output  # --check alone lists files, prints no diff
    assert "would change" in r.output
    if os.geteuid() != 0:
        locked = tmp_path / "locked.Dockerfile"
        locked.write_text(APT)
        locked.chmod(0)
        assert "cannot read" in run([str(locked)]).output


def test_usage_errors():
    assert run([]).exit_code == 2
    assert run(["--apply", "--diff", "x"]).exit_code == 2


def test_parse_subcommand(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text("FROM a AS b\nRUN --mount=type=cache,target=/x echo hi\n")
    r = run(["parse", "--json", str(f)])
    data = json.loads(r.output)
    assert data[1]["flags"] == ["--mount=type=cache,target=/x"] and data[1]["value"] == ["echo hi"]
    r = run(["parse", str(f)])
    assert "stage 0" in r.output and "RUN" in r.output
    f.write_text("# escape=x\nFROM a\n")
    r = run(["parse", str(f)])
    assert r.exit_code == 2 and f"{f}:1:1: invalid escape token" in r.output


def test_codemods_and_explain():
    r = run(["codemods"])
    assert "apt-cleanup" in r.output and "safe" in r.output
    r = run(["explain", "apt-cleanup"])
    assert "DL3009" in r.output
    assert run(["explain", "nope"]).exit_code == 2


def _modules_after(args, cwd):
    """The refactor.* modules a `dockwright ARGS` process imported (the console script's own start-up)."""
    code = ("import sys\nfrom refactor.cli import main\nsys.argv = ['dockwright', *sys.argv[1:]]\n"
            "try:\n    main()\nfinally:\n    print('\\n'.join(m for m in sys.modules if m.startswith('refactor')), file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, check=False)
    return out, set(out.stderr.split())


def test_version_is_the_projects_without_importlib_metadata(tmp_path):
    import importlib.metadata
    import re

    from refactor import __version__

    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text()
    assert re.search(r'(?m)^version = "([^"]*)"$', pyproject).group(1) == __version__
    assert __version__ == importlib.metadata.version("dockwright")  # the installed one says the same
    code = ("import sys\nfrom refactor.cli import main\nsys.argv = ['dockwright', '--version']\n"
            "try:\n    main()\nfinally:\n    print('importlib.metadata' in sys.modules, file=sys.stderr)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert out.returncode == 0 and out.stdout == f"dockwright, version {__version__}\n"
    assert out.stderr.split() == ["False"]


def test_start_up_imports_only_what_the_command_uses(tmp_path):
    from refactor.bot.run import bot_command
    from refactor.verify.cli import verify_command

    out, modules = _modules_after(["--help"], tmp_path)
    assert out.returncode == 0
    # listed with their own one-line help, neither imported
    for name, cmd in (("bot", bot_command), ("verify", verify_command)):
        assert f"{name} " in out.stdout and cmd.help.split("\n\n")[0][:40] in out.stdout
    assert not {m for m in modules if m.startswith(("refactor.bot", "refactor.verify", "refactor.codemods",
                                                    "refactor.syntax.parser", "refactor.engine.runner"))}
    f = tmp_path / "Dockerfile"
    f.write_text(APT)
    out, modules = _modules_after(["--diff", "--select", "apt-cleanup", str(f)], tmp_path)
    assert out.returncode == 0 and "+RUN apt-get update" in out.stdout
    assert "refactor.codemods.apt_cleanup" in modules
    assert not {m for m in modules if m.startswith(("refactor.codemods.multi_stage", "refactor.codemods.non_root",
                                                    "refactor.bot", "refactor.verify"))}
    # --select with --ignore, and an unknown id, as the engine decides them
    assert run(["--diff", "--select", "apt-cleanup,pin-base", "--ignore", "pin-base", str(f)]).output.count("+RUN") == 1
    r = run(["--diff", "--select", "apt-cleanup,nope", str(f)])
    assert r.exit_code == 2 and "unknown codemod id: nope" in r.output


def test_console_script_runs_as_a_process(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text(APT)
    exe = Path(sys.executable).parent / "dockwright"
    out = subprocess.run([str(exe), "--check", str(f)], capture_output=True, text=True)
    assert out.returncode == 1 and "would change" in out.stderr


def test_runner_base_option():
    app = Path(__file__).resolve().parent.parent / "corpus" / "multi-stage" / "go-static" / "Dockerfile"
    r = run(["--select", "multi-stage", "--runner-base", "gcr.io/distroless/base-debian12", str(app)])
    assert "+FROM gcr.io/distroless/base-debian12 AS runner" in r.output
    r = run(["--select", "multi-stage", str(app)])
    assert "+FROM gcr.io/distroless/static-debian12" in r.output


def test_engine_refusal_exits_123_and_writes_nothing(tmp_path, monkeypatch):
    from test_engine import Sneaky

    import refactor.engine.runner as engine
    from refactor.engine.runner import Selection

    monkeypatch.setattr(engine, "make_selection", lambda *a, **k: Selection((Sneaky(),)))
    f = tmp_path / "Dockerfile"
    f.write_text(APT)
    r = run(["--apply", "-j", "1", str(f)])
    assert r.exit_code == 123
    assert "refused" in r.output and "no codemod claimed" in r.output
    assert f.read_text() == APT


def test_apt_lists_stay_for_a_later_install_when_a_folder_is_walked(tmp_path):
    """A real repository's shape (ShubhamPatil007/Jenkins_Docker_CPP): the second RUN installs
    without `apt-get update`, so the first must keep the lists. Walking the folder (the build
    context known) once appended the cleanup to the first RUN anyway: the image no longer built."""
    (tmp_path / "main.cpp").write_text("int main() {}\n")
    (tmp_path / "Dockerfile").write_text(
        "FROM gcc:latest\n\nRUN apt-get -y update && apt-get install -y\n\nRUN apt-get -y install cmake;\n\n"
        "COPY . usr/src/app\n\nWORKDIR usr/src/app\n\nRUN cmake . ; make;\n\nCMD [\"./main\"]\n")
    for target in (tmp_path, tmp_path / "Dockerfile"):
        r = CliRunner().invoke(main, ["--diff", "--no-color", str(target)])
        added = [line for line in r.output.splitlines() if line.startswith("+RUN apt-get")]
        assert added[0] == "+RUN apt-get -y update && apt-get install -y --no-install-recommends", r.output
        assert added[1].endswith("&& rm -rf /var/lib/apt/lists/*;"), r.output

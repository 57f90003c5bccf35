"""Shell code over 64 KB in one instruction is not analysed (refactor/shell/parse.py
MAX_ANALYSED): it reads as one opaque unit, the engine says so, non-root declines, and no codemod
may grow an instruction past the bound. The largest RUN of 8,878 in 3,409 real Dockerfiles is
6.6 KB; RUNs of hundreds of KB took seconds through every codemod."""
from __future__ import annotations

import time

from refactor.engine.runner import make_selection, refactor_text
from refactor.shell.parse import MAX_ANALYSED, Opaque, parse_shell


def _installs(n: int, cmd: str = "apt-get install -y pkg") -> str:
    return " && \\\n    ".join(f"{cmd}{k}" for k in range(n))


def test_over_the_bound_is_one_opaque_unit_that_round_trips() -> None:
    body = _installs(4000)
    assert len(body) > MAX_ANALYSED
    script = parse_shell(body)
    assert script.code == body
    assert [type(u) for u in script.units()] == [Opaque] and script.units()[0].reason == "too-long"
    small = _installs(100)
    assert len(parse_shell(small).commands()) == 100


def test_a_huge_run_is_left_alone_with_the_reason_and_quickly() -> None:
    src = "FROM python:3.11\nCOPY . /app\nRUN " + _installs(5000) + "\nCMD [\"python\", \"-m\", \"app\"]\n"
    t = time.process_time()
    result = refactor_text(src)
    assert time.process_time() - t < 2.0
    assert result.output == src
    reasons = [(s.codemod, s.reason) for s in result.skips]
    assert any(c == "*" and "KB of shell code, over the 64 KB dockwright analyses" in r for c, r in reasons)
    # non-root cannot clear what root does in it: it declines rather than add a USER
    assert any(c == "non-root" and "does not read" in r for c, r in reasons), reasons


def test_just_under_the_bound_is_analysed() -> None:
    src = "FROM debian:bookworm\nRUN apt-get update && " + _installs(1000, "apt-get install -y --no-install-recommends p") + "\n"
    assert len(src) < MAX_ANALYSED
    result = refactor_text(src, selection=make_selection(["apt-cleanup"]))
    assert result.output != src and "rm -rf /var/lib/apt/lists/*" in result.output


def test_apt_cleanup_does_not_grow_a_run_past_the_bound() -> None:
    body = _installs(1500)  # 55 KB; adding --no-install-recommends to each makes it 91 KB
    assert len(body) < MAX_ANALYSED
    result = refactor_text("FROM debian:bookworm\nRUN " + body + "\n", selection=make_selection(["apt-cleanup"]))
    assert not result.edits
    assert any("with its fixes this RUN would hold" in s.reason for s in result.skips)


def test_the_engine_drops_any_change_that_grows_an_instruction_past_the_bound() -> None:
    body = _installs(2200, "pip install p")  # 58 KB; --no-cache-dir on each makes it 90 KB
    assert len(body) < MAX_ANALYSED
    src = "FROM python:3.11\nRUN " + body + "\n"
    result = refactor_text(src, selection=make_selection(["pip-no-cache"]))
    assert result.output == src
    assert any("over the 64 KB dockwright analyses; change dropped" in s.reason for s in result.skips), result.skips


def test_a_file_over_a_megabyte_is_left_as_it_is_with_the_reason() -> None:
    from refactor.engine.runner import MAX_FILE

    run = "RUN apt-get update && apt-get install -y curl\n"
    under = "FROM debian\n" + run * ((MAX_FILE - 20) // len(run))
    over = under + run
    assert len(under) <= MAX_FILE < len(over)
    t = time.process_time()
    result = refactor_text(over)
    assert time.process_time() - t < 0.5  # not read at all
    assert not result.changed and result.error is None
    assert [(s.codemod, s.line) for s in result.skips] == [("*", 1)] and "over the 1 MB" in result.skips[0].reason
    # up to the bound the file is read (here: more edits than dockwright makes, the next bound)
    assert "1 MB" not in " ".join(s.reason for s in refactor_text(under).skips)


def test_a_file_over_the_instruction_bound_is_left_as_it_is_naming_its_final_from() -> None:
    from refactor.engine.runner import MAX_INSTRUCTIONS

    run = "RUN apt-get update && apt-get install -y curl\n"
    head = "FROM debian AS build\nRUN make\nFROM debian\n"
    at = head + run * (MAX_INSTRUCTIONS - 3)
    over = at + run
    result = refactor_text(over)
    assert not result.changed and result.error is None
    assert [(s.codemod, s.line) for s in result.skips] == [("*", 3)]
    assert f"holds {MAX_INSTRUCTIONS + 1:,} instructions, over the {MAX_INSTRUCTIONS:,}" in result.skips[0].reason
    # at the bound the file is analysed (here it needs more edits than dockwright makes: the next bound)
    reasons = " ".join(s.reason for s in refactor_text(at).skips)
    assert "instructions, over" not in reasons and "edits, the most dockwright makes" in reasons


def test_a_file_over_the_shell_code_bound_is_left_as_it_is() -> None:
    from refactor.engine.runner import MAX_SHELL

    run = "RUN " + "echo 0123456789abcdef && " * 40 + "echo done\n"  # about 1 KB
    fix = "RUN apt-get install curl\n"
    count = (MAX_SHELL - len(fix)) // (len(run) - 1)  # an instruction's logical line, keyword included
    under = "FROM debian\n" + run * count + fix
    over = under + run * 2
    result = refactor_text(over)
    assert not result.changed and result.error is None
    assert len(result.skips) == 1 and f"of shell code to analyse, over the {MAX_SHELL // 1024} KB" in result.skips[0].reason
    analysed = refactor_text(under, selection=make_selection(["apt-cleanup"]))
    assert analysed.changed and "of shell code to analyse, over" not in " ".join(s.reason for s in analysed.skips)

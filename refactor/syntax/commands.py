"""The instruction list as BuildKit reports it: the fields of the `dockerfile` package's
`Command` (less `original`), for `dockwright parse --json` and the parity tests."""
from __future__ import annotations

from typing import Any

from refactor.syntax.nodes import Dockerfile


def buildkit_commands(df: Dockerfile) -> list[dict[str, Any]]:
    out = []
    for inst, start, end in df.line_spans():
        parsed = inst.parsed
        is_onbuild = inst.cmd == "ONBUILD"
        out.append(
            {
                "cmd": inst.keyword or None,
                "sub_cmd": parsed.sub_cmd,
                "json": parsed.json,
                "flags": list(inst.flags),
                "value": list(parsed.value),
                "start_line": start,
                "end_line": end,
                # BuildKit attaches an ONBUILD's heredocs to the outer node; the Command API
                # reads them from the inner one, so they never show.
                "heredocs": []
                if is_onbuild
                else [{"name": h.name, "content": h.content} for h in inst.heredoc_info],
            }
        )
    return out

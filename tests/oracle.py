"""BuildKit's own parser (the `dockerfile` package, Go) as a test oracle."""
from __future__ import annotations

from typing import Any

import dockerfile

# The `dockerfile` package embeds BuildKit v0.12.5, which predates the `check` directive: there a
# `# check=` line ends the directive run, so a later `# escape=` is a plain comment. We follow
# current BuildKit, where `check` is a directive; inputs with that pattern are compared against
# the oracle with the `check` line made a non-directive comment... of the same length, see
# `oracle_view`.


def oracle_commands(text: str) -> list[dict[str, Any]] | tuple[str, str]:
    try:
        cmds = dockerfile.parse_string(text)
    except dockerfile.GoParseError as e:
        return ("error", str(e))
    return [
        {
            "cmd": c.cmd,
            "sub_cmd": c.sub_cmd,
            "json": c.json,
            "flags": list(c.flags),
            "value": list(c.value),
            "start_line": c.start_line,
            "end_line": c.end_line,
            "heredocs": [{"name": h.name, "content": h.content} for h in c.heredocs],
        }
        for c in cmds
    ]

"""expose-proto-casing: the protocol of an EXPOSE port in lower case.

What it does
    `EXPOSE 80/TCP` becomes `EXPOSE 80/tcp` (also `UDP`, `SCTP`, and mixed case).

Why
    BuildKit reports an upper-case protocol (build check ExposeProtoCasing); the image config
    stores ports as `80/tcp`, and tools that compare the Dockerfile with it expect that spelling.

Example
    EXPOSE 8080/TCP 53/Udp   →   EXPOSE 8080/tcp 53/udp

Safety
    Safe: the exposed ports are the same. BuildKit records the protocol in lower case either way;
    buildah records it as written, so there the config's `80/TCP` becomes `80/tcp`, the spelling
    runtimes expect (tests/test_buildkit_checks_build.py builds both). Declines where a port is
    broken by a line continuation.
"""
from __future__ import annotations

import re

from refactor.codemods._checks import error_note, gate, map_pieces, apply_replacements
from refactor.codemods.base import Codemod, Context, Safety, rationale_from_doc
from refactor.syntax.nodes import Dockerfile
from refactor.syntax.lazy_re import lazy

RULE = "ExposeProtoCasing"
_PROTO = lazy(r"(?<=/)(tcp|udp|sctp)(?=\s|$)", re.I)


class ExposeProtoCasing(Codemod):
    id = "expose-proto-casing"
    summary = "EXPOSE protocols in lower case"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        g = gate(df, RULE)
        if g is None:
            return df
        repl: dict = {}  # applied at the end, in one pass
        for inst in list(df.instructions):
            if inst.cmd != "EXPOSE" or not g.runs(inst):
                continue
            bad = [w for w in inst.value if "/" in w and w.rsplit("/", 1)[1] != w.rsplit("/", 1)[1].lower()]
            if not bad:
                continue
            new = map_pieces(inst, lambda p: _PROTO.sub(lambda m: m.group(1).lower(), p.text) if p.kind == "ARG" else p.text)
            if list(new.value) != [w.rsplit("/", 1)[0] + "/" + w.rsplit("/", 1)[1].lower() if "/" in w else w for w in inst.value]:
                ctx.skip(self, "a port is broken by a line continuation or names an unknown protocol: left as written", inst)
                continue
            repl[id(inst)] = new
            ctx.edit(self, new, f"{', '.join(bad)} → lower-case protocol{error_note(df, RULE)}", touched=(inst,))
        return apply_replacements(df, repl)


CODEMOD = ExposeProtoCasing()

"""Records what every codemod does to every fixture and shared-corpus file, to prove that a
restructuring of the code changed no behaviour.

    python tests/snapshot_outputs.py record BEFORE.json
    python tests/snapshot_outputs.py compare BEFORE.json     # exit 1 and the differences if any

Each file runs once per codemod alone and once with all of them, without a build context and
with one: the fixture's own folder, or for a shared-corpus file a context synthesized from its
ecosystem (tests/test_multi_stage.py's `synthesize_context`). What is recorded per run is the
output text, every edit and skip, the error, and any files proposed beside the Dockerfile.
"""
from __future__ import annotations

import hashlib
import json
import sys
import os
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from conftest import SHARED_REAL, read_text_exact  # noqa: E402
from test_multi_stage import ECOSYSTEM_FILES, _manifest, synthesize_context  # noqa: E402

from refactor.engine.runner import make_selection, refactor_text  # noqa: E402

NO_CONTEXT = Path("/nonexistent-dockwright-context")
SYNTH_ROOT = Path(f"/tmp/dockwright-snapshot-{os.getpid()}")


def _digest(result) -> str:
    record = {
        "output": result.output,
        "error": result.error,
        "edits": [repr(e) for e in result.edits],
        "skips": [repr(s) for s in result.skips],
        "extra": sorted((str(k), v if isinstance(v, str) else repr(v)) for k, v in result.extra_files.items()),
    }
    text = json.dumps(record, sort_keys=True).replace(str(SYNTH_ROOT), "<synthesized>").replace(str(ROOT), "<root>")
    return hashlib.sha256(text.encode()).hexdigest()


def _selections():
    from refactor.codemods import REGISTRY

    yield "all", make_selection()
    for cm in REGISTRY:
        yield cm.id, make_selection([cm.id])


def _runs():
    selections = list(_selections())
    fixtures = sorted(p for p in (ROOT / "corpus").rglob("*") if p.is_file() and "Dockerfile" in p.name)
    for path in fixtures:
        text = read_text_exact(path)
        rel = str(path.relative_to(ROOT))
        for name, sel in selections:
            yield f"{rel}|none|{name}", refactor_text(text, path=path, context=NO_CONTEXT, selection=sel)
            yield f"{rel}|own|{name}", refactor_text(text, path=path, selection=sel)
    if SHARED_REAL is None or not SHARED_REAL.is_dir():
        return
    manifest = _manifest()
    for path in sorted(p for p in SHARED_REAL.iterdir() if p.name in manifest):
        text = read_text_exact(path)
        ecosystem = manifest[path.name].get("ecosystem")
        for name, sel in selections:
            yield f"real/{path.name}|none|{name}", refactor_text(text, path=path, context=NO_CONTEXT, selection=sel)
        if ecosystem not in ECOSYSTEM_FILES:
            continue
        # Results name the file: the digests replace the folder's path with a fixed one.
        root = SYNTH_ROOT / path.name
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        synthesize_context(root, text, ecosystem)
        df = root / "Dockerfile"
        df.write_bytes(path.read_bytes())
        for name, sel in selections:
            yield f"real/{path.name}|synth|{name}", refactor_text(text, path=df, selection=sel)
        shutil.rmtree(root)


def record() -> dict[str, str]:
    return {key: _digest(result) for key, result in _runs()}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("record", "compare"):
        print(__doc__)
        return 2
    now = record()
    if argv[0] == "record":
        Path(argv[1]).write_text(json.dumps(now, indent=0, sort_keys=True))
        print(f"{len(now)} runs recorded")
        return 0
    before = json.loads(Path(argv[1]).read_text())
    # Files added since the record are new fixtures, not changed behaviour; missing ones count.
    differ = sorted(k for k in before if before[k] != now.get(k))
    for k in differ[:50]:
        print("differs:", k)
    print(f"{len(before)} recorded runs compared ({len(now) - len(before.keys() & now.keys())} new), {len(differ)} differ")
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

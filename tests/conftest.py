"""Shared test helpers. The shared corpus of real Dockerfiles (../shared/corpus/real) is only
beside this team's checkout: tests that need it carry the `shared_corpus` marker and skip, with
the reason, when it is absent; `DOCKWRIGHT_REQUIRE_SHARED=1` (set by .ci/run) makes its absence
a failure instead, so CI can never skip them silently."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "corpus" / "real"
REQUIRE_SHARED = os.environ.get("DOCKWRIGHT_REQUIRE_SHARED") == "1"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def real_corpus() -> list[Path]:
    if not SHARED_REAL.is_dir():
        return []
    return sorted(p for p in SHARED_REAL.iterdir() if p.is_file() and p.name != "MANIFEST.tsv")


def shared_corpus_missing() -> str | None:
    """Why the shared corpus cannot be used, or None when it is there."""
    if real_corpus():
        return None
    return (f"shared corpus not found at {SHARED_REAL} (it sits beside this team's checkout only; "
            f"DOCKWRIGHT_REQUIRE_SHARED=1 makes its absence a failure)")


def require_shared_corpus() -> None:
    """Skip the calling test (fail it under DOCKWRIGHT_REQUIRE_SHARED=1) without the corpus."""
    reason = shared_corpus_missing()
    if reason is None:
        return
    if REQUIRE_SHARED:
        pytest.fail(f"DOCKWRIGHT_REQUIRE_SHARED=1: {reason}", pytrace=False)
    pytest.skip(reason)


def shared_params(paths: list[Path]) -> list:
    """Parameters for a test over shared-corpus files: one per file, or, without the corpus, a
    single placeholder (an empty parameter set would skip without saying why)."""
    if paths:
        return [pytest.param(p, id=p.name) for p in paths]
    return [pytest.param(None, id="shared-corpus-absent")]


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "shared_corpus: needs ../shared/corpus/real (skips without it)")


def pytest_runtest_setup(item) -> None:
    if item.get_closest_marker("shared_corpus") is not None:
        require_shared_corpus()


def read_text_exact(path: Path) -> str:
    """Bytes decoded as UTF-8, BOM and line endings kept."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def real_files() -> list[Path]:
    require_shared_corpus()
    return real_corpus()

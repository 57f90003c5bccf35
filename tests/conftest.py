from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "corpus" / "real"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def real_corpus() -> list[Path]:
    if not SHARED_REAL.is_dir():
        return []
    return sorted(p for p in SHARED_REAL.iterdir() if p.is_file() and p.name != "MANIFEST.tsv")


def read_text_exact(path: Path) -> str:
    """Bytes decoded as UTF-8, BOM and line endings kept."""
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="session")
def real_files() -> list[Path]:
    files = real_corpus()
    if not files:
        pytest.skip(f"shared corpus not found at {SHARED_REAL}")
    return files

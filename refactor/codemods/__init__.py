"""The codemod registry: one explicit, ordered list of modules, each defining `CODEMOD`.
Order matters: structure first (stages, layer order), then the commands inside RUNs, then the
user the image runs as."""
from __future__ import annotations

import importlib
from functools import lru_cache

from refactor.codemods.base import Codemod

ORDER = (
    "multi_stage",
    "layer_order",
    "apt_cleanup",
    "apk_no_cache",
    "rpm_cleanup",
    "pip_no_cache",
    "node_cache_clean",
    "non_root",
)


def _load() -> tuple[Codemod, ...]:
    out = []
    for name in ORDER:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
            continue  # tests/test_registry.py fails while a listed module is missing
        out.append(module.CODEMOD)
    return tuple(out)


REGISTRY: tuple[Codemod, ...] = _load()


@lru_cache(maxsize=1)
def by_id() -> dict[str, Codemod]:
    return {c.id: c for c in REGISTRY}

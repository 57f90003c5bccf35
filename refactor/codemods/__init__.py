"""The codemod registry: one explicit, ordered list. Order matters: structure first (stages,
layer order), then the commands inside RUNs, then the user the image runs as."""
from __future__ import annotations

from functools import lru_cache

from .base import Codemod

REGISTRY: tuple[Codemod, ...] = ()


@lru_cache(maxsize=1)
def by_id() -> dict[str, Codemod]:
    return {c.id: c for c in REGISTRY}

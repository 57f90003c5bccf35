"""The codemod registry: one explicit, ordered list of modules, each defining `CODEMOD`.
Order matters: structure first (stages, layer order), then the commands inside RUNs, then the
fixes for BuildKit's build checks (MAINTAINER first, so the LABEL it writes is then cased with the
file; instruction casing before FROM/AS casing, which follows FROM's), then the user the image
runs as."""
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
    # BuildKit's build checks (refactor.checks): the file's own syntax, before the user changes.
    "maintainer_deprecated",
    "legacy_key_value",
    "stage_name_casing",
    "consistent_instruction_casing",
    "from_as_casing",
    "no_empty_continuation",
    "redundant_target_platform",
    "expose_proto_casing",
    "multiple_instructions_disallowed",
    "json_args_recommended",
    # Pins after every stage exists (multi-stage's runner included), before the user is chosen.
    "pin_base",
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

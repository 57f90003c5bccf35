"""Every codemod module is registered, and every registered codemod is documented."""
from __future__ import annotations

import importlib
import pkgutil

import refactor.codemods as codemods
from refactor.codemods.base import Safety


def test_every_module_is_registered_in_order():
    modules = {m.name for m in pkgutil.iter_modules(codemods.__path__) if not m.name.startswith("_") and m.name != "base"}
    assert modules == set(codemods.ORDER)
    assert [c.id for c in codemods.REGISTRY] == [
        importlib.import_module(f"refactor.codemods.{n}").CODEMOD.id for n in codemods.ORDER
    ]


def test_codemods_are_documented():
    ids = set()
    for c in codemods.REGISTRY:
        assert c.id and c.id == c.id.lower() and " " not in c.id
        assert c.id not in ids
        ids.add(c.id)
        assert c.summary and "\n" not in c.summary
        assert len(c.rationale.strip()) > 80
        assert isinstance(c.safety, Safety)

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


def test_ids_are_module_names_and_known_without_importing():
    # by_id() answers ids from ORDER alone: that holds only while every id is its module's name.
    assert [c.id for c in codemods.REGISTRY] == [n.replace("_", "-") for n in codemods.ORDER]
    assert list(codemods.by_id()) == [c.id for c in codemods.REGISTRY]
    assert all(codemods.by_id()[c.id] is c for c in codemods.REGISTRY)
    assert "no-such-codemod" not in codemods.by_id()


def test_codemods_load_only_when_used():
    import subprocess
    import sys

    code = (
        "import sys, refactor.codemods as c, refactor.engine.results\n"
        "def loaded(): return sorted(m.split('.')[2] for m in sys.modules if m.count('.') == 2"
        " and m.startswith('refactor.codemods.') and m.split('.')[2] in c.ORDER)\n"
        "assert loaded() == [], loaded()\n"
        "assert [x.id for x in c.load(['non-root', 'apt-cleanup'])] == ['apt-cleanup', 'non-root']\n"
        "assert loaded() == ['apt_cleanup', 'non_root'], loaded()\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

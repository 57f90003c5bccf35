"""The engine: runs the selected codemods over a file to a fixed point and refuses any output
it cannot vouch for (runner); what a run produces (results); finding files (discovery),
configuration, reports, diffs, writing files and exit codes.

    from refactor.engine import make_selection, refactor_text
"""
from __future__ import annotations

__all__ = ["MAX_ROUNDS", "Selection", "make_selection", "refactor_text", "refactor_tree"]


def __getattr__(name: str):
    # Lazy: the runner imports every codemod, and `refactor.engine.exitcodes` (say) must not.
    if name in __all__:
        from refactor.engine import runner

        return getattr(runner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""The engine: runs the selected codemods over a file to a fixed point and refuses any output
it cannot vouch for (runner); what a run produces (results); finding files (discovery),
configuration, reports, diffs, writing files and exit codes.

    from refactor.engine import make_selection, refactor_text
"""
from refactor.engine.runner import MAX_ROUNDS, Selection, make_selection, refactor_text, refactor_tree

__all__ = ["MAX_ROUNDS", "Selection", "make_selection", "refactor_text", "refactor_tree"]

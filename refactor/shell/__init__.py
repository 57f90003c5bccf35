"""Shell syntax: a lossless concrete syntax tree for shell-form RUN bodies, with the query and
edit API the codemods use. It stands alone: it imports nothing else of dockwright.

    from refactor.shell import parse_shell
    script = parse_shell("apt-get update && apt-get install -y curl")
"""
from refactor.shell.parse import *  # noqa: F401,F403  (the public names, listed in parse.__all__)
from refactor.shell.parse import __all__  # noqa: F401

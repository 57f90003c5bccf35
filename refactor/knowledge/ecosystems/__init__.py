"""Package ecosystems, one module each (node, python, go, rust, ruby, php, java): everything any
codemod needs to know about one: its manifests and lock files, its install commands and what
they read and write, its development commands, its base images. Adding an ecosystem is one new
module here, listed in ECOSYSTEMS.

This package gathers the per-ecosystem tables the codemods look up by ecosystem name, and
re-exports `scan` / `install_steps` (refactor.knowledge.ecosystems.scan).
"""
from __future__ import annotations

from refactor.knowledge.ecosystems import go, java, node, php, python, ruby, rust
from refactor.knowledge.ecosystems.scan import default_resolver, install_steps, scan
from refactor.knowledge.ecosystems.steps import CommandInfo, InstallStep

ECOSYSTEMS = (node, python, go, rust, ruby, php, java)
# Official image repository -> ecosystem, for the images multi-stage knows how to split.
FAMILIES = {image: eco.NAME for eco in (python, node, go, rust, java, ruby) for image in eco.IMAGES}
FAMILIES.update({image: php.NAME for image in php.IMAGES})  # split on the same php image
MANIFESTS = {eco.NAME: eco.MANIFESTS for eco in ECOSYSTEMS}
CONTEXT_MARKERS = {eco.NAME: eco.CONTEXT_MARKERS for eco in ECOSYSTEMS}
LANGUAGE_TOOLS = {eco.NAME: eco.LANGUAGE_TOOLS for eco in ECOSYSTEMS if eco.LANGUAGE_TOOLS}
# Paths each install tool generates inside a project, for .dockerignore proposals.
GENERATED = {tool: paths for eco in ECOSYSTEMS for tool, paths in eco.GENERATED.items()}

__all__ = [
    "CONTEXT_MARKERS", "CommandInfo", "ECOSYSTEMS", "FAMILIES", "GENERATED", "InstallStep", "LANGUAGE_TOOLS",
    "MANIFESTS", "default_resolver", "install_steps", "scan",
]

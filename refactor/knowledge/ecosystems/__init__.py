"""Package ecosystems, one module each (node, python, go, rust, ruby, php, java): everything any
codemod needs to know about one: its manifests and lock files, its install commands and what
they read and write, its development commands, its base images. Adding an ecosystem is one new
module here, named in `_NAMES`, its install tools in scan.py's `_INSTALLER_MODULE`.

This package gathers the per-ecosystem tables the codemods look up by ecosystem name, and
re-exports `scan` / `install_steps` (refactor.knowledge.ecosystems.scan).
"""
from __future__ import annotations

from importlib import import_module

from refactor.knowledge.ecosystems.scan import default_resolver, install_steps, scan
from refactor.knowledge.ecosystems.steps import CommandInfo, InstallStep

# The ecosystem modules, in this order, and the tables gathered from them. They load on first use
# of a table (module __getattr__): `scan` loads only the module of the installer it meets, so a
# run over a Dockerfile with `npm ci` imports node.py alone (start-up, benchmarks/startup.py).
_NAMES = ("node", "python", "go", "rust", "ruby", "php", "java")


def _tables() -> dict[str, object]:
    node, python, go, rust, ruby, php, java = (import_module(f"{__name__}.{n}") for n in _NAMES)
    ecosystems = (node, python, go, rust, ruby, php, java)
    # Official image repository -> ecosystem, for the images multi-stage knows how to split.
    families = {image: eco.NAME for eco in (python, node, go, rust, java, ruby) for image in eco.IMAGES}
    families.update({image: php.NAME for image in php.IMAGES})  # split on the same php image
    return {
        "ECOSYSTEMS": ecosystems,
        "FAMILIES": families,
        "MANIFESTS": {eco.NAME: eco.MANIFESTS for eco in ecosystems},
        "CONTEXT_MARKERS": {eco.NAME: eco.CONTEXT_MARKERS for eco in ecosystems},
        "LANGUAGE_TOOLS": {eco.NAME: eco.LANGUAGE_TOOLS for eco in ecosystems if eco.LANGUAGE_TOOLS},
        # Paths each install tool generates inside a project, for .dockerignore proposals.
        "GENERATED": {tool: paths for eco in ecosystems for tool, paths in eco.GENERATED.items()},
    }


# An install step's ecosystem (InstallStep.ecosystem) -> its module, whose GENERATED has it as a key
# (tests/test_startup.py holds the two equal).
_STEP_MODULE = {
    "npm": "node", "yarn": "node", "pnpm": "node",
    "pip": "python", "pipenv": "python", "poetry": "python", "uv": "python", "pdm": "python", "conda": "python",
    "go": "go", "cargo": "rust", "bundler": "ruby", "composer": "php", "maven": "java", "gradle": "java",
}


# Official image repository -> the ecosystem multi-stage splits its builds by (FAMILIES, whose
# values name the modules), without importing the seven modules: a one-file run loads the one its
# base image needs (tests/test_startup.py holds the two equal).
_FAMILY_MODULE = {
    "python": "python", "node": "node", "golang": "go", "rust": "rust", "maven": "java", "gradle": "java",
    "eclipse-temurin": "java", "openjdk": "java", "amazoncorretto": "java", "ruby": "ruby", "php": "php",
}


def family_ecosystem(image: str) -> str | None:
    """FAMILIES.get(image): the ecosystem of an official image repository, importing nothing."""
    return _FAMILY_MODULE.get(image)


def ecosystem_module(name: str):
    """The module of ecosystem `name` (a FAMILIES value: its NAME), importing only that one."""
    return import_module(f"{__name__}.{name}")


def generated_paths(ecosystem: str) -> tuple[str, ...]:
    """GENERATED[ecosystem]: the paths an install step of that ecosystem writes inside a
    project, importing only its module."""
    module = _STEP_MODULE.get(ecosystem)
    return import_module(f"{__name__}.{module}").GENERATED.get(ecosystem, ()) if module else ()


def installing(ecosystems: set[str]) -> list:
    """The modules, in ECOSYSTEMS order, of the install steps' `ecosystems`: the only ones whose
    GENERATED has one of them."""
    wanted = {_STEP_MODULE[e] for e in ecosystems if e in _STEP_MODULE}
    return [import_module(f"{__name__}.{n}") for n in _NAMES if n in wanted]


def __getattr__(name: str) -> object:
    if name not in ("ECOSYSTEMS", "FAMILIES", "MANIFESTS", "CONTEXT_MARKERS", "LANGUAGE_TOOLS", "GENERATED"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    tables = _tables()
    globals().update(tables)
    return tables[name]


__all__ = [
    "CONTEXT_MARKERS", "CommandInfo", "ECOSYSTEMS", "FAMILIES", "GENERATED", "InstallStep", "LANGUAGE_TOOLS",
    "MANIFESTS", "default_resolver", "ecosystem_module", "family_ecosystem", "generated_paths", "install_steps", "installing",
    "scan",
]

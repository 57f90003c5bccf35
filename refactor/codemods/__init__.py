"""The codemod registry: one explicit, ordered list of modules, each defining `CODEMOD`.
Order matters: structure first (stages, layer order), then the commands inside RUNs, then the
fixes for BuildKit's build checks (MAINTAINER first, so the LABEL it writes is then cased with the
file; instruction casing before FROM/AS casing, which follows FROM's), then the user the image
runs as.

Modules load on first use, not when this package is imported: `REGISTRY` loads every codemod when
it is first iterated, `by_id()` knows every id without importing anything and loads one codemod
when it is looked up, so a run that `--select`s some codemods (or only needs
`refactor.codemods.base`) imports only those. A codemod's id is its module's name with dashes
(tests/test_registry.py holds them equal)."""
from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

_MODULE_OF = {name.replace("_", "-"): name for name in ORDER}  # codemod id -> module name
_LOADED: dict[str, Codemod | None] = {}  # module name -> its CODEMOD (None: the module is missing)


def _codemod(name: str) -> Codemod | None:
    if name not in _LOADED:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{__name__}.{name}":
                raise
            module = None  # tests/test_registry.py fails while a listed module is missing
        _LOADED[name] = module.CODEMOD if module is not None else None
    return _LOADED[name]


def _present(name: str) -> bool:
    """The module exists, found without importing it (a loaded one is known)."""
    if name in _LOADED:
        return _LOADED[name] is not None
    return importlib.util.find_spec(f"{__name__}.{name}") is not None


class _Registry(Sequence["Codemod"]):
    """Every codemod in ORDER, as a tuple would hold them; all modules load on first use."""

    _all: tuple[Codemod, ...] | None = None

    def _items(self) -> tuple[Codemod, ...]:
        if self._all is None:
            self._all = tuple(c for c in map(_codemod, ORDER) if c is not None)
        return self._all

    def __getitem__(self, index):
        return self._items()[index]

    def __len__(self) -> int:
        return len(self._items())

    def __iter__(self) -> Iterator[Codemod]:
        return iter(self._items())

    def __eq__(self, other: object) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, (tuple, _Registry)) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._items())


class _ById(Mapping[str, "Codemod"]):
    """id -> codemod, in ORDER. Ids and membership need no import; a lookup loads that module."""

    def __getitem__(self, codemod_id: str) -> Codemod:
        name = _MODULE_OF.get(codemod_id) if isinstance(codemod_id, str) else None
        codemod = _codemod(name) if name is not None else None
        if codemod is None:
            raise KeyError(codemod_id)
        return codemod

    def __contains__(self, codemod_id: object) -> bool:
        name = _MODULE_OF.get(codemod_id) if isinstance(codemod_id, str) else None
        return name is not None and _present(name)

    def __iter__(self) -> Iterator[str]:
        return (cid for cid, name in _MODULE_OF.items() if _present(name))

    def __len__(self) -> int:
        return sum(1 for _ in self)


REGISTRY: Sequence[Codemod] = _Registry()
_BY_ID = _ById()


def by_id() -> Mapping[str, Codemod]:
    return _BY_ID


def load(ids) -> tuple[Codemod, ...]:
    """The codemods named in `ids` (known ids), in ORDER, importing only their modules."""
    wanted = set(ids)
    out = []
    for codemod_id, name in _MODULE_OF.items():
        if codemod_id in wanted and (codemod := _codemod(name)) is not None:
            out.append(codemod)
    return tuple(out)

"""The variables a build step sees, kept along a walk of a stage's instructions without a copy
per step: `StepEnv` (non-root's and multi-stage's walks of a stage chain)."""
from __future__ import annotations

from collections.abc import Iterator, Mapping


class StepEnv(Mapping[str, str]):
    """The variables set when a step runs: the assignments of the ENV or ARG before it, over the
    variables of the step before that. Not a copy of them all: a copy per ENV was quadratic in a
    file of thousands of ENV instructions. Every 32 levels the variables are gathered into one
    dict again, so a lookup reads at most 32 dicts. Iterates in the order a dict assigned the
    same values in turn would (a variable set again keeps its place)."""

    __slots__ = ("_own", "_parent", "_depth", "_flat")

    def __init__(self, own: dict[str, str] | None = None, parent: StepEnv | None = None) -> None:
        self._own = own or {}
        self._parent = parent
        self._flat: dict[str, str] | None = None
        self._depth = parent._depth + 1 if parent is not None else 0
        if self._depth >= 32:
            self._own = self._gathered()
            self._parent = None
            self._depth = 0

    def with_values(self, values: dict[str, str]) -> StepEnv:
        return StepEnv(values, self) if values else self

    def _gathered(self) -> dict[str, str]:
        if self._parent is None:
            return self._own
        if self._flat is None:
            owns = []
            env: StepEnv | None = self
            while env._parent is not None:
                owns.append(env._own)
                env = env._parent
            flat = dict(env._own)
            for own in reversed(owns):
                flat.update(own)
            self._flat = flat
        return self._flat

    def __getitem__(self, key: str) -> str:
        env: StepEnv | None = self
        while env is not None:
            own = env._own
            if key in own:
                return own[key]
            env = env._parent
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._gathered())

    def __len__(self) -> int:
        return len(self._gathered())

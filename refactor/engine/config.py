"""Project configuration: `[tool.dockwright]` in pyproject.toml or a `.dockwright.toml`, found
by walking up from the working directory. Command-line options override it."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KEYS = {"select", "ignore", "safe-only", "exclude"}


class ConfigError(Exception):
    pass


@dataclass(frozen=True)
class Config:
    """The settings of a dockwright config file."""
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    safe_only: bool = False
    exclude: list[str] = field(default_factory=list)  # globs, relative to the config's folder
    source: Path | None = None


def _from_table(table: dict, source: Path) -> Config:
    unknown = set(table) - KEYS
    if unknown:
        raise ConfigError(f"{source}: unknown key(s) in dockwright config: {', '.join(sorted(unknown))}")

    def str_list(key: str) -> list[str] | None:
        v = table.get(key)
        if v is None:
            return None
        if isinstance(v, str):
            v = [x.strip() for x in v.split(",") if x.strip()]
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ConfigError(f"{source}: `{key}` must be a list of strings")
        return v

    safe_only = table.get("safe-only", False)
    if not isinstance(safe_only, bool):
        raise ConfigError(f"{source}: `safe-only` must be true or false")
    return Config(str_list("select"), str_list("ignore") or [], safe_only, str_list("exclude") or [], source)


def find_config(start: Path) -> Config:
    start = start.resolve()
    for folder in [start, *start.parents]:
        own = folder / ".dockwright.toml"
        if own.is_file():
            return _from_table(_load(own), own)
        py = folder / "pyproject.toml"
        if py.is_file():
            table = _load(py).get("tool", {}).get("dockwright")
            if table is not None:
                return _from_table(table, py)
    return Config()


def _load(path: Path) -> dict:
    import tomllib  # here, not at the top: most runs find no config file, and tomllib compiles regexes

    try:
        return tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read config: {e}") from None

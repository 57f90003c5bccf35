"""Reading Dockerfiles from disk exactly: bytes decoded as UTF-8 with the BOM kept, and a clear
`path:line:col: message` for what is not text."""
from __future__ import annotations

from pathlib import Path

from refactor.syntax.errors import ParseError


class UnreadableFile(Exception):
    """The file cannot be read as Dockerfile text; `str()` is the user-facing message."""


def decode_source(data: bytes, path: str) -> str:
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise UnreadableFile(f"{path}:{line}:1: binary file (contains NUL bytes), not a Dockerfile")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise UnreadableFile(
            f"{path}:{line}:{col}: not UTF-8 text (byte 0x{data[e.start]:02x}); "
            "Dockerfiles must be UTF-8"
        ) from None


def read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise UnreadableFile(f"{path}:0:0: is a directory") from None
    except OSError as e:
        raise UnreadableFile(f"{path}:0:0: cannot read: {e.strerror or e}") from None
    return decode_source(data, str(path))


def format_parse_error(path: str, err: ParseError) -> str:
    return err.format(path)

"""What changed between two images: size, layer count, config and files.

Everything here is a pure function over plain data (a walked file tree, a config dict), so it is
tested without building anything; `builders` supplies the data. A refactor is *expected* to change
files (that is the point of most of them), so this module only describes differences; judging
them is `verify`'s job.

Rebuilding the very same Dockerfile twice already changes a few things; those are dropped here
so that only the refactor's effect is reported:
  * mtimes, which every build sets anew (never recorded);
  * the 16-byte header of `.pyc` files, which embeds the source file's mtime;
  * logs and caches that apt/dpkg/ldconfig rewrite on every run (NOISE_PATTERNS).
"""
from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NOISE_PATTERNS: tuple[str, ...] = (
    "/var/log/apt/*",
    "/var/log/dpkg.log",
    "/var/cache/ldconfig/aux-cache",
    # Runtimes bind-mount these into containers; builders leave empty placeholders behind.
    "/etc/hostname",
    "/etc/hosts",
    "/etc/resolv.conf",
    "/.dockerenv",
    "/run/.containerenv",
)
PYC_HEADER = 16  # magic(4) + flags(4) + source mtime(4) + source size(4): PEP 552

# The parts of an image config that change how a container behaves. Host-specific fields
# (Hostname, Image, AttachStdin...) differ between any two builds and say nothing.
CONFIG_KEYS: tuple[str, ...] = (
    "User",
    "Entrypoint",
    "Cmd",
    "WorkingDir",
    "Env",
    "ExposedPorts",
    "Volumes",
    "Shell",
    "Healthcheck",
    "StopSignal",
    "OnBuild",
    "Labels",
)


# ------------------------------------------------------------------------------------------ files
@dataclass(frozen=True)
class Entry:
    """One path in an image, without its mtime."""

    kind: str  # "file" | "dir" | "symlink" | "other"
    mode: int  # permission bits incl. setuid/sticky
    uid: int
    gid: int
    size: int | None = None  # regular files only
    link: str | None = None  # symlink target
    digest: str | None = None  # sha256 of the content (pyc: minus header); None = not hashed


Tree = dict[str, Entry]  # absolute in-image path ("/usr/bin/python3") -> entry


def is_noise(path: str, patterns: Iterable[str] = NOISE_PATTERNS) -> bool:
    return any(fnmatch.fnmatchcase(path, p) for p in patterns)


def _kind(mode: int) -> str:
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISLNK(mode):
        return "symlink"
    return "other"


def digest_file(path: Path, image_path: str | None = None) -> str:
    """sha256 of a file; for `.pyc` without the header, which only records the source mtime."""
    name = image_path if image_path is not None else str(path)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        if name.endswith(".pyc"):
            f.read(PYC_HEADER)
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digest_bytes(data: bytes, image_path: str) -> str:
    return hashlib.sha256(data[PYC_HEADER:] if image_path.endswith(".pyc") else data).hexdigest()


def walk_dir(root: Path, *, hash_files: bool = False, noise: Iterable[str] = NOISE_PATTERNS) -> Tree:
    """Walk a mounted or extracted image root. Symlinks are recorded, never followed.

    Hashing every file of two 1 GB images is the slow part of a comparison, so by default only
    metadata is read; `compare_roots` hashes just the files whose metadata cannot tell them apart.
    """
    noise = tuple(noise)
    tree: Tree = {}
    root_s = str(root)
    for dirpath, dirnames, filenames in os.walk(root_s):
        for name in dirnames + filenames:
            full = os.path.join(dirpath, name)
            rel = "/" + os.path.relpath(full, root_s)
            if is_noise(rel, noise):
                continue
            st = os.lstat(full)
            kind = _kind(st.st_mode)
            tree[rel] = Entry(
                kind=kind,
                mode=stat.S_IMODE(st.st_mode),
                uid=st.st_uid,
                gid=st.st_gid,
                size=st.st_size if kind == "file" else None,
                link=os.readlink(full) if kind == "symlink" else None,
                digest=digest_file(Path(full), rel) if hash_files and kind == "file" else None,
            )
    return tree


def with_digests(tree: Tree, root: Path, paths: Iterable[str]) -> Tree:
    """A copy of `tree` whose entries for `paths` carry their content digest."""
    out = dict(tree)
    for p in paths:
        e = out[p]
        if e.kind == "file" and e.digest is None:
            try:
                digest = digest_file(root / p.lstrip("/"), p)
            except OSError:  # unreadable (e.g. mode 000 when not root): stays "unknown"
                continue
            out[p] = Entry(e.kind, e.mode, e.uid, e.gid, e.size, e.link, digest)
    return out


# Fields compared between two entries, in report order. `digest` is compared only when both
# sides were hashed: an unhashed file is "unknown", not "changed".
_FIELDS = ("kind", "mode", "uid", "gid", "size", "link")


@dataclass(frozen=True)
class Change:
    path: str
    fields: dict[str, tuple[Any, Any]]  # field -> (in A, in B); "content" when only bytes differ

    def describe(self) -> str:
        parts = []
        for k, (a, b) in self.fields.items():
            if k == "mode":
                parts.append(f"mode {a:04o} -> {b:04o}")
            elif k == "content":
                parts.append("content")
            else:
                parts.append(f"{k} {a} -> {b}")
        return ", ".join(parts)


@dataclass(frozen=True)
class FsDiff:
    files_a: int
    files_b: int
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    changed: tuple[Change, ...]

    @property
    def identical(self) -> bool:
        return not (self.only_a or self.only_b or self.changed)


def diff_entries(a: Entry, b: Entry) -> dict[str, tuple[Any, Any]]:
    fields = {k: (getattr(a, k), getattr(b, k)) for k in _FIELDS if getattr(a, k) != getattr(b, k)}
    if a.digest is not None and b.digest is not None and a.digest != b.digest:
        fields["content"] = (a.digest, b.digest)
    return fields


def diff_trees(a: Tree, b: Tree, noise: Iterable[str] = NOISE_PATTERNS) -> FsDiff:
    noise = tuple(noise)
    keep_a = {p: e for p, e in a.items() if not is_noise(p, noise)}
    keep_b = {p: e for p, e in b.items() if not is_noise(p, noise)}
    changed = []
    for p in sorted(keep_a.keys() & keep_b.keys()):
        fields = diff_entries(keep_a[p], keep_b[p])
        if fields:
            changed.append(Change(p, fields))
    return FsDiff(
        files_a=len(keep_a),
        files_b=len(keep_b),
        only_a=tuple(sorted(keep_a.keys() - keep_b.keys())),
        only_b=tuple(sorted(keep_b.keys() - keep_a.keys())),
        changed=tuple(changed),
    )


def hash_candidates(a: Tree, b: Tree) -> list[str]:
    """Paths whose content must be read to know if they differ: regular files on both sides with
    equal size. Anything else is already different, or not a file."""
    return [
        p
        for p in a.keys() & b.keys()
        if a[p].kind == "file" and b[p].kind == "file" and a[p].size == b[p].size
    ]


def compare_roots(root_a: Path, root_b: Path, noise: Iterable[str] = NOISE_PATTERNS) -> FsDiff:
    noise = tuple(noise)
    a, b = walk_dir(root_a, noise=noise), walk_dir(root_b, noise=noise)
    both = hash_candidates(a, b)
    return diff_trees(with_digests(a, root_a, both), with_digests(b, root_b, both), noise)


def collapse(paths: Iterable[str]) -> list[tuple[str, int]]:
    """Fold every path under an ancestor that is itself in the list: (top path, paths below it).
    A refactor that drops a package removes whole directories; listing the directory once reads
    better than its 300 files."""
    pset = set(paths)
    below: dict[str, int] = {}
    for p in pset:
        top, parent = p, p.rsplit("/", 1)[0]
        while parent:
            if parent in pset:
                top = parent
            parent = parent.rsplit("/", 1)[0]
        below[top] = below.get(top, 0) + (top != p)
    return sorted(below.items())


# ----------------------------------------------------------------------------------------- config
def normalize_config(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """The behaviour-relevant config fields, with the spellings of "unset" made equal: builders
    write an empty Entrypoint as [] or null and an unset WorkingDir as "" or "/"."""
    raw = raw or {}
    out: dict[str, Any] = {}
    for k in CONFIG_KEYS:
        v = raw.get(k)
        if k == "WorkingDir" and v in ("", "/"):
            v = None
        if v in ("", [], {}):
            v = None
        if v is not None:
            out[k] = v
    return out


def env_dict(env: Iterable[str] | None) -> dict[str, str]:
    out = {}
    for item in env or ():
        k, _, v = item.partition("=")
        out[k] = v
    return out


@dataclass(frozen=True)
class ConfigChange:
    key: str  # "User", or "Env.PATH" for one variable
    before: Any
    after: Any

    def describe(self) -> str:
        if self.before is None:
            return f"{self.key}: added {_show(self.after)}"
        if self.after is None:
            return f"{self.key}: removed (was {_show(self.before)})"
        return f"{self.key}: {_show(self.before)} -> {_show(self.after)}"


def _show(v: Any) -> str:
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True)
    return repr(v) if isinstance(v, str) else str(v)


def diff_config(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> list[ConfigChange]:
    """Field by field; Env variable by variable, because a list diff of "K=V" strings would show
    a reordering as a change and bury the one variable that did change."""
    na, nb = normalize_config(a), normalize_config(b)
    changes = []
    for k in CONFIG_KEYS:
        if k == "Env":
            ea, eb = env_dict(na.get("Env")), env_dict(nb.get("Env"))
            for var in sorted(ea.keys() | eb.keys()):
                if ea.get(var) != eb.get(var):
                    changes.append(ConfigChange(f"Env.{var}", ea.get(var), eb.get(var)))
        elif na.get(k) != nb.get(k):
            changes.append(ConfigChange(k, na.get(k), nb.get(k)))
    return changes


# ------------------------------------------------------------------------------------------ image
@dataclass(frozen=True)
class ImageDiff:
    size_a: int
    size_b: int
    layers_a: int
    layers_b: int
    config: tuple[ConfigChange, ...] = ()
    files: FsDiff | None = None  # None when the file trees could not be read

    @property
    def size_delta(self) -> int:
        return self.size_b - self.size_a

    @property
    def size_pct(self) -> float:
        return 0.0 if self.size_a == 0 else 100.0 * self.size_delta / self.size_a


def diff_images(
    size_a: int,
    size_b: int,
    layers_a: int,
    layers_b: int,
    config_a: Mapping[str, Any] | None,
    config_b: Mapping[str, Any] | None,
    files: FsDiff | None = None,
) -> ImageDiff:
    return ImageDiff(
        size_a=size_a,
        size_b=size_b,
        layers_a=layers_a,
        layers_b=layers_b,
        config=tuple(diff_config(config_a, config_b)),
        files=files,
    )


def human_size(n: int) -> str:
    sign = "-" if n < 0 else ""
    v = float(abs(n))
    for unit in ("B", "kB", "MB", "GB"):
        if v < 1000 or unit == "GB":
            return f"{sign}{v:.0f} {unit}" if unit == "B" else f"{sign}{v:.1f} {unit}"
        v /= 1000
    raise AssertionError("unreachable")

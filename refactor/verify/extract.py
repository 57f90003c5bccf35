"""Reading an image's files without trusting them: unpacking an exported image (`safe_extract`)
and unmounting a read-only view of its layers."""
from __future__ import annotations

import os
import shutil
import tarfile
from pathlib import Path

from refactor.verify.processes import QUICK_TIMEOUT, run_bounded


def _unmount(target: Path) -> None:
    """Unmount and remove a mount point of _mount_layers; lazily when something still reads it."""
    if run_bounded(["umount", str(target)], timeout=QUICK_TIMEOUT).returncode != 0:
        run_bounded(["umount", "-l", str(target)], timeout=QUICK_TIMEOUT)
    try:
        target.rmdir()
    except OSError:
        pass  # still mounted: removing its contents would reach into the image's layers


def safe_extract(tar_path: Path, root: Path) -> None:
    """Unpack an exported image for reading, without trusting it.

    An image is full of absolute symlinks (/lib64/ld-linux... -> /lib/...), so tarfile's "data"
    and "tar" filters reject it, and its "fully_trusted" mode would write through a symlinked
    directory onto the host. Here: symlinks are created, never followed; a member whose parent is
    not a real directory inside `root` is skipped; devices and fifos are skipped (never compared
    by content anyway). Mode bits are kept whole (setuid matters); owners only when we are root,
    in which case both images of a comparison keep them alike.
    """
    root_real = os.path.realpath(root)
    is_root = os.geteuid() == 0
    dirs = []  # modes applied last: a read-only directory would refuse its own children
    with tarfile.open(tar_path) as tf:
        for m in tf:
            rel = os.path.normpath(m.name.lstrip("/"))
            if rel in (".", "") or rel.startswith(".."):
                continue
            dest = os.path.join(root_real, rel)
            parent = os.path.dirname(dest)
            if os.path.realpath(parent) != parent or not os.path.isdir(parent) or os.path.lexists(dest):
                continue
            if m.isdir():
                os.mkdir(dest, 0o700)
                dirs.append((dest, m))
            elif m.issym():
                os.symlink(m.linkname, dest)
                if is_root:
                    os.chown(dest, m.uid, m.gid, follow_symlinks=False)
            elif m.isfile() or m.islnk():
                src = tf.extractfile(m)
                if src is None:
                    continue
                fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
                with os.fdopen(fd, "wb") as out, src:
                    shutil.copyfileobj(src, out)
                if is_root:  # before chmod: chown clears setuid/setgid
                    os.chown(dest, m.uid, m.gid)
                os.chmod(dest, m.mode & 0o7777)
    for dest, m in reversed(dirs):
        if is_root:
            os.chown(dest, m.uid, m.gid)
        os.chmod(dest, m.mode & 0o7777)

"""Which Debian release an official golang or rust image was built on when its tag names none
(`rust:1.63`, `golang:1.22`, `golang:1.19.8`, `rust:latest`). Read from the history of the tags
docker-library published (docker-library/official-images, library/rust and library/golang,
2017-08 to 2026-08): a version is `exact` only when every push of its tag was built on the same
release; a tag that moved (1.89, 1.19, `latest`) or that the history does not cover gets only
the newest release it can have been built on."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Oldest first. The newest release any official golang/rust image is built on (2026-11): every
# glibc binary those images link runs on it, glibc being backward compatible.
RELEASE_ORDER = ("stretch", "buster", "bullseye", "bookworm", "trixie")
NEWEST_RELEASE = "trixie"

# rust:1.N (also 1.N.P, 1.N-slim): one version is maintained at a time, so its tag stops moving
# when the next one is out; the default variant changed with 1.37 (buster), 1.55 (bullseye),
# 1.72 (bookworm) and during 1.89 (bookworm on 2025-08-08, trixie from 2025-08-19).
_RUST_MINORS = ((19, 36, "stretch"), (37, 54, "buster"), (55, 71, "bullseye"), (72, 88, "bookworm"),
                (90, 98, "trixie"))
_RUST_MOVED = {89: ("bookworm", "trixie")}

# golang:1.N: two versions are maintained at once and both switch at once (2019-07-19 buster,
# 2021-08-16 bullseye, 2023-06-13 bookworm, 2025-08-12 trixie). For the versions maintained
# across a switch: (release before, release after, the patch pushed on both); 1.19.8 stays
# bullseye, 1.19.10 is either, 1.19.11 and the `1.19` tag's last pushes are bookworm.
_GO_MINORS = ((9, 10, "stretch"), (13, 15, "buster"), (17, 18, "bullseye"), (21, 23, "bookworm"),
              (25, 27, "trixie"))
_GO_MOVED = {11: ("stretch", "buster", 12), 12: ("stretch", "buster", 7), 16: ("buster", "bullseye", 7),
             19: ("bullseye", "bookworm", 10), 20: ("bullseye", "bookworm", 5), 24: ("bookworm", "trixie", 6)}


@dataclass(frozen=True)
class BuilderRelease:
    """The Debian release of a golang/rust image: `exact` when every push of its tag was built
    on it, else None; `newest`: the newest release it can have been built on; `how`: a phrase
    for the explanation."""

    exact: str | None
    newest: str
    how: str


def builder_release(family: str, version: str) -> BuilderRelease:
    """The release of the official `family` (golang | rust) image whose tag names the version
    `version` ("1.63", "1.19.8", "1", "latest", "") and no Debian release."""
    m = re.fullmatch(r"1\.(\d+)(?:\.(\d+))?", version)
    if not m:
        if version in ("", "1", "latest"):
            return BuilderRelease(None, NEWEST_RELEASE, f"a moving tag, built on {NEWEST_RELEASE} today and on older "
                                                         "releases before")
        return BuilderRelease(None, NEWEST_RELEASE, "a version whose release I do not know")
    minor, patch = int(m.group(1)), m.group(2)
    ranges, moved = (_RUST_MINORS, _RUST_MOVED) if family == "rust" else (_GO_MINORS, _GO_MOVED)
    for lo, hi, release in ranges:
        if lo <= minor <= hi:
            return BuilderRelease(release, release, f"the official image of that version is built on {release}")
    if minor in moved:
        old, new, *both = moved[minor]
        if both and patch is not None:
            p = int(patch)
            if p != both[0]:
                release = old if p < both[0] else new
                return BuilderRelease(release, release, f"the official image of that version is built on {release}")
        return BuilderRelease(None, new, f"the official image of that version was built on {old}, later on {new}")
    return BuilderRelease(None, NEWEST_RELEASE, "a version whose release I do not know")

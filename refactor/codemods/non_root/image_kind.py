"""Images that are not an app: base, shell and interpreter images (a start command that is a
shell or a bare REPL, no start command at all, ONBUILD triggers). A USER line there would make
every image built FROM them run its RUN steps as the new user."""
from __future__ import annotations


class ImageKind:
    """The base-image checks of `Analysis` (see analysis.py)."""

"""dockwright verify: build a Dockerfile before and after its refactor with a real builder
(builders), compare the two images (imagediff), smoke-test them (session), and the command
line for it (cli)."""
from __future__ import annotations

__all__ = ["VerifyReport", "verify", "verify_sizes"]


def __getattr__(name: str):
    # Lazy: `refactor.verify.builders` (say) must not pull in the whole session.
    if name in __all__:
        from refactor.verify import session

        return getattr(session, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""dockwright verify: build a Dockerfile before and after its refactor with a real builder
(builders), compare the two images (imagediff), smoke-test them (session), and the command
line for it (cli)."""
from refactor.verify.session import VerifyReport, verify, verify_sizes

__all__ = ["VerifyReport", "verify", "verify_sizes"]

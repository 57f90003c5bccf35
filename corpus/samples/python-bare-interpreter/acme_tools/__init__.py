"""Shared helpers for data jobs."""
__version__ = "1.4.0"


def banner() -> str:
    return f"acme_tools {__version__} ready"

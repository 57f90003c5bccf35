"""load_dotenv() without the dependency: KEY=VALUE lines from ./.env, env vars win."""
import os
from pathlib import Path


def load_dotenv(path: str = ".env") -> None:
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        os.environ.setdefault(key.strip(), value.strip().strip('"'))


load_dotenv(Path(__file__).with_name(".env"))
APP_NAME = os.environ["APP_NAME"]
GREETING = os.environ["GREETING"]

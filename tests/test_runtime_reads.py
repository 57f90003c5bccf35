"""refactor.knowledge.runtime_reads: which context files the app or its build reads, and where, so
that layer-order never proposes a .dockerignore entry that would break the image."""
from __future__ import annotations

from pathlib import Path

import pytest

from refactor.knowledge import runtime_reads
from refactor.knowledge.runtime_reads import find_reads


def _ctx(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return tmp_path


@pytest.mark.parametrize("rel, text", [
    ("app.py", "from dotenv import load_dotenv\nload_dotenv()\n"),
    ("src/index.js", "require('dotenv').config()\n"),
    ("src/main.ts", "import 'dotenv/config'\n"),
    ("main.go", "package main\nfunc init() { godotenv.Load() }\n"),
    ("config.py", "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_file='.env')\n"),
    ("start.sh", "#!/bin/sh\nset -a; . ./.env; set +a\nexec app\n"),
    ("docker-compose.yml", "services:\n  app:\n    env_file: .env\n"),
    ("package.json", '{"dependencies": {"dotenv": "^16.0.0"}}\n'),
    ("requirements.txt", "python-dotenv==1.0.1\n"),
    ("Gemfile", "gem 'dotenv-rails'\n"),
])
def test_dotenv_reads(tmp_path, rel, text):
    root = _ctx(tmp_path, {rel: text, ".env": "A=1\n"})
    found = find_reads(root, [".env"])
    assert ".env" in found and found[".env"].where.startswith(rel + ":")


def test_what_nothing_reads_is_free(tmp_path):
    root = _ctx(tmp_path, {
        "app.py": "print('hello')\n", ".env": "A=1\n", ".envrc": "use nix\n",
        "package-lock.json": '{"packages": {"node_modules/ms": {}}}\n',  # lock files list paths, read none
        "notes.md": "the .env file holds secrets\n",  # not code or configuration
    })
    assert find_reads(root, [".env", "node_modules", "dist"]) == {}


def test_git_read_by_a_version_tool(tmp_path):
    root = _ctx(tmp_path, {"pyproject.toml": '[build-system]\nrequires = ["hatchling", "hatch-vcs"]\n'})
    assert find_reads(root, [".git"])[".git"].where == "pyproject.toml:2"
    root2 = _ctx(tmp_path / "b", {"pyproject.toml": '[build-system]\nrequires = ["hatchling"]\n', "x.gitignore": ""})
    assert find_reads(root2, [".git"]) == {}


def test_a_folder_or_file_named_as_a_path(tmp_path):
    root = _ctx(tmp_path, {"server.js": "app.use(express.static('dist'))\n", "src/main.rs": 'let p = "data/run.log";\n'})
    found = find_reads(root, ["dist", "data/run.log", "build"])
    assert set(found) == {"dist", "data/run.log"}
    assert str(found["dist"]) == "server.js:1 reads it (`app.use(express.static('dist'))`)"


def test_the_dockerfile_itself_is_searched_through_its_instructions_only(tmp_path):
    root = _ctx(tmp_path, {"Dockerfile": "FROM x\n# .env holds our settings\nCOPY . .\n"})
    assert find_reads(root, [".env"], skip=("Dockerfile",)) == {}
    found = find_reads(root, [".env"], {"`CMD` (line 4)": "CMD ./run --env-file .env"}, skip=("Dockerfile",))
    assert found[".env"].where == "`CMD` (line 4)"


def test_too_many_files_means_everything_counts_as_read(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime_reads, "MAX_FILES", 3)
    root = _ctx(tmp_path, {f"m{i}.py": "pass\n" for i in range(5)})
    found = find_reads(root, [".env", "dist"])
    assert set(found) == {".env", "dist"} and found["dist"].where == "the build context"

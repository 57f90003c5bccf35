"""Discovery: the file names BuildKit and people use, and symbolic links (every file once; a loop
is only a link to one of its own ancestors, and `--check` does not fail on sibling links)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from refactor.cli import main
from refactor.engine.discovery import discover, is_dockerfile_name

APT = "FROM debian\nRUN apt-get update && apt-get install -y curl\n"
CLEAN = "FROM debian\nCMD [\"true\"]\n"

DOCKERFILES = [
    "Dockerfile", "dockerfile", "Dockerfile.dev", "Dockerfile-prod", "Dockerfile_5_2_12", "dockerfile.dev", "dockerfile-ci",
    "app.Dockerfile", "web.dockerfile", "Containerfile", "Containerfile.arm64", "containerfile",
    "build.containerfile",
]
OTHERS = [
    "Dockerfile.dockerignore", "Dockerfile.j2", "Dockerfile.twig", "Dockerfile.tt", "Dockerfile.template", "Dockerfile.tmpl", "Dockerfile.in",
    "Dockerfile.md", "dockerfile.sh", "README.md", "docker-compose.yml", "Dockerfiles", "MyDockerfile",
    "dockerfile.go", "dockerfile.js", "Dockerfile.orig", "Dockerfile.bak",
]


@pytest.mark.parametrize("name", DOCKERFILES)
def test_dockerfile_names(name):
    assert is_dockerfile_name(name)


@pytest.mark.parametrize("name", OTHERS)
def test_names_that_are_not_dockerfiles(name):
    assert not is_dockerfile_name(name)


def test_walk_finds_every_name(tmp_path):
    for name in DOCKERFILES + OTHERS:
        (tmp_path / name).write_text(CLEAN)
    files, problems = discover([tmp_path])
    assert sorted(p.name for p in files) == sorted(DOCKERFILES)
    assert problems == []


def _tree(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src" / "tests").mkdir(parents=True)
    (root / "src" / "tests" / "Dockerfile").write_text(APT)
    (root / "app").mkdir()
    (root / "app" / "Dockerfile").write_text(APT)
    return root


def test_sibling_symlink_is_no_loop_and_each_file_is_found_once(tmp_path):
    root = _tree(tmp_path)
    os.symlink(root / "src" / "tests", root / "tests")  # tests -> src/tests
    os.symlink(root / "app", root / "z-app-link")
    files, problems = discover([root])
    assert problems == []
    assert sorted(str(p.relative_to(root)) for p in files) == ["app/Dockerfile", "src/tests/Dockerfile"]


def test_link_leading_outside_is_followed_once(tmp_path):
    root = _tree(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "Dockerfile.base").write_text(APT)
    os.symlink(shared, root / "shared")
    os.symlink(shared, root / "shared-again")  # /proc/self-style: a second way to the same place
    files, problems = discover([root])
    assert problems == []
    names = sorted(str(p.relative_to(root)) for p in files)
    assert names == ["app/Dockerfile", "shared/Dockerfile.base", "src/tests/Dockerfile"]


def test_symlink_to_an_ancestor_is_a_loop(tmp_path):
    root = _tree(tmp_path)
    os.symlink(root, root / "app" / "up")
    files, problems = discover([root])
    assert len(files) == 2
    assert len(problems) == 1 and "directory loop" in problems[0] and "app/up" in problems[0]


def test_linked_dockerfile_is_taken_at_its_target(tmp_path):
    root = _tree(tmp_path)
    os.symlink(root / "app" / "Dockerfile", root / "Dockerfile")  # inside: found at app/Dockerfile
    outside = tmp_path / "common.Dockerfile"
    outside.write_text(APT)
    os.symlink(outside, root / "Dockerfile.common")
    files, problems = discover([root])
    assert problems == []
    assert sorted(map(str, files)) == sorted(map(str, [root / "app" / "Dockerfile", outside, root / "src" / "tests" / "Dockerfile"]))
    assert not any(p.is_symlink() for p in files)  # --apply writes the file, never replaces a link


def test_check_does_not_exit_2_on_sibling_links(tmp_path):
    root = _tree(tmp_path)
    os.symlink(root / "src" / "tests", root / "tests")
    (root / "dockerfile").write_text(APT)
    (root / "Dockerfile-worker").write_text(APT)
    r = CliRunner().invoke(main, ["--check", str(root)])
    assert r.exit_code == 1, r.output
    assert "directory loop" not in r.output
    for name in ("dockerfile", "Dockerfile-worker", "src/tests/Dockerfile", "app/Dockerfile"):
        assert name in r.output


def test_test_data_is_skipped_unless_named(tmp_path):
    root = _tree(tmp_path)
    fixtures = root / "frontend" / "parser" / "testfiles" / "env"
    fixtures.mkdir(parents=True)
    (fixtures / "Dockerfile").write_text(APT)
    (root / "test" / "fixtures").mkdir(parents=True)
    (root / "test" / "fixtures" / "Dockerfile").write_text(APT)
    negative = root / "frontend" / "parser" / "testfiles-negative" / "env_no_value"
    negative.mkdir(parents=True)
    (negative / "Dockerfile").write_text("FROM busybox\nENV PATH\n")
    files, _ = discover([root])
    assert sorted(str(p.relative_to(root)) for p in files) == ["app/Dockerfile", "src/tests/Dockerfile"]
    named, _ = discover([root / "test" / "fixtures"])
    assert named == [root / "test" / "fixtures" / "Dockerfile"]

"""The safe BuildKit-check codemods do not change the image: corpus/buildkit-checks-build (every
safe one has work there, on `FROM scratch` so no base image is needed) is built before and after
on each builder, and the image configs compared. The differences allowed: MAINTAINER's legacy
Author field becomes the org.opencontainers.image.authors label, with the same text; and on
buildah, which records an EXPOSE protocol as written, `80/TCP` becomes `80/tcp`."""
from __future__ import annotations

import uuid

import pytest

from buildenv import builder_for, builders_under_test, exclusive
from conftest import ROOT, read_text_exact
from refactor.checks.rules import RULES
from refactor.codemods import by_id
from refactor.codemods.base import Safety
from refactor.engine.runner import make_selection, refactor_text

APP = ROOT / "corpus" / "buildkit-checks-build"
SAFE = sorted(c for c in {r.codemod for r in RULES.values() if r.codemod} if by_id()[c].safety is Safety.SAFE)
COMPARED = ("Env", "Labels", "ExposedPorts", "Cmd", "Entrypoint", "Healthcheck", "WorkingDir", "User")


@pytest.mark.build
@pytest.mark.parametrize("builder_name", builders_under_test())
def test_safe_check_codemods_keep_the_image_config(builder_name, tmp_path):
    builder = builder_for(builder_name)
    before = read_text_exact(APP / "Dockerfile")
    result = refactor_text(before, APP / "Dockerfile", APP, make_selection(SAFE))
    assert result.error is None
    assert {e.codemod for e in result.edits} == set(SAFE)
    after_file = tmp_path / "Dockerfile"
    after_file.write_text(result.output)
    tags = []
    configs = []
    with exclusive(builder):
        try:
            for dockerfile in (APP / "Dockerfile", after_file):
                tag = f"localhost/dockwright-checks:{uuid.uuid4().hex[:10]}"
                outcome = builder.build(APP, dockerfile, tag, timeout=300, log_path=tmp_path / f"{len(tags)}.log")
                assert outcome.ok, (outcome.error, (tmp_path / f"{len(tags)}.log").read_text()[-2000:])
                tags.append(tag)
                configs.append(builder.inspect(tag).config)
        finally:
            for tag in tags:
                builder.remove(tag)
    old, new = configs
    author = 'Jane "Doe" <jane@example.com> $HOME'
    assert new["Labels"].pop("org.opencontainers.image.authors") == author
    if builder_name == "buildah":
        # buildah records an EXPOSE protocol as written (BuildKit lower-cases it): the one
        # difference there is the spelling expose-proto-casing fixes.
        old["ExposedPorts"] = {p.lower(): v for p, v in old["ExposedPorts"].items()}
    for key in COMPARED:
        assert (old.get(key) or None) == (new.get(key) or None), key
    assert "GREETING=hello   big  world" in new["Env"] and "DEPS=curl     git" in new["Env"]
    assert new["Labels"]["description"] == "My app  with  blanks"

"""Image comparison over walked trees and config dicts: no builds needed."""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from refactor.verify import imagediff
from refactor.verify.imagediff import Entry


def make_root(base: Path, files: dict[str, bytes | str]) -> Path:
    """files: path -> content (bytes), or "->target" for a symlink."""
    base.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        p = base / rel.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str) and content.startswith("->"):
            os.symlink(content[2:], p)
        else:
            p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return base


# ------------------------------------------------------------------------------------------ walk
def test_walk_dir_records_kind_mode_size_link_and_never_follows_links(tmp_path):
    root = make_root(tmp_path / "r", {"/bin/tool": b"#!/bin/sh\n", "/etc/link": "->/bin/tool"})
    os.chmod(root / "bin/tool", 0o4755)
    tree = imagediff.walk_dir(root)
    assert tree["/bin"].kind == "dir"
    assert tree["/bin/tool"] == Entry("file", 0o4755, os.getuid(), os.getgid(), 10, None, None)
    assert tree["/etc/link"].kind == "symlink" and tree["/etc/link"].link == "/bin/tool"
    assert tree["/etc/link"].size is None  # a symlink's size is the target's length: meaningless


def test_walk_dir_skips_rebuild_noise(tmp_path):
    root = make_root(
        tmp_path / "r",
        {"/var/log/apt/history.log": "x", "/var/log/dpkg.log": "x", "/var/cache/ldconfig/aux-cache": "x",
         "/var/log/app.log": "kept"},
    )
    tree = imagediff.walk_dir(root)
    assert "/var/log/app.log" in tree
    assert not any(p.startswith("/var/log/apt/") for p in tree)
    assert "/var/log/dpkg.log" not in tree and "/var/cache/ldconfig/aux-cache" not in tree
    assert "/var/log/apt" in tree  # the directory itself is not noise; only what apt rewrites in it


def test_pyc_header_is_ignored_but_body_is_not(tmp_path):
    body = b"\x00" * 40
    a = make_root(tmp_path / "a", {"/m.pyc": b"HEAD" + b"\x01" * 12 + body, "/m.bin": b"HEAD" + b"\x01" * 12 + body})
    b = make_root(tmp_path / "b", {"/m.pyc": b"HEAD" + b"\x02" * 12 + body, "/m.bin": b"HEAD" + b"\x02" * 12 + body})
    c = make_root(tmp_path / "c", {"/m.pyc": b"HEAD" + b"\x02" * 12 + body[:-1] + b"\x01"})
    # same bytes, but only the .pyc may skip its header (it holds the source mtime)
    assert [c.path for c in imagediff.compare_roots(a, b).changed] == ["/m.bin"]
    assert [c.path for c in imagediff.compare_roots(a, c).changed] == ["/m.pyc"]


def test_compare_roots_reports_each_kind_of_difference(tmp_path):
    a = make_root(tmp_path / "a", {"/same": "1", "/gone": "x", "/content": "aaaa", "/size": "a",
                                   "/link": "->/x", "/mode": "m"})
    b = make_root(tmp_path / "b", {"/same": "1", "/new/file": "y", "/content": "bbbb", "/size": "aa",
                                   "/link": "->/y", "/mode": "m"})
    os.chmod(a / "mode", 0o644)
    os.chmod(b / "mode", 0o600)
    d = imagediff.compare_roots(a, b)
    assert d.only_a == ("/gone",)
    assert d.only_b == ("/new", "/new/file")
    changed = {c.path: c.fields for c in d.changed}
    assert set(changed) == {"/content", "/size", "/link", "/mode"}
    assert set(changed["/content"]) == {"content"}
    assert changed["/size"] == {"size": (1, 2)}  # differing sizes are not hashed: no "content" key
    assert changed["/link"] == {"link": ("/x", "/y")}
    assert changed["/mode"] == {"mode": (0o644, 0o600)}
    assert "mode 0644 -> 0600" in imagediff.Change("/mode", changed["/mode"]).describe()


def test_identical_trees_compare_identical_even_with_noise_and_mtimes(tmp_path):
    a = make_root(tmp_path / "a", {"/x": "1", "/var/log/dpkg.log": "monday"})
    b = make_root(tmp_path / "b", {"/x": "1", "/var/log/dpkg.log": "tuesday!"})
    os.utime(b / "x", (0, 0))
    assert imagediff.compare_roots(a, b).identical


def test_unhashed_files_of_equal_size_are_not_called_changed():
    # diff_trees is pure: it trusts whatever digests it is given. "Unknown" must not read "changed".
    e = Entry("file", 0o644, 0, 0, 3)
    assert imagediff.diff_trees({"/f": e}, {"/f": e}).identical
    hashed = Entry("file", 0o644, 0, 0, 3, digest="a")
    assert imagediff.diff_trees({"/f": hashed}, {"/f": e}).identical
    assert not imagediff.diff_trees({"/f": hashed}, {"/f": Entry("file", 0o644, 0, 0, 3, digest="b")}).identical


def test_hash_candidates_are_same_size_regular_files_only():
    a = {"/f": Entry("file", 0, 0, 0, 3), "/g": Entry("file", 0, 0, 0, 3), "/d": Entry("dir", 0, 0, 0)}
    b = {"/f": Entry("file", 0, 0, 0, 3), "/g": Entry("file", 0, 0, 0, 4), "/d": Entry("dir", 0, 0, 0)}
    assert imagediff.hash_candidates(a, b) == ["/f"]


entries = st.builds(
    Entry,
    kind=st.sampled_from(["file", "dir", "symlink"]),
    mode=st.sampled_from([0o644, 0o755, 0o600]),
    uid=st.sampled_from([0, 1000]),
    gid=st.just(0),
    size=st.one_of(st.none(), st.integers(0, 5)),
)
trees = st.dictionaries(st.sampled_from(["/a", "/a/b", "/c", "/var/log/dpkg.log", "/d/e"]), entries)


@given(trees, trees)
def test_diff_is_mirror_symmetric(a, b):
    ab, ba = imagediff.diff_trees(a, b), imagediff.diff_trees(b, a)
    assert ab.only_a == ba.only_b and ab.only_b == ba.only_a
    assert [c.path for c in ab.changed] == [c.path for c in ba.changed]
    assert imagediff.diff_trees(a, a).identical
    assert "/var/log/dpkg.log" not in ab.only_a + ab.only_b


def test_collapse_folds_paths_under_listed_ancestors():
    paths = ["/a", "/a/b", "/a/b/c", "/a-b", "/x/y", "/x/y/z", "/x/q"]
    assert imagediff.collapse(paths) == [("/a", 2), ("/a-b", 0), ("/x/q", 0), ("/x/y", 1)]


# ---------------------------------------------------------------------------------------- config
def test_normalize_config_equates_spellings_of_unset_and_drops_host_fields():
    a = {"Entrypoint": [], "WorkingDir": "/", "Hostname": "abc123", "Cmd": ["python3"], "User": ""}
    b = {"Entrypoint": None, "WorkingDir": "", "Hostname": "def456", "Cmd": ["python3"]}
    assert imagediff.normalize_config(a) == imagediff.normalize_config(b) == {"Cmd": ["python3"]}
    assert imagediff.diff_config(a, b) == []


def test_diff_config_reports_user_cmd_ports_and_env_per_variable():
    a = {"User": "", "Cmd": ["python", "app.py"], "Env": ["PATH=/usr/bin", "LANG=C.UTF-8", "GONE=1"]}
    b = {
        "User": "app",
        "Cmd": ["python", "-m", "app"],
        "Env": ["LANG=C.UTF-8", "PATH=/opt/venv/bin:/usr/bin", "NEW=2"],  # reordered: not a change
        "ExposedPorts": {"8000/tcp": {}},
    }
    changes = {c.key: c for c in imagediff.diff_config(a, b)}
    assert set(changes) == {"User", "Cmd", "ExposedPorts", "Env.PATH", "Env.GONE", "Env.NEW"}
    assert changes["User"].describe() == "User: added 'app'"
    assert changes["Env.GONE"].describe() == "Env.GONE: removed (was '1')"
    assert changes["Env.PATH"].describe() == "Env.PATH: '/usr/bin' -> '/opt/venv/bin:/usr/bin'"
    assert changes["Cmd"].describe() == 'Cmd: ["python", "app.py"] -> ["python", "-m", "app"]'


def test_diff_config_sees_shell_healthcheck_and_stopsignal():
    a = {"Shell": ["/bin/sh", "-c"], "Healthcheck": {"Test": ["CMD-SHELL", "true"]}}
    b = {"StopSignal": "SIGINT"}
    assert [c.key for c in imagediff.diff_config(a, b)] == ["Shell", "Healthcheck", "StopSignal"]


# ----------------------------------------------------------------------------------------- image
def test_diff_images_size_change_and_layers():
    d = imagediff.diff_images(1000, 250, 8, 4, {"User": ""}, {"User": "app"})
    assert d.size_delta == -750 and d.size_pct == -75.0
    assert (d.layers_a, d.layers_b) == (8, 4)
    assert [c.key for c in d.config] == ["User"]
    assert imagediff.diff_images(0, 10, 0, 1, None, None).size_pct == 0.0


def test_human_size():
    assert imagediff.human_size(999) == "999 B"
    assert imagediff.human_size(156_416_239) == "156.4 MB"
    assert imagediff.human_size(-768_900_000) == "-768.9 MB"
    assert imagediff.human_size(1_250_000_000) == "1.2 GB"

"""Start-up (issue 13): a one-file run imports what the file needs and nothing else. Each test
runs `dockwright` in a fresh interpreter and reads `sys.modules` at its end; the lazy tables that
make this possible are held equal to what they stand for."""
from __future__ import annotations

import dataclasses
import importlib
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Runs the CLI in-process and prints the modules it imported, as JSON, on stderr's last line.
_PROBE = """
import json, sys
sys.argv = ["dockwright", *sys.argv[1:]]
from refactor.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _imported(tmp_path: Path, dockerfile: str, *args: str) -> set[str]:
    (tmp_path / "Dockerfile").write_text(dockerfile)
    r = subprocess.run([sys.executable, "-c", _PROBE, *args, "Dockerfile"], cwd=tmp_path, capture_output=True,
                       text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    return set(json.loads(r.stderr.strip().splitlines()[-1]))


MULTI_STAGE_NODE = """FROM node:20 AS build
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM nginx:1.27
COPY --from=build /app/dist /usr/share/nginx/html
"""

SINGLE_STAGE_PYTHON = """FROM python:3.11
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["python", "app.py"]
"""


def test_the_parent_of_j_workers_loads_no_multiprocessing(tmp_path):
    # concurrent.futures' pool was ~18 ms of imports before any worker started, and its threads
    # took CPU from the workers: refactor.engine.workers forks them itself
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(SINGLE_STAGE_PYTHON)
    r = subprocess.run([sys.executable, "-c", _PROBE, "--diff", "-j", "2", "a", "b", "c"], cwd=tmp_path,
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert r.returncode in (0, 1) and r.stdout.count("+++ b/") == 3, r.stderr
    mods = set(json.loads(r.stderr.strip().splitlines()[-1]))
    assert "refactor.engine.workers" in mods
    assert not {"concurrent.futures", "multiprocessing"} & mods


def test_a_multi_stage_file_loads_no_planner_and_only_its_ecosystem(tmp_path):
    mods = _imported(tmp_path, MULTI_STAGE_NODE, "--diff")
    assert "refactor.codemods.multi_stage" in mods  # the codemod ran ...
    assert "refactor.codemods.multi_stage.gate" in mods
    # ... and declined ("already multi-stage") before its planner and strategies loaded
    assert not {m for m in mods if m.startswith("refactor.codemods.multi_stage.")} - {
        "refactor.codemods.multi_stage.gate"}
    eco = {m.rsplit(".", 1)[-1] for m in mods if m.startswith("refactor.knowledge.ecosystems.")}
    assert eco == {"scan", "steps", "node"}  # npm ci: node.py reads it, no other ecosystem
    assert not {"lark", "tarfile", "refactor.knowledge.runner_images", "refactor.verify", "refactor.bot"} & mods


def test_a_single_stage_app_loads_the_planner(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "app.py").write_text("print(1)\n")
    mods = _imported(tmp_path, SINGLE_STAGE_PYTHON, "--diff")
    assert "refactor.codemods.multi_stage.planner" in mods
    assert "refactor.codemods.multi_stage.python" in mods
    assert "tarfile" not in mods  # only the ruby strategy's vendor/cache reading needs it


_STRATEGY_MODULES = {"python", "node", "go", "rust", "java", "ruby", "php", "static_site"}


def _loaded(mods: set[str]) -> tuple[set[str], set[str]]:
    """(multi-stage strategies, knowledge ecosystem modules) among `mods`, by short name."""
    strategies = {m.rsplit(".", 1)[-1] for m in mods if m.startswith("refactor.codemods.multi_stage.")} & _STRATEGY_MODULES
    eco = {m.rsplit(".", 1)[-1] for m in mods if m.startswith("refactor.knowledge.ecosystems.")} - {"scan", "steps"}
    return strategies, eco


def test_a_single_stage_python_app_loads_the_python_strategy_alone(tmp_path):
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "app.py").write_text("print(1)\n")
    app = SINGLE_STAGE_PYTHON.replace("COPY . .\nRUN pip", "COPY requirements.txt .\nRUN pip")
    app = app.replace('CMD ["python"', 'COPY . .\nCMD ["python"')
    mods = _imported(tmp_path, app, "--diff", "--select", "multi-stage")
    assert "refactor.codemods.multi_stage.planner" in mods  # the gate let it through: a planned file
    assert _loaded(mods) == ({"python"}, {"python"})
    assert "refactor.knowledge.port_consumers" not in mods


GO_APP = """FROM golang:1.22
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN go build -o /usr/local/bin/app .
CMD ["app"]
"""


def test_a_single_stage_go_app_loads_the_go_strategy_alone(tmp_path):
    (tmp_path / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (tmp_path / "go.sum").write_text("")
    (tmp_path / "main.go").write_text("package main\n\nfunc main() {}\n")
    mods = _imported(tmp_path, GO_APP, "--diff", "--select", "multi-stage")
    assert "refactor.codemods.multi_stage.planner" in mods
    assert _loaded(mods) == ({"go"}, {"go"})


def test_a_tool_of_another_ecosystem_loads_its_strategy_too(tmp_path):
    # a python image whose build runs npm: the walk classifies npm with the node strategy
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "package.json").write_text('{"scripts": {"build": "true"}}\n')
    app = SINGLE_STAGE_PYTHON.replace('CMD ["python"', 'RUN npm run build\nCMD ["python"')
    mods = _imported(tmp_path, app, "--diff", "--select", "multi-stage")
    strategies, _ = _loaded(mods)
    assert strategies == {"python", "node"}


def _composed(*names: str) -> type:
    from refactor.codemods.multi_stage.planner import _Planner

    planner = object.__new__(_Planner)  # no file: only its class is wanted
    for name in names:
        planner._use(name)
    return type(planner)


def test_a_composed_planner_resolves_its_methods_as_the_one_with_every_strategy():
    from refactor.codemods.multi_stage.planner import _STRATEGIES

    everything = _composed(*_STRATEGIES)
    assert everything.strategies == frozenset(_STRATEGIES)
    assert [c.__name__ for c in everything.__mro__[1:]] == [
        "_Planner", "Emitter", "RuntimeNeeds", "PythonStrategy", "NodeStrategy", "NodeInstalls", "GoStrategy",
        "RustStrategy", "JavaStrategy", "RubyStrategy", "PhpStrategy", "StaticSiteStrategy", "object"]
    for name in _STRATEGIES:
        cls = _composed(name)
        assert name in cls.strategies and _composed(name) is cls  # composed once, then reused
        for attr in dir(cls):
            if attr != "strategies" and (attr == "__init__" or not attr.startswith("__")):
                assert getattr(cls, attr) is getattr(everything, attr), (name, attr)


def test_every_strategy_loads_the_strategies_whose_methods_it_calls():
    import ast

    from refactor.codemods.multi_stage.planner import _STRATEGIES

    folder = ROOT / "refactor" / "codemods" / "multi_stage"
    everything = _composed(*_STRATEGIES)
    methods = {a for a in dir(everything) if callable(getattr(everything, a, None)) and not a.startswith("__")}
    for module in [*_STRATEGIES, "emitter", "runtime", "node_installs"]:
        tree = ast.parse((folder / f"{module}.py").read_text())
        called = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                  and n.value.id == "self" and n.attr in methods}
        loaded = _composed({"node_installs": "node"}.get(module, module)) if module in (*_STRATEGIES, "node_installs") \
            else _composed()
        assert called <= set(dir(loaded)), (module, called - set(dir(loaded)))


def test_the_family_table_is_families():
    from refactor.knowledge.ecosystems import _FAMILY_MODULE, FAMILIES, ecosystem_module

    assert _FAMILY_MODULE == FAMILIES
    assert all(ecosystem_module(name).NAME == name for name in set(FAMILIES.values()))


def test_a_base_image_file_loads_no_planner_and_no_nginx_knowledge(tmp_path):
    mods = _imported(tmp_path, "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n", "--diff")
    assert "refactor.codemods.non_root.analysis" in mods  # non-root read the stage ...
    assert "refactor.knowledge.port_consumers" not in mods  # ... which is no nginx one
    assert "refactor.codemods.multi_stage.planner" not in mods  # no CMD: declined by the gate


def test_select_loads_only_the_named_codemod(tmp_path):
    mods = _imported(tmp_path, SINGLE_STAGE_PYTHON, "--diff", "--select", "apt-cleanup")
    assert "refactor.codemods.apt_cleanup" in mods
    assert not {"refactor.codemods.multi_stage", "refactor.codemods.non_root", "refactor.codemods.layer_order"} & mods


def _ecosystem_modules():
    from refactor.knowledge.ecosystems import _NAMES

    return {name: importlib.import_module(f"refactor.knowledge.ecosystems.{name}") for name in _NAMES}


def test_scan_knows_the_module_of_every_installer():
    from refactor.knowledge.ecosystems.scan import _INSTALLER_MODULE

    table = {tool: name for name, module in _ecosystem_modules().items() for tool in module.INSTALLERS}
    assert _INSTALLER_MODULE == table


def test_the_module_of_every_install_step_ecosystem():
    from refactor.knowledge.ecosystems import _STEP_MODULE

    table = {eco: name for name, module in _ecosystem_modules().items() for eco in module.GENERATED}
    assert _STEP_MODULE == table


@pytest.mark.parametrize("name", ["ECOSYSTEMS", "FAMILIES", "MANIFESTS", "CONTEXT_MARKERS", "LANGUAGE_TOOLS", "GENERATED"])
def test_the_lazy_tables_gather_every_ecosystem(name):
    import refactor.knowledge.ecosystems as eco

    mods = _ecosystem_modules()
    table = getattr(eco, name)
    order = [mods[n] for n in ("node", "python", "go", "rust", "ruby", "php", "java")]
    if name == "ECOSYSTEMS":
        assert table == tuple(order)
    elif name == "FAMILIES":
        first = [mods[n] for n in ("python", "node", "go", "rust", "java", "ruby")]
        want = {image: m.NAME for m in first for image in m.IMAGES}
        want.update({image: mods["php"].NAME for image in mods["php"].IMAGES})
        assert list(table.items()) == list(want.items())
    elif name == "GENERATED":
        assert table == {tool: paths for m in order for tool, paths in m.GENERATED.items()}
    else:
        want = {m.NAME: getattr(m, name) for m in order if name != "LANGUAGE_TOOLS" or m.LANGUAGE_TOOLS}
        assert list(table.items()) == list(want.items())


def test_an_unknown_attribute_is_still_an_error():
    import refactor.knowledge.ecosystems as eco

    with pytest.raises(AttributeError):
        eco.NOT_A_TABLE  # noqa: B018


# ---- refactor.syntax.codecache: dataclass methods compiled once, kept between runs --------------

_CLASS = """
from dataclasses import dataclass, field

@dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: "tuple[int, ...]" = ()
    z: tuple = field(default_factory=tuple)
"""


def _define(with_cache: bool):
    from refactor.syntax import codecache

    saved = dataclasses.__dict__.pop("exec", None)
    try:
        if with_cache:
            dataclasses.exec = codecache._exec
        # a module of the package: the table holds dockwright's classes only
        module = types.ModuleType("refactor._test_codecache")
        sys.modules[module.__name__] = module
        exec(compile(_CLASS, "<test>", "exec", dont_inherit=True), module.__dict__)
        return module.Point
    finally:
        sys.modules.pop("refactor._test_codecache", None)
        dataclasses.__dict__.pop("exec", None)
        if saved is not None:
            dataclasses.exec = saved


def test_cached_methods_are_the_ones_dataclasses_compiles(monkeypatch):
    from refactor.syntax import codecache

    monkeypatch.setattr(codecache, "_tables", {"refactor._test_codecache": {}})  # compiled here, not read
    monkeypatch.setattr(codecache, "_used", {})
    monkeypatch.setattr(codecache, "_new", set())
    plain, cached, again = _define(False), _define(True), _define(True)
    for name in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
        codes = [getattr(getattr(c, name), "__wrapped__", getattr(c, name)).__code__ for c in (plain, cached, again)]
        assert codes[0] == codes[1] == codes[2], name
        assert codes[1] is codes[2]  # the second class took the code object from the table
    # no `from __future__ import annotations` leaks in from the cache module: real types
    assert plain.__init__.__annotations__ == cached.__init__.__annotations__
    assert cached.__init__.__annotations__["x"] is int
    p = cached(1, (2,))
    assert repr(p) == repr(plain(1, (2,))) == "Point(x=1, y=(2,), z=())"
    assert p == cached(1, (2,)) and hash(p) == hash(cached(1, (2,)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 2  # type: ignore[misc]


def _run(tmp_path: Path, cache_home: Path, **env: str) -> subprocess.CompletedProcess:
    (tmp_path / "Dockerfile").write_text(MULTI_STAGE_NODE)
    probe = _PROBE.replace("print(json.dumps(sorted(sys.modules)), file=sys.stderr)",
                           "from refactor.syntax import codecache\n"
                           "print(json.dumps([sorted(codecache._new), sum(map(len, codecache._used.values()))]),"
                           " file=sys.stderr)")
    return subprocess.run([sys.executable, "-c", probe, "--diff", "Dockerfile"], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache_home), **env},
                          timeout=120)


def test_the_tables_are_written_once_and_read_by_the_next_run(tmp_path):
    cache = tmp_path / "cache"
    first = _run(tmp_path, cache)
    (folder,) = (cache / "dockwright").glob("dataclass-methods.*")
    new, used = json.loads(first.stderr.strip().splitlines()[-1])
    assert sorted(p.name for p in folder.iterdir()) == new  # one file per module that made classes
    assert "refactor.syntax.nodes" in new and used > 50
    second = _run(tmp_path, cache)
    assert json.loads(second.stderr.strip().splitlines()[-1]) == [[], used]  # nothing compiled again
    off = _run(tmp_path, tmp_path / "unused", DOCKWRIGHT_NO_CODE_CACHE="1")
    assert not (tmp_path / "unused").exists()
    assert first.stdout == second.stdout == off.stdout and "+++ b/Dockerfile" in first.stdout


def test_a_broken_table_is_compiled_again(tmp_path):
    good = _run(tmp_path, tmp_path / "cache")
    (path,) = (tmp_path / "cache" / "dockwright").glob("dataclass-methods.*/refactor.syntax.nodes")
    path.write_bytes(b"\x00garbage")
    broken = _run(tmp_path, tmp_path / "cache")
    assert broken.returncode == good.returncode and broken.stdout == good.stdout
    # that module's classes compiled again and its file written back, the others read
    assert json.loads(broken.stderr.strip().splitlines()[-1])[0] == ["refactor.syntax.nodes"]
    assert path.read_bytes() != b"\x00garbage"


# ---- refactor.syntax.lazy_re: module-level patterns compiled on first use ----------------------


def test_a_lazy_pattern_answers_as_the_compiled_one():
    import re

    from refactor.syntax.lazy_re import lazy

    text = "a=1, B=22; c=333"
    for flags in (0, re.I):
        want = re.compile(r"([a-z])=(\d+)", flags)
        got = lazy(r"([a-z])=(\d+)", flags)
        assert got.pattern == want.pattern and "_compiled" not in vars(got)  # nothing compiled yet
        assert got.search(text).group(0) == want.search(text).group(0)
        assert vars(got)["search"] == want.search  # the compiled pattern's own method from now on
        assert [m and m.span() for m in (got.match(text, 5), want.match(text, 5))] in ([None, None], [(5, 9), (5, 9)])
        assert got.fullmatch("a=1").groups() == want.fullmatch("a=1").groups()
        assert got.sub(r"\2", text) == want.sub(r"\2", text)
        assert got.subn(lambda m: m.group(1), text, count=1) == want.subn(lambda m: m.group(1), text, count=1)
        assert got.split(text, maxsplit=1) == want.split(text, maxsplit=1)
        assert got.findall(text) == want.findall(text)
        assert [m.span() for m in got.finditer(text)] == [m.span() for m in want.finditer(text)]
        assert (got.flags, got.groups, got.groupindex, repr(got)) == (want.flags, want.groups, want.groupindex, repr(want))


def test_every_lazy_pattern_of_the_package_compiles():
    import pkgutil

    import refactor
    from refactor.syntax.lazy_re import LazyPattern

    def patterns(value, depth=0):
        if isinstance(value, LazyPattern):
            yield value
        elif depth < 3 and isinstance(value, (tuple, list, frozenset, set)):
            for v in value:
                yield from patterns(v, depth + 1)
        elif depth < 3 and isinstance(value, dict):
            for v in [*value, *value.values()]:
                yield from patterns(v, depth + 1)

    found = []
    for info in pkgutil.walk_packages(refactor.__path__, "refactor."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            for p in patterns(value):
                found.append((info.name, name))
                p.compiled()  # a bad pattern raises here, not in a user's run
    assert len(found) >= 30  # the module-level patterns of non-root, the checks, the knowledge modules


# The console script pauses the cyclic garbage collector while the run loads its modules.
_GC_PROBE = """
import gc, json, sys
sys.argv = ["dockwright", *sys.argv[1:]]
import refactor.cli as cli
seen = []
process = cli._process
def spy(args):
    seen.append(gc.isenabled())
    return process(args)
cli._process = spy
from refactor.console import main
try:
    main()
except SystemExit:
    pass
print(json.dumps({"during": seen, "after": gc.isenabled(), "frozen": gc.get_freeze_count()}), file=sys.stderr)
"""


def _gc_states(tmp_path: Path, *args: str) -> dict:
    r = subprocess.run([sys.executable, "-c", _GC_PROBE, *args], cwd=tmp_path, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert r.returncode in (0, 1), r.stderr
    return json.loads(r.stderr.strip().splitlines()[-1])


def test_the_console_script_is_the_collector_pausing_entry():
    text = (ROOT / "pyproject.toml").read_text()
    assert 'dockwright = "refactor.console:run"' in text


def test_the_collector_is_paused_for_the_first_file_only_and_back_on_at_the_end(tmp_path):
    for name in ("a", "b", "c"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(SINGLE_STAGE_PYTHON)
    states = _gc_states(tmp_path, "--diff", "-j", "1", "a", "b", "c")
    # the first file loads the modules a file needs; the collector is back for the others
    assert states["during"] == [False, True, True]
    assert states["after"] is True
    assert states["frozen"] > 10_000  # start-up's objects, kept out of later collections
    # workers fork from a parent that loaded the engine, froze its objects and collects again
    states = _gc_states(tmp_path, "--diff", "-j", "2", "a", "b", "c")
    assert states["during"] == [] and states["after"] is True and states["frozen"] > 10_000


def test_the_collector_is_back_on_when_the_run_fails_early(tmp_path):
    states = _gc_states(tmp_path, "--diff", "--apply", "Dockerfile")  # a usage error
    assert states["during"] == [] and states["after"] is True


def test_a_direct_call_of_the_cli_leaves_the_collector_alone(tmp_path):
    (tmp_path / "Dockerfile").write_text(SINGLE_STAGE_PYTHON)
    probe = _GC_PROBE.replace("from refactor.console import main", "from refactor.cli import main")
    r = subprocess.run([sys.executable, "-c", probe, "--diff", "Dockerfile"], cwd=tmp_path, capture_output=True,
                       text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    states = json.loads(r.stderr.strip().splitlines()[-1])
    assert states == {"during": [True], "after": True, "frozen": 0}


def test_the_dataclasses_a_run_defines_have_their_own_docstring():
    # without one, @dataclass writes "Name(field: type, ...)" with inspect.signature: 2% of the imports
    import pkgutil

    import refactor

    missing = []
    for info in pkgutil.walk_packages(refactor.__path__, "refactor."):
        if info.name.startswith(("refactor.bot", "refactor.verify")):  # not loaded by a refactor run
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == info.name:
                if not value.__dict__.get("__doc__") or value.__doc__.startswith(value.__name__ + "("):
                    missing.append(f"{info.name}.{value.__qualname__}")
    assert not missing


def test_the_console_script_writes_the_tables_too(tmp_path):
    # it ends with os._exit, which runs no atexit handler
    (tmp_path / "Dockerfile").write_text(MULTI_STAGE_NODE)
    code = "import sys\nsys.argv = ['dockwright', *sys.argv[1:]]\nfrom refactor.console import run\nrun()\n"
    r = subprocess.run([sys.executable, "-c", code, "--diff", "Dockerfile"], cwd=tmp_path, capture_output=True,
                       text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")},
                       timeout=120)
    assert r.returncode == 0 and "+++ b/Dockerfile" in r.stdout
    (folder,) = (tmp_path / "cache" / "dockwright").glob("dataclass-methods.*")
    assert "refactor.syntax.nodes" in {p.name for p in folder.iterdir()}


def test_the_workers_write_the_tables_of_the_modules_they_load(tmp_path):
    # -j workers load what a file needs (the port search of an nginx stage) after the fork, and
    # end without the parent's exit: each writes its own tables when it ends
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "Dockerfile").write_text(MULTI_STAGE_NODE)
    code = "import sys\nsys.argv = ['dockwright', *sys.argv[1:]]\nfrom refactor.console import run\nrun()\n"
    r = subprocess.run([sys.executable, "-c", code, "--diff", "-j", "2", "a", "b"], cwd=tmp_path, capture_output=True,
                       text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")},
                       timeout=120)
    assert r.returncode == 0 and r.stdout.count("+++ b/") == 2
    (folder,) = (tmp_path / "cache" / "dockwright").glob("dataclass-methods.*")
    assert "refactor.knowledge.port_consumers" in {p.name for p in folder.iterdir()}

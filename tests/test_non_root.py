"""The non-root codemod and the base-image knowledge behind it.

Fixtures: `corpus/non-root/<case>.before.Dockerfile` with `<case>.after.Dockerfile` (none: the
codemod must change nothing), run through the engine with only `non-root` selected and the
fixture folder as build context (start scripts there are read). Then the 298 real Dockerfiles:
outputs parse with BuildKit's parser, hadolint never reports DL3002 for an output we changed,
no USER *name* is added to a scratch or distroless stage, a second run changes nothing, and
every comment line survives."""
from __future__ import annotations

import collections
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import read_text_exact, real_corpus, require_shared_corpus
from oracle import oracle_commands
from refactor.knowledge import baseimages as bi
from refactor.knowledge import stage_images as si
from refactor import parse_dockerfile
from refactor.knowledge.baseimages import Family, parse_image
from refactor.codemods import by_id
from refactor.codemods.base import Context, Safety
from refactor.engine.runner import make_selection, refactor_text

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "corpus" / "non-root"
CASES = sorted(FIXTURES.glob("*.before.Dockerfile"))
SEL = make_selection(["non-root"])


def _case_id(p: Path) -> str:
    return p.name[: -len(".before.Dockerfile")]


def _run(text: str, path: Path | None = None, context: Path | None = None):
    return refactor_text(text, path, context, SEL)


# --- fixtures -----------------------------------------------------------------------------------


@pytest.mark.parametrize("before", CASES, ids=[_case_id(p) for p in CASES])
def test_fixture(before: Path):
    after = before.with_name(before.name.replace(".before.", ".after."))
    source = read_text_exact(before)
    result = _run(source, before, FIXTURES)
    assert result.error is None, result.error
    expected = read_text_exact(after) if after.exists() else source
    assert result.output == expected
    if after.exists():
        assert result.edits
        assert all(e.codemod == "non-root" and e.safety is Safety.UNSAFE for e in result.edits)
        assert parse_dockerfile(result.output).code == result.output
        assert not isinstance(oracle_commands(result.output), tuple), "BuildKit cannot parse the output"
        # the final stage ends as a non-root user, written as numbers (DL3066, runAsNonRoot)
        final = parse_dockerfile(result.output).stages[-1]
        users = [i.value[0] for i in final.instructions if i.cmd == "USER"]
        assert users and not bi.is_root_user(users[-1])
        assert re.fullmatch(r"\d+:\d+", users[-1]), users[-1]
    else:
        assert not result.edits
    again = _run(result.output, before, FIXTURES)
    assert again.output == result.output and not again.edits


def test_fixture_set_covers_the_issue():
    names = {_case_id(p) for p in CASES}
    changed = {n for n in names if (FIXTURES / f"{n}.after.Dockerfile").exists()}
    # one changed case per family, and the required no-op cases
    assert {"debian-python-slim", "ubuntu-apt", "alpine-apk", "busybox", "ubi-dnf", "centos-yum",
            "ubi-minimal-shadow-utils", "node-existing-user", "distroless-root", "scratch",
            "dotnet8", "nginx", "nginx-spa-conf", "nginx-prebuilt-main-conf",
            "nginx-compose-unpublished", "nginx-compose-other-stage"} <= changed
    assert {"postgres", "expose-80", "scratch-with-user", "distroless-nonroot",
            "unknown-family", "templated-from", "multistage-user-only-in-builder"} <= names - changed


def test_skips_say_why():
    cases = {
        "nginx-config-from-stage": "comes from another stage or image: I cannot read it",
        "nginx-listen-one-line": "in a line a line edit cannot change",
        "nginx-port-81": "listens on port 81, below 1024",
        "nginx-own-log": "writes where the nginx user cannot",
        "nginx-templates": "the official entrypoint uses it at start",
        "nginx-image-variant": "installs nginx packages: an nginx image of its own",
        "nginx-compose-publish": "nginx-compose/docker-compose.yml:8 publishes port 80 of this image (`8080:80`): "
                                 "moving nginx from 80 to 8080 would break it",
        "nginx-compose-proxied": "nginx-compose/gateway.conf:4 proxies to this image's port (`proxy_pass http://site`)",
        "nginx-kamal": "config/deploy.yml:7 kamal deploys this image and kamal-proxy forwards to its port 80",
        "postgres": "manages its runtime user itself",
        "expose-80": "EXPOSE 80",
        "port-80-in-cmd": "binds port 80",
        "unknown-family": "unknown OS family",
        "templated-from": "templated base image",
        "ubi-minimal-no-useradd": "shadow-utils",
        "amazonlinux": "shadow-utils",
        "start-needs-root": "`service` needs root",
        "entrypoint-drops-privileges": "steps down from root itself",
        "unreadable-entrypoint": "cannot read the start script",
        "volume-outside-app": "VOLUME /var/lib/app-data",
        "pip-user": "root's home",
        "onbuild": "ONBUILD",
        "no-cmd-base-image": "no CMD or ENTRYPOINT",
        "dotnet6-port-80": "port 80",
        "ignored-by-pragma": "dockwright: ignore",
    }
    for name, words in cases.items():
        p = FIXTURES / f"{name}.before.Dockerfile"
        r = _run(read_text_exact(p), p, FIXTURES)
        assert not r.changed, name
        assert any(words in s.reason for s in r.skips if s.codemod == "non-root"), (name, r.skips)


# Issue 11: base, shell and interpreter images, processes that need root, unproven uids.
DECLINES = {
    'virsh': "`virsh`: it talks to the host's libvirt daemon",
    'shell-cmd-bash': 'starts a shell (`bash`)',
    'shell-bash-login': 'starts a shell (`/bin/bash -l`)',
    'shell-pwsh': 'starts a shell (`pwsh`)',
    'shell-form-sh': 'starts a shell (`sh`)',
    'bare-node': 'a bare interpreter (`node`)',
    'bare-python': 'a bare interpreter (`python3`)',
    'bare-irb': 'a bare interpreter (`irb`)',
    'php-interactive': 'a bare interpreter (`php -a`)',
    'jshell': 'a bare interpreter (`jshell`)',
    'official-entrypoint-interpreter': 'a bare interpreter (`python3`)',
    'no-cmd-through-parent-stage': 'no CMD or ENTRYPOINT',
    'interpreter-through-parent-stage': 'a bare interpreter (`node`)',
    'empty-entrypoint': '`ENTRYPOINT [""]` and no CMD',
    'named-app-base': 'is named as a base image',
    'docker-socket-volume': "Docker daemon's socket",
    'docker-cli-installed': 'installs `docker-cli`',
    'docker-cli-copied': 'copies in the Docker CLI',
    'docker-cli-downloaded': 'downloads the Docker CLI',
    'openvpn': 'installs `openvpn`',
    'wireguard': 'installs `wireguard-tools`',
    'tcpdump': 'packet capture needs root',
    'suricata': 'installs `suricata`',
    'ids-start-script': 'packet capture needs root',
    'ip-route-entrypoint': '`ip route add` changes the network',
    'squid': '`squid`: the daemon starts as root and switches',
    'mariadb-wrapper': '`user=mysql` in my.cnf',
    'config-switches-user': '`uid = www-data` in uwsgi.ini',
    'host-monitor': 'monitors the host',
    'privileged-note': 'run it privileged',
    'crond': '`crond` needs root',
    'sshd': '`sshd` needs root',
    'systemd-init': 'init',
    'supervisord': '`supervisord` needs root',
    'nginx-master-from-packages': '`nginx` needs root',
    'cargo-test': 'cargo',
    'go-test': '(`go`) where a RUN step already built it as root',
    'entrypoint-chmod': '`chmod` writes /etc/ssl/private',
    'entrypoint-apt-get': '`apt-get` needs root',
    'scratch-passwd-no-user': 'copies /etc/passwd from `builder`',
    'useradd-without-uid': 'creates `appuser` without a fixed uid',
    'user-name-unknown': 'USER nobody: the uid of `nobody` is not known',
    'useradd-gid-unknown': 'gid is not fixed',
    'explicit-user-root': 'sets `USER root` itself, while already root',
    'user-zero': 'sets `USER 0:0` itself, while already root',
    'interpreter-demo-cmd': 'an interpreter with a demo command (`/bin/deno eval',
    'group-writable-etc': '`chmod g+w` makes /etc/myapp group-writable',
    'start-executable-writes-etc': 'writes /etc/myapp/app.properties at start-up',
    'entrypoint-writes-volume': '`cp` writes /shared, outside the folders the new user would own',
    'pidfile-in-var-run': '`--pidfile /var/run/collector.pid` makes it write outside',
    'scratch-rootfs-generated-script': 'the start command `report` is a file a RUN step writes',
    'setup-entrypoint-tool-cmd': 'only sets up an environment and runs its arguments',
    'workdir-mount-point': 'nothing is copied into or built in the working folder /src/site',
    'tool-needs-root': '`bpftrace`: it traces or debugs',
    'config-in-root-home': "writes configuration into root's home",
    'notes-mount-root': 'notes mount the user',
    'sqlservr': '`sqlservr`: SQL Server writes its data folder',
    'template-from': 'template',  # the engine's own skip, or non-root's (`FROM php:{{ v }}`)
    'app-code-run-as-root': "runs the app's own code as root in /app (`python init_db.py`)",
}


@pytest.mark.parametrize("name", sorted(DECLINES))
def test_issue_11_declines_say_why(name):
    """Each class issue 11 lists (base/shell/interpreter images, processes that need root, uids
    that cannot be proven) has a no-op fixture, declined with its reason."""
    p = FIXTURES / f"{name}.before.Dockerfile"
    assert not (FIXTURES / f"{name}.after.Dockerfile").exists()
    r = _run(read_text_exact(p), p, FIXTURES)
    assert not r.changed, name
    reasons = [s.reason for s in r.skips if s.codemod in ("non-root", "*")]
    assert any(DECLINES[name] in s for s in reasons), (name, reasons)


def test_issue_11_numeric_users_from_the_file():
    """uid/gid come from the account commands' flags, or from the stage whose root filesystem
    or /etc/passwd a scratch image copies."""
    want = {
        "useradd-uid": "1500:1500",
        "adduser-debian-ingroup": "2000:2000",
        "adduser-alpine-flags": "1001:1001",
        "useradd-but-no-user": "999:999",
        "scratch-passwd-user": "10001:10001",
        "scratch-rootfs": "10001:10001",
        "switched-back-to-root": "1000:1000",
        "author-chowned-uid": "1000:2000",  # the uid the file already gives its folders to
    }
    for name, user in want.items():
        text = read_text_exact(FIXTURES / f"{name}.after.Dockerfile")
        assert f"\nUSER {user}\n" in text, name
    # a `--link` copy cannot resolve names (no /etc/passwd on its layer): numeric owner
    assert "COPY --link --chown=1654:1654 . .\n" in read_text_exact(FIXTURES / "copy-link-numeric-chown.after.Dockerfile")
    # folders root RUNs made, with what they wrote inside (a key), are given recursively
    assert "RUN chown -R app:app /work/ssh\n" in read_text_exact(FIXTURES / "generated-files-in-data-dir.after.Dockerfile")
    # a folder a RUN already makes is given to the user in that RUN, not made twice
    text = read_text_exact(FIXTURES / "app-folder-made-by-run.after.Dockerfile")
    assert "RUN mkdir -p /usr/src/app && chown node:node /usr/src/app\n" in text and text.count("mkdir") == 1
    # the scratch image holding alpine's root filesystem creates its user with alpine's tools
    assert "adduser -S -u 10001" in read_text_exact(FIXTURES / "scratch-rootfs.after.Dockerfile")


def test_registered_as_unsafe():
    cm = by_id()["non-root"]
    assert cm.safety is Safety.UNSAFE
    assert "DL3002" in cm.hadolint
    assert cm not in make_selection(safe_only=True).codemods
    assert cm in make_selection(["non-root"], safe_only=True).codemods
    doc = type(cm).__module__
    import importlib

    text = importlib.import_module(doc).__doc__
    for section in ("What it does", "Why", "Example", "Safety", "References"):
        assert f"\n{section}\n" in text


def test_declines_when_unsafe_edits_are_not_allowed():
    cm = by_id()["non-root"]
    df = parse_dockerfile("FROM python:3.12-slim\nCOPY . /app\nCMD [\"python\", \"/app/x.py\"]\n")
    ctx = Context(options={"allow_unsafe": False})
    assert cm.transform(df, ctx) is df
    assert ctx.skips and "unsafe" in ctx.skips[0].reason


# --- behaviour details --------------------------------------------------------------------------


def test_user_created_from_env_variables_is_reused():
    src = (
        "FROM alpine:3.19\n"
        "ENV USER=svc UID=1500\n"
        'RUN addgroup -g $UID "$USER" && adduser -D -u "$UID" -G "$USER" "$USER"\n'
        "WORKDIR /srv\n"
        "CMD [\"/usr/local/bin/svc\"]\n"
    )
    r = _run(src)
    assert r.changed, r.skips
    assert "USER svc\n" in r.output or "USER 1500:" in r.output
    assert "addgroup -S" not in r.output  # no second user


def test_user_after_user_root_that_follows_a_non_root_user():
    src = (
        "FROM node:20\n"
        "USER node\n"
        "WORKDIR /home/node/app\n"
        "USER root\n"
        "RUN mkdir -p /home/node/app/cache\n"
        "CMD [\"node\", \"index.js\"]\n"
    )
    r = _run(src)
    assert r.changed, r.skips
    out = r.output.splitlines()
    # the chown of the folder RUN made runs as root, then the user is switched
    i = out.index("RUN mkdir -p /home/node/app/cache")
    assert out[i + 1].startswith("RUN chown -R node ") and out[i + 2] == "USER 1000:1000"  # numeric (DL3066)


def test_cmd_that_writes_under_etc_is_declined():
    src = "FROM debian:bookworm-slim\nCMD sh -c 'envsubst < /t > /etc/app.conf && exec app'\n"
    r = _run(src)
    assert not r.changed and any("/etc/app.conf" in s.reason for s in r.skips)


def test_env_port_below_1024_is_declined():
    src = "FROM python:3.12-slim\nENV PORT=80\nCOPY . /app\nCMD [\"python\", \"/app/x.py\"]\n"
    r = _run(src)
    assert not r.changed and any("PORT=80" in s.reason for s in r.skips)


def test_devcontainer_path_is_declined(tmp_path):
    d = tmp_path / ".devcontainer"
    d.mkdir()
    src = "FROM python:3.12\nCOPY . /w\nCMD [\"sleep\", \"infinity\"]\n"
    r = refactor_text(src, d / "Dockerfile", d, SEL)
    assert not r.changed and any("development container" in s.reason for s in r.skips)


def test_new_text_follows_the_file_style():
    src = "from python:3.12-slim\r\nworkdir /app\r\ncopy . .\r\ncmd [\"python\", \"app.py\"]\r\n"
    r = _run(src)
    assert r.changed
    assert "\nrun groupadd" in r.output and "\nuser 10001:10001\r\n" in r.output
    assert "\n" not in r.output.replace("\r\n", "")
    trailing = (
        "FROM debian:bookworm-slim\nRUN apt-get update && \\\n\tapt-get install -y curl\n"
        "WORKDIR /app\nCOPY . .\nCMD [\"./run\"]\n"
    )
    out = _run(trailing).output
    assert "groupadd --system --gid 10001 app && \\\n\tuseradd" in out


# --- baseimages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ref,registry,path,tag,digest",
    [
        ("node", None, "node", None, None),
        ("node:20-alpine", None, "node", "20-alpine", None),
        ("docker.io/library/node:20@sha256:abc", "docker.io", "library/node", "20", "sha256:abc"),
        ("localhost:5000/team/app:1.2", "localhost:5000", "team/app", "1.2", None),
        ("gcr.io/distroless/static-debian12:nonroot", "gcr.io", "distroless/static-debian12", "nonroot", None),
        ("registry.access.redhat.com/ubi9/ubi-minimal@sha256:ff", "registry.access.redhat.com", "ubi9/ubi-minimal", None, "sha256:ff"),
        ("${REGISTRY}/app:${TAG}", None, "${REGISTRY}/app", "${TAG}", None),
        ("node:${V:-20}", None, "node", "${V:-20}", None),
    ],
)
def test_parse_image(ref, registry, path, tag, digest):
    r = parse_image(ref)
    assert (r.registry, r.path, r.tag, r.digest) == (registry, path, tag, digest)


def test_image_refs_normalize():
    r = parse_image("docker.io/library/python:3.12")
    assert r.repository == "python" and r.familiar == "python" and r.name == "python"
    assert parse_image("scratch").is_scratch
    assert parse_image("$BASE").name_has_variables
    assert parse_image("node:${V}").tag_has_variables and not parse_image("node:${V}").name_has_variables


@pytest.mark.parametrize(
    "ref,family",
    [
        ("python:3.12-slim", Family.DEBIAN),
        ("python:3.12-alpine", Family.ALPINE),
        ("node:20", Family.DEBIAN),
        ("node:20-alpine3.19", Family.ALPINE),
        ("ubuntu:24.04", Family.DEBIAN),
        ("alpine", Family.ALPINE),
        ("busybox:1.36", Family.ALPINE),
        ("centos:7", Family.RHEL),
        ("fedora:40", Family.RHEL),
        ("rockylinux:9", Family.RHEL),
        ("registry.access.redhat.com/ubi9/ubi", Family.RHEL),
        ("registry.access.redhat.com/ubi9/ubi-minimal", Family.RHEL_MINIMAL),
        ("redhat/ubi10-minimal", Family.RHEL_MINIMAL),
        ("amazonlinux:2023", Family.RHEL_MINIMAL),
        ("eclipse-temurin:21-jre-ubi9-minimal", Family.RHEL_MINIMAL),
        ("eclipse-temurin:21-jre-alpine", Family.ALPINE),
        ("openjdk:17", Family.RHEL_MINIMAL),
        ("openjdk:17-jdk-slim", Family.DEBIAN),
        ("gcr.io/distroless/base-debian12", Family.DISTROLESS),
        ("mcr.microsoft.com/dotnet/aspnet:8.0-jammy-chiseled", Family.DISTROLESS),
        ("scratch", Family.SCRATCH),
        ("mcr.microsoft.com/windows/servercore:ltsc2022", Family.WINDOWS),
        ("golang:1.22-windowsservercore-ltsc2022", Family.WINDOWS),
        ("registry.example.com/base:1", Family.UNKNOWN),
        ("$BASE", Family.UNKNOWN),
        ("node:${TAG}", Family.UNKNOWN),
        ("ruby:${V}-slim-bookworm", Family.DEBIAN),
        ("ruby:${V}-alpine", Family.ALPINE),
    ],
)
def test_family_of_image(ref, family):
    assert si.family(ref) is family


def test_family_of_stage_follows_stages_and_package_managers():
    df = parse_dockerfile(
        "FROM registry.internal/base:3 AS base\nRUN apk add --no-cache curl\n"
        "FROM base AS app\nCMD [\"x\"]\n"
        "FROM python:3.12\nRUN apk add x\n"
        "ARG IMG=python:3.12\nFROM $IMG\nRUN apt-get update\n"
    )
    base, app, conflicting, templated = df.stages
    assert si.family(base, df) is Family.ALPINE
    assert si.family(app, df) is Family.ALPINE  # inherits `base`
    assert si.family(conflicting, df) is Family.UNKNOWN  # debian image, apk: disagree
    assert si.family(templated, df) is Family.UNKNOWN  # `FROM $IMG`
    assert [s.index for s in si.stage_chain(df, app)] == [1, 0]
    assert str(si.root_image(df, app)) == "registry.internal/base:3"


def test_package_manager_family():
    assert bi.package_manager_family(["apt-get", "rm"]) is Family.DEBIAN
    assert bi.package_manager_family(["apk"]) is Family.ALPINE
    assert bi.package_manager_family(["microdnf"]) is Family.RHEL_MINIMAL
    assert bi.package_manager_family(["dnf", "microdnf"]) is Family.RHEL
    assert bi.package_manager_family(["apt-get", "apk"]) is Family.UNKNOWN
    assert bi.package_manager_family(["echo"]) is None


def test_existing_users_and_privilege_dropping_images():
    assert bi.existing_user("node:20-alpine") == bi.User("node", 1000, 1000)
    assert bi.existing_user("gcr.io/distroless/static-debian12").numeric == "65532:65532"
    assert bi.existing_user("mcr.microsoft.com/dotnet/aspnet:8.0").numeric == "1654:1654"
    assert bi.existing_user("mcr.microsoft.com/dotnet/aspnet:6.0") is None
    assert bi.existing_user("python:3.12") is None
    for ref in ("nginx:1.27", "postgres:16", "redis", "httpd:2.4", "mysql:8", "mariadb", "mongo:7",
                "rabbitmq:3-management", "elasticsearch:8.14.0", "php:8.3-apache", "php:8.3-fpm-alpine",
                "lscr.io/linuxserver/sonarr"):
        assert bi.drops_privileges(ref), ref
    for ref in ("python:3.12", "php:8.3-cli", "node:20", "debian"):
        assert not bi.drops_privileges(ref), ref
    assert bi.privileged_port("nginx") == 80 and bi.privileged_port("node:20") is None
    assert bi.default_user("gcr.io/distroless/static-debian12:nonroot") == "65532"
    assert bi.runs_as_non_root("gcr.io/distroless/static:nonroot")
    assert not bi.runs_as_non_root("python:3.12")
    for u in ("root", "0", "0:0", "root:root", "root:staff"):
        assert bi.is_root_user(u)
    for u in ("app", "1000", "1000:0", "$UID"):
        assert not bi.is_root_user(u)


def test_expand_from():
    assert si.expand_from("node:${V:-20}-alpine", {}) == "node:20-alpine"
    assert si.expand_from("$REG/app:${T}", {"REG": "r.io", "T": "1"}) == "r.io/app:1"
    assert si.expand_from("${BASE}", {}) == "${BASE}"


# --- the real corpus ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def results():
    require_shared_corpus()
    files = real_corpus()
    # An empty context: the real build contexts are unknown (start scripts cannot be read).
    return [(p, refactor_text(read_text_exact(p), p, Path("/nonexistent-context"), SEL)) for p in files]


def test_corpus_no_errors_and_a_share_changes(results):
    assert [r.error for _, r in results if r.error] == []
    assert not [s for _, r in results for s in r.skips if "internal" in s.reason]
    changed = sum(r.changed for _, r in results)
    assert changed >= 60, changed
    for _, r in results:
        if r.changed:
            assert r.edits and all(e.safety is Safety.UNSAFE for e in r.edits)


def test_corpus_outputs_parse_with_buildkit(results):
    for p, r in results:
        if r.changed:
            assert not isinstance(oracle_commands(r.output), tuple), p.name
            assert parse_dockerfile(r.output).code == r.output


def test_corpus_comments_kept(results):
    for p, r in results:
        if r.changed:
            before = collections.Counter(l.strip() for l in r.original.splitlines() if l.strip().startswith("#"))
            after = collections.Counter(l.strip() for l in r.output.splitlines() if l.strip().startswith("#"))
            assert not (before - after), p.name


def test_corpus_second_run_changes_nothing(results):
    for p, r in results:
        if r.changed:
            again = refactor_text(r.output, p, Path("/nonexistent-context"), SEL)
            assert again.output == r.output and not again.edits, p.name


def test_corpus_final_stage_ends_non_root(results):
    for p, r in results:
        if r.changed:
            final = parse_dockerfile(r.output).stages[-1]
            users = [i.value[0] for i in final.instructions if i.cmd == "USER"]
            assert users and not bi.is_root_user(users[-1]), p.name


def test_corpus_no_user_name_in_scratch_or_distroless(results):
    """A USER we add to a scratch or distroless stage is numeric: such images have no
    /etc/passwd (scratch) or only root/nobody/nonroot (distroless)."""
    for p, r in results:
        if not r.changed:
            continue
        before = parse_dockerfile(r.original)
        after = parse_dockerfile(r.output)
        for stage_b, stage_a in zip(before.stages, after.stages):
            fam = si.family(stage_a, after)
            if fam not in (Family.SCRATCH, Family.DISTROLESS):
                continue
            old = {i.value[0] for i in stage_b.instructions if i.cmd == "USER" and i.value}
            for inst in stage_a.instructions:
                if inst.cmd == "USER" and inst.value and inst.value[0] not in old:
                    assert re.fullmatch(r"\d+(:\d+)?", inst.value[0]), (p.name, inst.value[0])


def _hadolint(*batches: list[Path]) -> list[dict[str, collections.Counter]]:
    """hadolint over each batch of files, the batches side by side (one process each)."""
    exe = shutil.which("hadolint") or str(ROOT / ".venv" / "bin" / "hadolint")
    if shutil.which(exe) is None:
        pytest.skip("hadolint not installed")
    procs = [
        subprocess.Popen([exe, "--no-fail", "--format", "json", *map(str, paths)],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for paths in batches
    ]
    results = []
    for proc in procs:
        stdout, _ = proc.communicate(timeout=900)  # generous: CI machines are shared
        per_file: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        for item in json.loads(stdout or "[]"):
            per_file[Path(item["file"]).name][item["code"]] += 1
        results.append(per_file)
    return results


def test_corpus_hadolint_dl3002_gone_and_nothing_new(results, tmp_path):
    """One hadolint run over all inputs and one over all outputs, side by side (~15 s)."""
    outs = []
    for p, r in results:
        q = tmp_path / p.name
        q.write_bytes(r.output.encode("utf-8"))
        outs.append(q)
    before, after = _hadolint([p for p, _ in results], outs)
    for p, r in results:
        b, a = before[p.name], after[p.name]
        assert a["DL3002"] <= b["DL3002"], p.name
        if r.changed:
            assert a["DL3002"] == 0, p.name
            # the new lines bring no new rule, except hadolint's informational one about
            # consecutive RUNs (DL3059); never a USER by name (DL3066)
            assert set(a) - set(b) <= {"DL3059"}, (p.name, set(a) - set(b))
    total_before = sum(c["DL3002"] for c in before.values())
    total_after = sum(c["DL3002"] for c in after.values())
    # The corpus's four DL3002 files are all declined on purpose now (php's own entrypoint, a
    # devcontainer, EXPOSE 80, an explicit `USER root` set while already root): none may get worse.
    assert total_after <= total_before, (total_before, total_after)


def test_a_dockerfile_under_a_test_folder_keeps_its_user(tmp_path):
    """Images a project builds for its own tests (kamal's test/integration/docker/*): the tests may
    assert the user they run as, so non-root leaves them; counted inside the repository only."""
    from refactor.codemods.non_root.image_kind import test_folder

    repo = tmp_path / "tests" / "repo"  # a test-named folder ABOVE the repository does not count
    (repo / ".git").mkdir(parents=True)
    app = repo / "test" / "integration" / "app"
    app.mkdir(parents=True)
    text = "FROM debian:12\nWORKDIR /app\nCOPY . .\nCMD [\"./server\"]\n"
    (app / "Dockerfile").write_text(text)
    (app / "server").write_text("#!/bin/sh\n")
    assert test_folder(app / "Dockerfile") == "test"
    result = refactor_text(text, path=app / "Dockerfile", selection=make_selection(select=["non-root"]))
    assert result.output == text
    assert any("under `test/`, test infrastructure" in s.reason for s in result.skips)
    other = repo / "services" / "app"
    other.mkdir(parents=True)
    (other / "Dockerfile").write_text(text)
    (other / "server").write_text("#!/bin/sh\n")
    assert test_folder(other / "Dockerfile") is None
    # a Dockerfile that links into a test folder is read where it leads
    (other / "linked").mkdir()
    (other / "linked" / "Dockerfile").symlink_to(app / "Dockerfile")
    assert test_folder(other / "linked" / "Dockerfile") == "test"
    assert test_folder(app / "linked-up" / ".." / "Dockerfile") == "test"
    result = refactor_text(text, path=other / "Dockerfile", selection=make_selection(select=["non-root"]))
    assert "USER 10001:10001" in result.output


def test_step_variables_read_as_the_dict_assigned_in_turn_would():
    import random

    from refactor.knowledge.step_env import StepEnv as Env

    rng = random.Random(11)
    for _ in range(20):
        env, expected, snapshots = Env(), {}, []
        for _ in range(rng.randrange(1, 120)):  # past the 32 levels where the chain is gathered
            values = {f"V{rng.randrange(40)}": str(rng.random()) for _ in range(rng.randrange(0, 4))}
            env = env.with_values(values)
            expected = {**expected}
            for k, v in values.items():
                expected[k] = v
            snapshots.append((env, dict(expected)))
        for got, want in snapshots:
            assert dict(got) == want and list(got) == list(want) and len(got) == len(want)
            assert all(got.get(k) == want.get(k) for k in [*want, "MISSING"])


@pytest.mark.parametrize("text", [
    "-v /var/run/docker.sock:/var/run/docker.sock", "ENV DOCKER_HOST=unix:///x",
    "# -v /proc:/host/proc:ro", "--path.procfs=/proc", "ENV HOST_SYS=/sys",
    "-v /var/lib/docker:/var/lib/docker:ro", "-v /:/rootfs:ro",
    "# docker run --privileged x", "--cap-add=NET_ADMIN", "--cap-add NET_ADMIN", "--network=host", "--net host",
    "--pid=host", "--device /dev/fuse", "--device=/dev/net/tun", "# mounts /dev/net/tun",
    "# docker run -v $PWD:/root/app", "--volume=./data:/root",
])
def test_every_text_sign_is_found_past_its_prefilter(text):
    """text_needs_root searches a sign's pattern only in a text holding one of its literals: each
    alternative of each pattern holds one (an example per alternative), and the reason is found."""
    from refactor.codemods.non_root import root_signs

    reasons = [why for needles, pattern, why in root_signs._TEXT_SIGNS if pattern.search(text)]
    assert reasons, text
    assert root_signs.text_needs_root(f"FROM x\n{text}\nCMD y\n") == reasons[0]


def test_the_repository_top_of_a_folder_is_kept_per_folder_for_a_run(tmp_path):
    """git_top asks each folder once while a run keeps its reads: Dockerfiles that share parent
    folders get their own repository's top (or none), as without the kept reads."""
    from refactor.knowledge.context import git_top, repository_reads_kept

    (tmp_path / "a" / ".git").mkdir(parents=True)
    (tmp_path / "a" / "x" / "y").mkdir(parents=True)
    (tmp_path / "a" / "x" / "nested" / ".git").mkdir(parents=True)
    (tmp_path / "b" / "z").mkdir(parents=True)
    asks = [tmp_path / "a" / "x" / "y", tmp_path / "a" / "x", tmp_path / "a" / "x" / "nested", tmp_path / "b" / "z",
            tmp_path / "a"]
    expected = [tmp_path / "a", tmp_path / "a", tmp_path / "a" / "x" / "nested", None, tmp_path / "a"]
    assert [git_top(f) for f in asks] == expected
    with repository_reads_kept():
        assert [git_top(f) for f in asks] == expected
        assert [git_top(f) for f in reversed(asks)] == expected[::-1]

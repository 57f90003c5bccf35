"""What dockwright knows about base images: how to read an image reference, which OS family an
image (or a build stage) belongs to, which users it already has, and which images manage their
runtime identity themselves.

    from refactor.knowledge.baseimages import parse_image, image_family, existing_user, drops_privileges
    ref = parse_image("docker.io/library/node:20-alpine@sha256:...")
    ref.name, ref.tag, ref.digest          # ('node', '20-alpine', 'sha256:...')
    image_family(ref)                      # Family.ALPINE
    existing_user(ref)                     # User(name='node', uid=1000, gid=1000)
    drops_privileges("postgres:16")        # True: its entrypoint starts as root and steps down

A build stage's family (following `FROM <stage>` and the package managers its RUN steps use)
is refactor.knowledge.stage_images.family(stage, df).

Everything here is a pure function of text: no registry is ever asked. The knowledge is a small
set of tables (official images and the few vendor images Dockerfiles commonly start from); an
image the tables do not know is `Family.UNKNOWN`, and callers are expected to decline rather
than guess. Sources: the Dockerfiles of the docker-library official images, of
GoogleContainerTools/distroless, dotnet/dotnet-docker and the Red Hat UBI documentation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

from refactor.syntax.lazy_re import lazy

if TYPE_CHECKING:
    pass

__all__ = [
    "ImageRef",
    "Family",
    "User",
    "parse_image",
    "image_family",
    "valid_reference",
    "package_manager_family",
    "existing_user",
    "default_user",
    "runs_as_non_root",
    "drops_privileges",
    "privileged_port",
    "needs_user_tools",
    "is_root_user",
    "DOCKER_HUB",
]

DOCKER_HUB = "docker.io"
_VAR = re.compile(r"\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*)")


# --- image references ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ImageRef:
    """A parsed image reference (`[registry/]path[:tag][@digest]`), docker's own grammar:
    the first path component is a registry when it contains a `.` or a `:` or is `localhost`.

    `path` is the repository path as written, without the registry (`library/node` stays
    `library/node`; `repository` drops the implied `library/` of Docker Hub)."""

    raw: str
    registry: str | None
    path: str
    tag: str | None
    digest: str | None

    @property
    def domain(self) -> str:
        """The registry, Docker Hub when none is written."""
        return self.registry or DOCKER_HUB

    @property
    def repository(self) -> str:
        """The path with Docker Hub's implied `library/` removed: `node`, `bitnami/redis`."""
        if self.domain in (DOCKER_HUB, "index.docker.io", "registry-1.docker.io"):
            if self.path.startswith("library/"):
                return self.path[len("library/") :]
        return self.path

    @property
    def name(self) -> str:
        """The last path component: `node` for `docker.io/library/node:20`."""
        return self.path.rsplit("/", 1)[-1]

    @property
    def familiar(self) -> str:
        """How people write it: `node`, `gcr.io/distroless/static-debian12`."""
        if self.domain in (DOCKER_HUB, "index.docker.io", "registry-1.docker.io"):
            return self.repository
        return f"{self.domain}/{self.path}"

    @property
    def is_scratch(self) -> bool:
        return self.registry is None and self.path.lower() == "scratch"

    @property
    def has_variables(self) -> bool:
        """True when any part still holds an unexpanded `$VAR` / `${VAR}`."""
        return bool(_VAR.search(self.raw))

    @property
    def name_has_variables(self) -> bool:
        return bool(_VAR.search((self.registry or "") + "/" + self.path))

    @property
    def tag_has_variables(self) -> bool:
        return bool(self.tag and _VAR.search(self.tag))

    def __str__(self) -> str:
        return self.raw


@lru_cache(maxsize=1024)  # a pure function of a short string, asked per stage by several codemods
def parse_image(ref: str) -> ImageRef:
    """Split an image reference into registry, path, tag and digest. Never raises: a reference
    docker would reject still comes back split as well as it can be (callers check
    `family(...)`, which is UNKNOWN for anything odd). Variables (`$BASE`, `node:${V}`) are kept
    as written; see `expand_from` to substitute a file's ARG defaults first."""
    raw = ref.strip()
    rest = raw
    digest = None
    if "@" in rest:
        rest, digest = rest.split("@", 1)
    registry = None
    first, sep, remainder = rest.partition("/")
    if sep and ("." in first or ":" in first or first == "localhost") and not _VAR.fullmatch(first):
        registry, rest = first, remainder
    elif sep and _VAR.search(first) and ("." in first or ":" in first):
        registry, rest = first, remainder
    tag = None
    # the tag follows the last ':' after the last '/', not counting those inside `${...}`
    slash = colon = -1
    depth = 0
    for i, ch in enumerate(rest):
        if ch == "{" and i and rest[i - 1] == "$":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif depth == 0 and ch == "/":
            slash = i
        elif depth == 0 and ch == ":":
            colon = i
    if colon > slash:
        rest, tag = rest[:colon], rest[colon + 1 :]
    return ImageRef(raw, registry, rest, tag, digest)


def _as_ref(ref: str | ImageRef) -> ImageRef:
    return ref if isinstance(ref, ImageRef) else parse_image(ref)


# --- families -----------------------------------------------------------------------------------


class Family(str, Enum):
    """The OS family of an image, which decides how a user is created in it."""

    DEBIAN = "debian"  # debian, ubuntu and the images built on them: apt-get; shadow's useradd
    ALPINE = "alpine"  # alpine, busybox: apk; busybox addgroup/adduser
    RHEL = "rhel"  # ubi, centos, fedora, rocky, alma, oracle linux: dnf/yum; shadow-utils
    # ubi-minimal/micro, oraclelinux-slim, amazonlinux, azurelinux: microdnf/dnf/tdnf, and no
    # shadow-utils (no useradd) unless a RUN step installs it
    RHEL_MINIMAL = "rhel-minimal"
    SCRATCH = "scratch"  # nothing at all: no shell, no /etc/passwd
    DISTROLESS = "distroless"  # no shell, no package manager; /etc/passwd has nonroot (65532)
    WINDOWS = "windows"
    UNKNOWN = "unknown"

    @property
    def has_shell(self) -> bool:
        return self in (Family.DEBIAN, Family.ALPINE, Family.RHEL, Family.RHEL_MINIMAL)

    @property
    def user_tools(self) -> str | None:
        """`shadow` (groupadd/useradd), `busybox` (addgroup/adduser) or None (none by default)."""
        if self in (Family.DEBIAN, Family.RHEL):
            return "shadow"
        if self is Family.ALPINE:
            return "busybox"
        return None


# Images whose OS does not depend on the tag.
_FIXED_FAMILY: dict[str, Family] = {
    "debian": Family.DEBIAN,
    "ubuntu": Family.DEBIAN,
    "buildpack-deps": Family.DEBIAN,
    "neurodebian": Family.DEBIAN,
    "alpine": Family.ALPINE,
    "busybox": Family.ALPINE,
    "centos": Family.RHEL,
    "quay.io/centos/centos": Family.RHEL,
    "fedora": Family.RHEL,
    "rockylinux": Family.RHEL,
    "rockylinux/rockylinux": Family.RHEL,
    "almalinux": Family.RHEL,
    "amazonlinux": Family.RHEL_MINIMAL,
    "public.ecr.aws/amazonlinux/amazonlinux": Family.RHEL_MINIMAL,
    "mcr.microsoft.com/cbl-mariner/base/core": Family.RHEL_MINIMAL,
    "mcr.microsoft.com/azurelinux/base/core": Family.RHEL_MINIMAL,
    "scratch": Family.SCRATCH,
}

# Official images published in Debian/Ubuntu-based variants by default, with `-alpine` (and
# sometimes Windows, UBI...) variants selected by the tag.
_DEBIAN_BY_DEFAULT = frozenset(
    """python node ruby golang rust php perl gcc openjdk eclipse-temurin maven gradle tomcat
    jetty elixir erlang haskell julia r-base swift clojure groovy pypy ibmjava sapmachine
    ibm-semeru-runtimes composer oven/bun denoland/deno continuumio/miniconda3
    continuumio/anaconda3 mambaorg/micromamba tiangolo/uvicorn-gunicorn
    tiangolo/uvicorn-gunicorn-fastapi tiangolo/uwsgi-nginx tiangolo/uwsgi-nginx-flask
    tiangolo/meinheld-gunicorn ghcr.io/astral-sh/uv mcr.microsoft.com/dotnet/sdk
    mcr.microsoft.com/dotnet/aspnet mcr.microsoft.com/dotnet/runtime
    mcr.microsoft.com/dotnet/runtime-deps mcr.microsoft.com/dotnet/core/sdk
    mcr.microsoft.com/dotnet/core/aspnet mcr.microsoft.com/dotnet/core/runtime
    mcr.microsoft.com/dotnet/core/runtime-deps microsoft/dotnet microsoft/aspnetcore
    mcr.microsoft.com/playwright mcr.microsoft.com/devcontainers/base
    mcr.microsoft.com/devcontainers/python mcr.microsoft.com/devcontainers/javascript-node
    mcr.microsoft.com/devcontainers/typescript-node mcr.microsoft.com/devcontainers/go
    mcr.microsoft.com/devcontainers/rust mcr.microsoft.com/devcontainers/universal
    mcr.microsoft.com/devcontainers/cpp mcr.microsoft.com/devcontainers/java
    mcr.microsoft.com/devcontainers/dotnet mcr.microsoft.com/devcontainers/ruby
    nvidia/cuda selenium/standalone-chrome jenkins/jenkins jenkins/inbound-agent
    nginx httpd postgres redis mysql mariadb mongo rabbitmq memcached wordpress ghost
    nextcloud drupal joomla odoo haproxy traefik caddy cassandra couchdb neo4j influxdb
    zookeeper solr sonarqube kibana logstash elasticsearch phpmyadmin adminer matomo
    mediawiki redmine eclipse-mosquitto
    """.split()
)

# What docker accepts as a reference (variables substituted first): no braces, quotes, blanks.
_VALID_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:@+-]*")
_ALPINE_TAG = re.compile(r"(?:^|[-_.])alpine", re.I)
_WINDOWS_TAG = re.compile(r"windowsservercore|nanoserver|ltsc20|servercore|windows", re.I)
_UBI_MINIMAL_TAG = re.compile(r"ubi\d*-minimal|ubi\d*-micro|oraclelinux\d*-slim|-slim-oraclelinux", re.I)
_RHEL_TAG = re.compile(r"(?:^|-)(?:ubi\d*|rockylinux\d*|almalinux\d*|oraclelinux\d*|centos\d*|fedora)", re.I)
_AMAZON_TAG = re.compile(r"amazoncorretto|al2023|(?:^|-)al2(?:$|-)", re.I)
_AZURE_TAG = re.compile(r"azurelinux|cbl-mariner", re.I)
_DEBIAN_TAG = lazy(
    r"slim|bookworm|bullseye|buster|stretch|jessie|trixie|sid|focal|jammy|noble|bionic|xenial", re.I
)


def valid_reference(ref: str | ImageRef) -> bool:
    """Whether docker could accept the reference once its variables are substituted (a template
    such as `php:{{ version }}-alpine` cannot)."""
    return bool(_VALID_REF.fullmatch(_VAR.sub("x", _as_ref(ref).raw)))


def image_family(ref: str | ImageRef) -> Family:
    """The family of an image from its reference alone (no stage context, no RUN steps).
    UNKNOWN when the name is not in the tables, when the name is templated (`$BASE`), or when
    the family depends on a templated tag (`node:${VERSION}`: alpine or debian?)."""
    r = _as_ref(ref)
    if r.is_scratch:
        return Family.SCRATCH
    if r.name_has_variables or not r.path or not _VALID_REF.fullmatch(_VAR.sub("x", r.raw)):
        return Family.UNKNOWN  # a template (`php:{{ version }}`) or no image reference at all
    name = r.familiar.lower()
    tag = (r.tag or "").lower()
    # the literal part of a templated tag still says something (`3.2-slim-${DISTRO}`)
    literal_tag = _VAR.sub("\x00", tag)

    if name.startswith(("mcr.microsoft.com/windows", "microsoft/windowsservercore", "microsoft/nanoserver")):
        return Family.WINDOWS
    if name.startswith("mcr.microsoft.com/dotnet/framework") or "mssql-server-windows" in name:
        return Family.WINDOWS
    if _WINDOWS_TAG.search(literal_tag):
        return Family.WINDOWS
    if name.startswith("gcr.io/distroless/") or name.startswith("cgr.dev/chainguard/static"):
        return Family.DISTROLESS
    if name.startswith(("registry.access.redhat.com/", "registry.redhat.io/", "redhat/")):
        leaf = r.path.lower()
        if "minimal" in leaf or "micro" in leaf:
            return Family.RHEL_MINIMAL
        if "ubi" in leaf:
            return Family.RHEL
        return Family.UNKNOWN
    if name in ("oraclelinux", "container-registry.oracle.com/os/oraclelinux"):
        return Family.RHEL_MINIMAL if "slim" in literal_tag else Family.RHEL
    if name.startswith("mcr.microsoft.com/dotnet/") and "chiseled" in literal_tag:
        return Family.DISTROLESS
    fixed = _FIXED_FAMILY.get(name)
    if fixed is not None:
        return fixed
    if name in ("amazoncorretto", "public.ecr.aws/amazoncorretto/amazoncorretto"):
        return Family.ALPINE if _ALPINE_TAG.search(literal_tag) else Family.RHEL_MINIMAL
    if name not in _DEBIAN_BY_DEFAULT:
        return Family.UNKNOWN
    # a tag-selected variant of a Debian-by-default image
    if _ALPINE_TAG.search(literal_tag):
        return Family.ALPINE
    if _UBI_MINIMAL_TAG.search(literal_tag) or _AZURE_TAG.search(literal_tag):
        return Family.RHEL_MINIMAL
    if _AMAZON_TAG.search(literal_tag):
        return Family.RHEL_MINIMAL
    if _RHEL_TAG.search(literal_tag):
        return Family.RHEL
    if name == "openjdk" and not _DEBIAN_TAG.search(literal_tag):
        # openjdk:12 and later (the non-slim tags) are Oracle Linux slim, with microdnf
        m = re.match(r"(\d+)", literal_tag)
        if m and int(m.group(1)) >= 12:
            return Family.RHEL_MINIMAL
        if m is None and literal_tag not in ("", "latest"):
            return Family.UNKNOWN
        if literal_tag in ("", "latest"):
            return Family.RHEL_MINIMAL
    if name == "maven" and "openjdk" in literal_tag:
        return Family.RHEL_MINIMAL
    if "\x00" in literal_tag and not _DEBIAN_TAG.search(literal_tag):
        return Family.UNKNOWN  # `node:${TAG}`: could be an alpine tag
    return Family.DEBIAN


# --- package managers ---------------------------------------------------------------------------

_PM_FAMILY: dict[str, Family] = {
    "apt-get": Family.DEBIAN,
    "apt": Family.DEBIAN,
    "dpkg": Family.DEBIAN,
    "apk": Family.ALPINE,
    "yum": Family.RHEL,
    "dnf": Family.RHEL,
    "microdnf": Family.RHEL_MINIMAL,
    "tdnf": Family.RHEL_MINIMAL,
}


def package_manager_family(names: Iterable[str]) -> Family | None:
    """The family the package managers among `names` (command names a stage runs) point at,
    None when they say nothing, UNKNOWN when they disagree (apt-get and apk in one stage)."""
    found: set[Family] = set()
    for n in names:
        f = _PM_FAMILY.get(n.rsplit("/", 1)[-1])
        if f is not None:
            found.add(f)
    if not found:
        return None
    if found <= {Family.RHEL, Family.RHEL_MINIMAL}:
        return Family.RHEL_MINIMAL if Family.RHEL_MINIMAL in found and Family.RHEL not in found else Family.RHEL
    if len(found) == 1:
        return next(iter(found))
    return Family.UNKNOWN


# --- users --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class User:
    """A user that exists in an image: `uid`/`gid` are None when not known."""

    name: str
    uid: int | None
    gid: int | None
    group: str | None = None  # the primary group's name, when it differs from `name`

    @property
    def group_name(self) -> str:
        return self.group or self.name

    @property
    def numeric(self) -> str | None:
        """`uid:gid`, for USER lines Kubernetes' runAsNonRoot can verify."""
        if self.uid is None:
            return None
        return f"{self.uid}:{self.gid if self.gid is not None else self.uid}"


NONROOT = User("nonroot", 65532, 65532)

# name -> (user, minimal major version of the tag, when the user appeared)
_EXISTING: dict[str, User] = {
    "node": User("node", 1000, 1000),
    "oven/bun": User("bun", 1000, 1000),
    "denoland/deno": User("deno", 1993, 1993),
    "gradle": User("gradle", 1000, 1000),
    "jenkins/jenkins": User("jenkins", 1000, 1000),
    "jenkins/inbound-agent": User("jenkins", 1000, 1000),
    "mambaorg/micromamba": User("mambauser", 57439, 57439),
}
# Playwright creates `pwuser` with a plain `adduser`: 1000 on focal/jammy, 1001 on noble and
# later, whose base already has `ubuntu` (1000); unknown for tags that name no release.
_PLAYWRIGHT = {"focal": 1000, "jammy": 1000, "noble": 1001}
_DOTNET_APP = User("app", 1654, 1654)
_DEVCONTAINER = User("vscode", 1000, 1000)


def _major(tag: str) -> int | None:
    m = re.match(r"(\d+)", tag)
    return int(m.group(1)) if m else None


def existing_user(ref: str | ImageRef) -> User | None:
    """A non-root user the image already has (a reuse candidate), or None.

    node -> node (1000), oven/bun -> bun, distroless -> nonroot (65532), .NET 8+ -> app (1654),
    gradle -> gradle, devcontainers -> vscode. Images that merely happen to have a system
    account (`nobody`, `www-data`, ubuntu's `ubuntu`) are not offered: sharing an account with
    other software is what a dedicated user avoids."""
    r = _as_ref(ref)
    if r.name_has_variables:
        return None
    name = r.familiar.lower()
    tag = (r.tag or "").lower()
    if name.startswith("gcr.io/distroless/") or name.startswith("cgr.dev/chainguard/"):
        return NONROOT
    if name.startswith("mcr.microsoft.com/dotnet/") and not name.startswith("mcr.microsoft.com/dotnet/core/"):
        if name.startswith("mcr.microsoft.com/dotnet/framework"):
            return None
        major = _major(tag)
        if major is not None and major >= 8 or tag in ("", "latest"):
            return _DOTNET_APP
        return None
    if name.startswith("mcr.microsoft.com/devcontainers/"):
        return _DEVCONTAINER
    if name.startswith("mcr.microsoft.com/playwright"):
        uid = next((u for release, u in _PLAYWRIGHT.items() if release in tag), None)
        return User("pwuser", uid, uid)
    return _EXISTING.get(name)


def default_user(ref: str | ImageRef) -> str | None:
    """The USER the image's config sets, when known: "root" for the common bases, "65532" for
    distroless `:nonroot` tags, .NET chiseled and Chainguard images, None when unknown."""
    r = _as_ref(ref)
    fam = image_family(r)
    name = r.familiar.lower()
    tag = (r.tag or "").lower()
    if fam is Family.SCRATCH:
        return "root"
    if name.startswith("gcr.io/distroless/"):
        return "65532" if "nonroot" in tag else "root"
    if name.startswith("cgr.dev/chainguard/"):
        return "65532"
    if name.startswith("mcr.microsoft.com/dotnet/") and "chiseled" in tag:
        return "1654"
    if name.startswith("bitnami/") or name.startswith("docker.io/bitnami/"):
        return "1001"
    if name in ("jenkins/jenkins", "jenkins/inbound-agent"):
        return "jenkins"
    if name == "mambaorg/micromamba":
        return "mambauser"
    if name.startswith(("jupyter/", "quay.io/jupyter/")):
        return "1000"
    if name in ("grafana/grafana", "grafana/grafana-oss"):
        return "472"
    if name in ("memcached", "haproxy", "keycloak/keycloak", "quay.io/keycloak/keycloak", "sonarqube", "kibana", "logstash"):
        return name.rsplit("/", 1)[-1]
    if fam is Family.UNKNOWN or fam is Family.WINDOWS:
        return None
    return "root"


def is_root_user(user: str) -> bool:
    """`root`, `0`, `root:root`, `0:0`, `root:anything` (the group does not make it non-root)."""
    u = user.strip().strip('"').strip("'")
    name = u.split(":", 1)[0].strip()
    return name in ("root", "0", "")


def runs_as_non_root(ref: str | ImageRef) -> bool:
    u = default_user(ref)
    return u is not None and not is_root_user(u)


# --- images that manage their own identity ------------------------------------------------------

# Official images whose entrypoint starts as root and then steps down (gosu/su-exec, or a
# master process that binds a port and forks unprivileged workers), or that run their services
# under a supervisor that does: a USER line breaks them.
_DROPS = frozenset(
    """nginx httpd postgres postgis/postgis timescale/timescaledb redis mysql mysql/mysql-server
    mariadb percona mongo rabbitmq elasticsearch cassandra couchdb couchbase neo4j influxdb
    zookeeper solr ghost wordpress joomla drupal nextcloud owncloud matomo mediawiki redmine
    phpmyadmin phpmyadmin/phpmyadmin odoo friendica monica bitnami/nginx gitlab/gitlab-ce
    gitlab/gitlab-ee gitea/gitea gogs/gogs eclipse-mosquitto emqx vault hashicorp/vault
    hashicorp/consul consul varnish squid ubuntu/squid internetsystemsconsortium/bind9
    nginxinc/nginx-unprivileged nginxproxy/nginx-proxy jwilder/nginx-proxy openresty/openresty
    kong tiangolo/uwsgi-nginx tiangolo/uwsgi-nginx-flask tiangolo/nginx-rtmp rails
    clickhouse/clickhouse-server yandex/clickhouse-server registry minio/minio
    webdevops/php-nginx webdevops/php-apache webdevops/php webdevops/base
    """.split()
)
_DROPS_PREFIX = (
    "linuxserver/",
    "lscr.io/linuxserver/",
    "ghcr.io/linuxserver/",
    "webdevops/",
    "docker.elastic.co/elasticsearch/",
    "serversideup/",
    "jlesage/",
)


def drops_privileges(ref: str | ImageRef) -> bool:
    """True for images whose entrypoint handles the runtime user itself (official nginx,
    postgres, redis, httpd, mysql, mariadb, mongo, rabbitmq, elasticsearch..., php's -fpm and
    -apache variants, linuxserver.io's s6 images): a USER line would break them."""
    r = _as_ref(ref)
    if r.name_has_variables:
        return False
    name = r.familiar.lower()
    tag = (r.tag or "").lower()
    if name in _DROPS or name.startswith(_DROPS_PREFIX):
        return True
    if name in ("php", "wordpress") and re.search(r"(?:^|-)(?:fpm|apache)", tag):
        return True
    return False


def privileged_port(ref: str | ImageRef) -> int | None:
    """A port below 1024 the image's default server binds, when known: 80 for httpd/nginx,
    php:*-apache, tiangolo's uvicorn/gunicorn images and the .NET images before 8.0 (which set
    ASPNETCORE_URLS=http://+:80)."""
    r = _as_ref(ref)
    if r.name_has_variables:
        return None
    name = r.familiar.lower()
    tag = (r.tag or "").lower()
    if name in ("nginx", "httpd", "caddy", "traefik", "openresty/openresty") or name.startswith("tiangolo/"):
        return 80
    if name == "php" and "apache" in tag:
        return 80
    if name.startswith(("mcr.microsoft.com/dotnet/", "microsoft/dotnet", "microsoft/aspnetcore")):
        if name.startswith("mcr.microsoft.com/dotnet/framework"):
            return 80
        major = _major(tag)
        if name.startswith(("mcr.microsoft.com/dotnet/core/", "microsoft/")) or (major is not None and major < 8):
            return 80
    return None


def needs_user_tools(fam: Family) -> bool:
    """Whether creating a user in this family needs a package the base does not ship
    (shadow-utils on ubi-minimal, amazonlinux, azurelinux)."""
    return fam is Family.RHEL_MINIMAL

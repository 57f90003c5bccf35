"""What the multi-stage codemod knows about ecosystems, as tables and small pure functions:
which files are dependency manifests, which Debian packages are build-only and which runtime
library each `-dev` package needs, which tools are missing from slim images, which run commands
start development servers, and which slim or minimal image runs what a full image built.

Nothing here reads the disk or a registry; `multi_stage.py` feeds it what the Dockerfile and the
build context say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from refactor.knowledge.baseimages import ImageRef, parse_image

# --- ecosystems and their manifests ---------------------------------------------------------------

FAMILIES = {"python": "python", "node": "node", "golang": "go", "rust": "rust"}

MANIFESTS: dict[str, tuple[str, ...]] = {
    "node": (
        "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
        "pnpm-workspace.yaml", ".npmrc", ".yarnrc", ".yarnrc.yml", ".pnpmfile.cjs",
    ),
    "python": (
        "requirements*.txt", "requirements/*.txt", "requirements/*.in", "requirements*.in",
        "constraints*.txt", "pyproject.toml", "poetry.lock", "poetry.toml", "uv.lock", "Pipfile",
        "Pipfile.lock", ".python-version", "pip.conf",
    ),
    "go": ("go.mod", "go.sum", "go.work", "go.work.sum"),
    "rust": ("Cargo.toml", "Cargo.lock", "rust-toolchain", "rust-toolchain.toml"),
}

# What shows the build context is really there: without one of these, never guess.
CONTEXT_MARKERS: dict[str, tuple[str, ...]] = {
    "node": ("package.json",),
    "python": ("requirements*.txt", "requirements/*.txt", "pyproject.toml", "Pipfile", "setup.py"),
    "go": ("go.mod",),
    "rust": ("Cargo.toml",),
}

# --- base images and the images that run what they built -------------------------------------------

CODENAMES = ("trixie", "bookworm", "bullseye", "buster", "stretch")
DEBIAN_NUMBER = {"trixie": "13", "bookworm": "12", "bullseye": "11", "buster": "10", "stretch": "9"}
# Official golang/rust tags that name no Debian release are built on the current stable one;
# the stand-ins of this project are too. Said in the explanation whenever it is assumed.
DEFAULT_CODENAME = "bookworm"


@dataclass(frozen=True)
class Base:
    """A base image the codemod understands: an official python/node/golang/rust image."""

    ref: ImageRef
    family: str  # python | node | golang | rust
    version: str  # "3.11", "20", "lts", "latest", "" ...
    variants: tuple[str, ...]  # the rest of the tag, split on "-"

    @property
    def alpine(self) -> str | None:
        """"" for a plain `-alpine` tag, "3.19" for `-alpine3.19`, None when not alpine."""
        for v in self.variants:
            if v.startswith("alpine"):
                return v[len("alpine"):]
        return None

    @property
    def libc(self) -> str:
        return "musl" if self.alpine is not None else "glibc"

    @property
    def slim(self) -> bool:
        return "slim" in self.variants

    @property
    def codename(self) -> str | None:
        for v in self.variants:
            if v in CODENAMES:
                return v
        return None

    @property
    def windows(self) -> bool:
        return any(v.startswith(("windowsservercore", "nanoserver", "ltsc")) for v in self.variants)


_VERSIONISH = re.compile(r"^(?:\d[\w.]*|lts|current|latest|stable|iron|hydrogen|jod|krypton)$", re.I)


def parse_base(resolved: str) -> Base | None:
    """The official python/node/golang/rust image `resolved` names (ARG defaults already
    substituted), or None."""
    if "$" in resolved:
        return None
    ref = parse_image(resolved)
    if ref.registry not in (None, "docker.io", "index.docker.io", "registry-1.docker.io"):
        return None
    if ref.repository not in FAMILIES:
        return None
    tag = ref.tag or "latest"
    parts = tag.split("-")
    if _VERSIONISH.match(parts[0]):
        version, variants = parts[0], tuple(parts[1:])
    else:
        version, variants = "", tuple(parts)
    return Base(ref, ref.repository, version, variants)


def image_name(base: Base, tag: str) -> str:
    """`base`'s repository as written (registry prefix included) with another tag."""
    path = base.ref.path
    prefix = (base.ref.registry + "/") if base.ref.registry else ""
    return f"{prefix}{path}:{tag}"


def slim_tag(base: Base) -> str | None:
    """The slim tag of the same family, version and libc: `python:3.11` -> `3.11-slim`,
    `node:20-bookworm` -> `20-bookworm-slim`; the tag itself when it is already slim or
    alpine; None when there is no such tag (windows)."""
    if base.windows:
        return None
    tag = base.ref.tag or "latest"
    if base.slim or base.alpine is not None:
        return tag
    version = base.version
    codename = base.codename
    unknown = [v for v in base.variants if v not in CODENAMES]
    if unknown:
        return None  # `-onbuild`, `-stretch-curl`...: not a shape we know
    if base.family == "python":
        head = "slim" if version in ("", "latest") else f"{version}-slim"
        return f"{head}-{codename}" if codename else head
    if base.family == "node":
        head = "" if version in ("", "latest") else version
        mid = f"{head}-{codename}" if head and codename else (codename or head)
        return f"{mid}-slim" if mid else "slim"
    return None


def debian_runner(base: Base) -> tuple[str, str | None]:
    """A minimal image with the same libc as `base` (golang, rust): `debian:<codename>-slim`,
    or `alpine:<version>`. The second value says what was assumed, if anything."""
    if base.alpine is not None:
        return (f"alpine:{base.alpine}" if base.alpine else "alpine:latest"), None
    if base.codename:
        return f"debian:{base.codename}-slim", None
    return (
        f"debian:{DEFAULT_CODENAME}-slim",
        f"{base.ref.familiar}:{base.ref.tag or 'latest'} names no Debian release; assumed {DEFAULT_CODENAME}",
    )


def distroless_static(base: Base) -> str:
    number = DEBIAN_NUMBER.get(base.codename or DEFAULT_CODENAME, "12")
    if number not in ("11", "12", "13"):
        number = "12"
    return f"gcr.io/distroless/static-debian{number}:nonroot"


def runner_kind(image: str) -> str:
    """How the runner image is built: debian | alpine | distroless | scratch | unknown."""
    ref = parse_image(image)
    name = ref.familiar.lower()
    tag = (ref.tag or "").lower()
    if ref.is_scratch:
        return "scratch"
    if name.startswith(("gcr.io/distroless/", "cgr.dev/chainguard/")):
        return "distroless"
    if "alpine" in tag or name in ("alpine", "busybox"):
        return "alpine"
    if name in ("debian", "ubuntu", "python", "node", "golang", "rust", "buildpack-deps"):
        return "debian"
    return "unknown"


# --- Debian packages --------------------------------------------------------------------------------

# Needed to build, never to run (compilers, headers, fetchers of sources).
BUILD_ONLY_PACKAGES = frozenset(
    """build-essential gcc g++ cpp c++ make cmake ninja-build meson pkg-config pkgconf autoconf
    automake libtool libtool-bin clang llvm lld cargo rustc golang golang-go gfortran bison flex
    m4 patch dpkg-dev swig yasm nasm binutils libc6-dev libc-dev linux-libc-dev musl-dev
    python3-dev python-dev python3-pip python3-venv python3-setuptools python3-wheel
    python-is-python3 git git-lfs subversion mercurial software-properties-common
    apt-transport-https gnupg gnupg2 dirmngr lsb-release unzip xz-utils bzip2 node-gyp
    build-base alpine-sdk linux-headers
    """.split()
)
# Fetchers: build-only unless a run-time command uses them.
FETCHERS = frozenset({"curl", "wget"})

# The runtime library each -dev package's programs link against (Debian bookworm names;
# bullseye differs where listed). An empty list: the library is in every slim image.
DEV_RUNTIME: dict[str, tuple[str, ...]] = {
    "libpq-dev": ("libpq5",),
    "default-libmysqlclient-dev": ("libmariadb3",),
    "libmariadb-dev": ("libmariadb3",),
    "libmariadb-dev-compat": ("libmariadb3",),
    "libmysqlclient-dev": ("libmariadb3",),
    "libxml2-dev": ("libxml2",),
    "libxslt1-dev": ("libxslt1.1",),
    "libxslt-dev": ("libxslt1.1",),
    "libjpeg-dev": ("libjpeg62-turbo",),
    "libjpeg62-turbo-dev": ("libjpeg62-turbo",),
    "libturbojpeg0-dev": ("libturbojpeg0",),
    "libpng-dev": ("libpng16-16",),
    "libwebp-dev": ("libwebp7", "libwebpmux3", "libwebpdemux2"),
    "libtiff-dev": ("libtiff6",),
    "libtiff5-dev": ("libtiff6",),
    "libfreetype6-dev": ("libfreetype6",),
    "libfreetype-dev": ("libfreetype6",),
    "liblcms2-dev": ("liblcms2-2",),
    "libopenjp2-7-dev": ("libopenjp2-7",),
    "zlib1g-dev": (),
    "libssl-dev": ("libssl3",),
    "libffi-dev": ("libffi8",),
    "libbz2-dev": (),
    "liblzma-dev": (),
    "libsqlite3-dev": ("libsqlite3-0",),
    "libreadline-dev": ("libreadline8",),
    "libncurses-dev": ("libncursesw6",),
    "libncurses5-dev": ("libncursesw6",),
    "libncursesw5-dev": ("libncursesw6",),
    "libgdbm-dev": ("libgdbm6",),
    "uuid-dev": (),
    "libcurl4-openssl-dev": ("libcurl4",),
    "libcurl4-gnutls-dev": ("libcurl3-gnutls",),
    "libyaml-dev": ("libyaml-0-2",),
    "libmagic-dev": ("libmagic1",),
    "libgeos-dev": ("libgeos-c1v5",),
    "libgdal-dev": ("libgdal32",),
    "libproj-dev": ("libproj25",),
    "libldap2-dev": ("libldap-2.5-0",),
    "libldap-dev": ("libldap-2.5-0",),
    "libsasl2-dev": ("libsasl2-2",),
    "libkrb5-dev": ("libkrb5-3", "libgssapi-krb5-2"),
    "libevent-dev": ("libevent-2.1-7",),
    "libzmq3-dev": ("libzmq5",),
    "libsnappy-dev": ("libsnappy1v5",),
    "libgmp-dev": ("libgmp10",),
    "libcairo2-dev": ("libcairo2",),
    "libpango1.0-dev": ("libpango-1.0-0", "libpangocairo-1.0-0"),
    "libgif-dev": ("libgif7",),
    "librsvg2-dev": ("librsvg2-2",),
    "libmemcached-dev": ("libmemcached11",),
    "unixodbc-dev": ("unixodbc",),
    "libsodium-dev": ("libsodium23",),
    "libglib2.0-dev": ("libglib2.0-0",),
    "libvips-dev": ("libvips42",),
    "libmagickwand-dev": ("libmagickwand-6.q16-6",),
    "libpcre3-dev": ("libpcre3",),
    "libedit-dev": ("libedit2",),
    "libhdf5-dev": ("libhdf5-103-1",),
    "libblas-dev": ("libblas3",),
    "liblapack-dev": ("liblapack3",),
    "libopenblas-dev": ("libopenblas0",),
    "libgl1-mesa-dev": ("libgl1",),
}
DEV_RUNTIME_BULLSEYE: dict[str, tuple[str, ...]] = {
    "libssl-dev": ("libssl1.1",),
    "libffi-dev": ("libffi7",),
    "libtiff-dev": ("libtiff5",),
    "libtiff5-dev": ("libtiff5",),
    "libwebp-dev": ("libwebp6", "libwebpmux3", "libwebpdemux2"),
    "libgdal-dev": ("libgdal28",),
    "libproj-dev": ("libproj19",),
    "libldap2-dev": ("libldap-2.4-2",),
    "libldap-dev": ("libldap-2.4-2",),
    "libvips-dev": ("libvips42",),
    "libhdf5-dev": ("libhdf5-103-1",),
}

# Python packages built from source against a system library (no manylinux wheel on PyPI):
# the runtime library the compiled module needs even when the Dockerfile never names the -dev
# package (the full python image ships the headers).
PY_NATIVE_RUNTIME: dict[str, tuple[str, ...]] = {
    "psycopg2": ("libpq5",),
    "mysqlclient": ("libmariadb3",),
    "python-ldap": ("libldap-2.5-0", "libsasl2-2"),
    "pycurl": ("libcurl4",),
    "pyodbc": ("unixodbc",),
    "pycairo": ("libcairo2",),
    "pygobject": ("libgirepository-1.0-1",),
}
# Rust crates that link a system library at run time.
RUST_NATIVE_RUNTIME: dict[str, tuple[str, ...]] = {
    "openssl": ("libssl3", "ca-certificates"),
    "openssl-sys": ("libssl3", "ca-certificates"),
    "native-tls": ("libssl3", "ca-certificates"),
    "reqwest": ("libssl3", "ca-certificates"),
    "postgres-openssl": ("libssl3",),
    "pq-sys": ("libpq5",),
    "diesel": ("libpq5",),
    "libsqlite3-sys": ("libsqlite3-0",),
    "rusqlite": ("libsqlite3-0",),
    "mysqlclient-sys": ("libmariadb3",),
}
# The same runtime libraries on Alpine.
DEBIAN_TO_ALPINE: dict[str, str] = {
    "libpq5": "libpq", "libmariadb3": "mariadb-connector-c", "libcurl4": "libcurl", "unixodbc": "unixodbc",
    "libldap-2.5-0": "libldap", "libsasl2-2": "libsasl", "libcairo2": "cairo", "libssl3": "libssl3",
    "ca-certificates": "ca-certificates", "libsqlite3-0": "sqlite-libs", "libgirepository-1.0-1": "gobject-introspection",
}

# Go modules that need cgo.
GO_CGO_MODULES = ("github.com/mattn/go-sqlite3", "github.com/confluentinc/confluent-kafka-go",
                  "gopkg.in/gographics/imagick", "github.com/libgit2/git2go")

# Commands a run-time script may use, the package that brings them, and whether slim Debian
# images already have them.
TOOL_PACKAGES: dict[str, str] = {
    "curl": "curl", "wget": "wget", "nc": "netcat-openbsd", "netcat": "netcat-openbsd",
    "pg_isready": "postgresql-client", "psql": "postgresql-client", "pg_dump": "postgresql-client",
    "mysql": "default-mysql-client", "mysqladmin": "default-mysql-client",
    "redis-cli": "redis-tools", "git": "git", "tini": "tini", "dumb-init": "dumb-init",
    "gosu": "gosu", "jq": "jq", "envsubst": "gettext-base", "ps": "procps", "pkill": "procps",
    "ip": "iproute2", "ping": "iputils-ping", "dig": "dnsutils", "nslookup": "dnsutils",
    "unzip": "unzip", "xz": "xz-utils", "bzip2": "bzip2", "openssl": "openssl", "ssh": "openssh-client",
    "rsync": "rsync", "file": "file", "make": "make", "less": "less", "vim": "vim", "nano": "nano",
}
SLIM_HAS = frozenset(
    """sh bash dash cat cp mv rm ln ls mkdir rmdir chmod chown chgrp touch echo printf test [
    true false env sleep date id whoami hostname grep egrep fgrep sed awk mawk find xargs sort
    uniq head tail cut tr wc tee basename dirname readlink realpath pwd kill nohup timeout
    stat du df tar gzip gunzip zcat mktemp exec set export cd su mount umount uname yes seq
    expr getent useradd groupadd usermod perl nice ionice stdbuf tty stty sync base64 sha256sum
    md5sum cksum od dd
    """.split()
)
# Slim images of a language also have the language.
LANGUAGE_TOOLS: dict[str, frozenset[str]] = {
    "python": frozenset({"python", "python3", "pip", "pip3", "pydoc"}),
    "node": frozenset({"node", "npm", "npx", "yarn", "yarnpkg", "corepack", "docker-entrypoint.sh"}),
}


# Alpine's -dev packages and the runtime packages they stand for.
ALPINE_DEV_RUNTIME: dict[str, tuple[str, ...]] = {
    "postgresql-dev": ("libpq",), "libpq-dev": ("libpq",), "mariadb-dev": ("mariadb-connector-c",),
    "mariadb-connector-c-dev": ("mariadb-connector-c",), "mysql-dev": ("mariadb-connector-c",),
    "libffi-dev": ("libffi",), "openssl-dev": ("openssl",), "libressl-dev": ("libressl",),
    "libxml2-dev": ("libxml2",), "libxslt-dev": ("libxslt",), "jpeg-dev": ("libjpeg-turbo",),
    "libjpeg-turbo-dev": ("libjpeg-turbo",), "zlib-dev": ("zlib",), "libpng-dev": ("libpng",),
    "libwebp-dev": ("libwebp",), "freetype-dev": ("freetype",), "cairo-dev": ("cairo",),
    "pango-dev": ("pango",), "giflib-dev": ("giflib",), "yaml-dev": ("yaml",), "geos-dev": ("geos",),
    "sqlite-dev": ("sqlite-libs",), "curl-dev": ("libcurl",), "librdkafka-dev": ("librdkafka",),
    "libsodium-dev": ("libsodium",), "unixodbc-dev": ("unixodbc",), "openldap-dev": ("libldap",),
    "musl-dev": (), "linux-headers": (), "libc-dev": (), "python3-dev": (),
}


def runtime_packages_for_dev(pkg: str, codename: str | None) -> tuple[str, ...] | None:
    """The runtime packages a -dev package stands for, None when unknown. `codename` is the
    Debian release of the runner, or "alpine"."""
    if codename == "alpine":
        return ALPINE_DEV_RUNTIME.get(pkg)
    if codename == "bullseye" and pkg in DEV_RUNTIME_BULLSEYE:
        return DEV_RUNTIME_BULLSEYE[pkg]
    if codename not in (None, "bookworm", "bullseye"):
        # trixie renamed many libraries (the t64 transition): only the unversioned names hold
        names = DEV_RUNTIME.get(pkg)
        if names is None or any(re.search(r"\d$", n) and n not in ("libpq5", "libsqlite3-0") for n in names):
            return None
        return names
    return DEV_RUNTIME.get(pkg)


def is_dev_package(pkg: str) -> bool:
    return pkg.endswith(("-dev", "-devel")) or pkg in DEV_RUNTIME


def is_build_only_package(pkg: str) -> bool:
    base = pkg.split("=", 1)[0]
    return base in BUILD_ONLY_PACKAGES or base.startswith(("linux-headers", "gcc-", "g++-", "clang-", "llvm-", "golang-1"))


# --- development commands (skip: the image would need its build tools at run time) ---------------

DEV_NODE_PATTERNS = (
    (re.compile(r"(?:^|[\s;&|(])nodemon\b"), "nodemon restarts on file changes (a development tool)"),
    (re.compile(r"(?:^|[\s;&|(])ts-node(?:-dev)?\b"), "ts-node compiles TypeScript at run time"),
    (re.compile(r"(?:^|[\s;&|(])tsx\b"), "tsx compiles TypeScript at run time"),
    (re.compile(r"(?:^|[\s;&|(])next\s+dev\b"), "`next dev` is the development server"),
    (re.compile(r"(?:^|[\s;&|(])nuxt\s+dev\b"), "`nuxt dev` is the development server"),
    (re.compile(r"(?:^|[\s;&|(])vite(?:\s+(?:dev|serve)\b|\s*$|\s+--)"), "vite's dev server"),
    (re.compile(r"(?:^|[\s;&|(])react-scripts\s+start\b"), "`react-scripts start` is the development server"),
    (re.compile(r"(?:^|[\s;&|(])ng\s+serve\b"), "`ng serve` is the development server"),
    (re.compile(r"(?:^|[\s;&|(])webpack(?:-dev-server|\s+serve)\b"), "webpack's dev server"),
    (re.compile(r"(?:^|[\s;&|(])vue-cli-service\s+serve\b"), "`vue-cli-service serve` is the development server"),
    (re.compile(r"(?:^|[\s;&|(])(?:gatsby|astro|remix|svelte-kit)\s+dev(?:elop)?\b"), "a development server"),
    (re.compile(r"--watch\b"), "a watch mode"),
    (re.compile(r"(?:^|[\s;&|(])storybook\b|start-storybook"), "storybook is a development tool"),
)
DEV_SCRIPT_NAMES = frozenset({"dev", "develop", "watch", "start:dev", "serve:dev", "dev:server", "storybook"})

DEV_PY_PATTERNS = (
    (re.compile(r"\b(?:uvicorn|hypercorn|gunicorn)\b.*\s--reload\b"), "--reload restarts on file changes"),
    (re.compile(r"\bflask\b.*\brun\b.*\s--(?:reload|debug(?:ger)?)\b"), "`flask run --reload` is the development server"),
    (re.compile(r"\bflask\b.*--debug\b.*\brun\b"), "`flask --debug run` is the development server"),
    (re.compile(r"\bmanage\.py\s+runserver\b(?!.*--noreload)"), "`manage.py runserver` is the development server"),
    (re.compile(r"\bfastapi\s+dev\b"), "`fastapi dev` is the development server"),
    (re.compile(r"\bwatchmedo\b|\bjupyter\b|\bwatchfiles\b"), "a development tool"),
    (re.compile(r"(?:^|\s)(?:uv|poetry|pipenv|pdm|hatch)\s+run\b"), "the package manager runs the app at run time"),
)
DEV_GO_PATTERNS = (
    (re.compile(r"(?:^|[\s;&|(/])go\s+run\b"), "`go run` compiles at run time"),
    (re.compile(r"(?:^|[\s;&|(/])air\b"), "air rebuilds on file changes"),
    (re.compile(r"(?:^|[\s;&|(/])(?:dlv|reflex|CompileDaemon)\b"), "a development tool"),
)
DEV_RUST_PATTERNS = (
    (re.compile(r"(?:^|[\s;&|(/])cargo\s+(?:run|watch)\b"), "cargo compiles at run time"),
)

# Binaries whose npm package has another name.
NODE_BIN_PACKAGE = {
    "tsc": "typescript", "nest": "@nestjs/cli", "ng": "@angular/cli", "vue-cli-service": "@vue/cli-service",
    "react-scripts": "react-scripts", "pm2-runtime": "pm2", "pm2": "pm2", "ts-node": "ts-node",
    "next": "next", "nuxt": "nuxt", "serve": "serve", "http-server": "http-server", "vite": "vite",
    "prisma": "prisma", "sequelize": "sequelize-cli", "knex": "knex", "typeorm": "typeorm",
}

# Node build tools and where they write by default.
NODE_BUILD_TOOLS = frozenset({
    "tsc", "vite", "webpack", "next", "nest", "react-scripts", "babel", "esbuild", "rollup", "tsup",
    "parcel", "ng", "vue-cli-service", "rimraf", "rm", "mkdir", "cp", "copyfiles", "cpx", "echo",
    "shx", "del-cli", "tailwindcss", "postcss", "sass", "node-sass", "swc", "gulp", "grunt",
    "nuxt", "astro", "svelte-kit", "remix", "tsc-alias", "cross-env",
})

# Files that configure a build or test tool, never read by the running app.
NODE_BUILD_ONLY_NAMES = (
    "tsconfig*.json", "vite.config.*", "vitest.config.*", "webpack.config.*", "webpack.*.js",
    "rollup.config.*", "babel.config.*", ".babelrc*", "esbuild.*", "tsup.config.*", "jest.config.*",
    ".swcrc", "postcss.config.*", "tailwind.config.*", "nest-cli.json", "angular.json",
)
# Read by the install only (and .npmrc may hold a registry token).
NODE_INSTALL_ONLY_NAMES = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
                           ".npmrc", ".yarnrc", ".pnpmfile.cjs")
ALWAYS_BUILD_ONLY_NAMES = (
    ".git", ".github", ".gitlab-ci.yml", ".gitignore", ".gitattributes", ".dockerignore", "Dockerfile*",
    "*.Dockerfile", "*.dockerfile", "Containerfile*", "docker-compose*", "compose.y*ml", "compose.*.y*ml",
    ".vscode", ".idea", ".editorconfig", ".eslintrc*", "eslint.config.*", ".eslintignore",
    ".prettierrc*", "prettier.config.*", ".prettierignore", ".husky", "test", "tests", "__tests__", "spec",
    "coverage", ".nyc_output", ".nvmrc", ".node-version", ".travis.yml", ".circleci", "node_modules",
)

# Dirs a server commonly reads at run time; copied when they are in the context and the code
# mentions them.
RUNTIME_DIR_HINTS = ("templates", "static", "public", "views", "assets", "web", "migrations",
                     "config", "configs", "locales", "i18n", "data", "www", "html")

SYSTEM_DIRS = frozenset(
    """/ /bin /boot /dev /etc /home /lib /lib64 /lib32 /media /mnt /opt /proc /root /run /sbin /srv
    /sys /tmp /usr /usr/bin /usr/lib /usr/local /usr/local/bin /usr/local/lib /usr/local/sbin
    /usr/sbin /usr/share /usr/src /usr/local/src /var /var/lib /var/tmp /var/www /go /go/src /go/bin
    /opt/venv /usr/local/cargo /usr/local/cargo/bin
    """.split()
)

"""Debian and Alpine packages: which are build-only (compilers, headers, fetchers), which runtime
library each -dev package stands for per release, which package brings a command a run-time
script uses, and which commands slim images already have."""
from __future__ import annotations

import re

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


# The same runtime libraries on Alpine.
DEBIAN_TO_ALPINE: dict[str, str] = {
    "libpq5": "libpq", "libmariadb3": "mariadb-connector-c", "libcurl4": "libcurl", "unixodbc": "unixodbc",
    "libldap-2.5-0": "libldap", "libsasl2-2": "libsasl", "libcairo2": "cairo", "libssl3": "libssl3",
    "ca-certificates": "ca-certificates", "libsqlite3-0": "sqlite-libs", "libgirepository-1.0-1": "gobject-introspection",
    "libxml2": "libxml2", "libxslt1.1": "libxslt", "imagemagick": "imagemagick", "libvips42": "vips",
    "libmagic1": "libmagic",
}


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


def runtime_library(pkg: str, codename: str | None) -> str | None:
    """The name on the Debian release `codename` of the runtime package `pkg` (a bookworm name,
    as RUST_NATIVE_RUNTIME gives them): `libssl3` is `libssl1.1` on bullseye; None when the
    release's name is not known."""
    for dev, names in DEV_RUNTIME.items():
        if pkg in names:
            found = runtime_packages_for_dev(dev, codename)
            if found is not None and len(found) == len(names):
                return found[names.index(pkg)]
    if codename in (None, "bookworm", "bullseye") or pkg in ("ca-certificates", "tzdata", "netbase"):
        return pkg
    return None if re.search(r"\d$", pkg) and pkg not in ("libpq5", "libsqlite3-0") else pkg


# Runtime packages that are shared libraries a binary links, though their names do not say so.
_LIBRARY_NAMES = frozenset(n for names in DEV_RUNTIME.values() for n in names if not n.startswith("lib"))


def is_shared_library(pkg: str) -> bool:
    """Whether the runtime package `pkg` brings a shared library a program links (`libssl3`,
    `unixodbc`), whose name and soname follow the Debian release, unlike a command's package."""
    return pkg.startswith("lib") or pkg in _LIBRARY_NAMES


def is_dev_package(pkg: str) -> bool:
    return pkg.endswith(("-dev", "-devel")) or pkg in DEV_RUNTIME


def is_build_only_package(pkg: str) -> bool:
    base = pkg.split("=", 1)[0]
    return base in BUILD_ONLY_PACKAGES or base.startswith(("linux-headers", "gcc-", "g++-", "clang-", "llvm-", "golang-1"))


# Alpine package names for the commands of TOOL_PACKAGES where they differ (or exist): what an
# alpine runner installs with `apk add` for a tool the start command uses.
ALPINE_TOOL_PACKAGES: dict[str, str] = {
    "curl": "curl", "wget": "wget", "nc": "netcat-openbsd", "netcat": "netcat-openbsd",
    "pg_isready": "postgresql-client", "psql": "postgresql-client", "pg_dump": "postgresql-client",
    "mysql": "mariadb-client", "mysqladmin": "mariadb-client", "redis-cli": "redis", "git": "git",
    "tini": "tini", "dumb-init": "dumb-init", "su-exec": "su-exec", "jq": "jq", "envsubst": "gettext",
    "bash": "bash", "openssl": "openssl", "ssh": "openssh-client", "rsync": "rsync", "file": "file",
    "make": "make", "xz": "xz", "unzip": "unzip", "bzip2": "bzip2", "dig": "bind-tools",
    "nslookup": "bind-tools", "ip": "iproute2", "ps": "procps",
}


# Commands busybox (alpine's /bin/sh and coreutils) already has.
BUSYBOX_HAS = frozenset(
    """sh ash cat cp mv rm ln ls mkdir rmdir chmod chown chgrp touch echo printf test [ true false
    env sleep date id whoami hostname grep egrep fgrep sed awk find xargs sort uniq head tail cut tr
    wc tee basename dirname readlink realpath pwd kill nohup timeout stat du df tar gzip gunzip zcat
    mktemp su mount umount uname yes seq expr getent adduser addgroup deluser delgroup nice tty
    stty sync base64 sha256sum md5sum od dd wget nc ps pkill pgrep ping nslookup ip unzip xz bzip2
    vi less netstat traceroute
    """.split()
)


# Shell builtins and keywords: never a program the runner must have.
SHELL_BUILTINS = frozenset(
    """: . [ alias bg break builtin cd command continue declare echo eval exec exit export false fg
    getopts hash jobs kill let local printf pwd read readonly return set shift source test times
    trap true type typeset ulimit umask unalias unset wait if then else elif fi for while until do
    done case esac in function select time {
    """.split()
)


# Web servers that start as root and drop privileges from their own configuration (pid file,
# temp folders, port 80): a runner that runs them as a plain user is not a proven change.
SYSTEM_WEB_SERVERS = frozenset({"nginx", "apache2", "apache2ctl", "httpd", "lighttpd", "caddy", "openresty", "haproxy"})


# Programs that switch to another user themselves: the process that runs them must be root.
USER_SWITCHERS = frozenset({"gosu", "su-exec", "su", "setpriv", "chpst", "runuser", "sudo", "s6-setuidgid", "chroot"})

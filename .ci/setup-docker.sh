#!/usr/bin/env bash
# setup-docker.sh -- a private Docker daemon for `dockwright verify --builder docker` and the
# docker build tests, beside (never inside) the buildah/podman setup of .ci/setup-buildah.sh.
#
# Usage (as root):  .ci/setup-docker.sh start|stop|status|env
#   start   apt-installs Debian's docker.io (20.10: dockerd, containerd, runc, and the 20.10
#           client /usr/bin/docker) when missing, starts dockerd with its own data-root,
#           exec-root, pidfile, config file and socket, waits until it answers, and loads the
#           stand-in base images from podman's store (`podman save | docker load`). Idempotent:
#           with the daemon up and the images loaded, a re-run takes about a second.
#   stop    kills that dockerd by its PID (its containerd goes with it) and removes the NAT rule.
#   status  exit 0 when the daemon answers; prints the server version.
#   env     prints the variables a shell needs to use it: `eval "$(.ci/setup-docker.sh env)"`.
#
# Client: the preinstalled /usr/local/bin/docker (28.x) has no buildx plugin, so it can only use
# the deprecated legacy builder (and refuses DOCKER_BUILDKIT=1). Debian's 20.10 client builds
# with the daemon's built-in BuildKit when DOCKER_BUILDKIT=1. `env` therefore points
# DOCKWRIGHT_DOCKER at /usr/bin/docker; dockwright's docker builder uses that client.
#
# Isolation: everything lives under /var/lib/dockwright-docker and /run/dockwright-docker; no
# /etc/docker/daemon.json, no /var/run/docker.sock, no /var/lib/docker, and containerd is
# dockerd's own managed instance (its state under the exec-root, not /run/containerd).
# --iptables=false: dockerd leaves the firewall alone; the one rule the default bridge needs for
# RUN steps to reach the package registries (MASQUERADE for its subnet) is added here and
# removed by `stop`. Images are never pulled: no registry is reachable from this machine.
set -euo pipefail

DATA=${DOCKWRIGHT_DOCKER_DATA:-/var/lib/dockwright-docker}
RUN_DIR=${DOCKWRIGHT_DOCKER_RUN:-/run/dockwright-docker}
SOCK=$RUN_DIR/docker.sock
PIDFILE=$RUN_DIR/dockerd.pid
LOG=$DATA/dockerd.log
BIP=172.29.0.1/16      # not docker's default 172.17/16, so a system docker could run beside it
SUBNET=172.29.0.0/16
BRIDGE=dwdocker0
CLIENT=/usr/bin/docker
export DOCKER_HOST=unix://$SOCK

# The stand-ins of .ci/setup-buildah.sh, every tag of them (their aliases included): the build
# tests and the refactored Dockerfiles name many (python:3.11-bookworm, distroless :nonroot...).
STANDINS='^(debian|buildpack-deps|python|node|golang|rust|alpine|gcr\.io/distroless/[a-z0-9-]+):'

log() { printf '=== setup-docker: %s\n' "$*" >&2; }
need_root() { [ "$(id -u)" = 0 ] || { echo "setup-docker.sh: must run as root" >&2; exit 1; }; }
answers() { timeout 10 "$CLIENT" version --format '{{.Server.Version}}' >/dev/null 2>&1; }
daemon_pid() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dockerd ] && echo "$pid"
}

install_pkgs() {
  if [ -x /usr/sbin/dockerd ] && [ -x "$CLIENT" ]; then return 0; fi
  log "installing docker.io (Debian)"
  # Debian's maintainer scripts would start the system docker service; keep them from it
  # unless a policy already does (it is restored afterwards).
  local policy=/usr/sbin/policy-rc.d added=0
  if [ ! -e $policy ]; then printf '#!/bin/sh\nexit 101\n' > $policy; chmod 755 $policy; added=1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends docker.io >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null; apt-get install -y -q --no-install-recommends docker.io >/dev/null; }
  [ $added = 1 ] && rm -f $policy
  return 0
}

nat_rule() {  # add|del: masquerade the bridge's traffic, which --iptables=false leaves to us
  local flag=-A; [ "$1" = del ] && flag=-D
  if iptables -t nat -C POSTROUTING -s $SUBNET ! -o $BRIDGE -j MASQUERADE 2>/dev/null; then
    [ "$1" = add ] && return 0
  else
    [ "$1" = del ] && return 0
  fi
  iptables -t nat $flag POSTROUTING -s $SUBNET ! -o $BRIDGE -j MASQUERADE
}

start_daemon() {
  if daemon_pid >/dev/null && answers; then
    if ip link show $BRIDGE >/dev/null 2>&1; then nat_rule add; return 0; fi
    stop_daemon  # up, but its bridge went away: its containers would get no network
  fi
  mkdir -p "$DATA" "$RUN_DIR"
  # Our own (empty) config file: /etc/docker/daemon.json belongs to the system's docker.
  [ -f "$DATA/daemon.json" ] || echo '{}' > "$DATA/daemon.json"
  # The bridge dockerd creates when it is missing (it only adopts an existing one with --bridge).
  if ! ip link show $BRIDGE >/dev/null 2>&1; then
    ip link add $BRIDGE type bridge && ip addr add $BIP dev $BRIDGE && ip link set $BRIDGE up
  fi
  log "starting dockerd (log: $LOG)"
  # setsid: its own session, so the CI shell's job control and signals do not reach it.
  setsid /usr/sbin/dockerd \
      --config-file "$DATA/daemon.json" \
      --data-root "$DATA/root" --exec-root "$RUN_DIR/exec" --pidfile "$PIDFILE" \
      -H "unix://$SOCK" --storage-driver=overlay2 \
      --iptables=false --ip6tables=false --bridge=$BRIDGE \
      >>"$LOG" 2>&1 </dev/null 9>&- &
  local i
  for i in $(seq 1 120); do
    if answers; then break; fi
    if ! kill -0 $! 2>/dev/null; then tail -20 "$LOG" >&2; echo "dockerd exited" >&2; exit 1; fi
    sleep 0.5
  done
  answers || { tail -20 "$LOG" >&2; echo "dockerd did not answer within 60 s" >&2; exit 1; }
  nat_rule add
}

load_images() {
  # Images are compared by ID: podman's ID of a docker-format image is the config digest, which
  # is also docker's image ID, so an image loaded once is never loaded again.
  local ref pid missing=() have want
  # one listing from each store (name:tag id), instead of two inspects per tag
  have=$("$CLIENT" images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' | sed 's/ sha256:/ /')
  want=$(PODMAN_IGNORE_CGROUPSV1_WARNING=1 podman images --no-trunc --format '{{.Repository}}:{{.Tag}} {{.ID}}' 2>/dev/null \
         | sed -e 's/ sha256:/ /' -e 's|^docker\.io/library/||')
  while read -r ref pid; do
    [ "$(awk -v r="$ref" '$1==r {print $2; exit}' <<<"$have")" = "$pid" ] && continue
    if grep -q " $pid\$" <<<"$have"; then
      "$CLIENT" tag "$pid" "$ref"  # the image is there under another tag: an alias costs nothing
    else
      missing+=("$ref")
    fi
  done < <(grep -E "$STANDINS" <<<"$want")
  [ ${#missing[@]} -eq 0 ] && { log "stand-in images present"; return 0; }
  log "loading ${#missing[@]} stand-in image tag(s) from podman"
  # One archive for all of them: shared layers (debian under python, node, ...) travel once.
  local t0=$SECONDS
  podman save --format docker-archive -m "${missing[@]}" | "$CLIENT" load -q >/dev/null
  log "loaded in $((SECONDS - t0)) s"
}

stop_daemon() {
  local pid
  if pid=$(daemon_pid); then
    log "stopping dockerd $pid"
    kill "$pid"
    for _ in $(seq 1 60); do [ -d "/proc/$pid" ] || break; sleep 0.5; done
    [ -d "/proc/$pid" ] && kill -9 "$pid"
  fi
  nat_rule del
  if ip link show $BRIDGE >/dev/null 2>&1; then ip link del $BRIDGE; fi
}

# One start or stop at a time (two CI runs, or a run and a person): fd 9, which dockerd does
# not inherit (9>&- above), or the lock would live as long as the daemon.
serialize() { mkdir -p "$RUN_DIR"; exec 9>"$RUN_DIR/setup.lock"; flock 9; }

case ${1:-} in
  start)
    need_root
    serialize
    command -v podman >/dev/null || { echo "podman missing: run .ci/setup-buildah.sh first" >&2; exit 1; }
    install_pkgs
    start_daemon
    load_images
    log "up: DOCKER_HOST=$DOCKER_HOST ($("$CLIENT" version --format '{{.Server.Version}}'))"
    ;;
  stop)
    need_root
    serialize
    stop_daemon
    ;;
  status)
    if answers; then "$CLIENT" version --format 'dockerd {{.Server.Version}} at '"$DOCKER_HOST"; else
      echo "no dockerd answers at $DOCKER_HOST" >&2; exit 1; fi
    ;;
  env)
    printf 'export DOCKER_HOST=%s\nexport DOCKWRIGHT_DOCKER=%s\n' "$DOCKER_HOST" "$CLIENT"
    ;;
  *) sed -n '2,25p' "$0"; exit 2 ;;
esac

"""Signs, in a Dockerfile and the files it copies, that the image's process needs root: the
Docker socket, VPN and tunnel tools, packet capture and intrusion detection, daemons that
switch user themselves (from their command line or their config file), host monitors reading
the host's /proc, /sys or /var/lib/docker, and the `docker run --privileged` notes of the file.

Pure functions of text and parsed commands; the non-root analysis (needs_root.py) decides where
to look."""
from __future__ import annotations

import posixpath
import re

from refactor.shell.parse import SimpleCommand
from refactor.syntax.lazy_re import lazy

# Packages whose presence means the image is a network, capture or container tool: their
# process needs root (raw sockets, tun devices, netfilter, the Docker daemon's socket).
ROOT_PACKAGES = {
    "openvpn": "a VPN (openvpn) needs root for its tun device and routes",
    "wireguard": "WireGuard needs root (NET_ADMIN) for its interface and routes",
    "wireguard-tools": "WireGuard needs root (NET_ADMIN) for its interface and routes",
    "wireguard-go": "WireGuard needs root (NET_ADMIN) for its interface and routes",
    "strongswan": "an IPsec VPN (strongswan) needs root",
    "libreswan": "an IPsec VPN (libreswan) needs root",
    "tinc": "a VPN (tinc) needs root for its tun device",
    "zerotier-one": "a VPN (zerotier) needs root for its tun device",
    "tailscale": "tailscale needs root for its tun device",
    "snort": "an IDS (snort) captures packets, which needs root",
    "snort3": "an IDS (snort) captures packets, which needs root",
    "suricata": "an IDS (suricata) captures packets, which needs root",
    "zeek": "an IDS (zeek) captures packets, which needs root",
    "bro": "an IDS (bro/zeek) captures packets, which needs root",
    "arpwatch": "arpwatch captures packets, which needs root",
    "docker": "the Docker CLI talks to the Docker daemon's socket, which is root's",
    "docker-cli": "the Docker CLI talks to the Docker daemon's socket, which is root's",
    "docker.io": "the Docker CLI talks to the Docker daemon's socket, which is root's",
    "docker-ce": "the Docker CLI talks to the Docker daemon's socket, which is root's",
    "docker-ce-cli": "the Docker CLI talks to the Docker daemon's socket, which is root's",
    "docker-engine": "the Docker CLI talks to the Docker daemon's socket, which is root's",
    "moby-cli": "the Docker CLI talks to the Docker daemon's socket, which is root's",
}
# Tools that need root when the start command (or a start script) runs them.
ROOT_TOOLS = {
    **{n: "a VPN or tunnel needs root (tun device, routes)" for n in
       "openvpn wg wg-quick wireguard-go tailscaled tincd zerotier-one ipsec charon openconnect vpnc "
       "pppd sstpc iptables-legacy ip6tables-legacy iptables-nft ebtables conntrack brctl tunctl "
       "ipvsadm tc".split()},
    **{n: "packet capture needs root (raw sockets)" for n in
       "tcpdump tshark dumpcap snort suricata zeek bro ngrep arpwatch p0f masscan hping3 "
       "ettercap bettercap".split()},
    **{n: "the daemon starts as root and switches to its own user (from its config or flags)" for n in
       "squid squid3 mysqld mariadbd mysqld_safe mariadbd-safe mysqld_multi postgres pg_ctl "
       "pg_ctlcluster postmaster mongod named dnsmasq unbound pdns_server postfix master dovecot "
       "exim exim4 sendmail opendkim vsftpd proftpd pure-ftpd slapd smbd nmbd winbindd xinetd "
       "inetd cupsd avahi-daemon ntpd chronyd varnishd openvpn-as "
       "rsyncd nfsd rpcbind radiusd freeradius".split()},
    **{n: "a supervisor starts its programs as root" for n in
       "supervisord runsv runit runit-init s6-svscan s6-supervise s6-rc-init".split()},
    **{n: "a host monitor reads the host's /proc, /sys and /var/lib/docker" for n in
       "cadvisor node_exporter node-exporter netdata osqueryd falco sysdig auditd".split()},
    **{n: "it traces or debugs other processes or the kernel (ptrace, eBPF), which needs root" for n in
       "bpftrace bcc perf strace ltrace gdb sysdig trace-cmd".split()},
    **{n: "it manages disks, file systems or devices, which needs root" for n in
       "debootstrap parted gparted fdisk sfdisk mkfs losetup cryptsetup lvm".split()},
    **{n: "it talks to the Docker daemon's socket, which is root's" for n in
       "watchtower portainer traefik-docker ctop lazydocker dive docker-gc".split()},
    "nmap": "its scans (-sS, -O) need raw sockets, which need root",
    "certbot": "certbot writes /etc/letsencrypt, /var/lib/letsencrypt and /var/log/letsencrypt, which are root's",
    "sqlservr": "SQL Server writes its data folder /var/opt/mssql, root-owned from the install",
    "coredns": "it serves DNS on port 53 by default, below 1024",
    **{n: "it talks to the host's libvirt daemon through its root-owned socket" for n in
       "virsh virt-manager virt-install virt-viewer libvirtd".split()},
    "docker": "the Docker CLI talks to the Docker daemon's socket, which is root's",
    "docker-compose": "docker compose talks to the Docker daemon's socket, which is root's",
    "mknod": "creating device nodes needs root",
}
# A RUN that downloads the Docker CLI itself (the static binaries, the convenience script).
DOCKER_DOWNLOAD = lazy(r"download\.docker\.com/linux/static|get\.docker\.com|docker/docker\b.*-C\s+/usr/(?:local/)?bin")
# `ip` subcommands that change the network (`ip route add`, `ip link set`): NET_ADMIN.
_IP_OBJECTS = frozenset("route r link l addr address a rule ru tuntap tunnel tun netns neigh xfrm".split())
_IP_CHANGES = frozenset("add set del delete change replace flush append".split())

# Text anywhere in the file (comments included) or a start script that says the container
# talks to the Docker daemon, watches the host, or is run privileged.
# Each sign with the literal texts one of which any match holds: a text with none of them is not
# searched (a regex whose alternatives start with a look-behind is tried at every position).
_TEXT_SIGNS = (
    (("docker.sock", "DOCKER_HOST"),
     lazy(r"docker\.sock\b|DOCKER_HOST\s*=\s*['\"]?unix://"),
     "it talks to the Docker daemon's socket (/var/run/docker.sock), which is root's"),
    (("/host/", "--path.", "HOST_", "/var/lib/docker", "/rootfs"),
     lazy(r"(?<![\w/])/host/(?:proc|sys)\b|--path\.(?:procfs|sysfs|rootfs)\b|\bHOST_(?:PROC|SYS)\s*="
                r"|(?<![\w/.])/var/lib/docker\b|(?<![\w/])/rootfs\b"),
     "it monitors the host (its /proc, /sys or /var/lib/docker), which needs root"),
    (("--privileged", "--cap-add", "--net", "--pid", "--device", "/dev/net/tun"),
     lazy(r"--privileged\b|--cap-add[= ]+\S|--net(?:work)?[= ]host\b"
                r"|--pid[= ]host\b|--device[= ]+/dev/|/dev/net/tun\b"),
     "the file's own notes run it privileged, with capabilities or devices, or on the host's network"),
    ((":/root",),
     lazy(r"(?:-v|--volume)[= ]+\S*:/root(?:/|\b)"),
     "the file's own notes mount the user's files under /root, which the new user cannot read"),
)

# Config files whose directives make the daemon switch user: `user=mysql` (my.cnf, supervisord,
# php-fpm, uwsgi `uid =`), `user nginx;`, `User apache` (httpd), squid's `cache_effective_user`.
_CONFIG_NAME = lazy(r"\.(?:cnf|conf|ini|cfg)$|(?:^|/)(?:my\.cnf|squid\.conf|nginx\.conf|httpd\.conf|www\.conf)$", re.I)
_USER_DIRECTIVE = lazy(
    r"^[ \t]*(?:user[ \t]*=[ \t]*\S|uid[ \t]*=[ \t]*\S|user[ \t]+[\w$-]+[ \t]*;|User[ \t]+[\w$-]+[ \t]*$"
    r"|cache_effective_user[ \t]+\S|setuid[ \t]*=|run_as_user[ \t]*=)",
    re.M,
)


def installed_packages(cmd: SimpleCommand) -> list[str]:
    """The package names an install command (`apt-get install`, `apk add`, `dnf install`...)
    names, versions and repositories stripped."""
    name = posixpath.basename(cmd.name or "")
    if name in ("apt-get", "apt", "aptitude", "yum", "dnf", "microdnf", "tdnf", "zypper"):
        verbs = ("install", "in")
    elif name == "apk":
        verbs = ("add",)
    else:
        return []
    words = [v for w in cmd.args if (v := w.value) is not None]
    verb = next((i for i, v in enumerate(words) if v in verbs), None)
    if verb is None:
        return []
    out = []
    for v in words[verb + 1:]:
        if v.startswith("-"):
            continue
        out.append(re.split(r"[=<>@:~]", v, 1)[0].lower())
    return out


def package_needs_root(pkg: str) -> str | None:
    return ROOT_PACKAGES.get(pkg)


def tool_needs_root(cmd: SimpleCommand) -> str | None:
    """Why a start-time command needs root (a VPN, capture, user-switching daemon, `ip route
    add`...), or None."""
    name = posixpath.basename(cmd.name or "")
    why = ROOT_TOOLS.get(name)
    if why:
        return f"`{name}`: {why}"
    if name == "ip":
        vals = [w.value for w in cmd.args if w.value and not w.value.startswith("-")]
        if len(vals) >= 2 and vals[0] in _IP_OBJECTS and vals[1] in _IP_CHANGES:
            return f"`ip {vals[0]} {vals[1]}` changes the network, which needs root (NET_ADMIN)"
    return None


def text_needs_root(text: str) -> str | None:
    """Why text (a Dockerfile with its comments, a start script) says its process needs root."""
    for needles, pattern, why in _TEXT_SIGNS:
        if any(n in text for n in needles) and pattern.search(text):
            return why
    return None


def is_config(path: str) -> bool:
    """A daemon's config file by its name (`my.cnf`, `*.conf`, `*.ini`, `*.cfg`)."""
    return bool(_CONFIG_NAME.search(path))


def user_directive(text: str) -> str | None:
    """The directive of a config file that makes its daemon switch user (`user=mysql`), or None."""
    m = _USER_DIRECTIVE.search(text)
    if m is None:
        return None
    end = text.find("\n", m.start())
    return text[m.start(): end if end >= 0 else len(text)].strip()

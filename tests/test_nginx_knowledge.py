"""knowledge/nginx.py: the config reader, and the unprivileged recipe whose `sed` commands,
run for real on the config files, give the text the module computed (and no port below 1024)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from refactor.knowledge import nginx

SPA = """# spa
server {
    listen       80;
    listen  [::]:80 default_server;
    server_name  "_";
    location / { try_files $uri $uri/ /index.html; }
}
"""


def test_parse_reads_blocks_quotes_and_comments():
    conf = nginx.parse(SPA)
    names = [(d.name, d.blocks) for d in conf]
    assert ("listen", ("server",)) in names and ("try_files", ("server", "location")) in names
    assert next(d for d in conf if d.name == "server_name").args == ["_"]
    assert [p for p, _ in nginx.listens(conf)] == [80, 80]
    assert nginx.listens(nginx.parse("server { listen 127.0.0.1; listen unix:/x.sock; listen 8080; }")) [0][0] == 80
    assert nginx.servers_without_listen(nginx.parse("http { server { root /x; } server { listen 80; } }")) == 1


def test_unprivileged_moves_ports_pid_and_user():
    files = dict(nginx.OFFICIAL_FILES)
    files[nginx.DEFAULT_CONF] = SPA
    plan = nginx.unprivileged(files)
    assert plan.problem is None and plan.ports == {80: 8080} and plan.rewritten == [nginx.DEFAULT_CONF]
    assert plan.commands[-1] == "chown -R nginx:nginx /var/cache/nginx"


@pytest.mark.skipif(shutil.which("sed") is None, reason="no sed")
def test_the_sed_commands_do_what_the_module_computed(tmp_path):
    main = tmp_path / "nginx.conf"
    site = tmp_path / "default.conf"
    main.write_text(nginx.OFFICIAL_FILES[nginx.MAIN_CONF])
    site.write_text(SPA)
    plan = nginx.unprivileged({nginx.MAIN_CONF: main.read_text(), nginx.DEFAULT_CONF: SPA})
    script = " && ".join(plan.commands[:-1]).replace(nginx.MAIN_CONF, str(main)).replace(nginx.DEFAULT_CONF, str(site))
    subprocess.run(["sh", "-c", script.replace("\\\n", "")], check=True)
    out_main = nginx.parse(main.read_text())
    assert [d.args for d in out_main if d.name == "pid"] == [["/tmp/nginx.pid"]]
    assert not any(d.name == "user" for d in out_main)
    assert {d.name for d in out_main if d.blocks == ("http",)} >= {k for k, _ in nginx.TEMP_PATHS}
    assert [p for p, _ in nginx.listens(nginx.parse(site.read_text()))] == [8080, 8080]
    assert "try_files $uri $uri/ /index.html;" in site.read_text()


def test_unprivileged_refuses_what_it_cannot_prove():
    def problem(site: str, **extra: str | None) -> str | None:
        return nginx.unprivileged({**nginx.OFFICIAL_FILES, nginx.DEFAULT_CONF: site, **extra}).problem

    assert "line edit cannot change" in problem("server { listen 80; root /x; }")
    assert "port 81" in problem("server {\n listen 81;\n}\n")
    assert "without a listen line" in problem("server {\n root /x;\n}\n")
    assert "cannot read" in problem("server {\n listen 8080;\n}\n", **{"/etc/nginx/conf.d/x.conf": None})
    assert "writes where the nginx user cannot" in problem("server {\n listen 8080;\n access_log /var/log/x.log;\n}\n")
    assert problem("server {\n listen 8080;\n access_log off;\n}\n") is None


def test_main_config_without_pid_gets_one():
    main = "events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n}\n"
    plan = nginx.unprivileged({nginx.MAIN_CONF: main, nginx.DEFAULT_CONF: "server {\n listen 8080;\n}\n"})
    assert plan.problem is None and "1i pid /tmp/nginx.pid;" in plan.commands[0] and not plan.ports


def test_expose_follows_the_port():
    assert nginx.exposed_after(["80", "443/tcp", "9000"], {80: 8080, 443: 8443}) == ["8080", "8443/tcp", "9000"]


def test_the_parses_shared_between_plans_are_left_as_read():
    # the directives of a config text are parsed once and shared: a plan must not change them
    files = {**nginx.OFFICIAL_FILES, nginx.DEFAULT_CONF: SPA}
    first, second = nginx.unprivileged(files), nginx.unprivileged(dict(files))
    assert first == second and first.ports == {80: 8080}
    assert nginx.unprivileged({**files, nginx.DEFAULT_CONF: SPA.replace("80", "8080")}).ports == {}

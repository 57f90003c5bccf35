"""refactor.knowledge.port_consumers: what in a repository points at a container port, found
in small throwaway repositories (a `.git` folder marks their top), and the nginx codemods
declining when something does."""
from __future__ import annotations

from pathlib import Path

import pytest

from refactor.engine.runner import make_selection, refactor_text
from refactor.knowledge import port_consumers as pc
from refactor.knowledge.yaml_lines import read

SITE = "FROM node:20 AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\n" \
       "FROM nginx:1.27-alpine\nCOPY --from=build /app/dist /usr/share/nginx/html\n"


def repo(tmp_path: Path, files: dict[str, str], dockerfile: str = "web/Dockerfile") -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    for rel, text in {dockerfile: SITE, **files}.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return tmp_path / dockerfile


def found(df: Path, ports=(80,), **kw) -> list[str]:
    return [str(c) for c in pc.find(df, list(ports), **kw)]


def test_compose_publish_short_and_long_form(tmp_path):
    df = repo(tmp_path, {"docker-compose.yml": (
        "services:\n  web:\n    build: ./web\n    ports:\n      - \"8080:80\"\n      - target: 80\n        published: 81\n"
        "  db:\n    image: postgres\n    ports: [\"5432:5432\"]\n")})
    assert found(df) == ["docker-compose.yml:5 publishes port 80 of this image (`8080:80`)",
                         "docker-compose.yml:6 publishes port 80 of this image (`target: 80`)"]


def test_compose_context_and_dockerfile_and_other_dockerfile(tmp_path):
    df = repo(tmp_path, {"web/Dockerfile.prod": SITE, "compose.yaml": (
        "services:\n  dev:\n    build:\n      context: web\n      dockerfile: Dockerfile.prod\n    ports:\n      - 3000:80\n"
        "  prod:\n    build:\n      context: web\n    expose:\n      - \"80\"\n")})
    assert found(df) == ["compose.yaml:12 exposes port 80 of service `prod`"]
    assert found(tmp_path / "web/Dockerfile.prod") == ["compose.yaml:7 publishes port 80 of this image (`3000:80`)"]


def test_compose_target_of_another_stage_is_not_the_final_stage(tmp_path):
    df = repo(tmp_path, {"compose.yaml": "services:\n  web:\n    build:\n      context: web\n      target: dev\n"
                                         "    ports:\n      - 3000:80\n"})
    assert found(df) == []
    assert found(df, final_stage="dev") == ["compose.yaml:7 publishes port 80 of this image (`3000:80`)"]


def test_another_service_and_a_proxy_config_reach_the_service(tmp_path):
    df = repo(tmp_path, {
        "compose.yaml": "services:\n  front:\n    build: web\n  api:\n    build: api\n    environment:\n"
                        "      - SITE_URL=http://front/\n",
        "proxy/site.conf": "upstream app {\n    server front:80;\n}\nserver {\n    server_name front;\n}\n",
        "elsewhere/compose.yaml": "services:\n  gw:\n    image: nginx\n    environment:\n      - X=http://front:80\n"})
    assert found(df) == ["compose.yaml:7 service `api` reaches this image's port (`SITE_URL=http://front/`)",
                         "proxy/site.conf:2 proxies to this image's port (`server front:80`)"]


def test_traefik_label_nginx_proxy_and_merge_keys(tmp_path):
    df = repo(tmp_path, {"compose.yaml": (
        "x-common: &common\n  restart: always\nservices:\n  a:\n    build: web\n    labels:\n"
        "      - traefik.http.services.a.loadbalancer.server.port=80\n"
        "  b:\n    build: web\n    environment:\n      VIRTUAL_HOST: site.test\n"
        "  c:\n    <<: *common\n    build: web\n")})
    out = found(df)
    assert out[0].startswith("compose.yaml:7 the `labels` of service `a` reaches its port")
    assert out[1].startswith("compose.yaml:11 service `b` has VIRTUAL_HOST: nginx-proxy forwards to its port 80")
    assert out[2] == "compose.yaml:13 service `c` is in a compose file I cannot fully read (anchors or merge keys)"


def test_kamal_default_port_and_app_port(tmp_path):
    df = repo(tmp_path, {"config/deploy.yml": "service: shop\nimage: me/shop\nservers:\n  - 192.0.2.1\n"},
              dockerfile="Dockerfile")
    assert found(df) == [("config/deploy.yml:1 kamal deploys this image and kamal-proxy forwards to its port 80 "
                          "(no `proxy: app_port:`)")]
    (tmp_path / "config/deploy.yml").write_text("service: shop\nimage: me/shop\nproxy:\n  app_port: 3000\n")
    assert found(df) == []


def test_kubernetes_manifests(tmp_path):
    df = repo(tmp_path, {
        "k8s/site.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
                         "        - name: site\n          image: registry.example.com/shop/site:1.2\n          ports:\n"
                         "            - containerPort: 80\n---\napiVersion: v1\nkind: Service\nspec:\n  ports:\n"
                         "    - port: 80\n      targetPort: 80\n",
        "k8s/db.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nspec:\n  template:\n    spec:\n      containers:\n"
                       "        - image: postgres:16\n          ports:\n            - containerPort: 80\n"})
    assert found(df) == [
        "k8s/site.yaml:10 `containerPort: 80` may be this image's port (I cannot tell which image it runs)",
        "k8s/site.yaml:17 `targetPort: 80` may be this image's port (I cannot tell which image it runs)"]


def test_fly_and_a_ci_docker_run(tmp_path):
    df = repo(tmp_path, {
        "fly.toml": "app = 'shop'\n[build]\n  dockerfile = 'web/Dockerfile'\n[http_service]\n  internal_port = 80\n",
        ".github/workflows/deploy.yml": "jobs:\n  d:\n    steps:\n      - run: |\n          docker build -t shop web\n"
                                        "          docker run -d -p 4001:80 shop\n"})
    assert found(df) == [".github/workflows/deploy.yml:6 runs this image publishing its port (`-p 4001:80`)",
                         "fly.toml:5 fly.io sends the traffic to `internal_port = 80` of this image"]


def test_the_search_stays_in_the_repository_and_is_bounded(tmp_path, monkeypatch):
    outer = tmp_path / "outer"
    outer.mkdir()
    (outer / "compose.yaml").write_text("services:\n  w:\n    build: inner/web\n    ports: ['80:80']\n")
    df = repo(outer / "inner", {})
    assert pc.repository_root(df) == outer / "inner"
    assert found(df) == []
    monkeypatch.setattr(pc, "MAX_FILES", 1)
    (outer / "inner/web/a.txt").write_text("")
    assert "not searched through" in found(df)[0]


def test_one_run_of_the_command_lists_the_repository_once(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from refactor.cli import main
    from refactor.knowledge.context import repository_reads

    repo(tmp_path, {"docs/Dockerfile": SITE, "admin/Dockerfile": SITE})
    walks = []
    real = pc._walk
    monkeypatch.setattr(pc, "_walk", lambda root: walks.append(root) or real(root))
    out = CliRunner().invoke(main, ["--diff", "--no-color", "-j", "1", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert out.output.count("+USER 101:101") == 3  # each site runs unprivileged: nothing uses port 80
    assert walks == [tmp_path]
    assert repository_reads() is None  # dropped once the command is done
    found(tmp_path / "web/Dockerfile")
    found(tmp_path / "web/Dockerfile")
    assert walks == [tmp_path] * 3  # outside a run every search reads afresh


def test_yaml_reader_keeps_lines():
    doc = read("a:\n  b: [1, '2:3']\n  c: |\n    x: y\n  - bad\n---\nk: &x v\n")
    assert doc[0].get("a").get("b").items()[1].scalar() == "2:3"
    assert doc[0].get("a").get("c").scalar() == "x: y" and doc[0].unsure
    assert doc[1].get("k").scalar() == "v" and doc[1].get("k").line == 7


@pytest.mark.parametrize("codemod", ["non-root"])
def test_non_root_declines_for_a_manifest_and_changes_without(tmp_path, codemod):
    df = repo(tmp_path, {"deploy/site.yaml": "kind: Deployment\nspec:\n  containers:\n    - image: me/site\n"
                                             "      ports:\n        - containerPort: 80\n"})
    sel = make_selection([codemod])
    r = refactor_text(SITE, df, df.parent, sel)
    assert not r.changed
    assert any(s.reason.startswith("deploy/site.yaml:6 `containerPort: 80`") and "keep root" in s.reason
               for s in r.skips), r.skips
    (tmp_path / "deploy/site.yaml").unlink()
    r = refactor_text(SITE, df, df.parent, sel)
    assert r.changed and "USER 101:101" in r.output and "EXPOSE 8080" in r.output

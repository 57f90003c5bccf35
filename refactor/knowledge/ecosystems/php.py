"""PHP: Composer. What `composer install` reads (composer.json, composer.lock, auth.json, local
path repositories) and runs (scripts, the autoloader dump), and writes (vendor)."""
from __future__ import annotations

from refactor.knowledge.ecosystems.steps import Options, StepReader, read_json, subdir

COMPOSER_EVENTS = (
    "pre-install-cmd", "post-install-cmd", "pre-autoload-dump", "post-autoload-dump",
    "pre-package-install", "post-package-install", "post-root-package-install",
)


def _composer(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("-d", "--working-dir", "--ignore-platform-req"))
    pos = o.positional
    if not pos or pos[0] not in ("install", "i") or pos[1:]:
        return None
    s = StepReader("composer", cmd, index, subdir(cwd, o.value("-d", "--working-dir")), ctx, resolve)
    if not s.ok:
        return s.freeze()
    cj = s.need("composer.json")
    s.maybe("composer.lock")
    s.maybe("auth.json", config=True)
    data = read_json(s, cj) if s.sent(cj) else None
    data = data or {}
    scripts = data.get("scripts") if isinstance(data.get("scripts"), dict) else {}
    if not o.has("--no-scripts"):
        hooks = [k for k in COMPOSER_EVENTS if k in scripts]
        if hooks:
            s.needs.append(f"composer.json has script(s) {', '.join(hooks)} that the install runs")
    if not o.has("--no-autoloader"):
        cfg = data.get("config") if isinstance(data.get("config"), dict) else {}
        optimize = o.has("-o", "--optimize-autoloader", "-a", "--classmap-authoritative", "--apcu-autoloader") or cfg.get("optimize-autoloader") or cfg.get("classmap-authoritative")
        autoload = data.get("autoload") if isinstance(data.get("autoload"), dict) else {}
        if optimize:
            s.needs.append("the optimized autoloader scans the sources (use --no-autoloader, then `composer dump-autoload -o` after the copy)")
        elif autoload.get("classmap"):
            s.needs.append("the classmap autoloader scans the sources (use --no-autoloader, then `composer dump-autoload` after the copy)")
    for repo in data.get("repositories") or []:
        if isinstance(repo, dict) and repo.get("type") == "path":
            s.local.append(f"path repository {repo.get('url')}")
    vendor = ((data.get("config") or {}) if isinstance(data.get("config"), dict) else {}).get("vendor-dir", "vendor")
    s.outputs.append(s.at(str(vendor)))
    return s.freeze()


NAME = "php"
IMAGES = ("php",)
MANIFESTS = ("composer.json", "composer.lock", "auth.json")
CONTEXT_MARKERS = ("composer.json",)
LANGUAGE_TOOLS: frozenset[str] = frozenset()
INSTALLERS = {"composer": _composer}
GENERATED = {"composer": ("vendor",)}

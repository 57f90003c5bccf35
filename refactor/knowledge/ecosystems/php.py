"""PHP: Composer. What `composer install` reads (composer.json, composer.lock, auth.json, local
path repositories) and runs (scripts, the autoloader dump), and writes (vendor); the official php
images (variants, www-data's ids, the extension helpers); how Composer gets into an image
(`COPY --from=composer`, the getcomposer.org installer) and the packages only it needs; the
flags of its install and dump-autoload; development commands a start command must not be."""
from __future__ import annotations


from refactor.knowledge.ecosystems.steps import Options, StepReader, read_json, subdir
from refactor.syntax.lazy_re import lazy

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
    for url in path_repositories(data):
        s.local.append(f"path repository {url}")
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


# ---- the official php images ------------------------------------------------------------------

# Tag words of php:<version>-<variant>[-<distro>]: cli is the default variant.
PHP_VARIANTS = ("cli", "fpm", "apache", "zts")


def php_variant(variants: tuple[str, ...]) -> str:
    """cli | fpm | apache | zts for the tag words after the version."""
    return next((v for v in variants if v in PHP_VARIANTS), "cli")


# The images' own unprivileged account: Debian's www-data is 33, the alpine images make it 82.
WWW_DATA_DEBIAN = ("www-data", 33, 33)
WWW_DATA_ALPINE = ("www-data", 82, 82)

# Commands of the official images (and mlocati's installer) that build and enable extensions:
# they write into the PHP installation, so the runner runs them again in the same order.
EXTENSION_COMMANDS = frozenset({
    "docker-php-ext-install", "docker-php-ext-enable", "docker-php-ext-configure", "docker-php-source",
    "pecl", "pear", "install-php-extensions", "phpenmod",
})

# ---- Composer itself ---------------------------------------------------------------------------

# Images whose /usr/bin/composer Dockerfiles copy in (`COPY --from=composer:2 ...`).
COMPOSER_IMAGES = ("composer", "composer/composer", "docker.io/library/composer", "docker.io/composer/composer")
# Shell text that downloads or installs Composer (the getcomposer.org installer and its phar).
COMPOSER_INSTALLER = lazy(r"getcomposer\.org|composer-setup\.php|composer\.phar|composer\.github\.io")
# apt packages Composer needs to fetch and unpack packages and nothing at run time needs.
COMPOSER_ONLY_PACKAGES = frozenset({"git", "unzip", "zip", "p7zip-full", "7zip", "p7zip", "subversion", "mercurial"})

# Flags of `composer install`: the autoloader flags move to the dump after the source copy.
AUTOLOADER_FLAGS = {"-o": "--optimize", "--optimize-autoloader": "--optimize",
                    "-a": "--classmap-authoritative", "--classmap-authoritative": "--classmap-authoritative",
                    "--apcu-autoloader": "--apcu"}
# Events `composer install` fires. The autoload-dump events and post-install-cmd run in the
# builder (after the source copy); the others fire while packages install, before the sources.
AFTER_SOURCE_EVENTS = ("pre-autoload-dump", "post-autoload-dump", "post-install-cmd")
DURING_INSTALL_EVENTS = ("pre-install-cmd", "pre-package-install", "post-package-install")


def composer_scripts(data: dict) -> dict:
    scripts = data.get("scripts")
    return scripts if isinstance(scripts, dict) else {}


def path_repositories(data: dict) -> list[str]:
    """The `url`s of composer.json's `path` repositories (local packages)."""
    out = []
    repos = data.get("repositories") or []
    if isinstance(repos, dict):
        repos = list(repos.values())
    for repo in repos:
        if isinstance(repo, dict) and repo.get("type") == "path":
            out.append(str(repo.get("url")))
    return out


def vendor_dir(data: dict) -> str:
    cfg = data.get("config") if isinstance(data.get("config"), dict) else {}
    return str(cfg.get("vendor-dir", "vendor")).strip("/") or "vendor"


# Packages and programs that start as root and manage their own users (a web server next to
# php-fpm, a process supervisor, cron): an image that has them is not run as www-data.
ROOT_SERVICES = frozenset({"nginx", "nginx-light", "nginx-full", "apache2", "httpd", "lighttpd", "caddy", "supervisor",
                           "supervisord", "cron", "crond", "dcron", "cronie", "s6", "s6-overlay", "runit", "openrc",
                           "s6-svscan", "runsvdir", "apache2-foreground", "httpd-foreground"})

DEV_PHP_PATTERNS = (
    (lazy(r"(?:^|[\s;&|(/])composer(?:\.phar)?(?=\s|$)"), "Composer runs at run time (the runner has no Composer)"),
    (lazy(r"(?:^|[\s;&|(/])(?:phpunit|pest|phpstan|psalm|php-cs-fixer|phpcs)\b"), "a development tool"),
    (lazy(r"\bartisan\s+(?:serve\b.*--watch|pail|test)\b|\bsail\b"), "a development command"),
)

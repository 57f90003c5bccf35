"""multi-stage for PHP (Composer): the shape of the split on the php fixtures (deps installs from
composer.json + composer.lock alone, the builder dumps the autoloader after the sources, the
runner is the same php image with its extension steps again, no Composer, git or unzip, and
www-data), and the declines with their reasons. The fixtures themselves (exact output,
idempotence, comments kept) run in tests/test_multi_stage.py."""
from __future__ import annotations

import pytest

from conftest import read_text_exact
from test_multi_stage import CORPUS, run, write_context

LOCK = '{"packages": [], "packages-dev": [], "content-hash": "x"}'


def stages(case: str) -> dict[str, str]:
    """Stage name -> the stage's text, from the fixture's Dockerfile.after."""
    text = read_text_exact(CORPUS / case / "Dockerfile.after")
    out, name = {}, None
    for line in text.splitlines():
        if line.upper().startswith("FROM "):
            name = line.split()[-1].lower()
            out[name] = ""
        if name:
            out[name] += line + "\n"
    return out


def test_php_fixtures_exist():
    names = {c.name for c in CORPUS.iterdir() if c.name.startswith("php-")}
    assert {"php-composer-plain", "php-laravel", "php-extensions", "php-fpm-alpine-pecl", "php-apache", "php-no-lock"} <= names


def test_deps_install_reads_only_the_manifests():
    s = stages("php-composer-plain")
    deps = s["deps"]
    assert "COPY composer.json composer.lock ./" in deps and "COPY . ." not in deps
    install = next(ln for ln in deps.splitlines() if "composer install" in ln)
    for flag in ("--no-dev", "--no-scripts", "--no-autoloader", "--prefer-dist", "--no-interaction"):
        assert flag in install
    assert "--optimize-autoloader" not in install  # moved to the dump, after the sources
    builder = s["builder"]
    assert builder.index("COPY . .") < builder.index("RUN composer dump-autoload --optimize --no-dev")
    assert "--classmap-authoritative" not in builder  # only when the user asked for it
    ext = stages("php-extensions")["builder"]
    assert "composer dump-autoload --optimize --classmap-authoritative --no-dev" in ext


def test_runner_is_the_same_image_without_composer_git_unzip():
    for case, image in (("php-composer-plain", "php:8.2-cli"), ("php-laravel", "php:8.2-fpm"),
                        ("php-extensions", "php:8.2-cli-bookworm"), ("php-fpm-alpine-pecl", "php:8.3-fpm-alpine")):
        runner = stages(case)["runner"]
        assert runner.startswith(f"FROM {image} AS runner"), case
        # the original's ENV lines stay (COMPOSER_ALLOW_SUPERUSER=1), nothing else of Composer
        assert "composer" not in "".join(ln for ln in runner.lower().splitlines() if not ln.startswith("env ")), case
        for pkg in ("git", "unzip"):
            assert f" {pkg} " not in runner.replace("\\\n", " ").replace("\n", " ") + " ", (case, pkg)


def test_runner_repeats_the_extension_steps_in_order():
    runner = stages("php-extensions")["runner"]
    order = ["libfreetype6-dev", "docker-php-ext-configure gd", "docker-php-ext-install -j$(nproc) gd intl opcache",
             'mv "$PHP_INI_DIR/php.ini-production"', "/opt/app ./"]
    positions = [runner.index(x) for x in order]
    assert positions == sorted(positions)
    # the ini file the original copied into PHP's conf.d reaches the runner too
    assert "/usr/local/etc/php/conf.d/opcache.ini" in runner
    alpine = stages("php-fpm-alpine-pecl")["runner"]
    assert "pecl install redis-6.0.2" in alpine and "docker-php-ext-enable redis" in alpine


def test_runner_user_is_www_data_of_the_image_family():
    assert "USER 33:33" in stages("php-composer-plain")["runner"]
    assert "--chown=www-data:www-data /srv/app ./" in stages("php-composer-plain")["runner"]
    assert "USER 82:82" in stages("php-fpm-alpine-pecl")["runner"]  # the alpine images' www-data


def test_laravel_artisan_stays_in_the_builder_and_storage_is_writable():
    s = stages("php-laravel")
    builder = s["builder"]
    assert builder.index("COPY . /var/www") < builder.index("composer dump-autoload") < builder.index("php artisan config:cache")
    assert "artisan" not in s["runner"]
    # the app folder (storage/, bootstrap/cache/) belongs to www-data
    assert "COPY --from=builder --chown=www-data:www-data /var/www ./" in s["runner"]
    edit = run(CORPUS / "php-laravel" / "Dockerfile").edits[0]
    assert "post-autoload-dump" in edit.rationale and "www-data" in edit.rationale


def test_explanation_names_what_leaves():
    edit = run(CORPUS / "php-composer-plain" / "Dockerfile").edits[0]
    assert "getcomposer.org" in edit.summary and "git, unzip" in edit.summary
    assert "require-dev" in edit.rationale and "phpunit/phpunit" in edit.rationale


PHP_SKIPS = {
    "apache": ({"composer.json": "{}", "composer.lock": LOCK},
               "FROM php:8.2-apache\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nCOPY . /var/www/html/\n"
               "RUN composer install\nCMD [\"apache2-foreground\"]\n", "binds port 80 as root"),
    "no-lock": ({"composer.json": "{}", "index.php": ""},
                "FROM php:8.2-cli\nWORKDIR /app\nCOPY . .\nRUN composer install\nCMD [\"php\", \"index.php\"]\n",
                "no composer.lock"),
    "path-repository": ({"composer.json": '{"repositories": [{"type": "path", "url": "../lib"}]}', "composer.lock": LOCK},
                        "FROM php:8.2-cli\nWORKDIR /app\nCOPY . .\nRUN composer install\nCMD [\"php\", \"index.php\"]\n",
                        "local path packages (../lib)"),
    "pre-install-script": ({"composer.json": '{"scripts": {"pre-install-cmd": "php bin/check.php"}}', "composer.lock": LOCK},
                           "FROM php:8.2-cli\nWORKDIR /app\nCOPY . .\nRUN composer install\nCMD [\"php\", \"index.php\"]\n",
                           "pre-install-cmd"),
    "vendor-in-context": ({"composer.json": "{}", "composer.lock": LOCK, "vendor/autoload.php": ""},
                          "FROM php:8.2-cli\nWORKDIR /app\nCOPY . .\nRUN composer install\nCMD [\"php\", \"index.php\"]\n",
                          "sends vendor/"),
    "composer-at-run-time": ({"composer.json": "{}", "composer.lock": LOCK},
                             "FROM php:8.2-cli\nWORKDIR /app\nCOPY . .\nRUN composer install\nCMD [\"composer\", \"start\"]\n",
                             "Composer runs at run time"),
    "no-composer-install": ({"composer.json": "{}", "index.php": ""},
                            "FROM php:8.2-cli\nWORKDIR /app\nCOPY . .\nCMD [\"php\", \"index.php\"]\n",
                            "composer install"),
    "composer-global": ({"composer.json": "{}", "composer.lock": LOCK},
                        "FROM php:8.2-cli\nRUN composer global require phpunit/phpunit\nWORKDIR /app\nCOPY . .\n"
                        "RUN composer install\nCMD [\"php\", \"index.php\"]\n", "outside the project"),
    "nginx-and-supervisord": ({"composer.json": "{}", "composer.lock": LOCK},
                              "FROM php:8.2-fpm\nRUN apt-get update && apt-get install -y nginx supervisor\n"
                              "WORKDIR /var/www/html\nCOPY . .\nRUN composer install\nEXPOSE 8080\nCMD [\"supervisord\", \"-n\"]\n",
                              "starts as root"),
    "entrypoint-chown": ({"composer.json": "{}", "composer.lock": LOCK,
                          "entrypoint.sh": "#!/bin/sh\nchown -R www-data storage\nexec \"$@\"\n"},
                         "FROM php:8.2-fpm\nWORKDIR /var/www/html\nCOPY . .\nRUN composer install\n"
                         "ENTRYPOINT [\"./entrypoint.sh\"]\nCMD [\"php-fpm\"]\n", "changes file owners"),
}


@pytest.mark.parametrize("name", sorted(PHP_SKIPS))
def test_php_skips_with_a_reason(tmp_path, name):
    files, dockerfile, reason = PHP_SKIPS[name]
    result = run(write_context(tmp_path, files, dockerfile))
    assert result.error is None
    assert result.output == dockerfile, result.output
    reasons = [s.reason for s in result.skips if s.codemod == "multi-stage"]
    assert any(reason in r for r in reasons), reasons


def test_dev_tools_in_the_build_keep_require_dev(tmp_path):
    files = {"composer.json": '{"require-dev": {"phpunit/phpunit": "^10"}}', "composer.lock": LOCK, "index.php": ""}
    text = ("FROM php:8.2-cli\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /app\nCOPY . .\n"
            "RUN composer install\nRUN vendor/bin/phpunit\nCMD [\"php\", \"index.php\"]\n")
    result = run(write_context(tmp_path, files, text))
    assert result.error is None and result.output != text
    install = next(ln for ln in result.output.splitlines() if "composer install" in ln)
    assert "--no-dev" not in install
    assert "keeps the require-dev packages" in result.edits[0].rationale


def test_root_user_of_the_original_kept_when_it_names_one(tmp_path):
    files = {"composer.json": "{}", "composer.lock": LOCK, "index.php": ""}
    text = ("FROM php:8.2-fpm\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /var/www/html\n"
            "COPY . .\nRUN composer install --no-dev\nUSER www-data\nCMD [\"php-fpm\"]\n")
    result = run(write_context(tmp_path, files, text))
    assert result.error is None
    runner = result.output.split("AS runner", 1)[1]
    assert "USER www-data" in runner and runner.count("USER") == 1


def test_vendor_reaches_the_runner_from_a_system_folder(tmp_path):
    files = {"composer.json": "{}", "composer.lock": LOCK, "public/index.php": ""}
    text = ("FROM php:8.2-fpm\nCOPY --from=composer:2 /usr/bin/composer /usr/bin/composer\nWORKDIR /usr/src\n"
            "COPY . /usr/src\nRUN composer install\nCMD [\"php-fpm\"]\n")
    result = run(write_context(tmp_path, files, text))
    assert result.error is None and result.output != text
    runner = result.output.split("AS runner", 1)[1]
    assert "COPY --from=builder /usr/src/vendor ./vendor/" in runner  # a folder, not its contents


def test_composer_installer_pipeline_leaves_the_runner(tmp_path):
    files = {"composer.json": "{}", "composer.lock": LOCK, "public/index.php": ""}
    text = ("FROM php:8.2-cli\nRUN apt-get update && apt-get install -y git libzip-dev \\\n"
            "    && docker-php-ext-install zip \\\n"
            "    && curl -sS https://getcomposer.org/installer | php -- --install-dir=/usr/bin --filename=composer\n"
            "WORKDIR /app\nCOPY . .\nRUN composer install\nCMD [\"php\", \"-S\", \"0.0.0.0:8000\"]\n")
    result = run(write_context(tmp_path, files, text))
    assert result.error is None and result.output != text
    runner = result.output.split("AS runner", 1)[1]
    assert "docker-php-ext-install zip" in runner and "libzip-dev" in runner
    assert "getcomposer" not in runner and " git" not in runner and "| php" not in runner

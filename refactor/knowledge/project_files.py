"""Files and folders of a project that never belong in a running image (VCS, CI, editor and
linter configuration, tests), folders a server commonly reads at run time, and the system
folders an image's own files live in."""
from __future__ import annotations

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

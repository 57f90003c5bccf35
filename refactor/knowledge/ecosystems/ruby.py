"""Ruby: Bundler. What `bundle install` reads (Gemfile, Gemfile.lock, .bundle/config, local
`path:` gems and gemspecs); Gemfile.lock read into gems, platforms and sources; the gems that
build native extensions and the runtime libraries those need in a slim or alpine runner; the
commands gems bring; start commands that are development or build tools."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from refactor.knowledge.ecosystems.steps import Options, StepReader
from refactor.syntax.lazy_re import lazy


def _bundle(cmd, args, index, cwd, ctx, resolve, generated):
    o = Options(args, ("--gemfile", "--path", "--without", "--with", "-j", "--jobs", "--retry", "--binstubs"))
    pos = o.positional
    if pos and pos[0] not in ("install",) or pos[1:]:
        return None
    s = StepReader("bundler", cmd, index, cwd, ctx, resolve)
    if not s.ok:
        return s.freeze()
    gemfile = o.value("--gemfile")
    if gemfile is None and s.sent(s.at("gems.rb")) and not s.ctx.exists(s.at("Gemfile")):
        gemfile = "gems.rb"
    gemfile = gemfile or "Gemfile"
    gf = s.need(gemfile)
    lock = "gems.locked" if gemfile.endswith("gems.rb") else gemfile + ".lock"
    has_lock = s.maybe(lock)
    s.maybe(".bundle/config", config=True)
    frozen = o.has("--frozen", "--deployment")
    if has_lock and not frozen:
        s.rewrites.append(s.at(lock))
    if o.has("--deployment"):
        s.outputs.append(s.at("vendor/bundle"))
    if o.value("--path"):
        p = o.value("--path")
        if not p.startswith("/"):
            s.outputs.append(s.at(p))
        s.outputs.append(s.at(".bundle"))
    text = s.read(gf) or ""
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        if re.match(r"^\s*gemspec\b", code):
            s.local.append("gemspec (the Gemfile installs the project's own gem)")
        if re.search(r"(\bpath:|:path\s*=>)", code):
            s.local.append(code.strip())
        if re.search(r"\b(eval_gemfile|require_relative|File\.|Dir\.|IO\.)", code):
            s.unknown.append(f"{gf} runs Ruby that may read other files: {code.strip()}")
        m = re.search(r"\bruby\s+file:\s*['\"]([^'\"]+)['\"]", code)
        if m:
            s.need(m.group(1), config=True)
    return s.freeze()


NAME = "ruby"
IMAGES = ("ruby",)
MANIFESTS = ("Gemfile", "Gemfile.lock", "gems.rb", "gems.locked", "*.gemspec", ".bundle/config")
CONTEXT_MARKERS = ("Gemfile", "gems.rb")
LANGUAGE_TOOLS: frozenset[str] = frozenset()
INSTALLERS = {"bundle": _bundle, "bundler": _bundle}
GENERATED = {"bundler": ()}

# Programs every official ruby image has on PATH.
RUBY_TOOLS = frozenset({"ruby", "gem", "bundle", "bundler", "irb", "erb", "rake", "ri", "rdoc"})

# Where the official images install gems and keep Bundler's app config (GEM_HOME and
# BUNDLE_APP_CONFIG), and where deployment mode puts the bundle (relative to the app).
GEM_HOME = "/usr/local/bundle"
DEPLOYMENT_PATH = "vendor/bundle"

# Bundler settings, by their ENV spelling, that say where and how gems are installed: a
# Dockerfile that sets one chose for itself, and the split does not add its own.
BUNDLE_SETTINGS = {
    "deployment": "BUNDLE_DEPLOYMENT", "frozen": "BUNDLE_FROZEN", "path": "BUNDLE_PATH",
    "without": "BUNDLE_WITHOUT", "with": "BUNDLE_WITH", "only": "BUNDLE_ONLY",
    "path.system": "BUNDLE_PATH__SYSTEM", "system": "BUNDLE_SYSTEM",
}

# Start commands that build, install or develop rather than run the app.
DEV_RUBY_PATTERNS = (
    (lazy(r"\bbundle[r]?\s+(?:install|update|lock|package|cache)\b|(?:^|[\s;&|])bundle[r]?\s*(?:$|[;&|])"),
     "`bundle install` at start installs gems (and needs compilers) at run time"),
    (lazy(r"(?:^|[\s/;&|])rake\b"), "rake tasks at start need what the build had"),
    (lazy(r"\bassets:precompile\b"), "asset compilation is a build step"),
    (lazy(r"\bgem\s+install\b"), "`gem install` at start installs gems at run time"),
    (lazy(r"(?:^|[\s/;&|])(?:rerun|guard|shotgun|spring|rspec|rubocop|rdbg|byebug)\b"), "a development tool"),
    (lazy(r"(?:^|[\s;&|])(?:\./)?bin/dev\b|Procfile\.dev\b"), "the development Procfile"),
)


# ---- native gems ------------------------------------------------------------------------------

# Gems whose C extension (or FFI binding) needs a system library at run time: the Debian
# bookworm runtime packages (alpine names come from system_packages.DEBIAN_TO_ALPINE). The full
# ruby image (buildpack-deps) has the -dev packages of all of these, so a Dockerfile that never
# names one still builds; the slim runner must get the library itself.
GEM_NATIVE_RUNTIME: dict[str, tuple[str, ...]] = {
    "pg": ("libpq5",),
    "mysql2": ("libmariadb3",),
    "sqlite3": ("libsqlite3-0",),
    "libxml-ruby": ("libxml2",),
    "rmagick": ("libmagickwand-6.q16-6",),
    "mini_magick": ("imagemagick",),  # runs the `convert`/`identify` commands
    "ruby-vips": ("libvips42",),  # loads libvips with ffi
    "curb": ("libcurl4",),
    "ethon": ("libcurl4",),  # typhoeus; loads libcurl with ffi
    "ruby-filemagic": ("libmagic1",),
    "charlock_holmes": ("libicu72",),
    "idn-ruby": ("libidn12",),
    "ruby-odbc": ("unixodbc",),
    "snappy": ("libsnappy1v5",),
    "gdbm": ("libgdbm6",),
    "ffi": ("libffi8",),
}

# Nokogiri and friends compile a bundled copy of their library unless told to use the system's
# (`bundle config build.nokogiri --use-system-libraries`, NOKOGIRI_USE_SYSTEM_LIBRARIES).
GEM_SYSTEM_LIBRARIES_RUNTIME: dict[str, tuple[str, ...]] = {
    "nokogiri": ("libxml2", "libxslt1.1"),
}

# Gems with a C extension that links nothing the slim images lack (libc, libstdc++, libssl,
# libyaml, libgmp, zlib, libffi: the official slim keeps their -dev packages) or vendors its
# library.
GEM_NATIVE_SELF_CONTAINED = frozenset(
    """bcrypt bcrypt_pbkdf bigdecimal bootsnap byebug date debug digest-crc ed25519 escape_utils
    eventmachine fast_blank hiredis http_parser.rb io-console jaro_winkler json kgio msgpack
    nio4r nokogiri oj puma racc raindrops rbs redcarpet stringio strscan thin unf_ext unicorn
    websocket-driver psych zlib openssl digest etc fiddle prism stackprof ruby-prof posix-spawn
    sassc google-protobuf grpc mini_racer zstd-ruby rinku commonmarker trilogy pg_query
    bootsnap cbor ox yajl-ruby levenshtein-ffi
    """.split()
)

# Gems known to build against a system library this table does not map: the split declines.
GEM_NATIVE_UNMAPPED = frozenset(
    """therubyracer libv8 ruby-oci8 tiny_tds rugged pcaprub gpgme ruby-ldap qtbindings
    ruby-gnome2 gtk3 glib2 cairo poppler rsvg2 ruby-xslt geoip-c mapscript rgeo-proj4 ruby-mysql
    """.split()
)

# Executables gems install whose name is not the gem's.
GEM_EXECUTABLES: dict[str, tuple[str, ...]] = {
    "railties": ("rails",), "rack": ("rackup",), "rackup": ("rackup",), "puma": ("puma", "pumactl"),
    "unicorn": ("unicorn", "unicorn_rails"), "thin": ("thin",), "sidekiq": ("sidekiq", "sidekiqmon"),
    "passenger": ("passenger", "passenger-status"), "falcon": ("falcon",), "iodine": ("iodine",),
    "foreman": ("foreman",), "good_job": ("good_job",), "resque": ("resque", "resque-web"),
    "sinatra": (), "webrick": (), "rails": ("rails",),
}


@dataclass
class Lockfile:
    """What Gemfile.lock says: the gems (name -> version with platform suffix), the sources that
    are not a gem server (GIT, PATH), its platforms and the Bundler that wrote it."""

    gems: dict[str, str] = field(default_factory=dict)
    git: list[str] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    bundled_with: str | None = None
    dependencies: list[str] = field(default_factory=list)


def read_lockfile(text: str) -> Lockfile:
    out = Lockfile()
    section = ""
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            section = line.strip()
            continue
        if section in ("GEM", "GIT", "PATH"):
            m = re.match(r"^ {4}([A-Za-z0-9_.-]+) \(([^)]+)\)", line)
            if m:
                out.gems[m.group(1)] = m.group(2)
            if section == "GIT" and line.strip().startswith("remote:"):
                out.git.append(line.split(":", 1)[1].strip())
            if section == "PATH" and line.strip().startswith("remote:"):
                out.path.append(line.split(":", 1)[1].strip())
        elif section == "PLATFORMS":
            out.platforms.append(line.strip())
        elif section == "BUNDLED WITH":
            out.bundled_with = line.strip()
        elif section == "DEPENDENCIES":
            m = re.match(r"^ {2}([A-Za-z0-9_.-]+)", line)
            if m:
                out.dependencies.append(m.group(1))
    return out


def precompiled(version: str) -> bool:
    """`1.15.4-x86_64-linux`: a platform gem carrying its compiled extension (and, for nokogiri
    and sqlite3, the library itself)."""
    return bool(re.search(r"-(?:x86_64|aarch64|arm64|arm|x86|universal)[-\w]*$", version))


def gemfile_groups(text: str) -> set[str]:
    """The group names a Gemfile declares (`group :development, :test do`, `group: :test`)."""
    out: set[str] = set()
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        m = re.match(r"^\s*group\s*\(?(.+?)\)?\s*do\b", code)
        if m:
            out |= {a or b for a, b in re.findall(r":(\w+)|['\"](\w+)['\"]", m.group(1))}
        for g in re.findall(r"\bgroups?:\s*\[?\s*((?::\w+\s*,?\s*)+)", code):
            out |= set(re.findall(r":(\w+)", g))
    return out


def gemfile_group_gems(text: str, groups: set[str]) -> set[str]:
    """The gems a Gemfile puts only in `groups` (inside `group :development, :test do … end`, or
    `gem "x", group: :test`)."""
    out: set[str] = set()
    stack: list[bool] = []  # per open `do` block: is it a group block of `groups`
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        m = re.match(r"^\s*group\s*\(?(.+?)\)?\s*do\b", code)
        if m:
            names = {a or b for a, b in re.findall(r":(\w+)|['\"](\w+)['\"]", m.group(1))}
            stack.append(bool(names) and names <= groups)
            continue
        if re.search(r"\bdo\s*(\|[^|]*\|)?\s*$", code):
            stack.append(False)
            continue
        if re.match(r"^\s*end\b", code) and stack:
            stack.pop()
            continue
        g = re.match(r"^\s*gem\s*\(?\s*['\"]([^'\"]+)['\"]", code)
        if not g:
            continue
        inline = set()
        for grp in re.findall(r"\bgroups?:\s*\[?\s*((?::\w+\s*,?\s*)+)", code):
            inline |= set(re.findall(r":(\w+)", grp))
        if (inline and inline <= groups) or (not inline and any(stack)):
            out.add(g.group(1))
    return out


def gemfile_git_sources(text: str) -> list[str]:
    """Lines of a Gemfile that fetch gems from git (`git:`, `github:`, `git_source`, `git do`)."""
    out = []
    for line in text.splitlines():
        code = line.split("#", 1)[0]
        if re.search(r"\b(?:git|github|gist|bitbucket):|:(?:git|github)\s*=>|^\s*git\s+['\"]|\bgit_source\b", code):
            out.append(code.strip())
    return out

"""multi-stage for Ruby (Bundler): the slim/alpine runner tag, Gemfile.lock reading, the Bundler
settings the split adds or leaves to the user, the runtime libraries native gems get, and each
decline with the reason the user reads. The fixtures (corpus/multi-stage/ruby-*) are checked by
tests/test_multi_stage.py; the sample corpus/samples/ruby-web is built by test_samples_build.py."""
from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest

from refactor.engine.runner import make_selection, refactor_text
from refactor.knowledge.ecosystems.ruby import gemfile_group_gems, gemfile_groups, precompiled, read_lockfile
from refactor.knowledge.runner_images import parse_base, runner_kind, slim_tag

SELECT = make_selection(["multi-stage"])


def lock(*specs: str, deps: tuple[str, ...] = (), platforms: tuple[str, ...] = ("ruby", "x86_64-linux")) -> str:
    body = "".join(f"    {s}\n" for s in specs)
    names = deps or tuple(s.split(" ", 1)[0] for s in specs)
    return ("GEM\n  remote: https://rubygems.org/\n  specs:\n" + body + "\nPLATFORMS\n"
            + "".join(f"  {p}\n" for p in platforms) + "\nDEPENDENCIES\n" + "".join(f"  {d}\n" for d in names)
            + "\nBUNDLED WITH\n   2.4.22\n")


def gemfile(*names: str, extra: str = "") -> str:
    return 'source "https://rubygems.org"\n' + "".join(f'gem "{n}"\n' for n in names) + extra


def run(tmp_path: Path, files: dict[str, str | bytes], dockerfile: str):
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text if isinstance(text, bytes) else text.encode())
    path = tmp_path / "Dockerfile"
    path.write_text(dockerfile)
    result = refactor_text(dockerfile, path=path, selection=SELECT)
    assert result.error is None
    return result


def reasons(result) -> list[str]:
    return [s.reason for s in result.skips if s.codemod == "multi-stage"]


def runner_of(text: str) -> str:
    return text.split(" AS runner", 1)[1]


SIMPLE = "FROM ruby:3.1\nWORKDIR /app\nCOPY . .\nRUN bundle install\nCMD [\"bundle\", \"exec\", \"ruby\", \"app.rb\"]\n"


# --- knowledge ------------------------------------------------------------------------------------


@pytest.mark.parametrize("image, tag", [
    ("ruby:3.1", "3.1-slim"), ("ruby:3.1-bookworm", "3.1-slim-bookworm"), ("ruby:3.2.3", "3.2.3-slim"),
    ("ruby:3.1-slim", "3.1-slim"), ("ruby:3.2-alpine", "3.2-alpine"), ("ruby:3.3-alpine3.19", "3.3-alpine3.19"),
    ("ruby:latest", "slim"), ("ruby:3.1-slim-bullseye", "3.1-slim-bullseye"),
])
def test_ruby_runner_tag(image, tag):
    assert slim_tag(parse_base(image)) == tag
    assert runner_kind(f"ruby:{tag}") == ("alpine" if "alpine" in tag else "debian")


def test_lockfile_reading():
    text = ("GIT\n  remote: https://github.com/x/y.git\n  revision: abc\n  specs:\n    y (0.1.0)\n\n"
            + lock("nokogiri (1.16.2-x86_64-linux)", "      racc (~> 1.4)", "pg (1.5.5)", deps=("nokogiri", "pg", "y!")))
    lf = read_lockfile(text)
    assert lf.gems == {"y": "0.1.0", "nokogiri": "1.16.2-x86_64-linux", "pg": "1.5.5"}
    assert lf.git == ["https://github.com/x/y.git"] and lf.dependencies == ["nokogiri", "pg", "y"]
    assert lf.platforms == ["ruby", "x86_64-linux"] and lf.bundled_with == "2.4.22"
    assert precompiled("1.16.2-x86_64-linux") and precompiled("1.6.9-x86_64-linux-musl") and not precompiled("1.5.5")


def test_gemfile_groups():
    text = 'group :development, :test do\n  gem "x"\nend\ngem "y", group: :test\ngroup(:production) do\nend\n'
    assert gemfile_groups(text) == {"development", "test", "production"}


# --- what the split writes -------------------------------------------------------------------------


def test_production_app_gets_deployment_and_without(tmp_path):
    files = {"Gemfile": gemfile("webrick", extra='group :test do\n  gem "minitest"\nend\n'),
             "Gemfile.lock": lock("minitest (5.22.2)", "webrick (1.8.1)"), "app.rb": 'require "bundler/setup"\n'}
    out = run(tmp_path, files, SIMPLE.replace("WORKDIR /app\n", "ENV RACK_ENV=production\nWORKDIR /app\n")).output
    deps = out.split(" AS builder", 1)[0]
    assert "COPY Gemfile Gemfile.lock ./\n" in deps
    assert "bundle config set --local deployment 'true' \\\n    && bundle config set --local without 'development test'" in deps
    assert deps.index("COPY Gemfile") < deps.index("bundle config set") < deps.index("RUN bundle install")
    runner = runner_of(out)
    assert "FROM ruby:3.1-slim AS runner" in out and "COPY --from=builder /usr/local/bundle /usr/local/bundle" in runner
    assert "COPY --from=builder --chown=app:app /app ./" in runner and "USER 10001:10001" in runner


def test_development_env_keeps_the_groups(tmp_path):
    """Without RACK_ENV/RAILS_ENV=production the app may load its development gems (Sinatra's
    reloader, Rails' listen): the split keeps them and says so."""
    files = {"Gemfile": gemfile("webrick", extra='group :development do\n  gem "rerun"\nend\n'),
             "Gemfile.lock": lock("rerun (0.14.0)", "webrick (1.8.1)"), "app.rb": 'require "bundler/setup"\n'}
    result = run(tmp_path, files, SIMPLE)
    assert "without" not in result.output and "deployment 'true'" in result.output
    assert "may load them" in result.edits[0].rationale


def test_a_development_gem_the_app_requires_keeps_the_groups(tmp_path):
    """`require "pry"` in the app's own code, with pry only in the development group: `without
    'development test'` would make the production server raise LoadError at start."""
    files = {"Gemfile": gemfile("webrick", extra='group :development, :test do\n  gem "pry"\n  gem "rack-test"\nend\n'),
             "Gemfile.lock": lock("pry (0.14.2)", "rack-test (2.1.0)", "webrick (1.8.1)"),
             "app.rb": 'require "bundler/setup"\nrequire "pry"\n',
             "spec/app_spec.rb": 'require "rack/test"\n'}
    result = run(tmp_path, files, SIMPLE.replace("WORKDIR /app\n", "ENV RACK_ENV=production\nWORKDIR /app\n"))
    assert "without" not in result.output and "deployment 'true'" in result.output
    assert "app.rb requires `pry`" in result.edits[0].rationale
    # required only by the tests: the groups go
    files["app.rb"] = 'require "bundler/setup"\n'
    result = run(tmp_path, files, SIMPLE.replace("WORKDIR /app\n", "ENV RACK_ENV=production\nWORKDIR /app\n"))
    assert "without 'development test'" in result.output


def test_gemfile_group_gems():
    text = ('gem "sinatra"\ngem "rack-test", group: :test\ngroup :development, :test do\n  gem "pry"\n'
            '  platforms :mri do\n    gem "byebug"\n  end\nend\ngem "puma"\ngroup :production do\n  gem "pg"\nend\n')
    assert gemfile_group_gems(text, {"development", "test"}) == {"rack-test", "pry", "byebug"}


def test_user_settings_are_kept(tmp_path):
    """ENV BUNDLE_* and `bundle config set --local` are the user's: nothing is added over them
    (a local setting would beat the ENV)."""
    files = {"Gemfile": gemfile("webrick", extra='group :test do\n  gem "minitest"\nend\n'),
             "Gemfile.lock": lock("minitest (5.22.2)", "webrick (1.8.1)"), "app.rb": 'require "bundler/setup"\n'}
    df = ("FROM ruby:3.1\nENV RACK_ENV=production BUNDLE_DEPLOYMENT=1 BUNDLE_WITHOUT=test\nWORKDIR /app\n"
          "COPY . .\nRUN bundle install\nCMD [\"bundle\", \"exec\", \"ruby\", \"app.rb\"]\n")
    out = run(tmp_path, files, df).output
    assert "bundle config set" not in out
    df2 = df.replace("ENV RACK_ENV=production BUNDLE_DEPLOYMENT=1 BUNDLE_WITHOUT=test\n", "ENV RACK_ENV=production\n") \
        .replace("RUN bundle install\n", "RUN bundle config set --local without 'test' && bundle install --jobs 4\n")
    out2 = run(tmp_path, files, df2).output
    assert out2.count("bundle config set") == 2 and "--local deployment 'true'\n" in out2  # ours + theirs


def test_bare_gem_command_keeps_gems_in_gem_home(tmp_path):
    """`rackup` or `puma` run without `bundle exec` find gems through GEM_HOME and PATH, which
    deployment's vendor/bundle is on neither: frozen instead, and the bundle is GEM_HOME."""
    files = {"Gemfile": gemfile("puma", "rack"), "Gemfile.lock": lock("nio4r (2.7.0)", "puma (6.4.2)", "rack (3.0.9)", deps=("puma", "rack")),
             "config.ru": "run ->(e) { [200, {}, []] }\n"}
    df = "FROM ruby:3.2\nWORKDIR /app\nCOPY . .\nRUN bundle install\nCMD [\"puma\", \"-p\", \"9292\"]\n"
    result = run(tmp_path, files, df)
    assert "bundle config set --local frozen 'true'" in result.output and "deployment" not in result.output
    assert "bundle (/usr/local/bundle)" in result.edits[0].rationale


def test_cmd_handed_over_by_an_entrypoint_script_counts(tmp_path):
    """Docker's Rails sample: `ENTRYPOINT ["entrypoint.sh"]` execs the CMD `rails server`, a bare
    gem command: frozen, not deployment."""
    files = {"Gemfile": gemfile("rails"), "Gemfile.lock": lock("railties (7.1.3)", "rails (7.1.3)", deps=("rails",)),
             "entrypoint.sh": '#!/bin/bash\nset -e\nrm -f /myapp/tmp/pids/server.pid\nexec "$@"\n'}
    df = ("FROM ruby:3.0\nWORKDIR /myapp\nCOPY Gemfile Gemfile.lock ./\nRUN bundle install\nCOPY . .\n"
          "COPY entrypoint.sh /usr/bin/\nENTRYPOINT [\"entrypoint.sh\"]\nCMD [\"rails\", \"server\", \"-b\", \"0.0.0.0\"]\n")
    out = run(tmp_path, files, df).output
    assert "frozen 'true'" in out and "deployment" not in out
    assert "COPY --from=builder /usr/bin/entrypoint.sh /usr/bin/" in runner_of(out)


@pytest.mark.parametrize("spec, env, lib", [
    ("pg (1.5.5)", "", "libpq5"),
    ("mysql2 (0.5.6)", "", "libmariadb3"),
    ("sqlite3 (1.7.2)", "", "libsqlite3-0"),
    ("mini_magick (4.12.0)", "", "imagemagick"),
    ("nokogiri (1.16.2)", "ENV NOKOGIRI_USE_SYSTEM_LIBRARIES=1\n", "libxslt1.1"),
])
def test_native_gems_get_their_runtime_library(tmp_path, spec, env, lib):
    name = spec.split(" ", 1)[0]
    files = {"Gemfile": gemfile(name), "Gemfile.lock": lock(spec), "app.rb": 'require "bundler/setup"\n'}
    out = run(tmp_path, files, SIMPLE.replace("WORKDIR", env + "WORKDIR")).output
    assert lib in runner_of(out), out


@pytest.mark.parametrize("spec", ["sqlite3 (1.7.2-x86_64-linux)", "nokogiri (1.16.2)", "nokogiri (1.16.2-x86_64-linux)", "json (2.7.1)"])
def test_self_contained_gems_need_nothing(tmp_path, spec):
    name = spec.split(" ", 1)[0]
    files = {"Gemfile": gemfile(name), "Gemfile.lock": lock(spec), "app.rb": 'require "bundler/setup"\n'}
    out = run(tmp_path, files, SIMPLE).output
    assert "apt-get" not in runner_of(out), out


def test_alpine_stays_alpine_with_busybox_users(tmp_path):
    files = {"Gemfile": gemfile("pg"), "Gemfile.lock": lock("pg (1.5.5)", platforms=("ruby", "x86_64-linux-musl")),
             "app.rb": 'require "bundler/setup"\n'}
    df = SIMPLE.replace("FROM ruby:3.1\n", "FROM ruby:3.2-alpine3.19\nRUN apk add --no-cache build-base postgresql-dev\n")
    out = run(tmp_path, files, df).output
    runner = runner_of(out)
    assert "FROM ruby:3.2-alpine3.19 AS runner" in out and "RUN apk add --no-cache libpq\n" in runner
    assert "adduser -S -u 10001 -G app app" in runner and "build-base" not in runner
    files["Gemfile"], files["Gemfile.lock"] = gemfile("mini_magick"), lock("mini_magick (4.12.0)", platforms=("ruby",))
    assert "RUN apk add --no-cache imagemagick libpq\n" in runner_of(run(tmp_path, files, df).output)


def _gem_with_extension(name: str) -> bytes:
    meta = f"--- !ruby/object:Gem::Specification\nname: {name}\nversion: !ruby/object:Gem::Version\n  version: 1.0.0\nextensions:\n- ext/{name}/extconf.rb\n"
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        data = gzip.compress(meta.encode())
        info = tarfile.TarInfo("metadata.gz")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# --- declines -------------------------------------------------------------------------------------

DECLINES = {
    "global-config": ({"Gemfile": gemfile("webrick"), "Gemfile.lock": lock("webrick (1.8.1)")},
                      SIMPLE.replace("RUN bundle install", "RUN bundle config set without 'development test' && bundle install"),
                      "root's ~/.bundle/config"),
    "lock-out-of-date": ({"Gemfile": gemfile("webrick", "rack"), "Gemfile.lock": lock("webrick (1.8.1)")}, SIMPLE,
                         "Gemfile.lock does not match the Gemfile (rack)"),
    "mac-only-lock": ({"Gemfile": gemfile("webrick"), "Gemfile.lock": lock("webrick (1.8.1)", platforms=("arm64-darwin-23",))},
                      SIMPLE, "no ruby or linux platform"),
    "path-gem": ({"Gemfile": gemfile("webrick", extra='gem "mine", path: "vendor/mine"\n'),
                  "Gemfile.lock": lock("webrick (1.8.1)", deps=("mine!", "webrick"))}, SIMPLE, "gems from the source tree"),
    "gemspec": ({"Gemfile": 'source "https://rubygems.org"\ngemspec\n', "Gemfile.lock": lock("webrick (1.8.1)", deps=())},
                SIMPLE, "gems from the source tree"),
    "configured-native": ({"Gemfile": gemfile("fancy_ext"), "Gemfile.lock": lock("fancy_ext (1.0.0)")},
                          SIMPLE.replace("RUN bundle install", "RUN bundle config set --local build.fancy_ext --with-fancy-dir=/usr && bundle install"),
                          "the gem fancy_ext is native (the build configures its extension)"),
    "cached-native": ({"Gemfile": gemfile("fancy_ext"), "Gemfile.lock": lock("fancy_ext (1.0.0)"),
                       "vendor/cache/fancy_ext-1.0.0.gem": _gem_with_extension("fancy_ext")},
                      SIMPLE, "the gem fancy_ext is native (its cached .gem builds an extension)"),
    "bundle-update": ({"Gemfile": gemfile("webrick"), "Gemfile.lock": lock("webrick (1.8.1)")},
                      SIMPLE.replace("RUN bundle install", "RUN bundle update && bundle install"), "changes the resolution"),
    "install-at-start": ({"Gemfile": gemfile("webrick"), "Gemfile.lock": lock("webrick (1.8.1)")},
                         SIMPLE.replace('CMD ["bundle", "exec", "ruby", "app.rb"]', "CMD bundle install && bundle exec ruby app.rb"),
                         "`bundle install` at start"),
    "bin-dev": ({"Gemfile": gemfile("webrick"), "Gemfile.lock": lock("webrick (1.8.1)"), "bin/dev": "#!/bin/sh\n"},
                SIMPLE.replace('CMD ["bundle", "exec", "ruby", "app.rb"]', 'CMD ["bin/dev"]'), "development Procfile"),
    "moved-app-config": ({"Gemfile": gemfile("webrick"), "Gemfile.lock": lock("webrick (1.8.1)")},
                         SIMPLE.replace("WORKDIR /app", "ENV BUNDLE_APP_CONFIG=/app/.bundle\nWORKDIR /app"), "Bundler's config moved"),
    "local-bundle-in-context": ({"Gemfile": gemfile("webrick"), "Gemfile.lock": lock("webrick (1.8.1)"),
                                "vendor/bundle/ruby/3.1.0/gems/webrick-1.8.1/lib/webrick.rb": ""},
                               SIMPLE, "the build context has vendor/bundle (not in .dockerignore)"),
    "no-bundle-install": ({"Gemfile": gemfile("webrick"), "Gemfile.lock": lock("webrick (1.8.1)")},
                          SIMPLE.replace("RUN bundle install\n", ""), "installs no gems"),
    "alpine-unknown-package": ({"Gemfile": gemfile("charlock_holmes"), "Gemfile.lock": lock("charlock_holmes (0.7.7)", platforms=("ruby",))},
                               SIMPLE.replace("FROM ruby:3.1", "FROM ruby:3.2-alpine"), "no alpine package known for libicu72"),
}


@pytest.mark.parametrize("name", sorted(DECLINES))
def test_declines_with_a_reason(tmp_path, name):
    files, dockerfile, reason = DECLINES[name]
    result = run(tmp_path, {"app.rb": 'require "bundler/setup"\n', **files}, dockerfile)
    assert result.output == dockerfile
    assert any(reason in r for r in reasons(result)), reasons(result)

"""Ruby: Bundler. What `bundle install` reads (Gemfile, Gemfile.lock, .bundle/config, local
`path:` gems and gemspecs)."""
from __future__ import annotations

import re

from refactor.knowledge.ecosystems.steps import Options, StepReader


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
MANIFESTS = ("Gemfile", "Gemfile.lock", "*.gemspec", ".bundle/config")
CONTEXT_MARKERS = ("Gemfile",)
LANGUAGE_TOOLS: frozenset[str] = frozenset()
INSTALLERS = {"bundle": _bundle, "bundler": _bundle}
GENERATED = {"bundler": ()}

"""apt-cleanup: apt-get update, install and cleanup in one RUN, without recommended packages.

What it does
    For each shell-form RUN that runs `apt-get install` (or `apt install`):
    - merges an `apt-get update` that sits alone in the RUN just before it into this RUN;
    - adds `-y` where the install would otherwise stop at a prompt;
    - adds `--no-install-recommends`, and adds `ca-certificates` back when `curl`, `wget` or
      `git` are installed (they get it only as a recommendation, and fail on HTTPS without it);
    - ends the RUN with `rm -rf /var/lib/apt/lists/*`, merging a later RUN that only cleans up.
    Installs inside `if`, loops, `case`, groups and subshells get the same flags; the cleanup goes
    at the end of the RUN, where it runs on every path.

Why
    Lists fetched by `apt-get update` (~20-40 MB) stay in the image unless removed in the same
    layer; an `apt-get update` cached in its own layer makes later installs use stale lists
    (hadolint DL3009, DL3014, DL3015). Recommended packages are rarely needed in containers and
    often add tens of megabytes.

Example
    RUN apt-get update
    RUN apt-get install curl
    →
    RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates \\
        && rm -rf /var/lib/apt/lists/*

Safety
    `-y`, the merge and the cleanup are safe. `--no-install-recommends` is unsafe: the image
    gets fewer packages, and a program may have relied on a recommended one.
    Declines (and says why) where a cache mount serves apt's folders, where the install sits in
    a heredoc body, and where a later RUN of the stage (or of a stage built on it) installs
    packages without its own `apt-get update`, which the cleanup would break.
"""
from __future__ import annotations

from refactor.syntax.nodes import Dockerfile, Instruction
from refactor.codemods.base import Safety, Codemod, Context, rationale_from_doc
from refactor.shell.parse import MAX_ANALYSED, ShellScript, SimpleCommand, parse_shell
from refactor.syntax.edit import body_text
from refactor.codemods._run import Run, append_blocker, has_cache_mount, heredoc_runs_using, is_only, parsed_body, rewrite, stage_runs, subcommand, word_edits

APT = ("apt-get", "apt")
LISTS = "/var/lib/apt/lists"
CLEANUP = "rm -rf /var/lib/apt/lists/*"
NEEDS_CA = ("curl", "wget", "git")
YES_FLAGS = ("-y", "--yes", "--assume-yes", "-qq", "--force-yes")


def _is_apt(cmd: SimpleCommand, *subs: str) -> bool:
    return cmd.name in APT and subcommand(cmd) in subs


def _removes_lists(cmd: SimpleCommand) -> bool:
    # the lists themselves, or the whole apt state folder holding them (`rm -rf /var/lib/apt`)
    return cmd.name == "rm" and any(
        (w.text or "").rstrip("/*").rstrip("/") in (LISTS, "/var/lib/apt") for w in cmd.args
    )


def _is_cleanup(cmd: SimpleCommand) -> bool:
    return _removes_lists(cmd) or _is_apt(cmd, "clean", "autoclean", "autoremove") or (
        cmd.name == "rm" and all((w.text or "").startswith(("-", "/var/lib/apt", "/var/cache/apt", "/tmp"))
                                 for w in cmd.args)
    )


def _package_words(cmd: SimpleCommand):
    words = cmd.args_without_flags()
    return [w for w in words[1:]]  # after "install"


def _package_name(word) -> str:
    value = word.value or word.text
    return value.split("=", 1)[0].split(":", 1)[0]


class AptCleanup(Codemod):
    id = "apt-cleanup"
    summary = "apt-get update, install -y --no-install-recommends and list cleanup in one RUN"
    rationale = rationale_from_doc(__doc__)
    safety = Safety.SAFE
    hadolint = ("DL3009", "DL3014", "DL3015")

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        for inst in heredoc_runs_using(df, "apt-get", "apt "):
            ctx.skip(self, "apt in a heredoc body: left as written", inst)
        runs = list(stage_runs(df, "apt"))
        installs = [_installs(r.script) for r in runs]  # asked here and by the blockers
        blockers = _cleanup_blockers(runs, installs)
        # One pass, one new tree: each RUN's fix depends only on the file as it was (a merged
        # update-only RUN above or cleanup-only RUN below is never another install RUN), and a
        # new tree per fixed RUN made files of hundreds of them quadratic.
        new: dict[int, Instruction] = {}
        gone: set[int] = set()
        nl = df.newline  # once: it is looked up in the tree
        for run, wants in zip(runs, installs):
            if wants:
                self._fix(df, run, ctx, blockers, new, gone, nl)
        if not new:
            return df
        return df.with_changes(instructions=tuple(new.get(id(i), i) for i in df.instructions if id(i) not in gone))

    def _fix(self, df: Dockerfile, run: Run, ctx: Context, blockers: dict[int, str],
             new: dict[int, Instruction], gone: set[int], nl: str) -> None:
        """Record the fixed RUN in `new` (by the original's id) and the merged RUNs in `gone`.
        Every edit is found on the one parse of the body and made at once (`apply_edits`):
        parsing again after each step tripled the time on RUNs of thousands of installs."""
        inst, script = run.inst, run.script
        if has_cache_mount(inst, "/var/lib/apt", "/var/cache/apt"):
            ctx.skip(self, "a cache mount serves apt's folders: nothing to clean", inst)
            return
        touched: list[Instruction] = []
        notes: list[tuple[str, Safety]] = []
        edits: list[tuple[int, int, str]] = []

        # The text the script was parsed from, which is `script.code`, without printing its nodes
        code = body_text(inst)

        # 1. An `apt-get update` alone in the RUN just before: merge it in.
        has_update = "update" in code and any(_is_apt(c, "update") for c in script.all_commands())
        prev = _previous(df, run)
        merged_update = False
        if not has_update and prev is not None and _only_update(prev) and not prev.flags and not _comment_before_body(prev):
            prev_script = _script_of(prev)
            edits.append(script.prepend_edit(prev_script.code.strip()))
            merged_update = True
            touched.append(prev)
            notes.append(("merged the `apt-get update` RUN above into this one", Safety.SAFE))

        # 2. Flags on every install, inside `if`/loops/`case` bodies too. The insertions are
        # found on this one parse and made in one pass: re-parsing the script after each would
        # be quadratic in the number of installs (a RUN of thousands of them must stay fast).
        allow_unsafe = bool(ctx.options.get("allow_unsafe", True))
        inserts: list[tuple[object, str]] = []

        def insert_after(node, text: str) -> None:
            inserts.append((node, text))

        for cmd in script.all_commands():
            if not _is_apt(cmd, "install"):
                continue
            sub = cmd.subcommand()
            yes = next((w for w in cmd.flags() if (w.text or "") in YES_FLAGS), None)
            if not cmd.has_flag(*YES_FLAGS):
                insert_after(sub, "-y")
                notes.append(("added -y so the install cannot stop at a prompt", Safety.SAFE))
            if not cmd.has_flag("--no-install-recommends") and "Install-Recommends" not in cmd.code:
                if not allow_unsafe:
                    ctx.skip(self, "--no-install-recommends changes the packages installed (unsafe): not added", inst)
                    continue
                insert_after(yes if yes is not None else sub, "--no-install-recommends")
                packages = _package_words(cmd)
                names = {_package_name(w) for w in packages}
                needs = sorted(n for n in names if n in NEEDS_CA)
                if needs and "ca-certificates" not in names and packages:
                    insert_after(packages[-1], _next_word_text(packages[-1], inst, "ca-certificates"))
                    notes.append((
                        "added --no-install-recommends, and ca-certificates, which "
                        f"{' and '.join(needs)} only recommend{'s' * (len(needs) == 1)} but need for HTTPS",
                        Safety.UNSAFE,
                    ))
                else:
                    notes.append(("added --no-install-recommends", Safety.UNSAFE))
        edits.extend(word_edits(inserts))
        final = None

        # 3. Lists removed in the same layer (a removal inside shell code the parser keeps opaque,
        # a loop or an `if`, counts too: appending another would never reach a fixed point).
        if not _lists_removed(script, merged_update, code):
            reason = blockers.get(id(run.inst)) or append_blocker(script)
            if reason:
                ctx.skip(self, reason, inst)
            else:
                nxt = _next(df, run)
                if nxt is not None and not nxt.flags and not _comment_before_body(nxt) and is_only(_script_of(nxt), _is_cleanup) and any(
                    _removes_lists(c) for c in _script_of(nxt).commands()
                ):
                    edits.append(script.append_edit(_script_of(nxt).code.strip()))
                    touched.append(nxt)
                    notes.append(("merged the cleanup RUN below into this one, so the lists never reach a layer", Safety.SAFE))
                else:
                    text = script.edited_code(edits + [script.append_edit(CLEANUP)])
                    if _too_long(self, ctx, inst, text):
                        return
                    cleaned = parse_shell(text, script.escape)
                    last = cleaned.units()[-1]  # the appended command, read as a command of its own
                    if isinstance(last, SimpleCommand) and _removes_lists(last):
                        final = cleaned
                        notes.append(("removes /var/lib/apt/lists/* in the same layer (saves the package lists, ~20-40 MB)", Safety.SAFE))
                    else:
                        # The RUN ends in shell code the parser does not follow (e.g. `done done`):
                        # the appended command would read as part of it.
                        last = script.units()[-1]  # of the body as written: the edits keep its units
                        ctx.skip(self, f"the RUN ends in shell code this analysis does not follow (`{last.raw.strip()[:40]}`): "
                                 "the list cleanup is not appended", inst)

        if not notes:
            return
        body = final.code if final is not None else script.edited_code(edits)
        if _too_long(self, ctx, inst, body):
            return
        fixed = rewrite(inst, body, nl)
        if touched and touched[-1] is not prev:
            # The comments above a merged cleanup RUN describe the merged RUN now.
            fixed = fixed.with_changes(leading=fixed.leading + touched[-1].leading)
            gone.add(id(touched[-1]))
        if prev is not None and prev in touched:
            # the comment and blank lines above the merged update stay, above this RUN now
            fixed = fixed.with_changes(leading=prev.leading + fixed.leading)
            gone.add(id(prev))
        new[id(inst)] = fixed
        for summary, safety in notes:
            ctx.edit(self, inst, summary, safety=safety, touched=tuple(touched))


def _opaque_removes_lists(script: ShellScript) -> bool:
    return any(LISTS in u.raw and "rm " in u.raw for u in script.unmodelled())


def _lists_removed(script: ShellScript, update_first: bool = False, code: str | None = None) -> bool:
    """Whether the RUN already removes the lists it fetches: a removal at the top level, or one
    after each `apt-get update` in the same body, a body around it or one inside it (an update
    in an `if` branch cleaned in that branch). A new removal goes at the top level, where it
    runs on every path; `rm -rf` of lists that were never fetched does nothing.
    `update_first`: an `apt-get update` is being put before the whole body (any removal in the
    body comes after it). `code`: `script.code`, when the caller has that text at hand."""
    if "/var/lib/apt" not in (script.code if code is None else code):  # the text first: asking each command is slower
        return False
    if any(_removes_lists(c) for c in reversed(script.commands())) or _opaque_removes_lists(script):  # usually last
        return True
    updates = [c for c in script.all_commands() if _is_apt(c, "update")]
    removals = [c for c in script.all_commands() if _removes_lists(c)]
    if not (updates or update_first) or not removals:
        return False

    def covered(update) -> bool:
        around = script.bodies_around(update)
        for rm in removals:
            rm_around = script.bodies_around(rm)
            # after the update, in its body, one around it, or one inside it (the author's own
            # cleanup in a loop or branch after the update counts: adding ours would be noise)
            if rm.span[0] >= update.span[1] and all(a is b for a, b in zip(rm_around, around)):
                return True
        return False

    return all(covered(u) for u in updates)


def _next_word_text(last, inst: Instruction, word: str) -> str:
    """`word`, on a line of its own when the list it joins is written one package per line."""
    leading = last.leading
    if "\n" not in leading:
        return word
    indent = leading.rsplit("\n", 1)[1]
    nl = "\r\n" if "\r\n" in leading else "\n"
    return f"{inst.escape}{nl}{indent}{word}"


def _script_of(inst: Instruction) -> ShellScript:
    from refactor.syntax.edit import body_text

    return parsed_body(body_text(inst), inst.escape)


def _too_long(codemod: Codemod, ctx: Context, inst: Instruction, body: str) -> bool:
    """A fixed RUN must stay within what the shell layer analyses (the next round reads it)."""
    if len(body) <= MAX_ANALYSED:
        return False
    ctx.skip(codemod, f"with its fixes this RUN would hold {len(body) / 1024:,.0f} KB of shell code, over the "
             f"{MAX_ANALYSED // 1024} KB dockwright analyses: left as it is", inst)
    return True


def _comment_before_body(inst: Instruction) -> bool:
    """A comment line inside a continuation before the first argument (`RUN \\` then `# c`):
    merging the RUN's body elsewhere would drop it."""
    from refactor.syntax.edit import prefix_text

    return any(line.lstrip().startswith("#") for line in prefix_text(inst).splitlines()[1:])


def _only_update(inst: Instruction) -> bool:
    if inst.cmd != "RUN" or inst.is_json or inst.heredocs or not inst.args:
        return False
    return is_only(_script_of(inst), lambda c: _is_apt(c, "update"))


def _neighbours(df: Dockerfile, run: Run) -> tuple[Instruction | None, Instruction | None]:
    # A RUN's neighbours in the file are in its stage, unless a FROM (which is no RUN).
    insts, i = df.instructions, run.index
    prev = insts[i - 1] if i > 0 else None
    nxt = insts[i + 1] if i + 1 < len(insts) else None
    return prev, nxt


def _previous(df: Dockerfile, run: Run) -> Instruction | None:
    prev = _neighbours(df, run)[0]
    return prev if prev is not None and prev.cmd == "RUN" else None


def _next(df: Dockerfile, run: Run) -> Instruction | None:
    nxt = _neighbours(df, run)[1]
    return nxt if nxt is not None and nxt.cmd == "RUN" and not nxt.is_json and not nxt.heredocs and nxt.args else None


def _installs(script: ShellScript) -> bool:
    return any(_is_apt(c, "install") for c in script.all_commands())


def _cleanup_blockers(runs: list[Run], installs: list[bool]) -> dict[int, str]:
    """For each apt RUN (by its instruction's id): a later install in its stage, or in a stage
    built on it, that relies on its lists (installs without `apt-get update`), as the reason to
    leave the lists alone. One pass over the file: asked per RUN, it was quadratic. Computed on
    the file as the transform starts, which is exact: RUNs are fixed in order, so every RUN after
    the one being fixed is still as it was. `runs`: the file's apt RUNs (`stage_runs`);
    `installs`: whether each runs `apt-get install` (`_installs`)."""

    def reason(other: Run, installs: bool) -> str | None:
        if installs and not (
                "update" in other.inst.args and any(_is_apt(c, "update") for c in other.script.all_commands())):
            line = other.inst.start.line if other.inst.start else 0
            return f"a later RUN (line {line}) installs packages without `apt-get update`; removing the lists would break it"
        return None

    needs = [reason(r, i) for r, i in zip(runs, installs)]
    # the first needing RUN of the stages built on each stage (named by name or index)
    built_on: dict[str, str] = {}
    for r, why in zip(runs, needs):
        base = r.stage.base_image.lower()
        if why is not None and base not in built_on:
            built_on[base] = why
    out: dict[int, str] = {}
    later: str | None = None  # the first needing RUN after this one in the same stage
    stage = None
    for r, why in reversed(list(zip(runs, needs))):
        if r.stage.index != stage:
            stage, later = r.stage.index, None
        names = ([r.stage.name.lower()] if r.stage.name else []) + [str(r.stage.index)]
        child = next((built_on[n] for n in names if n in built_on), None)
        found = later or child
        if found is not None:
            out[id(r.inst)] = found
        if why is not None:
            later = why
    return out

CODEMOD = AptCleanup()

"""`dockwright bot`: refactor a repository's Dockerfiles and open (or update) one pull request.

What a run does, in order:

1. Reads the remote's branches (`git ls-remote`), picks the base (`--base`, else the remote's
   default branch) and fetches the base and, when it exists, the bot branch.
2. Refuses to go on when the bot branch *is* the base, or when the bot branch holds a commit the
   bot did not write (author dockwright[bot] and a `Dockwright-Bot:` trailer): exit 1.
3. Checks the base out into a temporary `git worktree` (the user's checkout is never touched),
   runs the codemods there (`refactor_repo`), optionally `--verify`, and when anything changed
   commits the result as the bot: one commit per codemod where the diff can be split by codemod,
   and a last commit for the rest.
4. Pushes that to the bot branch with `--force-with-lease` (skipped when the remote branch already
   has the same tree on the same base), then finds the open pull request from the branch and
   updates it, or opens one. A run that stopped after the push completes the PR next time.

Nothing to change: no branch, no pull request, exit 0.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import urlsplit

import click

from refactor.engine import exitcodes
from refactor.bot import gitops, pr_body
from refactor.bot.github_api import GitHubClient, GitHubError, ValidationFailed
from refactor.engine.results import FileResult

from refactor.bot.commits import Change, plan_commits

EXIT_OK = exitcodes.OK  # 0: done, or nothing to do
EXIT_STOP = 1  # safety stop: foreign commits on the bot branch, bot branch == base, lease lost
EXIT_USAGE = exitcodes.PARSE_ERROR  # 2: bad option, not a git repo, no such remote/base, no token
EXIT_REMOTE = exitcodes.TOOL_ERROR  # 4: GitHub API, network or git remote failure

DEFAULT_BRANCH = "dockwright/refactor"

RefactorRepo = Callable[[Path], "list[FileResult]"]
VerifyFn = Callable[[Path, str, str], "dict | None"]
ClientFactory = Callable[[str, "str | None", Callable[[str], str]], GitHubClient]


class BotStop(Exception):
    code = EXIT_STOP


class UsageProblem(Exception):
    code = EXIT_USAGE


class RemoteProblem(Exception):
    code = EXIT_REMOTE


@dataclass
class BotOptions:
    repo: Path = Path(".")
    base: str | None = None
    branch: str = DEFAULT_BRANCH
    remote: str = "origin"
    github_api: str = "https://api.github.com"
    github_repo: str | None = None  # "owner/name"; default: from the remote URL
    token_env: str = "GITHUB_TOKEN"
    dry_run: bool = False
    verify: bool = False


@dataclass
class Outcome:
    """What a run did, for callers and tests."""

    code: int = EXIT_OK
    changed_files: list[str] = field(default_factory=list)
    commits: list[str] = field(default_factory=list)
    pushed: bool = False
    pr_number: int | None = None
    pr_url: str | None = None
    pr_action: str | None = None  # "opened" | "updated" | "unchanged" | "closed" (left closed)
    title: str | None = None
    body: str | None = None
    message: str = ""


# --- defaults for the injectable parts ---------------------------------------------------------

def default_refactor_repo(repo_dir: Path) -> list[FileResult]:
    """Discover the Dockerfiles under `repo_dir` (its dockwright config, `exclude` globs and the
    usual skipped folders respected) and refactor each, exactly as `dockwright --diff` would.

    Imports the engine lazily so `dockwright bot --help` works without loading it."""
    from refactor.engine.config import ConfigError, find_config  # noqa: PLC0415
    from refactor.engine.discovery import discover  # noqa: PLC0415
    from refactor.engine.runner import make_selection, refactor_text  # noqa: PLC0415
    from refactor.syntax.sourcefile import UnreadableFile, read_source  # noqa: PLC0415

    repo_dir = Path(repo_dir)
    try:
        config = find_config(repo_dir)
        selection = make_selection(config.select, list(config.ignore), config.safe_only)
    except (ConfigError, ValueError) as exc:
        raise UsageProblem(f"dockwright config: {exc}") from None
    if config.source and not _inside(config.source, repo_dir):
        config = type(config)()  # found above the repository (the worktree sits in a temp dir)
    base = config.source.parent if config.source else repo_dir
    files, problems = discover([repo_dir], list(config.exclude), base)
    results: list[FileResult] = []
    for problem in problems:
        click.echo(f"dockwright bot: warning: {problem}", err=True)
    for path in files:
        try:
            source = read_source(path)
        except UnreadableFile as exc:
            results.append(FileResult(path, "", "", error=str(exc)))
            continue
        try:
            results.append(refactor_text(source, path, None, selection))
        except Exception as exc:  # noqa: BLE001 - one file's internal error must not stop the others
            results.append(FileResult(path, source, source, error=f"{path}:1:1: internal error: {exc!r}"))
    return results


def _inside(path: Path, root: Path) -> bool:
    try:
        Path(path).resolve().relative_to(Path(root).resolve())
        return True
    except ValueError:
        return False


def default_verify(path: Path, original: str, refactored: str) -> dict | None:
    """Builds both versions with `refactor.verify` (written separately) and returns
    {"size_before": bytes, "size_after": bytes}, or None when it built nothing."""
    from refactor import verify  # noqa: PLC0415

    return verify.verify_sizes(path, original, refactored)


def _verify_available() -> str | None:
    """None when the default verifier can be used, else why not."""
    try:
        from refactor import verify  # noqa: PLC0415
    except ImportError as exc:
        return f"--verify needs refactor.verify, which cannot be imported ({exc})"
    if not callable(getattr(verify, "verify_sizes", None)):
        return "--verify needs refactor.verify.verify_sizes(path, original, refactored)"
    return None


def default_client(api_url: str, token: str | None, redact: Callable[[str], str]) -> GitHubClient:
    return GitHubClient(api_url, token, redact=redact)


# --- commit planning ---------------------------------------------------------------------------


# --- the run -----------------------------------------------------------------------------------

class _Printer:
    def __init__(self, redact: Callable[[str], str]):
        self.redact = redact

    def info(self, msg: str) -> None:
        click.echo(self.redact(msg))

    def warn(self, msg: str) -> None:
        click.echo(self.redact(f"dockwright bot: warning: {msg}"), err=True)

    def error(self, msg: str) -> None:
        click.echo(self.redact(f"dockwright bot: {msg}"), err=True)


def run_bot(options: BotOptions, *, refactor_repo: RefactorRepo | None = None,
            verify_fn: VerifyFn | None = None, client_factory: ClientFactory | None = None,
            environ: Mapping[str, str] | None = None) -> Outcome:
    """Run the bot once. Never raises for expected failures: the Outcome's `code` says how it went
    (0 ok / nothing to do, 1 safety stop, 2 usage, 4 API/network/remote) and the reason is
    printed to stderr."""
    environ = os.environ if environ is None else environ
    token = environ.get(options.token_env) or None
    redact = gitops.Redactor([token])
    say = _Printer(redact)
    outcome = Outcome()
    if options.verify and verify_fn is None:
        problem = _verify_available()
        if problem:
            outcome.code, outcome.message = EXIT_USAGE, problem
            say.error("error: " + problem)
            return outcome
    try:
        _run(options, outcome, say, redact, token, environ,
             refactor_repo or default_refactor_repo,
             verify_fn or default_verify,
             client_factory or default_client)
    except (BotStop, UsageProblem, RemoteProblem) as exc:
        outcome.code = exc.code
        outcome.message = redact(str(exc))
        prefix = {EXIT_STOP: "stopped: ", EXIT_USAGE: "error: ", EXIT_REMOTE: "error: "}[exc.code]
        say.error(prefix + str(exc))
    except GitHubError as exc:
        outcome.code = EXIT_REMOTE
        outcome.message = redact(str(exc))
        say.error("error: " + str(exc))
    except gitops.GitError as exc:
        outcome.code = EXIT_REMOTE
        outcome.message = redact(str(exc))
        say.error("error: " + str(exc))
    return outcome


def _run(options: BotOptions, outcome: Outcome, say: _Printer, redact: gitops.Redactor,
         token: str | None, environ: Mapping[str, str], refactor_repo: RefactorRepo,
         verify_fn: VerifyFn, client_factory: ClientFactory) -> None:
    repo_arg = Path(options.repo)
    if not repo_arg.is_dir():
        raise UsageProblem(f"--repo {repo_arg}: no such directory")
    git = gitops.Git(repo_arg, redact, environ=environ)
    try:
        git = git.at(git.toplevel())
    except gitops.GitError:
        raise UsageProblem(f"{repo_arg} is not inside a git repository") from None
    try:
        url = git.remote_url(options.remote)
    except gitops.GitError:
        raise UsageProblem(f"no git remote named {options.remote!r} in {git.cwd} (see --remote)") from None
    for secret in _url_secrets(url):
        redact.add(secret)

    if options.github_repo:
        owner, _, name = options.github_repo.partition("/")
        if not owner or not name or "/" in name:
            raise UsageProblem(f"--github-repo must look like OWNER/NAME, not {options.github_repo!r}")
    else:
        parsed = gitops.parse_owner_repo(url)
        if not parsed:
            raise UsageProblem(f"cannot tell the GitHub repository from the remote URL "
                               f"{gitops.public_url(url)!r}; pass --github-repo OWNER/NAME")
        owner, name = parsed
    if not options.dry_run and not token:
        raise UsageProblem(f"${options.token_env} is empty or not set: the bot needs a GitHub token "
                           "to open pull requests (read from the environment only; see --token-env)")
    if not git.valid_branch_name(options.branch):
        raise UsageProblem(f"--branch {options.branch!r} is not a valid branch name")

    git.auth = gitops.auth_env(url, token, environ)

    try:
        heads, default_branch = git.ls_remote(options.remote)
    except gitops.GitError as exc:
        raise RemoteProblem(f"cannot read the remote {options.remote!r} "
                            f"({gitops.public_url(url)}): {exc}") from None
    base = options.base or default_branch
    if not base:
        raise UsageProblem(f"the remote {options.remote!r} has no default branch; pass --base")
    protected = {base} | ({default_branch} if default_branch else set())
    if options.branch in protected:
        raise BotStop(f"the bot branch {options.branch!r} is the base branch: the bot never pushes "
                      "to the base. Pick another --branch")
    if f"refs/heads/{base}" not in heads:
        raise UsageProblem(f"the base branch {base!r} does not exist on {options.remote!r}")
    branch_exists = f"refs/heads/{options.branch}" in heads

    base_ref = f"refs/remotes/{options.remote}/{base}"
    branch_ref = f"refs/remotes/{options.remote}/{options.branch}"
    refspecs = [f"+refs/heads/{base}:{base_ref}"]
    if branch_exists:
        refspecs.append(f"+refs/heads/{options.branch}:{branch_ref}")
    try:
        git.fetch(options.remote, refspecs, unshallow=git.is_shallow())
    except gitops.GitError as exc:
        raise RemoteProblem(f"cannot fetch from {options.remote!r}: {exc}") from None
    base_sha = git.out("rev-parse", base_ref)
    branch_sha = git.out("rev-parse", branch_ref) if branch_exists else None

    if branch_sha:
        foreign = [c for c in git.commits_between(base_sha, branch_sha) if not c.written_by_bot]
        if foreign:
            listed = "; ".join(f"{c.sha[:10]} {c.subject!r} by {c.author_email}" for c in foreign[:5])
            more = f" and {len(foreign) - 5} more" if len(foreign) > 5 else ""
            raise BotStop(
                f"the branch {options.branch!r} on {options.remote!r} has {len(foreign)} commit(s) the "
                f"bot did not write ({listed}{more}). Not overwriting them: merge or close that work, "
                f"delete the branch, or run with another --branch")

    tmp = Path(tempfile.mkdtemp(prefix="dockwright-bot-"))
    worktree = tmp / "worktree"
    try:
        wt = git.add_worktree(worktree, base_sha)
        _refactor_commit_publish(options, outcome, say, git, wt, worktree, owner, name, base,
                                 base_sha, branch_sha, protected, token, redact, refactor_repo,
                                 verify_fn, client_factory)
    finally:
        git.remove_worktree(worktree)
        shutil.rmtree(tmp, ignore_errors=True)


def _refactor_commit_publish(options, outcome, say, git, wt, worktree, owner, name, base, base_sha,
                             branch_sha, protected, token, redact, refactor_repo, verify_fn,
                             client_factory) -> None:
    results = refactor_repo(worktree)
    changes: list[Change] = []
    errors: list[pr_body.LeftOut] = []
    for result in results:
        rel = _relative(worktree, result.path)
        if rel is None:
            say.warn(f"ignoring a result outside the repository: {result.path}")
            continue
        if result.error:
            errors.append(pr_body.LeftOut(rel, result.error))
            say.warn(f"{rel}: could not be processed: {result.error}")
            continue
        if not result.changed:
            continue
        extra = {}
        for key, text in result.extra_files.items():
            extra_rel = _relative(worktree, key)
            if extra_rel is None:
                say.warn(f"{rel}: ignoring a proposed file outside the repository: {key}")
                continue
            extra[extra_rel] = text
        changes.append(Change(rel, result, extra))
    changes.sort(key=lambda c: c.path)

    left_out: list[pr_body.LeftOut] = []
    if options.verify:
        kept = []
        for ch in changes:
            try:
                sizes = verify_fn(worktree / ch.path, ch.result.original, ch.result.output)
            except Exception as exc:  # noqa: BLE001 - a failed build leaves the file out, it is reported
                reason = f"left out: `--verify` failed: {exc}".strip()
                left_out.append(pr_body.LeftOut(ch.path, reason))
                say.warn(f"{ch.path}: {reason}")
                continue
            if sizes:
                ch.sizes = dict(sizes)
            else:
                ch.verify_note = "verify did not build it"
            kept.append(ch)
        changes = kept

    outcome.changed_files = [c.path for c in changes]
    if not changes:
        msg = "nothing to refactor: no branch pushed, no pull request opened"
        if branch_sha:
            msg += (f" (the branch {options.branch!r} from an earlier run still exists on "
                    f"{options.remote!r}; its pull request may be out of date)")
        outcome.message = msg
        say.info(msg)
        return

    for planned in plan_commits(changes):
        for rel, text in planned.files.items():
            target = worktree / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
        sha = wt.commit(sorted(planned.files), planned.message())
        if sha:
            outcome.commits.append(sha)
    new_sha = wt.out("rev-parse", "HEAD")
    if new_sha == base_sha:
        outcome.message = "the refactored files equal the base: nothing to do"
        say.info(outcome.message)
        return

    reports = [pr_body.FileReport(c.path, c.result, c.sizes, c.verify_note, c.extra) for c in changes]
    title = pr_body.render_title(reports)
    body = pr_body.render_body(reports, base=base, branch=options.branch, verified=options.verify,
                               left_out=left_out, errors=errors)
    outcome.title, outcome.body = title, body
    n_edits = sum(len(c.result.edits) for c in changes)
    say.info(f"{len(changes)} file(s) refactored, {n_edits} edit(s), {len(outcome.commits)} commit(s)")
    for sha in outcome.commits:
        say.info(f"  {sha[:10]} {wt.out('log', '-1', '--format=%s', sha)}")

    if options.dry_run:
        say.info(f"dry run: would push to {options.remote}/{options.branch} and open or update a pull "
                 f"request into {owner}/{name}:{base}. Title: {title}")
        say.info(body)
        outcome.message = "dry run"
        return

    same_content = bool(branch_sha) and git.tree_of(branch_sha) == git.tree_of(new_sha) and \
        git.merge_base(branch_sha, base_sha) == base_sha
    if same_content:
        say.info(f"{options.remote}/{options.branch} already holds these changes on {base}: not pushing")
    else:
        try:
            git.push(options.remote, new_sha, options.branch, branch_sha, protected)
        except gitops.GitError as exc:
            if "stale info" in exc.stderr:  # the --force-with-lease check failed
                raise BotStop(f"the branch {options.branch!r} changed on {options.remote!r} while the "
                              f"bot ran; not overwriting it. Run again. ({exc})") from None
            raise RemoteProblem(f"cannot push to {options.remote!r}: {exc}") from None
        outcome.pushed = True
        say.info(f"pushed {options.branch} ({new_sha[:10]}) to {options.remote}")

    client = client_factory(options.github_api, token, redact)
    _open_or_update(client, outcome, say, owner, name, base, options.branch, title, body,
                    head_sha=new_sha if outcome.pushed else branch_sha)


def _open_or_update(client: GitHubClient, outcome: Outcome, say: _Printer, owner: str, name: str,
                    base: str, branch: str, title: str, body: str, head_sha: str | None = None) -> None:
    open_prs = client.list_open_pulls(owner, name, owner, branch)
    if not open_prs and not outcome.pushed and head_sha:
        # Same commits as a pull request someone closed without merging: respect that decision.
        for pr in client.list_pulls(owner, name, owner, branch, state="closed"):
            if (pr.get("head") or {}).get("sha") == head_sha and not pr.get("merged_at"):
                outcome.pr_action, outcome.pr_number, outcome.pr_url = "closed", pr["number"], pr.get("html_url")
                say.info(f"pull request #{pr['number']} with these same changes was closed without "
                         f"merging: not reopening it. Delete the branch {branch!r} to get a new one.")
                return
    if not open_prs:
        try:
            pr = client.create_pull(owner, name, title=title, head=branch, base=base, body=body)
        except ValidationFailed as exc:
            if not exc.mentions("already exists"):
                raise
            open_prs = client.list_open_pulls(owner, name, owner, branch)  # opened meanwhile
            if not open_prs:
                raise
        else:
            outcome.pr_action, outcome.pr_number, outcome.pr_url = "opened", pr["number"], pr.get("html_url")
            say.info(f"opened pull request #{pr['number']}: {pr.get('html_url', '')}")
            return
    pr = open_prs[0]
    changes = {}
    if pr.get("title") != title:
        changes["title"] = title
    if (pr.get("body") or "") != body:
        changes["body"] = body
    if (pr.get("base") or {}).get("ref") not in (None, base):
        changes["base"] = base
    if changes:
        pr = client.update_pull(owner, name, pr["number"], **changes)
        outcome.pr_action = "updated"
        say.info(f"updated pull request #{pr['number']}: {pr.get('html_url', '')}")
    else:
        outcome.pr_action = "unchanged"
        say.info(f"pull request #{pr['number']} is up to date: {pr.get('html_url', '')}")
    outcome.pr_number, outcome.pr_url = pr["number"], pr.get("html_url")


def _relative(root: Path, path) -> str | None:
    p = Path(path)
    if not p.is_absolute():
        rel = p
    else:
        rel = None
        for r in (root, root.resolve()):
            for candidate in (p, p.resolve()):
                try:
                    rel = candidate.relative_to(r)
                    break
                except ValueError:
                    continue
            if rel is not None:
                break
        if rel is None:
            return None
    posix = rel.as_posix()
    if posix in ("", ".") or posix.startswith("../") or "/../" in f"/{posix}/":
        return None
    return posix


def _url_secrets(url: str) -> list[str]:
    """Credentials written into a remote URL (https://user:token@host/...): never shown."""
    try:
        parts = urlsplit(url)
        found = [parts.password or ""]
        if parts.username and len(parts.username) >= 20:  # a token used as the user name
            found.append(parts.username)
    except ValueError:
        return []
    return [s for s in found if s]


# --- command line ------------------------------------------------------------------------------

@click.command("bot")
@click.option("--repo", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The git repository to refactor.")
@click.option("--base", default=None, help="Branch to refactor and target [default: the remote's default branch].")
@click.option("--branch", default=DEFAULT_BRANCH, show_default=True, help="The bot's branch (never the base).")
@click.option("--remote", default="origin", show_default=True, help="Git remote to push to.")
@click.option("--github-api", default=lambda: os.environ.get("GITHUB_API_URL") or "https://api.github.com",
              show_default="$GITHUB_API_URL or https://api.github.com", help="GitHub REST API root.")
@click.option("--github-repo", default=None, metavar="OWNER/NAME",
              help="Repository for the pull request [default: from the remote URL].")
@click.option("--token-env", default="GITHUB_TOKEN", show_default=True,
              help="Name of the environment variable holding the token (never pass the token itself).")
@click.option("--dry-run", is_flag=True, help="Commit locally and print the PR; no push, no API call.")
@click.option("--verify", is_flag=True, help="Build each image before and after and report sizes.")
@click.pass_context
def bot_command(ctx: click.Context, **kwargs) -> None:
    """Open or update one pull request with dockwright's refactorings.

    Exit codes: 0 done or nothing to do; 1 safety stop (foreign commits on the bot branch, bot
    branch is the base, branch moved during the run); 2 usage error; 4 GitHub API, network or
    git remote error.
    """
    outcome = run_bot(BotOptions(**kwargs))
    ctx.exit(outcome.code)

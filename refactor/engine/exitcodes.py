"""Exit codes, in one place (documented in the README)."""
OK = 0
WOULD_CHANGE = 1  # --check found something to change
PARSE_ERROR = 2  # bad input or usage: unreadable, undecodable or unparsable file, bad option
BUILD_BROKEN = 3  # verify: the refactored Dockerfile no longer builds (or fails its smoke test)
TOOL_ERROR = 4  # verify/bot: the builder, git or the API failed; nothing was judged
NO_BUILDER = 5  # verify: no docker, podman or buildah found
INTERNAL_ERROR = 123  # a codemod produced output that failed the engine's checks

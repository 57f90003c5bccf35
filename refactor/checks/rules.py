"""BuildKit's build-check rules (frontend/dockerfile/linter/ruleset.go) as dockwright knows them:
each rule's name, documentation page, the hadolint rule that overlaps it, and the codemod that
fixes it (None: `dockwright lint` only reports it)."""
from __future__ import annotations

from dataclasses import dataclass

DOCS = "https://docs.docker.com/reference/build-checks/"


@dataclass(frozen=True)
class Rule:
    """A BuildKit build check: its name, docs page and the codemod that fixes it."""
    name: str
    slug: str  # the docs page: DOCS + slug
    description: str
    hadolint: tuple[str, ...] = ()
    codemod: str | None = None
    experimental: bool = False

    @property
    def url(self) -> str:
        return DOCS + self.slug + "/"


RULES: dict[str, Rule] = {r.name: r for r in (
    Rule("StageNameCasing", "stage-name-casing", "Stage names should be lowercase",
         codemod="stage-name-casing"),
    Rule("FromAsCasing", "from-as-casing", "The 'as' keyword should match the case of the 'from' keyword",
         codemod="from-as-casing"),
    Rule("NoEmptyContinuation", "no-empty-continuation",
         "Empty continuation lines will become errors in a future release", codemod="no-empty-continuation"),
    Rule("ConsistentInstructionCasing", "consistent-instruction-casing",
         "All commands within the Dockerfile should use the same casing (either upper or lower)",
         codemod="consistent-instruction-casing"),
    Rule("DuplicateStageName", "duplicate-stage-name", "Stage names should be unique", hadolint=("DL3024",)),
    Rule("ReservedStageName", "reserved-stage-name", "Reserved words should not be used as stage names"),
    Rule("JSONArgsRecommended", "json-args-recommended",
         "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS signals",
         hadolint=("DL3025",), codemod="json-args-recommended"),
    Rule("MaintainerDeprecated", "maintainer-deprecated",
         "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
         hadolint=("DL4000",), codemod="maintainer-deprecated"),
    Rule("UndefinedArgInFrom", "undefined-arg-in-from", "FROM command must use declared ARGs"),
    Rule("WorkdirRelativePath", "workdir-relative-path",
         "Relative workdir without an absolute workdir declared within the build can have unexpected "
         "results if the base image changes", hadolint=("DL3000",)),
    Rule("UndefinedVar", "undefined-var", "Variables should be defined before their use"),
    Rule("MultipleInstructionsDisallowed", "multiple-instructions-disallowed",
         "Multiple instructions of the same type should not be used in the same stage",
         hadolint=("DL4003", "DL4004", "DL3012"), codemod="multiple-instructions-disallowed"),
    Rule("LegacyKeyValueFormat", "legacy-key-value-format",
         "Legacy key/value format with whitespace separator should not be used", codemod="legacy-key-value"),
    Rule("InvalidBaseImagePlatform", "invalid-base-image-platform",
         "Base image platform does not match expected target platform"),
    Rule("RedundantTargetPlatform", "redundant-target-platform",
         "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
         hadolint=("DL3029",), codemod="redundant-target-platform"),
    Rule("SecretsUsedInArgOrEnv", "secrets-used-in-arg-or-env",
         "Sensitive data should not be used in the ARG or ENV commands"),
    Rule("InvalidDefaultArgInFrom", "invalid-default-arg-in-from",
         "Default value for global ARG results in an empty or invalid base image name"),
    Rule("FromPlatformFlagConstDisallowed", "from-platform-flag-const-disallowed",
         "FROM --platform flag should not use a constant value", hadolint=("DL3029",)),
    Rule("CopyIgnoredFile", "copy-ignored-file", "Attempting to Copy file that is excluded by .dockerignore"),
    Rule("InvalidDefinitionDescription", "invalid-definition-description",
         "Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`",
         experimental=True),
    Rule("ExposeProtoCasing", "expose-proto-casing", "Protocol in EXPOSE instruction should be lowercase",
         codemod="expose-proto-casing"),
    Rule("ExposeInvalidFormat", "expose-invalid-format",
         "IP address and host-port mapping should not be used in EXPOSE instruction"),
)}

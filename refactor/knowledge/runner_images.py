"""Which image runs what an official python, node, golang, rust or JDK image built: the slim tag of
the same family, version and libc, Debian slim or alpine for native binaries, distroless for
static ones, the JRE of the same vendor and Java major version for jars; and how a runner image
is built (debian, alpine, distroless, scratch)."""
from __future__ import annotations

import re
from dataclasses import dataclass

from refactor.knowledge.baseimages import ImageRef, parse_image
from refactor.knowledge.debian_releases import builder_release
from refactor.knowledge.ecosystems import family_ecosystem
from refactor.syntax.lazy_re import lazy

CODENAMES = ("trixie", "bookworm", "bullseye", "buster", "stretch")


DEBIAN_NUMBER = {"trixie": "13", "bookworm": "12", "bullseye": "11", "buster": "10", "stretch": "9"}


# The Debian number of the distroless static image for a static binary that names no release
# (it needs no libc: any release runs it).
DEFAULT_CODENAME = "bookworm"


@dataclass(frozen=True)
class Base:
    """A base image the codemod understands: an official python/node/golang/rust image, or a JDK
    image (eclipse-temurin, openjdk, amazoncorretto, maven, gradle)."""

    ref: ImageRef
    family: str  # python | node | golang | rust | eclipse-temurin | openjdk | maven | gradle ...
    version: str  # "3.11", "20", "lts", "latest", "" ...
    variants: tuple[str, ...]  # the rest of the tag, split on "-"

    @property
    def alpine(self) -> str | None:
        """"" for a plain `-alpine` tag, "3.19" for `-alpine3.19`, None when not alpine."""
        for v in self.variants:
            if v.startswith("alpine"):
                return v[len("alpine"):]
        return None

    @property
    def libc(self) -> str:
        return "musl" if self.alpine is not None else "glibc"

    @property
    def slim(self) -> bool:
        return "slim" in self.variants

    @property
    def codename(self) -> str | None:
        for v in self.variants:
            if v in CODENAMES:
                return v
        return None

    @property
    def windows(self) -> bool:
        return any(v.startswith(("windowsservercore", "nanoserver", "ltsc")) for v in self.variants)


_VERSIONISH = lazy(r"^(?:\d[\w.]*|lts|current|latest|stable|iron|hydrogen|jod|krypton)$", re.I)


def parse_base(resolved: str) -> Base | None:
    """The official python/node/golang/rust/JDK image `resolved` names (ARG defaults already
    substituted), or None."""
    if "$" in resolved:
        return None
    ref = parse_image(resolved)
    if ref.registry not in (None, "docker.io", "index.docker.io", "registry-1.docker.io"):
        return None
    if family_ecosystem(ref.repository) is None:
        return None
    tag = ref.tag or "latest"
    parts = tag.split("-")
    if _VERSIONISH.match(parts[0]):
        version, variants = parts[0], tuple(parts[1:])
    else:
        version, variants = "", tuple(parts)
    return Base(ref, ref.repository, version, variants)


def image_name(base: Base, tag: str) -> str:
    """`base`'s repository as written (registry prefix included) with another tag."""
    path = base.ref.path
    prefix = (base.ref.registry + "/") if base.ref.registry else ""
    return f"{prefix}{path}:{tag}"


def slim_tag(base: Base) -> str | None:
    """The slim tag of the same family, version and libc: `python:3.11` -> `3.11-slim`,
    `node:20-bookworm` -> `20-bookworm-slim`; the tag itself when it is already slim or
    alpine; None when there is no such tag (windows)."""
    if base.windows:
        return None
    tag = base.ref.tag or "latest"
    if base.slim or base.alpine is not None:
        return tag
    version = base.version
    codename = base.codename
    unknown = [v for v in base.variants if v not in CODENAMES]
    if unknown:
        return None  # `-onbuild`, `-stretch-curl`...: not a shape we know
    if base.family in ("python", "ruby"):  # ruby:3.1 -> 3.1-slim, ruby:3.1-bookworm -> 3.1-slim-bookworm
        head = "slim" if version in ("", "latest") else f"{version}-slim"
        return f"{head}-{codename}" if codename else head
    if base.family == "node":
        head = "" if version in ("", "latest") else version
        mid = f"{head}-{codename}" if head and codename else (codename or head)
        return f"{mid}-slim" if mid else "slim"
    return None


def debian_runner(base: Base) -> tuple[str, str | None]:
    """A minimal image with the same libc as `base` (golang, rust): `debian:<codename>-slim`,
    or `alpine:<version>`. The second value says what was assumed, if anything."""
    if base.alpine is not None:
        if base.alpine:
            return f"alpine:{base.alpine}", None
        # musl runs what an older musl linked, but the runner's packages follow its release
        return "alpine:latest", (f"{base.ref.familiar}:{base.ref.tag} names no Alpine release; the runner takes "
                                 "alpine:latest (pin both to the same alpine3.N)")
    if base.codename:
        return f"debian:{base.codename}-slim", None
    # the release the official image of that version is built on (refactor.knowledge.debian_releases);
    # when it is not sure, the newest it can be: glibc runs what an older glibc linked
    rel = builder_release(base.family, base.version)
    tag = f"{base.ref.familiar}:{base.ref.tag or 'latest'}"
    if rel.exact:
        return f"debian:{rel.exact}-slim", f"{tag} names no Debian release: {rel.how}, and so is the runner"
    return f"debian:{rel.newest}-slim", (f"{tag} names no Debian release ({rel.how}): the runner takes {rel.newest}, "
                                         "the newest it can be, whose glibc runs what an older one linked")


def unsure_release(base: Base, libraries: list[str]) -> str | None:
    """Why no Debian runner is proven for a binary that links the shared `libraries`, built on
    `base`, or None: their package names and sonames follow the release (libssl1.1 on bullseye,
    libssl3 on bookworm), so the runner's release must be the builder's, exactly."""
    if not libraries or base.alpine is not None or base.codename:
        return None
    rel = builder_release(base.family, base.version)
    if rel.exact:
        return None
    parts = ([] if base.version in ("", "latest") else [base.version]) + list(base.variants) + [rel.newest]
    return (f"the binary links {', '.join(libraries)} (bookworm's names), shared libraries whose packages and sonames "
            "change with the Debian release, and "
            f"{base.ref.familiar}:{base.ref.tag or 'latest'} names none ({rel.how}): name the release in the tag "
            f"(e.g. `{image_name(base, '-'.join(parts))}`) and the runner takes the same")


def debian_release(image: str) -> str | None:
    """The Debian release a `debian:<codename>[-slim]` image names, else None."""
    ref = parse_image(image)
    if ref.familiar != "debian" or not ref.tag:
        return None
    head = ref.tag.split("-", 1)[0]
    return head if head in CODENAMES else None


# Releases whose packages have left deb.debian.org (archive.debian.org only): `apt-get update` in a
# new stage on them fails with 404.
ARCHIVED = frozenset({"jessie", "stretch", "buster"})


def archived_release(image: str) -> str | None:
    """The archived Debian release an image is built on (`debian:buster-slim`,
    `python:3.7-slim-buster`), else None."""
    rel = debian_release(image)
    if rel is None:
        base = parse_base(image)
        rel = base.codename if base is not None else None
    return rel if rel in ARCHIVED else None


def distroless_static(base: Base) -> str:
    number = DEBIAN_NUMBER.get(base.codename or DEFAULT_CODENAME, "12")
    if number not in ("11", "12", "13"):
        number = "12"
    return f"gcr.io/distroless/static-debian{number}:nonroot"


def runner_kind(image: str) -> str:
    """How the runner image is built: debian | alpine | distroless | scratch | unknown."""
    ref = parse_image(image)
    name = ref.familiar.lower()
    tag = (ref.tag or "").lower()
    if ref.is_scratch:
        return "scratch"
    if name.startswith(("gcr.io/distroless/", "cgr.dev/chainguard/")):
        return "distroless"
    if "alpine" in tag or name in ("alpine", "busybox"):
        return "alpine"
    if name in ("eclipse-temurin", "openjdk") and "ubi" in tag:
        return "unknown"  # ubi*-minimal: no useradd
    if name in ("debian", "ubuntu", "python", "node", "golang", "rust", "ruby", "buildpack-deps", "eclipse-temurin", "openjdk"):
        return "debian"  # eclipse-temurin is Ubuntu: apt and useradd as Debian
    if name == "php":
        return "debian"  # the official php images: Debian unless the tag says alpine
    return "unknown"


# ---- Java ---------------------------------------------------------------------------------------

# Java majors whose JRE image each vendor publishes (eclipse-temurin: the LTS releases; the
# deprecated openjdk image had JREs up to 11 only; Corretto has none but 8 on alpine).
TEMURIN_JRE_MAJORS = frozenset({"8", "11", "17", "21", "25"})
OPENJDK_JRE_MAJORS = frozenset({"8", "11"})
_TEMURIN_OS = ("jammy", "focal", "noble", "alpine")
_OPENJDK_OS = ("slim", "buster", "bullseye", "stretch")


@dataclass(frozen=True)
class Jdk:
    """The JDK a Java build image brings: its vendor (temurin, openjdk, corretto, ...), Java
    major version and OS variant (`jammy`, `alpine`, `slim-bullseye`, "" for the default)."""

    vendor: str
    major: str
    os: str


def java_jdk(base: Base) -> Jdk | str:
    """The JDK of a Java build image, or why it is not known. eclipse-temurin:17-jdk-jammy,
    openjdk:11-jdk-slim, amazoncorretto:17, maven:3.9-eclipse-temurin-17(-alpine),
    maven:3-jdk-11(-slim), maven:3.8-openjdk-17, gradle:8.5-jdk17(-alpine)."""
    repo, tag = base.family, base.ref.tag or "latest"
    if repo in ("eclipse-temurin", "openjdk", "amazoncorretto"):
        m = re.match(r"^(\d+)(?:[.u][\w.]*)?(?:-(jdk|jre))?(?:-(.*))?$", tag)
        if not m:
            return f"{repo}:{tag} names no Java major version"
        if m.group(2) == "jre":
            return f"{repo}:{tag} is already a JRE: it cannot compile"
        vendor = {"eclipse-temurin": "temurin", "amazoncorretto": "corretto"}.get(repo, repo)
        return Jdk(vendor, m.group(1), m.group(3) or "")
    if repo == "maven":
        m = re.match(r"^[\d.]+-(eclipse-temurin|openjdk|jdk|amazoncorretto|ibmjava|ibm-semeru|sapmachine)-(\d+)(?:-(.*))?$", tag)
        if not m:
            return f"maven:{tag} names no JDK vendor and Java version I know"
        vendor = {"eclipse-temurin": "temurin", "jdk": "openjdk", "amazoncorretto": "corretto"}.get(m.group(1), m.group(1))
        return Jdk(vendor, m.group(2), m.group(3) or "")
    if repo == "gradle":
        m = re.match(r"^(?:[\d.]+-)?jdk(\d+)(?:-(.*))?$", tag)
        if not m:
            return f"gradle:{tag} names no Java version"
        return Jdk("temurin", m.group(1), m.group(2) or "")  # gradle's jdkN images are on eclipse-temurin
    return f"{repo} is not a JDK image"


def jre_runner(base: Base) -> tuple[str | None, str]:
    """The JRE image of the same vendor, Java major version and OS (libc) as the JDK `base`
    builds with, or (None, why not)."""
    jdk = java_jdk(base)
    if isinstance(jdk, str):
        return None, jdk
    prefix = (base.ref.registry + "/") if base.ref.registry else ""
    if jdk.vendor == "temurin":
        if jdk.major not in TEMURIN_JRE_MAJORS:
            return None, f"eclipse-temurin publishes no JRE image for Java {jdk.major} (only {', '.join(sorted(TEMURIN_JRE_MAJORS, key=int))})"
        if jdk.os not in ("",) + _TEMURIN_OS:
            return None, f"no eclipse-temurin JRE image for the `{jdk.os}` variant is known"
        return f"{prefix}eclipse-temurin:{jdk.major}-jre" + (f"-{jdk.os}" if jdk.os else ""), ""
    if jdk.vendor == "openjdk":
        if jdk.major not in OPENJDK_JRE_MAJORS:
            return None, f"the openjdk image has no JRE for Java {jdk.major} (deprecated; its JREs stop at 11)"
        if jdk.os == "alpine" and jdk.major == "8":
            return f"{prefix}openjdk:8-jre-alpine", ""
        if jdk.os and not all(p in _OPENJDK_OS for p in jdk.os.split("-")):
            return None, f"no openjdk JRE image for the `{jdk.os}` variant is known"
        return f"{prefix}openjdk:{jdk.major}-jre" + (f"-{jdk.os}" if jdk.os else ""), ""
    return None, f"no JRE image of the {jdk.vendor} JDK is known for Java {jdk.major}"

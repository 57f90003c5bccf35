"""multi-stage: split a single-stage Dockerfile into `deps`, `builder` and `runner` stages.

## What it does
For a single-stage Dockerfile whose build it understands (an official python, node, golang,
rust, ruby, php or JDK base image — eclipse-temurin, openjdk, maven, gradle — or a node image
serving its build with nginx, and a build context whose manifests it can read), it writes three
stages:

* `deps` — the original base, system packages and the dependency install, fed by the manifest
  files only (`package.json` + lock file, `requirements.txt`, `pyproject.toml`, `Pipfile.lock`,
  `pdm.lock`, `go.mod`, `Cargo.toml` with stub targets, `pom.xml`, `build.gradle`, `Gemfile.lock`,
  `composer.lock`), so the layer is reused until a manifest changes. Python dependencies go into
  a virtualenv at `/opt/venv`.
* `builder` — `FROM deps`: the source and the build steps (`npm run build`, `go build`,
  `cargo build --release`, `pip install .`, `mvn package`, `composer dump-autoload`). Node gets a
  fourth stage, `prod-deps`, that prunes the devDependencies.
* `runner` — the slim image of the same family, version and libc (`python:3.11` →
  `python:3.11-slim`, `node:20` → `node:20-slim`, `ruby:3.1` → `ruby:3.1-slim`), distroless for
  static Go binaries, Debian slim of the builder's release for Rust and cgo binaries, the JRE of
  the same vendor and version for Java, the same php image for PHP, unprivileged nginx for
  static sites; only the production dependencies, the build outputs and the files
  the start command needs; a non-root user; the original CMD, ENTRYPOINT, ENV, EXPOSE, WORKDIR,
  HEALTHCHECK, LABEL, STOPSIGNAL and VOLUME.

A node image that installs its distro's nginx and serves the built site with it
(`CMD ["nginx", "-g", "daemon off;"]`) gets the official nginx image of the same libc as its
runner (`nginx:stable`, `nginx:stable-alpine`) instead (static_site.py): the folders its config
serves (proven filled by the build: a `cp dist/. /usr/share/nginx/html`, or a framework output
the config names: vite outDir, CRA build/, angular.json outputPath, Vue CLI outputDir) and the
project's own config (a distro site folder, sites-enabled or http.d, lands in conf.d), with nginx
made unprivileged (user nginx 101:101, pid and temp paths in /tmp, `listen 80` moved to 8080 in
the file that has it, EXPOSE with it: a behaviour change the explanation says).

Original instructions move verbatim, with their comments, into the stage where they belong;
new instructions follow the file's keyword case, line endings and escape character.
`docker build --target builder` keeps working: the stage names are fixed and lowercase.

## Why is this bad?
A single-stage image ships its compilers, headers, package caches, devDependencies and source
code: hundreds of megabytes that every pull, scan and cold start pays for, and tools an attacker
can use. A full `python:3.11` or `node:20` image is ~1 GB; the slim runner is a fraction of it.

## Example
```dockerfile
FROM node:20
WORKDIR /app
COPY . .
RUN npm ci && npm run build
CMD ["node", "dist/index.js"]
```
Use instead (abridged):
```dockerfile
FROM node:20 AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci

FROM deps AS builder
COPY . .
RUN npm run build

FROM deps AS prod-deps
RUN npm prune --omit=dev

FROM node:20-slim AS runner
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=builder --chown=node:node /app/dist ./dist
COPY --from=builder --chown=node:node /app/package.json ./
USER 1000:1000
CMD ["node", "dist/index.js"]
```

## Fix safety
Unsafe: the final image has another base, another user and fewer files. The codemod skips with
a reason whenever it cannot tell what the running app needs: a start command that runs build
tools (`npm run dev`, `nodemon`, `flask run --reload`, `go run`), no CMD/ENTRYPOINT (a base or
toolchain image), a build context without the manifests it names, an unknown base image, an
install it cannot follow. Prove each split with `dockwright verify`.

What the running container needs beyond the app's files is carried, or the split is declined:
the programs the start command, the HEALTHCHECK and the entrypoint scripts run (read from the
build context, `$(...)` included) are installed in the runner with its family's package manager
(`curl` for `HEALTHCHECK CMD curl ...`), or the codemod declines naming the program; files build
RUNs write outside the app folder (`mkdir`/`printf >`/`cp` into `/etc`, `/usr/share`, downloads
with `curl -o`) are copied, symbolic links are made again, and writes it cannot enumerate
(`make install`, loops writing to system folders, `pip install` into a non-Python image, a chown
outside the app, accounts other than the runner's user) make it decline. It declines for
web servers that start as root other than a static site's nginx (and for a static site whose
config or served folders it cannot prove), for entrypoints that switch user
(gosu), and when the input is broken: a `COPY --from` naming a stage the file does not have, a
start script that is not in the context, a `go build` of a package that is not there. The
runner's user comes from refactor.knowledge.users (the image's own user, else `app` 10001
created with the family's tools: shadow's groupadd/useradd, busybox addgroup/adduser); USER is
numeric `uid:gid` (a user the original names and creates keeps its name when its useradd fixes
no uid). The runner's WORKDIR makes its work folder root-owned: when the app creates files there
at run time (a node `fs.writeFileSync('./db.json')`) and the original's user could, or a build
RUN gives the folder to the app's user (non-root's `mkdir -p /app && chown node:node /app` before
WORKDIR, which is the app folder, not a write outside it), the runner makes and chowns the folder
before its WORKDIR; a distroless or scratch runner, with no shell for that, declines.

## Options
`runner_base` (`--runner-base IMAGE`): the runner's base image instead of the derived one.

## References
docs.docker.com/build/building/multi-stage; the Next.js `output: 'standalone'` docs;
GoogleContainerTools/distroless; StageCraft (FSE 2026).
"""
from __future__ import annotations

from refactor.codemods.base import Codemod, Context, Safety
from refactor.codemods.multi_stage.gate import _Decline, candidate
from refactor.syntax.nodes import Dockerfile


class MultiStage(Codemod):
    id = "multi-stage"
    summary = "Split a single-stage build into deps, builder and runner stages on a slim base"
    rationale = (
        "A single-stage image ships its compilers, headers, package caches, devDependencies and "
        "source code. Building in `deps` and `builder` stages and copying only the production "
        "dependencies and build outputs into a slim `runner` stage (same family, version and "
        "libc) cuts most of the image and of its attack surface; the runner runs as non-root."
    )
    safety = Safety.UNSAFE

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        if any(e.codemod == self.id for e in ctx.edits):
            return df  # the file is the split this codemod just wrote
        try:
            found = candidate(df)  # most files stop here, before the planner is even imported
            from refactor.codemods.multi_stage.planner import _Planner

            planner = _Planner(df, ctx)
            plan = planner.plan(found)
        except _Decline as e:
            ctx.skip(self, str(e), e.inst)
            return df
        out = planner.emit(plan)
        ctx.edit(self, planner.from_inst, plan.summary, rationale=plan.rationale, touched=tuple(plan.touched))
        return out


CODEMOD = MultiStage()

"""non-root: run the final image as an unprivileged user that fits its base image.

The package: steps.py (the chain read instruction by instruction), image_kind.py (base, shell
and interpreter images), needs_root.py and root_signs.py (what needs root), scripts.py (start
scripts), user.py (who, numerically), edits.py (where the lines go), analysis.py (the state).

What it does
    When the final stage has no `USER`, or ends as root (`USER root`, `0`, `0:0`), it makes the
    image run as a non-root user:
    - it reuses a user the image already has: one an earlier `USER` line switched to, one a
      RUN step creates (`useradd`/`adduser`), or the base image's own (`node` in node images,
      `bun` in oven/bun, `app` (1654) in .NET 8+, `nonroot` (65532) in distroless);
    - otherwise it creates `app` with uid/gid 10001 with the family's own tools: Debian,
      Ubuntu, UBI, CentOS, Fedora, Rocky, Alma: `groupadd --system --gid 10001 app && useradd
      --system --uid 10001 --gid app --no-log-init --create-home app`; Alpine, BusyBox:
      `addgroup -S -g 10001 app && adduser -S -u 10001 -G app app`; `scratch`, which has no
      /etc/passwd, gets a numeric `USER 65532:65532` and no user at all (but a scratch stage
      holding another stage's root filesystem, `COPY --from=x / /`, is that stage's family,
      and one holding its /etc/passwd gets that stage's user). That knowledge is
      refactor/knowledge/users.py, which multi-stage's runner shares;
    - the USER line is always numeric: the uid/gid come from the flags of the account
      commands that create the user (`useradd -u 1500`, `addgroup -g`, `adduser --ingroup`) or
      from the base image's known users, and the codemod declines when they are not proven;
    - the COPY/ADD instructions of the final stage that write into the app folder (the final
      WORKDIR) get `--chown=<user>:<group>`; the app folder itself becomes the user's
      (`mkdir -p DIR && chown user:group DIR`, in the RUN that creates the user), and so do the
      folders RUN steps create for the app to write in (`mkdir -p tmp/pids`, `mkdir /data`);
    - `USER <uid>:<gid>` goes after the last RUN that needs root (package installs, and
      anything but a plain `npm ci`/`yarn`/`pnpm`/`bun` install or build in the app folder,
      which then runs as the user and writes files it owns) and before CMD/ENTRYPOINT.
    A final stage on the official nginx image (a built site copied in) is made unprivileged
    instead (nginx_site.py): a RUN drops the `user` directive, moves the pid file and temp paths
    to /tmp and gives /var/cache/nginx to the nginx user, moves `listen 80` to 8080 (443 to 8443)
    in the config files that have it, then `USER 101:101` and EXPOSE with the new port. The
    config is read (the image's own files plus what the stage copies from the build context);
    one from another stage, templates, a RUN editing it, a listen it cannot rewrite, another
    port below 1024 or a log path the user cannot write make it decline.
    Earlier stages are left alone. New lines follow the file's keyword case, line endings,
    escape character and continuation style.

Why
    A process running as root in a container is root on the host's kernel: a container escape,
    a writable host mount or a stray capability becomes a host compromise (hadolint DL3002, CIS
    Docker Benchmark 4.1). Kubernetes' `runAsNonRoot` refuses such images, and it can only
    verify a numeric USER, so the USER line is written as `uid:gid`. The uid 10001 is above the
    ranges distributions allocate (system accounts below 1000, login users from 1000), so it
    never collides with an account a package creates, and it is the same in every image this
    codemod touches, which keeps the ownership of shared volumes predictable. Images without a
    user database (scratch) and distroless ones get 65532:65532, distroless' `nonroot`.

Example
    FROM python:3.12-slim
    WORKDIR /app
    COPY . .
    RUN pip install -r requirements.txt
    CMD ["python", "app.py"]
    →
    FROM python:3.12-slim
    RUN groupadd --system --gid 10001 app \\
        && useradd --system --uid 10001 --gid app --no-log-init --create-home app \\
        && mkdir -p /app && chown app:app /app
    WORKDIR /app
    COPY --chown=app:app . .
    RUN pip install -r requirements.txt
    USER 10001:10001
    CMD ["python", "app.py"]

Safety
    Unsafe: the process runs with another identity, so whatever it writes outside its folders
    and its home, any port below 1024 and anything its start command does as root stop
    working. The codemod declines (and says why) where that is known or likely: base, shell
    and interpreter images (a start command that is `bash`, `sh`, `pwsh` or a bare `node`,
    `python3`, `irb`, `php -a`..., also behind a `docker-entrypoint.sh`; no CMD/ENTRYPOINT in
    the chain; `ENTRYPOINT [""]`; ONBUILD; a file named as a base), whose users' RUN steps
    would run as the new user (image_kind.py); processes that need root (root_signs.py): the
    Docker socket or CLI, VPN and tunnel tools, packet capture and IDS, daemons that switch
    user themselves (squid, mysqld, a copied config with `user=`), host monitors and
    `--privileged` notes; images whose
    entrypoint drops privileges itself (httpd, postgres, redis, mysql, mariadb, mongo,
    rabbitmq, elasticsearch, php's -fpm/-apache, linuxserver.io...), an EXPOSE below 1024 or a
    start command binding such a port, a start command that needs root (package managers,
    `service`, `chown`, `sysctl`, gosu/su-exec, cron, sshd, supervisord, FUSE mounts, writes
    under /etc...), a start script it cannot read, a start command that builds the app
    (cargo/go/gradle/mvn/dotnet run or test) over a root RUN's output, state under /root (`pip install --user`, WORKDIR /root,
    poetry's default virtualenv), a VOLUME it cannot give to the user, ONBUILD triggers,
    development containers, a user whose uid/gid cannot be proven, and any base whose family
    it does not know (`FROM $BASE` included). Also: writes outside the folders the user will own
    (`--pidfile /var/run/x.pid`, a script's `cp -r * /shared`), tracing/scanning/disk tools, a
    root RUN running the app's own code in its folder, config written to /root, an explicit
    `USER root` set while already root, a work folder nothing fills (a mount point), system
    folders made group-writable (made for an arbitrary uid in group 0).
    Where RUN steps chown folders to one numeric uid, the image runs as that uid; folders root
    RUNs make for the app are chowned recursively; a `COPY --link` gets a numeric --chown.
    ubi-minimal, ubi-micro, amazonlinux and azurelinux ship without shadow-utils (no useradd):
    the codemod creates a user there only when a RUN step installs shadow-utils, and otherwise
    declines rather than add a package the image did not ask for.
    Files RUN steps create as root in the app folder before the USER line stay root's
    (readable, not writable by the app), except the folders they `mkdir`.

References
    https://docs.docker.com/build/building/best-practices/#user
    https://github.com/hadolint/hadolint/wiki/DL3002
    https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#non-root-user
    https://github.com/GoogleContainerTools/distroless#running-as-a-non-root-user
    https://kubernetes.io/docs/concepts/security/pod-security-standards/
"""
from __future__ import annotations

from refactor.codemods.base import Codemod, Context, Safety
from refactor.codemods.non_root.analysis import Analysis
from refactor.codemods.non_root.nginx_site import NginxSite, is_nginx_stage
from refactor.codemods.non_root.steps import Decline, walk
from refactor.knowledge import baseimages as bi
from refactor.knowledge import stage_images as si
from refactor.syntax.nodes import Dockerfile


class NonRoot(Codemod):
    id = "non-root"
    summary = "run the final stage as a non-root user, reused or created for the base image family"
    rationale = __doc__.split("Why\n", 1)[1].split("\n\nExample", 1)[0].strip().replace("\n    ", "\n")
    safety = Safety.UNSAFE
    hadolint = ("DL3002",)

    def transform(self, df: Dockerfile, ctx: Context) -> Dockerfile:
        stages = df.stages
        if not stages:
            return df
        final = stages[-1]
        chain = si.stage_chain(df, final)
        steps, end = walk(df, chain)
        if not bi.is_root_user(end.user):
            return df  # already non-root, or a USER we cannot judge (`$APP_UID`)
        try:
            if not ctx.options.get("allow_unsafe", True):
                raise Decline("changes the user the image runs as (unsafe): select it by name to allow it")
            if is_nginx_stage(df, chain):
                return NginxSite(df, final, ctx).plan(self)
            analysis = Analysis(df, final, chain, steps, end, ctx)
            analysis.check()
            return analysis.apply(self, analysis.plan())
        except Decline as d:
            ctx.skip(self, d.reason, d.inst or final.from_instruction)
            return df


CODEMOD = NonRoot()

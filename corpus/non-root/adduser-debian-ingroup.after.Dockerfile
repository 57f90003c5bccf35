FROM python:3.12-slim
RUN addgroup --gid 2000 svc && adduser --uid 2000 --ingroup svc --disabled-password --gecos "" svc
RUN mkdir -p /srv/app && chown svc:svc /srv/app
WORKDIR /srv/app
COPY --chown=svc:svc . .
USER 2000:2000
CMD ["python", "-m", "app"]

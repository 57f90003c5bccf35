FROM registry.access.redhat.com/ubi9/ubi:9.4
RUN dnf install -y python3.11 && dnf clean all
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
    && mkdir -p /opt/app-root/app && chown app:app /opt/app-root/app
WORKDIR /opt/app-root/app
COPY --chown=app:app . .
USER 10001:10001
CMD ["python3.11", "main.py"]

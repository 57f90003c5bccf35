FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
RUN microdnf install -y shadow-utils java-17-openjdk-headless \
    && microdnf clean all
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-log-init --create-home app \
    && mkdir -p /deployments && chown app:app /deployments
WORKDIR /deployments
COPY --chown=app:app target/app.jar app.jar
USER 10001:10001
ENTRYPOINT ["java", "-jar", "app.jar"]

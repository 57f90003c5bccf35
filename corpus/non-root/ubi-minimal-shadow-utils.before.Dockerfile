FROM registry.access.redhat.com/ubi9/ubi-minimal:9.4
RUN microdnf install -y shadow-utils java-17-openjdk-headless \
    && microdnf clean all
WORKDIR /deployments
COPY target/app.jar app.jar
ENTRYPOINT ["java", "-jar", "app.jar"]

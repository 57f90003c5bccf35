FROM fedora
RUN dnf install -y nginx && dnf clean all

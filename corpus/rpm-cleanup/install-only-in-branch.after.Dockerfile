FROM almalinux:9
# works on both package managers
RUN if command -v dnf >/dev/null; then \
        dnf install -y nginx; \
    else \
        yum install -y nginx; \
    fi

FROM almalinux:9
# works on both package managers
RUN if command -v dnf >/dev/null; then \
        dnf install nginx; \
    else \
        yum install nginx; \
    fi

FROM mcr.microsoft.com/playwright:v1.45.0-jammy
USER pwuser
WORKDIR /home/pwuser/tests
COPY --chown=pwuser:pwuser . .
USER root
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto && rm -rf /var/lib/apt/lists/*
USER 1000:1000
CMD ["npx", "playwright", "test"]

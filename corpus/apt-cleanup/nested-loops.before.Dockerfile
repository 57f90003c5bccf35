FROM debian:bookworm-slim
RUN apt-get update \
    && for tenant in north south; do \
         for env in staging prod; do \
           mkdir -p "/srv/tenants/$tenant/$env"; \
         done; \
       done \
    && apt-get install -y --no-install-recommends tree

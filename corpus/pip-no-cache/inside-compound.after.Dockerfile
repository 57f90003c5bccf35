FROM python:3.11-slim
# Optional extras, and a loop over local wheels
ARG WITH_EXTRAS=0
RUN if [ "$WITH_EXTRAS" = 1 ]; then \
        pip install --no-cache-dir -r requirements-extra.txt; \
    else \
        echo "no extras"; \
    fi \
    && for w in /wheels/*.whl; do python -m pip install --no-cache-dir "$w"; done

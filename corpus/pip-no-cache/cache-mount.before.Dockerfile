FROM python:3.11
RUN --mount=type=cache,target=/root/.cache/pip pip install flask

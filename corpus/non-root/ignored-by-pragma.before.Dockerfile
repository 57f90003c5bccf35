FROM python:3.12-slim
WORKDIR /app
COPY . .
# dockwright: ignore[non-root]
CMD ["python", "app.py"]

FROM python:3-slim
CMD ["python", "-m", "app"]

FROM python:3.12-slim
WORKDIR --
USER --
COPY . .
CMD ["python", "app.py"]

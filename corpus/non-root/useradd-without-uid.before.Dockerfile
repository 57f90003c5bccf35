FROM python:3.12-slim
RUN useradd --create-home appuser
WORKDIR /home/appuser/app
COPY . .
CMD ["python", "main.py"]

FROM python:3.11-slim
RUN useradd -m -u 10001 app
USER 10001
WORKDIR /app
COPY app.py .
USER ro\
  # back to root
ot
CMD ["python", "app.py"]

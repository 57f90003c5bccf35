FROM amazonlinux:2023
RUN dnf install -y python3 && dnf clean all
COPY app.py /app/app.py
CMD ["python3", "/app/app.py"]

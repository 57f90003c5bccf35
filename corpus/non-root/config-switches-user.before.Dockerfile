FROM python:3.12-slim
RUN pip install --no-cache-dir uwsgi flask
WORKDIR /app
COPY app.py .
COPY uwsgi.ini /etc/uwsgi/app.ini
CMD ["uwsgi", "--ini", "/etc/uwsgi/app.ini"]

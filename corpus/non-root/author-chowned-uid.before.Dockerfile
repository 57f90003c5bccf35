FROM python:3.12-slim
WORKDIR /code/
ADD . /code/
RUN mkdir -p /code/media/images && chown -R 1000:2000 /code/media
VOLUME ["/code/media/images/"]
CMD ["python", "app.py"]

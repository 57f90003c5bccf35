FROM python:3.12-slim
RUN mkdir -p /code && chown 1000:2000 /code
WORKDIR /code/
ADD --chown=1000:2000 . /code/
RUN mkdir -p /code/media/images && chown -R 1000:2000 /code/media
VOLUME ["/code/media/images/"]
USER 1000:2000
CMD ["python", "app.py"]

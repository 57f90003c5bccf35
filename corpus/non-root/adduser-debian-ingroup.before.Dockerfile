FROM python:3.12-slim
RUN addgroup --gid 2000 svc && adduser --uid 2000 --ingroup svc --disabled-password --gecos "" svc
WORKDIR /srv/app
COPY . .
CMD ["python", "-m", "app"]

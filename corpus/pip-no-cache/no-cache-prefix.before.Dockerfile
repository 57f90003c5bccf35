FROM python:3.12-slim
# pip takes `--no-cache` as `--no-cache-dir` (an unambiguous prefix)
RUN pip install --no-cache -r requirements.txt && pip3 install --no-cache-d gunicorn

FROM python:3.11
RUN python -m pip install --no-cache-dir --upgrade pip && pip3 install --no-cache-dir flask

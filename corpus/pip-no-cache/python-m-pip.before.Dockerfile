FROM python:3.11
RUN python -m pip install --upgrade pip && pip3 install flask

FROM python:3.12-alpine
WORKDIR /app
COPY . .
RUN pip install flask
RUN python init_db.py
EXPOSE 5000
CMD ["python", "app.py"]

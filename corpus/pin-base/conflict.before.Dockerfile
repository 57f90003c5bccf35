FROM node:18-alpine
FROM python:3.11

FROM node:20.11.1-alpine
FROM python:3.12.1-slim
FROM golang:1.22.3@sha256:0123456789abcdef0123456789abcdef0123
FROM ${BASE}

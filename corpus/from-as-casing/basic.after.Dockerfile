FROM golang:1.22 AS build
from alpine as run
From alpine as mixed

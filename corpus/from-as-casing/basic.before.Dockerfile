FROM golang:1.22 as build
from alpine AS run
From alpine as mixed

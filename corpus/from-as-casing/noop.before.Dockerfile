FROM alpine AS a
from alpine as b

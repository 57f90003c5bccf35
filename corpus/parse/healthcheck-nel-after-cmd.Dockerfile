FROM alpine
# BuildKit skips the blanks after CMD byte by byte: U+0085 starts with byte 0xC2, no blank
HEALTHCHECK CMD o

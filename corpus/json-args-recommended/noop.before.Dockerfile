FROM alpine
CMD ["sh"]

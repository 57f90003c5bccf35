FROM debian
CMD ["a", 1]

FROM debian
CMD ['single', 'quotes']
ENTRYPOINT ["unterminated"
RUN [not json]

FROM debian
RUN echo "<<NOHEREDOC"
RUN echo done

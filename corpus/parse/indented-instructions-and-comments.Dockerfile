FROM debian
    # indented comment
    RUN echo indented

FROM alpine
# BuildKit: an empty quoted word after << is no word, so no here-document
RUN cat <<''
RUN echo after <<""
COPY <<'' /x
RUN apt-get update && apt-get install -y curl

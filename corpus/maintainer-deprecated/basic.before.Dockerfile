FROM debian:12
# who to blame
MAINTAINER Jane Doe <jane@example.com>
RUN true

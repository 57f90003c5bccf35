FROM alpine
RUN cat <<﻿''
RUN echo after

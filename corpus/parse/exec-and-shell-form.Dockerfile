FROM debian
CMD ["nginx", "-g", "daemon off;"]
ENTRYPOINT ["/entrypoint.sh"]
RUN ["echo", "exec"]
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

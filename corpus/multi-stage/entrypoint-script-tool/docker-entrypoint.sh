#!/bin/sh
set -e
# record what started the container (procps' ps), then hand over to the CMD
starter=$(ps -p 1 -o comm=)
export MOTD_STARTER="$starter"
exec "$@"

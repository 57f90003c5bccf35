#!/bin/sh
set -e
if [ "${1#-}" != "$1" ]; then
  set -- python3 "$@"
fi
exec "$@"

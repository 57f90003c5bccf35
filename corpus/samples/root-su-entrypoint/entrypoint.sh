#!/bin/sh
set -e
# A freshly mounted volume belongs to root: hand it to the worker, then drop privileges.
if [ "$(id -u)" = "0" ]; then
    chown -R worker:worker /data
    exec su -s /bin/sh -c 'exec "$0" "$@"' worker -- "$@"
fi
exec "$@"

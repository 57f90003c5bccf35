#!/bin/sh
set -e
chown -R app:app /data
exec gosu app "$@"

#!/bin/sh
set -e
until nc -z "$DB_HOST" 5432; do sleep 1; done
exec "$@"

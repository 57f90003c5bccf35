#!/bin/sh
chmod 600 /etc/ssl/private/server.key
exec "$@"

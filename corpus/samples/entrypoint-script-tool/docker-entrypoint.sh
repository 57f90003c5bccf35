#!/bin/sh
set -e

# Unpack the seed data on first start; the archive keeps the image small.
if [ ! -f /tmp/quotes.json ]; then
    xz --decompress --stdout seed/quotes.json.xz > /tmp/quotes.json
fi

exec "$@"

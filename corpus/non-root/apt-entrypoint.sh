#!/bin/sh
apt-get update && apt-get install -y --no-install-recommends "$EXTRA_PACKAGES"
exec ./server

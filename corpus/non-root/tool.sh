#!/bin/sh
set -e
echo "tool ready"
exec sleep infinity

#!/bin/sh
echo "ran as $(id -un)" > /data/last-run
echo "job done as $(cat /data/last-run | cut -d' ' -f3)"

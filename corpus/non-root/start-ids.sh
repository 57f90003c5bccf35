#!/bin/sh
set -e
exec snort -i eth0 -c /etc/snort/snort.conf

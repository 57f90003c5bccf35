#!/bin/bash
set -e
source "/usr/share/gazebo/setup.sh"
exec "$@"

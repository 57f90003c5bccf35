#!/bin/sh
# retry N CMD...: run CMD up to N times
n=$1; shift
i=1
while [ "$i" -le "$n" ]; do "$@" && exit 0; i=$((i + 1)); sleep 1; done
exit 1

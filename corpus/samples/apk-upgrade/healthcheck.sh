#!/bin/sh
curl -fsS "${TARGET_URL:-http://localhost/}" | jq -r .status

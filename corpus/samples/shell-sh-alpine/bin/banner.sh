#!/bin/sh
echo "ci-tools v${CI_TOOLS_VERSION}"

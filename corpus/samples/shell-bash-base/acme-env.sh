# sourced by login shells
export ACME_ENV=${ACME_ENV:-dev}

#!/bin/sh
# check-banned.sh - refuse unsafe C string functions in src/ (as curl does).
# sprintf, strcpy, strcat, strtok and atoi either overflow or hide errors;
# use snprintf/buf_printf, memcpy with a checked length, strtol/strtoll.
set -eu
cd "$(dirname "$0")/.."
if grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strncat|strtok|atoi|atol|gets)[[:space:]]*\(' src tools tests/unit bench/seed.c \
	| grep -vE '^\S+:\s*(\*|//)'; then
	echo "check-banned: the functions above are banned (see scripts/check-banned.sh)" >&2
	exit 1
fi

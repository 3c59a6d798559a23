#!/bin/sh
# deps.sh - install the Debian packages Parley needs to build, run and test.
#
# Idempotent and quiet: when every package is present it prints nothing and
# does not touch apt. `apt-get update` runs only when something is missing.
# Usage: scripts/deps.sh [build|test]   (test adds the test-suite packages)
set -eu

BUILD_PKGS="build-essential pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libgd-dev libwslay-dev libqrencode-dev nodejs npm"
TEST_PKGS="python3 python3-pytest python3-requests python3-selenium chromium chromium-driver python3-mastodon python3-websocket"
FUZZ_PKGS="clang libclang-rt-14-dev"

want="$BUILD_PKGS"
[ "${1:-build}" = test ] && want="$want $TEST_PKGS"
[ "${1:-build}" = fuzz ] && want="$want $FUZZ_PKGS"

missing=""
for p in $want; do
	# nodejs/npm may come from elsewhere (a newer Node on PATH is fine).
	case $p in
	nodejs) command -v node >/dev/null 2>&1 && continue ;;
	npm) command -v npm >/dev/null 2>&1 && continue ;;
	esac
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null

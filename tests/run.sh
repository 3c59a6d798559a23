#!/bin/bash
# run.sh - run every test suite and print one closing line summed over all:
#   N passed, N failed
# Suites: C unit tests (build/tests/test_*), black-box API tests (tests/api),
# real Mastodon client libraries (tests/clients), browser tests (tests/browser). Each suite's own closing line is parsed;
# a suite that crashes or prints no count counts as one failure.
# Environment: BUILD (default build) picks the build whose binary is tested.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export PARLEY_BIN="$PWD/$BUILD/parley"
PY=/usr/bin/python3
total_pass=0
total_fail=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# add_counts SUITE FILE STATUS: read "N passed" / "N failed" / "N error(s)"
# from the suite's last counting line.
add_counts() {
	local suite=$1 file=$2 status=$3 line p f e
	line=$(grep -E '[0-9]+ (passed|failed)' "$file" | tail -n 1)
	p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || true)
	f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || true)
	e=$(grep -oE '[0-9]+ errors?' <<<"$line" | grep -oE '[0-9]+' || true)
	p=${p:-0}; f=$(( ${f:-0} + ${e:-0} ))
	if [ -z "$line" ] || { [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; }; then
		echo "$suite: exited with status $status without a failure count" >&2
		f=$((f + 1))
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	"$t" >"$log/$name" 2>&1
	st=$?
	cat "$log/$name"
	add_counts "$name" "$log/$name" "$st"
done

for suite in api clients browser; do
	[ -d "tests/$suite" ] || continue
	ls tests/$suite/test_*.py >/dev/null 2>&1 || continue
	echo "== tests/$suite"
	$PY -m pytest -p no:cacheprovider -q "tests/$suite" 2>&1 | tee "$log/$suite"
	st=${PIPESTATUS[0]}
	add_counts "$suite" "$log/$suite" "$st"
done

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$total_pass" -gt 0 ]

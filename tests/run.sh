#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# run.sh: runs every suite (C binaries in build/tests, shell suites in tests/), shows
# their lines and ends with "N passed, N failed[, N skipped]". Exit 1 on any failure.
# Usage: tests/run.sh [FILTER [TEST]]   (runs the suites whose name contains FILTER; of a
# C suite, only the tests whose name contains TEST: `tests/run.sh parse counters`)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
filter=${1:-}
test=${2:-}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for suite in build/tests/test_* tests/test_*.sh; do
	[ -x "$suite" ] || [ "${suite##*.}" = sh ] || continue
	case "$suite" in *.o|*.d) continue ;; esac
	name=$(basename "$suite" .sh)
	[ -n "$filter" ] && [[ "$name" != *"$filter"* ]] && continue
	echo "== $name"
	start=$(date +%s)
	if [ "${suite##*.}" = sh ]; then
		timeout 600 bash "$suite" 2>&1 | tee -a "$log"
	else
		timeout 600 "$suite" ${test:+"$test"} 2>&1 | tee -a "$log"
	fi
	rc=${PIPESTATUS[0]}
	# A suite that dies without reporting a failure is a failure of its own.
	if [ "$rc" != 0 ] && ! grep -q "^FAIL " <(tail -n 200 "$log"); then
		echo "FAIL $name: exited $rc" | tee -a "$log"
	fi
	echo "   ($(( $(date +%s) - start )) s)"
done

passed=$(grep -c '^ok ' "$log")
failed=$(grep -c '^FAIL ' "$log")
skipped=$(grep -c '^SKIP ' "$log")
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]

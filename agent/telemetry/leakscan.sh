#!/bin/sh
# leakscan.sh runs the tests of the telemetry, agent key and outbound
# packages and the end-to-end redaction and outbound tests verbosely,
# captures everything they print (test output and, on failure, the
# emulated function's logs), and fails if any planted secret appears in it.
#
# Usage (from the module root): sh agent/telemetry/leakscan.sh [output-file]
set -u
out=${1:-$(mktemp)}
status=0
go test -count=1 -v ./agent/telemetry/... ./agent/agentkey/... ./agent/outbound/... >"$out" 2>&1 || status=1
go test -count=1 -v -run 'Outbound|NoSecret|Readiness' ./tests/e2e >>"$out" 2>&1 || status=1
# The planted values of the tests (telemetry/main_test.go, agentkey_test.go,
# tests/e2e/redaction_test.go): credentials, cookies, card numbers, source
# addresses, user identifiers, agent keys.
for secret in \
	'eyJzdWIiOiJhbGljZSJ9' 's3ss10n-c00k1e-v4lue' 'ak-live-0123456789abcdef' '203.0.113.77' \
	'alice@example.com' 'hunter2-query-value' 'k3y-0123456789abcdef0123456789abcdef-xyz' \
	'eyJzdWIiOiJhbGljZUBleGFtcGxlLmNvbSJ9' '9f8e7d6c5b4a39281706' 'live_sk_5f4dcc3b5aa765d61d8327deb882cf99' \
	'198.51.100.77' 'Tr0ub4dor&3-e2e' 'e2e-agent-key-0123456789abcdef0123456789abcdef' \
	'slow-key-0123456789abcdef0123456789abcdef' '4111111111111111' '4111 1111 1111 1111' 'AKIAIOSFODNN7EXAMPLE' '536-90-4399'; do
	if grep -F -q -- "$secret" "$out"; then
		echo "LEAK: test output contains planted secret $secret" >&2
		status=1
	fi
done
lines=$(wc -l <"$out")
echo "leakscan: scanned $lines lines of test output in $out; tests and scan status $status"
exit $status

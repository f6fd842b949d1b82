#!/usr/bin/env bash
# The whole test suite, as README promises and .ci/run calls: installs the real peers the tests talk to
# (idempotently), builds, runs every test project, and prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

scripts/install-test-peers.sh

results=artifacts/test-results
rm -rf "$results"
dotnet build Fabrica.slnx -c Release -nologo -clp:ErrorsOnly
status=0
dotnet test Fabrica.slnx -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" "$@" || status=$?

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a crash or build failure is a failure
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"

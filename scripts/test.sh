#!/usr/bin/env bash
# Runs every test on a fresh clone: installs the repo's tools, starts Azurite (in memory, on
# a free port), runs all test projects, stops Azurite, and prints the totals on a line of
# their own ("N passed, N failed[, N skipped]"). Exits non-zero if anything failed.
#
#   scripts/test.sh            every test (what CI runs)
#   scripts/test.sh --fast     leaves out the tests marked [Trait("Category", "Slow")]: those that
#                              start Chromium, Node or their own Azurite (see docs/testing.md)
#
# Any other arguments go to `dotnet test` as they are.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

filter=()
if [ "${1:-}" = "--fast" ]; then
  shift
  filter=(--filter "Category!=Slow")
else
  ensure_chromium
fi

port="$(free_port)"
start_azurite "$port" memory || exit 1
trap 'kill "$azurite_pid" 2>/dev/null; wait "$azurite_pid" 2>/dev/null' EXIT
export CHATREGS_TEST_STORAGE="$(azurite_connection_string "$port")"

results="artifacts/test-results"
rm -rf "$results"
dotnet test ChatRegs.sln --nologo -v q --logger "trx" --results-directory "$results" "${filter[@]}" "$@"
test_exit=$?

node scripts/test-totals.js "$results" "$(ls -d tests/*/ | while read -r d; do ls "$d"*.csproj 2>/dev/null; done | xargs -r grep -l 'Microsoft.NET.Test.Sdk' | wc -l)"
totals_exit=$?
if [ "$test_exit" -ne 0 ] || [ "$totals_exit" -ne 0 ]; then exit 1; fi

#!/usr/bin/env bash
# The load benchmark (issue 13): starts Azurite in memory on a free port, builds the bot and the
# benchmark in Release, runs the bot as in production (its own process, Production, CloudAdapter
# over HTTP, Table Storage) next to a Bot Framework echo bot, drives both with the same load,
# runs the reminder fan-out against a fake Teams connector, prints a table, writes
# artifacts/bench/results-<time>.json, and stops everything. Exits non-zero if a check-in,
# suggestion or reminder was missing or doubled, or a reply was wrong.
#
#   scripts/bench.sh                 # N=5000 check-ins, C=100 at a time, M=10000 reminders
#   scripts/bench.sh -n 1000 -c 50 -m 2000 --scale 10
#   scripts/bench.sh --help
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

for arg in "$@"; do
  if [ "$arg" = "-h" ] || [ "$arg" = "--help" ]; then
    dotnet build bench/ChatRegs.Bench -c Release --nologo -v q >/dev/null
    exec dotnet bench/ChatRegs.Bench/bin/Release/net10.0/ChatRegs.Bench.dll --help
  fi
done

echo "bench: building the bot and the benchmark (Release)…" >&2
dotnet build bench/ChatRegs.Bench -c Release --nologo -v q -clp:ErrorsOnly

port="$(free_port)"
start_azurite "$port" memory
trap 'kill "$azurite_pid" 2>/dev/null; wait "$azurite_pid" 2>/dev/null || true' EXIT
echo "bench: Azurite (in memory) on 127.0.0.1:$port" >&2

mkdir -p artifacts/bench
dotnet bench/ChatRegs.Bench/bin/Release/net10.0/ChatRegs.Bench.dll \
  --storage "$(azurite_connection_string "$port")" \
  --bot Bot/bin/Release/net10.0/ChatRegs.Bot.dll \
  --out artifacts/bench \
  "$@"

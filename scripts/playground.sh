#!/usr/bin/env bash
# Runs the bot in Microsoft 365 Agents Playground, Microsoft's Teams emulator (npm
# @microsoft/m365agentsplayground, pinned in package-lock.json): installs the repo's tools,
# starts Azurite (data kept in .azurite/, as scripts/run.sh does), the bot on
# http://localhost:3978 (Development, no app id: loopback only) and the playground on
# http://localhost:56150, pointed at the bot's /api/messages with the msteams channel.
# Open that address (the playground tries to open a browser itself; TEAMSAPPTESTER_BROWSER=none
# stops it). Ctrl+C stops all three. What the emulator cannot do: docs/testing.md
# "Microsoft's Teams emulator".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

bot_port="${BOT_PORT:-3978}"
playground_port="${PLAYGROUND_PORT:-56150}"
storage_port="${STORAGE_PORT:-10002}"

azurite_pid=""
bot_pid=""
cleanup() {
  [ -n "$bot_pid" ] && kill "$bot_pid" 2>/dev/null && wait "$bot_pid" 2>/dev/null
  # SIGINT lets Azurite write its data file before it exits (SIGTERM may lose the last seconds).
  [ -n "$azurite_pid" ] && kill -INT "$azurite_pid" 2>/dev/null && wait "$azurite_pid" 2>/dev/null
  return 0
}
trap cleanup EXIT

if (exec 3<>"/dev/tcp/127.0.0.1/$storage_port") 2>/dev/null; then
  echo "playground: Table Storage is already listening on 127.0.0.1:$storage_port; using it."
else
  start_azurite "$storage_port" "$repo_root/.azurite"
  echo "playground: Azurite (Table Storage) on 127.0.0.1:$storage_port, data in .azurite/"
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export ChatRegs__Storage__ConnectionString="${ChatRegs__Storage__ConnectionString:-$(azurite_connection_string "$storage_port")}"
echo "playground: starting the bot on http://localhost:$bot_port (log: artifacts/playground-bot.log)…"
dotnet run --project Bot -c "${CONFIGURATION:-Debug}" -- --urls "http://localhost:$bot_port" >"$repo_root/artifacts/playground-bot.log" 2>&1 &
bot_pid=$!
for _ in $(seq 1 300); do
  if curl -fsS "http://localhost:$bot_port/healthz" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$bot_pid" 2>/dev/null; then
    echo "playground: the bot did not start:"; tail -n 40 "$repo_root/artifacts/playground-bot.log"; exit 1
  fi
  sleep 1
done

echo "playground: Microsoft 365 Agents Playground on http://localhost:$playground_port (its log: artifacts/m365agentsplayground.log)"
# --disable-telemetry: nothing is sent to Microsoft; the log file goes to artifacts/ (not ./devTools/).
M365_AGENTS_PLAYGROUND_LOGFILE="$repo_root/artifacts/m365agentsplayground.log" \
  node "$repo_root/node_modules/@microsoft/m365agentsplayground/cli.js" \
  --app-endpoint "http://localhost:$bot_port/api/messages" --channel-id msteams \
  --port "$playground_port" --disable-telemetry

#!/usr/bin/env bash
# Runs the bot locally: installs the repo's tools, starts Azurite (data kept in .azurite/,
# so state survives restarts) and the bot on http://localhost:3978 (Development); the bot
# prints the local chat page's address with its start-up key ("Local chat page: …?key=…").
# Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

port=10002
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "run: Table Storage is already listening on 127.0.0.1:$port; using it."
  azurite_pid=""
else
  start_azurite "$port" "$repo_root/.azurite"
  echo "run: Azurite (Table Storage) on 127.0.0.1:$port, data in .azurite/"
fi
# SIGINT lets Azurite write its data file before it exits (SIGTERM may lose the last seconds).
trap '[ -n "$azurite_pid" ] && kill -INT "$azurite_pid" 2>/dev/null && wait "$azurite_pid" 2>/dev/null' EXIT

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
# The local chat page's Teams tab host mints SSO tokens for the sample people (docs/teams-meeting.md); off unless set.
export ChatRegs__Tabs__DevTokens="${ChatRegs__Tabs__DevTokens:-true}"
# At meeting start, those in the sample meeting without a check-in get the meeting panel as an in-meeting notification (docs/meetings.md).
export ChatRegs__Meetings__InMeetingNotificationUrl="${ChatRegs__Meetings__InMeetingNotificationUrl:-http://localhost:3978/tabs/meeting.html}"
export ChatRegs__Storage__ConnectionString="${ChatRegs__Storage__ConnectionString:-$(azurite_connection_string "$port")}"
echo "run: when the bot is up it prints 'Local chat page: http://localhost:3978/?key=…'; open that address"
echo "run: (the key is new at every start; without it the local chat channel refuses every request)"
dotnet run --project Bot -c "${CONFIGURATION:-Debug}" "$@"

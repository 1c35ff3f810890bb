#!/usr/bin/env bash
# Builds manifest/build/ChatRegs.zip, the Teams app package, with the app id filled in:
#
#   MicrosoftAppId=<your bot's app id> BOT_DOMAIN=<app>.azurewebsites.net manifest/build.sh
#
# The app id comes from the MicrosoftAppId environment variable, else from appsettings.json
# (the bot's own configuration); manifest.json keeps {{MICROSOFT_APP_ID}} and is never edited
# by hand. BOT_DOMAIN (the bot's public host name) goes into validDomains and the developer
# links. Needs only Node.js (build.js writes the zip itself).
set -euo pipefail
exec node "$(dirname "$0")/build.js" "$@"

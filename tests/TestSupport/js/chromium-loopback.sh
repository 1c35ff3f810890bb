#!/bin/sh
# Starts Debian's Chromium for Playwright, keeping it on loopback: Playwright passes its own
# --disable-features=… list, and Chromium honours only one such flag, so
# AutofillServerCommunication is merged into Playwright's list here instead of being passed
# as a second flag (which would silently replace Playwright's).
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
merged=""
for arg do
  shift
  case "$arg" in
    --disable-features=*)
      arg="$arg,AutofillServerCommunication"
      merged=1
      ;;
  esac
  set -- "$@" "$arg"
done
if [ -z "$merged" ]; then
  set -- "$@" --disable-features=AutofillServerCommunication
fi
exec "$chromium" "$@"

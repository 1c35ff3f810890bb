# Sourced by scripts/run.sh and scripts/test.sh: installs what the repo needs on a fresh
# machine, from the repo's own files only. Safe to run again: it skips what is in place.

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Node tools (Azurite, Web Chat, the official Adaptive Card packages, playwright-core),
# exactly as pinned by package-lock.json.
if [ ! -f "$repo_root/node_modules/.package-lock.json" ] || [ "$repo_root/package-lock.json" -nt "$repo_root/node_modules/.package-lock.json" ]; then
  echo "setup: installing node packages (npm ci)…"
  (cd "$repo_root" && npm ci --no-audit --no-fund --loglevel=error)
fi

# Debian's Chromium and CJK fonts for the browser tests (no test tool downloads a browser).
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then
    echo "setup: installing chromium and fonts-noto-cjk from Debian…"
    if [ "$(id -u)" = 0 ]; then sudo_cmd=""; else sudo_cmd="sudo"; fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
}

# Starts Azurite's Table service on 127.0.0.1:$1; $2 = "memory" or a data folder.
# Sets azurite_pid. Waits until it listens.
start_azurite() {
  local port="$1" location="$2" args
  if [ "$location" = memory ]; then
    args=(--inMemoryPersistence)
  else
    mkdir -p "$location"
    args=(--location "$location")
  fi
  "$repo_root/node_modules/.bin/azurite-table" --tableHost 127.0.0.1 --tablePort "$port" \
    --skipApiVersionCheck --disableTelemetry "${args[@]}" >"$repo_root/artifacts/azurite.log" 2>&1 &
  azurite_pid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    if ! kill -0 "$azurite_pid" 2>/dev/null; then
      echo "setup: Azurite failed to start:"; cat "$repo_root/artifacts/azurite.log"; return 1
    fi
    sleep 0.2
  done
  echo "setup: Azurite did not listen on port $port"; return 1
}

azurite_connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:$1/devstoreaccount1;"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

mkdir -p "$repo_root/artifacts"

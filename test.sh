#!/usr/bin/env bash
# Runs every test of Webhook Studio on a fresh machine: installs what the browser tests need, then dotnet test.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# Two cores: build with one node so the tests, not the compiler, get the machine.
dotnet test WebhookStudio.sln -m:1 "$@"

#!/usr/bin/env bash
# Runs every test of Webhook Studio on a fresh machine: installs what the tests need (Chromium for the browser
# tests, the OpenAPI linters and Kiota), then runs dotnet test with a throwaway PostgreSQL server for the storage tests (scripts/with-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

if ! command -v npm >/dev/null; then
  echo "Installing Debian's nodejs and npm for the OpenAPI linters..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
# What the OpenAPI tests run: the linters at the versions in their package-lock.json, and Kiota (dotnet-tools.json).
npm ci --prefix tools/openapi-lint --no-audit --no-fund
dotnet tool restore

# The PostgreSQL tests use ConnectionStrings__Postgres when given (a role that may create databases);
# otherwise scripts/with-postgres.sh starts a throwaway server for the run and deletes it afterwards.
# Two cores: build with one node so the tests, not the compiler, get the machine.
scripts/with-postgres.sh dotnet test WebhookStudio.sln -m:1 "$@"

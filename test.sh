#!/usr/bin/env bash
# Runs every test of Webhook Studio on a fresh machine: installs what the tests need (Chromium for the browser
# tests, PostgreSQL for the storage tests), starts a throwaway PostgreSQL server, then dotnet test.
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The PostgreSQL tests use ConnectionStrings__Postgres when given (a role that may create databases);
# otherwise a throwaway server on a free loopback port, in a temporary folder deleted at the end.
if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
  if [ -z "$(pg_bin)" ]; then
    echo "Installing Debian's postgresql for the storage tests..."
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PG_BIN="$(pg_bin)"
  PG_DIR="$(mktemp -d /tmp/webhook-studio-pg.XXXXXX)"
  # initdb refuses to run as root: the server runs as the postgres user (or nobody) when we are root.
  if [ "$(id -u)" -eq 0 ]; then
    PG_USER="$(id -u postgres >/dev/null 2>&1 && echo postgres || echo nobody)"
    chown "$PG_USER" "$PG_DIR"
    as_pg() { runuser -u "$PG_USER" -- "$@"; }
  else
    as_pg() { "$@"; }
  fi
  stop_postgres() {
    as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  }
  trap stop_postgres EXIT

  port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
  PG_PORT=$((20000 + RANDOM % 20000))
  until port_free "$PG_PORT"; do PG_PORT=$((20000 + RANDOM % 20000)); done

  as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U studio -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
  # Durability settings off: the data lives for one test run. Tests open many pools (two apps per test at times).
  as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') for the storage tests on 127.0.0.1:$PG_PORT"
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=studio;Database=postgres"
fi

# Two cores: build with one node so the tests, not the compiler, get the machine.
dotnet test WebhookStudio.sln -m:1 "$@"

#!/usr/bin/env bash
# Runs a command with ConnectionStrings__Postgres pointing at a PostgreSQL server: the one already given in that
# variable, or a throwaway server on a free loopback port in a temporary folder, deleted when the command ends
# (Debian's postgresql is installed first when missing).
#   scripts/with-postgres.sh [--durable] <command> [args...]
# --durable keeps PostgreSQL's fsync and synchronous commit on (for benchmarks); without it they are off,
# which is right for tests whose data lives for one run.
set -euo pipefail

durable=false
if [ "${1:-}" = "--durable" ]; then durable=true; shift; fi
if [ $# -eq 0 ]; then echo "usage: $0 [--durable] <command> [args...]" >&2; exit 2; fi

if [ -n "${ConnectionStrings__Postgres:-}" ]; then
  exec "$@"
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ]; then
  echo "Installing Debian's postgresql..."
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

settings="-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c max_connections=400"
if [ "$durable" = false ]; then
  settings="$settings -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
as_pg "$PG_BIN/initdb" -D "$PG_DIR/data" -U studio -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -o "$settings" start >/dev/null
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT$([ "$durable" = true ] && echo ' (durable)' || echo ' (fsync off)')"
export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Username=studio;Database=postgres"

# Not exec: the trap must stop the server when the command ends.
"$@"

#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on loopback for the store tests, and print its URL.
# Installs Debian's postgresql when it is missing. Usage: eval "$(bash .ci/postgres.sh)"
set -euo pipefail
PORT="${MARSAD_PG_PORT:-54329}"
DATA="${MARSAD_PG_DATA:-/tmp/marsad-pg-$PORT}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
# PostgreSQL refuses to run as root: the cluster belongs to the postgres user.
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
if [ ! -f "$DATA/PG_VERSION" ]; then
  mkdir -p "$DATA"; [ "$(id -u)" = 0 ] && chown postgres "$DATA"
  as_pg "$bin/initdb -D '$DATA' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
fi
if ! as_pg "$bin/pg_ctl -D '$DATA' status >/dev/null 2>&1"; then
  as_pg "$bin/pg_ctl -D '$DATA' -l '$DATA/log' -w -o \"-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off\" start >/dev/null"
fi
echo "export MARSAD_TEST_POSTGRES=postgresql://postgres@127.0.0.1:$PORT/postgres"

#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback and prints its admin URL.
# Usage: .ci/start-postgres.sh [PORT]   (default 54329)
set -euo pipefail
PORT="${1:-54329}"
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
DIR="$(mktemp -d /tmp/convene-pg.XXXXXX)"
chown postgres:postgres "$DIR" 2>/dev/null || true
RUN=()
if [ "$(id -u)" = "0" ]; then RUN=(runuser -u postgres --); fi
"${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 >"$DIR/initdb.log" 2>&1
"${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=300" start >/dev/null
echo "postgres://postgres@127.0.0.1:$PORT/postgres"

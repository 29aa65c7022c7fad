#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL server on 127.0.0.1, and
# TEST_DATABASE_URL pointing at an empty database in it. Installs Debian's
# postgresql package first if it is missing (as root, as on CI).
#   scripts/with-postgres.sh .venv/bin/pytest -q tests/store/test_store.py
set -euo pipefail

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
pgbin=$(find_bin)
if [ -z "$pgbin" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed: apt-get install postgresql, then run again." >&2
    exit 1
  fi
  echo "Installing PostgreSQL from Debian's packages..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pgbin=$(find_bin)
fi

dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root; on CI (root) the server runs as `postgres`.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$dir"

as_owner "$pgbin/initdb" -D "$dir/data" -A trust -U app >/dev/null
as_owner "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null
trap 'as_owner "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null; rm -rf "$dir"' EXIT
as_owner "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U app app_test

TEST_DATABASE_URL="postgresql://app@127.0.0.1:$port/app_test" "$@"

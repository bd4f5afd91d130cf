#!/usr/bin/env bash
# A throwaway Postgres cluster for tests.
#
#   .ci/postgres.sh start DIR   installs the Debian `postgresql` package when `initdb` is
#                               missing, creates a cluster in DIR (trust auth, 127.0.0.1 only,
#                               a free port, its unix socket inside DIR), starts it, and prints
#                               one line: postgres://postgres@127.0.0.1:PORT/postgres
#   .ci/postgres.sh stop DIR    stops that cluster and removes DIR
#
# The cluster skips fsync for speed (a test's process dies, not the machine); with
# PG_DURABLE=1 it keeps Postgres's durable defaults, for benchmarks.
#
# Everything but the URL goes to stderr, so `URL=$(.ci/postgres.sh start DIR)` works. DIR must
# not exist yet or be empty, and its path should stay short (the socket path is limited to about
# 100 bytes). Run as root, the cluster belongs to the `postgres` user (initdb refuses root).
set -euo pipefail

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() { die "usage: $0 start DIR | stop DIR"; }

# The directory of initdb, pg_ctl and postgres: beside `initdb` on the PATH, else the newest
# /usr/lib/postgresql/*/bin.
pg_bin() {
  local initdb
  if initdb=$(command -v initdb 2>/dev/null); then
    dirname "$(readlink -f "$initdb")"
    return 0
  fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] || return 1
  printf '%s\n' "$dir"
}

install_postgres() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "initdb not found: installing the postgresql package"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# Runs a command as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    local runuser
    runuser=$(PATH="$PATH:/usr/sbin:/sbin" command -v runuser) || die "runuser not found"
    "$runuser" -u postgres -- "$@"
  else
    "$@"
  fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 40000))
    if ! port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  return 1
}

start() {
  local dir=$1 bin
  if ! bin=$(pg_bin); then
    install_postgres
    bin=$(pg_bin) || die "initdb is still missing after installing postgresql"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  mkdir -p "$dir/socket"
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$dir"
    as_owner test -w "$dir" \
      || die "the postgres user cannot reach $dir: choose a directory whose parents it can enter"
  fi
  log "creating a cluster in $dir/data with $bin/initdb"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  local port tries durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ "${PG_DURABLE:-0}" = 1 ] && durability=""
  for tries in 1 2 3 4 5; do
    port=$(free_port) || die "no free TCP port found"
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 $durability \
          -c max_connections=200" \
      start >&2; then
      printf '%s\n' "$port" >"$dir/port"
      printf 'postgres://postgres@127.0.0.1:%s/postgres\n' "$port"
      return 0
    fi
    log "start on port $port failed (try $tries):"
    tail -n 5 "$dir/server.log" >&2 || true
  done
  die "postgres did not start; see $dir/server.log"
}

stop() {
  local dir=$1 bin
  [ -d "$dir" ] || { log "$dir does not exist: nothing to stop"; return 0; }
  if [ -f "$dir/data/postmaster.pid" ]; then
    bin=$(pg_bin) || die "pg_ctl not found"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2 \
      || log "pg_ctl stop failed; removing $dir anyway"
  fi
  rm -rf "$dir"
}

[ $# -eq 2 ] || usage
case $1 in
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) usage ;;
esac

#!/usr/bin/env bash
# A throw-away PostgreSQL for the storage tests. Sourced by scripts/test.sh:
#   - installs Debian's postgresql if no server binaries are found (once; about 30-60 s),
#   - starts a cluster of its own (own data directory in a private temporary folder, own free port on 127.0.0.1,
#     a random password) as a non-root user (initdb refuses root: the `postgres` user when run as root),
#   - exports COACHBOT_TEST_POSTGRES (the connection string the tests use), and
#   - stops the cluster and deletes its folder when the calling script exits, whether the tests passed or not.
# If the cluster cannot start, it says why and carries on without it: the PostgreSQL tests then fail in CI (CI=true)
# with that reason, and report themselves skipped elsewhere.

coachbot_pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

coachbot_pg_as() {
  # Runs a server command as the cluster's owner.
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u "$coachbot_pg_user" -- "$@"
  else
    "$@"
  fi
}

coachbot_pg_free_port() {
  # A port nothing listens on: the kernel's choice when python3 is there, else the first of a range that refuses connections.
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local port
  for port in $(seq 55432 55632); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  return 1
}

coachbot_pg_stop() {
  if [ -n "${coachbot_pg_dir:-}" ] && [ -d "$coachbot_pg_dir" ]; then
    if [ -f "$coachbot_pg_dir/data/postmaster.pid" ]; then
      coachbot_pg_as "$(coachbot_pg_bin)/pg_ctl" -D "$coachbot_pg_dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
      echo "Stopped the test PostgreSQL (port ${coachbot_pg_port:-?})." >&2
    fi
    rm -rf "$coachbot_pg_dir"
  fi
}

coachbot_pg_start() {
  local started bin
  started=$(date +%s)
  bin=$(coachbot_pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "Installing Debian's postgresql for the storage tests (about 30-60 s)"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    else
      echo "PostgreSQL is not installed and this user cannot install it (sudo apt-get install postgresql): the PostgreSQL tests have no server." >&2
      return 1
    fi
    bin=$(coachbot_pg_bin)
    [ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "postgresql was installed but no initdb was found under /usr/lib/postgresql." >&2; return 1; }
  fi

  coachbot_pg_user=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then
    coachbot_pg_user=postgres
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  fi

  coachbot_pg_port=$(coachbot_pg_free_port)
  coachbot_pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/coachbot-test-postgres-XXXXXX")
  local password
  password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  printf '%s\n' "$password" > "$coachbot_pg_dir/password"
  chmod 700 "$coachbot_pg_dir"
  [ "$(id -u)" -eq 0 ] && chown -R "$coachbot_pg_user" "$coachbot_pg_dir"

  echo "Starting a throw-away PostgreSQL ($("$bin/postgres" --version | awk '{print $3}')) for the storage tests: port $coachbot_pg_port, data in $coachbot_pg_dir (a few seconds)"
  if ! coachbot_pg_as "$bin/initdb" -D "$coachbot_pg_dir/data" -U coachbot --pwfile="$coachbot_pg_dir/password" -A scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 --no-sync >"$coachbot_pg_dir/initdb.log" 2>&1; then
    echo "initdb failed; its output:" >&2
    cat "$coachbot_pg_dir/initdb.log" >&2
    return 1
  fi
  # Durability is not what these tests measure: no fsync, so a test database costs milliseconds, not seconds.
  if ! coachbot_pg_as "$bin/pg_ctl" -D "$coachbot_pg_dir/data" -l "$coachbot_pg_dir/server.log" -w -t 60 \
        -o "-p $coachbot_pg_port -k $coachbot_pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null; then
    echo "The test PostgreSQL did not start; its log:" >&2
    cat "$coachbot_pg_dir/server.log" >&2
    return 1
  fi
  export COACHBOT_TEST_POSTGRES="Host=127.0.0.1;Port=$coachbot_pg_port;Username=coachbot;Password=$password;Database=postgres"
  echo "Test PostgreSQL ready in $(( $(date +%s) - started )) s (COACHBOT_TEST_POSTGRES is set for the tests)."
}

trap coachbot_pg_stop EXIT
if ! coachbot_pg_start; then
  coachbot_pg_stop
  unset COACHBOT_TEST_POSTGRES
  echo "Carrying on without PostgreSQL: its tests fail in CI (CI=true) and are reported as skipped otherwise." >&2
fi

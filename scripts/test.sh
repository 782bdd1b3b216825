#!/usr/bin/env bash
# Builds the solution and runs every test (unit, integration with real SQLite files and a throw-away PostgreSQL, host tests over HTTP).
# Prints the measured figures (validity, …) and a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# A real whisper.cpp whisper-server (and whisper-cli, the reference of `coachbot-tools bench whisper`) as test peers for the remote
# Whisper engine: built from source here only, never on the run path (needs cmake, g++ and make; several minutes once).
for tool in cmake g++ make; do
  command -v "$tool" >/dev/null 2>&1 || { echo "Installing Debian packages for the whisper-server test peer: cmake g++ make"; apt-get install -y -qq --no-install-recommends cmake g++ make >/dev/null 2>&1 || sudo apt-get install -y -qq --no-install-recommends cmake g++ make >/dev/null; break; }
done
bash scripts/build-whisper.sh || echo "whisper-server was not built (see above): the tests against a real whisper-server fail." >&2

artifacts="$PWD/artifacts"
results="$artifacts/test-results"
rm -rf "$results" "$artifacts/figures.txt"
mkdir -p "$results"
export COACHBOT_FIGURES="$artifacts/figures.txt"

dotnet build CoachBot.sln --configuration Release
# A throw-away PostgreSQL for the storage tests, stopped when this script exits (see the script's header).
source scripts/test-postgres.sh
status=0
dotnet test CoachBot.sln --configuration Release --no-build \
  --results-directory "$results" --logger "trx;LogFilePrefix=coachbot" --logger "console;verbosity=normal" || status=$?

if [ -s "$COACHBOT_FIGURES" ]; then
  echo
  echo "== Measured figures"
  sort "$COACHBOT_FIGURES"
fi

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  passed=$((passed + $(echo "$counters" | sed -n 's/.* passed="\([0-9]*\)".*/\1/p')))
  failed=$((failed + $(echo "$counters" | sed -n 's/.* failed="\([0-9]*\)".*/\1/p')))
done
echo
echo "$passed passed, $failed failed"
if [ "$passed" -eq 0 ] && [ "$status" -eq 0 ]; then
  echo "No test ran." >&2
  exit 1
fi
exit "$status"

#!/usr/bin/env bash
# Runs CoachBot on its embedded defaults (SQLite file in ./data, rule-based coach, no keys needed):
#   bash scripts/run.sh                      the bot host on http://localhost:3978 (GET /healthz)
#   bash scripts/run.sh practice --text "…"  any command-line verb (see README)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-$ASPNETCORE_ENVIRONMENT}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# dotnet run starts the program in Bot/; keep the database at the repository root unless told otherwise.
export Storage__DatabasePath="${Storage__DatabasePath:-$PWD/data/coachbot.db}"
exec dotnet run --project Bot --configuration Release -- "$@"

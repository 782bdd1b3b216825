#!/usr/bin/env bash
# Runs CoachBot on its embedded defaults (SQLite file in data/ at the repository root, rule-based coach, no keys):
#   bash scripts/run.sh                      the bot host on http://localhost:3978 (GET /healthz)
#   bash scripts/run.sh practice --text "…"  any command-line verb (see README)
# First checks the prerequisites (scripts/prerequisites.sh; a few seconds once installed), then runs scripts/coachbot
# in the caller's working directory, so relative paths you type are yours. Everything but the program's own output
# goes to stderr: `bash scripts/run.sh practice … --json > report.json` is a JSON file.
# For repeated verbs, scripts/coachbot skips the prerequisite check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$root" && source scripts/prerequisites.sh) >&2
exec "$root/scripts/coachbot" "$@"

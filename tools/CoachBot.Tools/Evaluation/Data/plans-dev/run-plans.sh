#!/usr/bin/env bash
# Plans every development pair with the rules (`plan create --json`) and prints each plan's questions.
#   tools/CoachBot.Tools/Evaluation/Data/plans-dev/run-plans.sh [pair-number ...]
# Uses scripts/coachbot (builds when sources changed); COACHBOT_PROGRAM=<coachbot.dll> runs a given build instead.
# The plans go to a throw-away database, never to the repository's data/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../../../.." && pwd)"
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
mkdir -p "$data/data"
cp -r "$root/data/models" "$data/data/" 2>/dev/null || true
for job in "$here"/[0-9][0-9]-job-*.txt; do
  n="$(basename "$job" | cut -c1-2)"
  if [ $# -gt 0 ] && [[ ! " $* " == *" $n "* ]]; then continue; fi
  resume="$(ls "$here/$n"-resume-*.docx "$here/$n"-resume-*.pdf "$here/$n"-resume-*.txt 2>/dev/null | head -1 || true)"
  echo "== $(basename "$resume") -> $(basename "$job")"
  CoachBot__DataRoot="$data" "$root/scripts/coachbot" plan create --resume "$resume" --job "$job" --json \
    | python3 -c '
import json, sys
plan = json.load(sys.stdin)
print("role:", plan["role"], "| seniority:", plan["seniority"], "| skills:", ", ".join(s["name"] + ("*" if s["inResume"] else "") for s in plan["skills"]))
print("experiences:", " | ".join(plan["candidate"]["experiences"]))
for q in plan["questions"]:
    print("  [" + q["source"][0] + "] " + q["text"])
'
done

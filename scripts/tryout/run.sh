#!/usr/bin/env bash
# Try-out answers for issue 14's leftovers: coach each and print the card parts that the try-out found wrong
# (structure line, improvements, missed points, "A stronger version", pointers). Usage: scripts/tryout/run.sh [outdir]
# answers.tsv: name, question id, answer (tab-separated); about 40 s per answer on 2 shared cores (each loads the model).
# COACHBOT_PROGRAM=<coachbot.dll> runs another build (e.g. a copy of main's) without rebuilding.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/out}"
mkdir -p "$out"
while IFS=$'\t' read -r name question text; do
  [ -z "$name" ] && continue
  "$here/../coachbot" practice --user "tryout-$name" --question "$question" --text "$text" > "$out/$name.txt" 2>/dev/null || echo "failed: $name" >&2
done < "$here/answers.tsv"

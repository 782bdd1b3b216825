#!/usr/bin/env bash
# Checks (and where it can, installs) what CoachBot needs beyond the repository. Idempotent: a second run
# changes nothing. Sourced by run.sh and test.sh; on its own: bash scripts/prerequisites.sh
set -euo pipefail

need_dotnet_major=10

if ! command -v dotnet >/dev/null 2>&1; then
  echo "CoachBot needs the .NET ${need_dotnet_major} SDK: https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

sdk_major=$(dotnet --version 2>/dev/null | cut -d. -f1)
if [ "${sdk_major:-0}" -lt "$need_dotnet_major" ]; then
  echo "CoachBot needs the .NET ${need_dotnet_major} SDK; this machine has $(dotnet --version)." >&2
  exit 1
fi
bash "$(dirname "${BASH_SOURCE[0]}")/build-whisper.sh" || echo "whisper.cpp was not built (see above): the whisper.cpp engine and its tests cannot run." >&2

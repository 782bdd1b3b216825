#!/usr/bin/env bash
# Checks and installs what CoachBot needs beyond the repository. Idempotent: a second run changes nothing.
# Sourced by run.sh and test.sh; on its own: bash scripts/prerequisites.sh
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

# Debian/Ubuntu packages. Voice: ffmpeg (normalization), PocketSphinx and its English model (offline
# transcription); npm fetches the card tools (the sentence model comes with the NuGet restore). The in-process Whisper engine needs nothing here:
# Whisper.net's prebuilt linux-x64 natives come with the NuGet restore.
# Tests also use real speech (pocketsphinx-testdata), espeak-ng and sox (audio with known truth) and
# aubio-tools (an independent pitch tracker). Chromium runs the real-browser tests of the web dev chat.
coachbot_packages=(ffmpeg pocketsphinx pocketsphinx-en-us libpocketsphinx3 pocketsphinx-testdata espeak-ng sox aubio-tools chromium)
missing=()
for package in "${coachbot_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages (about 1–3 min): ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "CoachBot needs these packages; install them and run again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# npm tools (tools/js): the Adaptive Cards renderer bundled into the web dev chat, the card, Block Kit and manifest
# checkers, and the browser driver. Reinstalled only when the lock file changes.
tools_js="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tools/js"
lock_hash=$(sha256sum "$tools_js/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$tools_js/node_modules/.coachbot-lock" 2>/dev/null)" != "$lock_hash" ]; then
  echo "Installing npm tools into tools/js (about 10–30 s)"
  (cd "$tools_js" && npm ci --no-audit --no-fund --loglevel=error) >&2
  echo "$lock_hash" > "$tools_js/node_modules/.coachbot-lock"
fi


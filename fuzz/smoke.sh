#!/usr/bin/env bash
# Runs every fuzz target for a fixed time on its committed seed corpus (fuzz/corpus/TARGET),
# with its protocol's dictionary (fuzz/dict/PREFIX.dict) where there is one, and stops at the
# first failure. Usage: fuzz/smoke.sh [SECONDS_PER_TARGET] (default 10).
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz --locked`).
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-10}"
for target in $(cargo fuzz list); do
  dict="dict/${target%%_*}.dict"
  args=(-max_total_time="$seconds")
  [ -f "$dict" ] && args+=(-dict="$dict")
  printf '\n--> %s (%s s)\n' "$target" "$seconds"
  cargo +nightly fuzz run "$target" -- "${args[@]}" 2>&1 | grep -E '^(Done|INFO: seed corpus)|panicked|SUMMARY|ERROR' || true
  # The pipe hides the exit status: a failure leaves an artifact.
  if compgen -G "artifacts/$target/*" > /dev/null; then
    echo "fuzz target $target failed; its input is in fuzz/artifacts/$target/" >&2
    exit 1
  fi
done

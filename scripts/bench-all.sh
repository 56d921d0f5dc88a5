#!/usr/bin/env bash
# Every benchmark in BENCHMARKS.md, then its tables and the decode plot:
#   scripts/bench-all.sh               # about 40 minutes on 2 cores
#   SKIP_BUILD_COST=1 scripts/bench-all.sh
# Build-cost rows for more TLS backends: BUILD_COST_TLS="rustls rustls-aws-lc native-tls"
# (native-tls needs libssl-dev).
set -euo pipefail
cd "$(dirname "$0")/.."
target=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
mkdir -p "$target/gong-benches"

cargo bench -p gong-benches
if command -v valgrind >/dev/null; then
  scripts/instructions.sh
fi
if [ -z "${SKIP_BUILD_COST:-}" ]; then
  # shellcheck disable=SC2086
  scripts/build-cost.sh ${BUILD_COST_TLS:-rustls} | tee "$target/gong-benches/build-cost.md"
fi
cargo run --quiet --release -p gong-benches --bin bench-report

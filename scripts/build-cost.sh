#!/usr/bin/env bash
# What depending on gong-api costs at build time, next to a crate with only
# reqwest + serde and the same TLS choice (benches/baseline-crate).
#
#   scripts/build-cost.sh                        # the default TLS feature
#   scripts/build-cost.sh rustls native-tls ...  # one row pair per feature
#   RUNS=3 scripts/build-cost.sh                 # repeat, report medians
#
# For each TLS feature it measures, in a fresh target directory each time:
#   - a clean `cargo build -p gong-api` (debug, as a dependent would build it),
#     its CPU time and its wall time,
#   - after a one-line edit of spec/gong.yaml: regenerating the client
#     (`gong-api-gen generate`, built beforehand, untimed) and rebuilding,
#   - the same two for the baseline crate (its one-line edit is in lib.rs).
# Everything happens in a temporary copy of the working tree, so the real
# spec is never touched and builds running in ./target are not disturbed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

features=("$@")
if [ ${#features[@]} -eq 0 ]; then
  features=(rustls)
fi
runs=${RUNS:-1}

work=$(mktemp -d "${TMPDIR:-/tmp}/gong-build-cost.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT

# The working tree as it is (tracked and untracked, minus ignored files).
git -C "$root" ls-files -z --cached --others --exclude-standard |
  (cd "$root" && xargs -0 tar -cf - --ignore-failed-read 2>/dev/null) |
  tar -xf - -C "$work"
mkdir -p "$work/targets"
src=$work
baseline=$src/benches/baseline-crate

# Download everything first, so that no timed build waits on the network
# (this also brings the copy's lock file up to date with its manifests).
# The baseline starts from the workspace's lock file, so both use the same
# crate versions: cargo prunes what the baseline does not use.
(cd "$src" && cargo fetch --quiet)
cp "$src/Cargo.lock" "$baseline/Cargo.lock"
(cd "$baseline" && cargo fetch --quiet)

now() { date +%s.%N; }

# build <label> <dir> <target-dir> <cargo args...>: prints wall-clock
# seconds, the number of crates compiled, and CPU seconds (user + system, all
# compiler processes): the CPU time is what the build costs, the wall time
# what it costs on this machine's two cores, which other work shares.
build() {
  local dir=$2 target=$3
  shift 3
  local log=$work/last-build.log times=$work/last-build.times
  local TIMEFORMAT='%R %U %S'
  if ! { time (cd "$dir" && CARGO_TARGET_DIR=$target cargo build --offline --locked "$@" >"$log" 2>&1); } 2>"$times"; then
    cat "$log" >&2
    echo "build failed: cargo build $*" >&2
    exit 1
  fi
  local real user system compiled
  read -r real user system <"$times"
  compiled=$(grep -c '^ *Compiling ' "$log" || true)
  awk -v r="$real" -v u="$user" -v s="$system" -v c="$compiled" 'BEGIN { printf "%.1f %d %.1f\n", r, c, u + s }'
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

spec=$src/spec/gong.yaml
client=$src/gong-api/src/generated.rs
lib=$baseline/src/lib.rs
cp "$spec" "$work/gong.yaml.orig"
cp "$client" "$work/generated.rs.orig"
cp "$lib" "$work/lib.rs.orig"

# regenerate_and_build <target-dir> <cargo args...>: what a one-line spec
# edit costs a maintainer: regenerate the checked-in client, then rebuild.
regenerate_and_build() {
  local target=$1 start end
  shift
  start=$(now)
  (cd "$src" && CARGO_TARGET_DIR=$target cargo run --offline --locked --quiet -p gong-api-gen -- \
    generate spec/gong.yaml --out gong-api/src/generated.rs 2>/dev/null)
  read -r secs _ < <(build gong "$src" "$target" "$@")
  end=$(now)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f\n", e - s }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(rustc --version)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

rows=()
for feature in "${features[@]}"; do
  g_clean=() g_edit=() b_clean=() b_edit=() g_cpu=() b_cpu=() g_crates=0 b_crates=0
  for run in $(seq 1 "$runs"); do
    t=$work/targets/gong-$feature-$run
    read -r secs crates cpu < <(build gong "$src" "$t" -p gong-api --no-default-features --features "$feature")
    g_clean+=("$secs") g_cpu+=("$cpu") g_crates=$crates
    # A one-line spec edit: the operation's summary, which the generated
    # doc comment carries, so the client changes and gong-api rebuilds.
    build gong "$src" "$t" -p gong-api-gen >/dev/null
    sed -i "0,/^      summary: /s//      summary: (edited $run) /" "$spec"
    g_edit+=("$(regenerate_and_build "$t" -p gong-api --no-default-features --features "$feature")")
    grep -q "(edited $run)" "$client" || { echo "the edit did not reach the client" >&2; exit 1; }
    cp "$work/gong.yaml.orig" "$spec"
    cp "$work/generated.rs.orig" "$client"
    rm -rf "$t"

    t=$work/targets/baseline-$feature-$run
    read -r secs crates cpu < <(build baseline "$baseline" "$t" --no-default-features --features "$feature")
    b_clean+=("$secs") b_cpu+=("$cpu") b_crates=$crates
    sed -i "s|gong-build-baseline/0|gong-build-baseline/$run|" "$lib"
    read -r secs _ < <(build baseline "$baseline" "$t" --no-default-features --features "$feature")
    b_edit+=("$secs")
    cp "$work/lib.rs.orig" "$lib"
    rm -rf "$t"
    echo "run $run, $feature: gong-api clean ${g_clean[-1]} s (CPU ${g_cpu[-1]} s), edit ${g_edit[-1]} s; baseline clean ${b_clean[-1]} s (CPU ${b_cpu[-1]} s), edit ${b_edit[-1]} s (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  done
  # Medians of each side, and the median of the per-run ratios: a busy
  # minute slows both builds of a run alike, so the paired ratio is steadier.
  ratios() { local -n ours=$1 theirs=$2; for i in "${!ours[@]}"; do awk -v a="${ours[$i]}" -v b="${theirs[$i]}" 'BEGIN { print a / b }'; done | tr '\n' ' '; }
  gc=$(echo "${g_clean[*]}" | median) ge=$(echo "${g_edit[*]}" | median)
  bc=$(echo "${b_clean[*]}" | median) be=$(echo "${b_edit[*]}" | median)
  gu=$(echo "${g_cpu[*]}" | median) bu=$(echo "${b_cpu[*]}" | median)
  ru=$(ratios g_cpu b_cpu | median) rc=$(ratios g_clean b_clean | median) re=$(ratios g_edit b_edit | median)
  rows+=("$(awk -v f="$feature" -v gc="$gc" -v ge="$ge" -v bc="$bc" -v be="$be" -v gu="$gu" -v bu="$bu" -v ru="$ru" -v rc="$rc" -v re="$re" -v gn="$g_crates" -v bn="$b_crates" 'BEGIN {
    printf "| `%s` | %.1f s (%d crates) | %.1f s (%d crates) | %.2f | %.1f s | %.1f s | %.2f | %.1f s | %.1f s | %.2f |", f, gu, gn, bu, bn, ru, gc, bc, rc, ge, be, re }')")
done

echo "Medians of $runs run(s), ratios the median of the per-run ratios; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| TLS feature | clean build CPU time, gong-api | baseline | ratio | clean build wall time, gong-api | baseline | ratio | one-line edit, gong-api (spec: regenerate + rebuild) | baseline (lib.rs) | ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"

#!/usr/bin/env bash
# Instructions and heap allocations per call, gong-api against the
# hand-written baseline, counted by valgrind's callgrind: a count, not a time,
# so it comes out the same on a busy machine. Each figure is the difference
# between two runs with different numbers of calls (start-up cancels out),
# client and loopback server together.
#
#   scripts/instructions.sh   # calls with a 3-user answer, calls with a
#                             # 100,000-user one, and that one's decode step
#   SKIP_LARGE=1 scripts/instructions.sh   # the first only
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || {
  echo "valgrind is not installed (Debian: apt-get install valgrind)" >&2
  exit 1
}
cargo build --quiet --release -p gong-benches --bin bench-calls
# The client on one thread: the same count on every run.
export BENCH_CURRENT_THREAD=1
target=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
bin=$target/release/bench-calls
work=$(mktemp -d "${TMPDIR:-/tmp}/gong-instructions.XXXXXX")
trap 'rm -rf "$work"' EXIT

# count <client> <calls> <users>: instructions of the whole run, then the
# allocations per call that bench-calls itself reports.
count() {
  valgrind --tool=callgrind --callgrind-out-file="$work/out" "$bin" "$1" "$2" "$3" >"$work/log" 2>&1
  local instructions allocations
  instructions=$(sed -n 's/.*Collected : //p' "$work/log")
  allocations=$(sed -n 's/.* and \([0-9.]*\) allocations per call.*/\1/p' "$work/log")
  echo "$instructions $allocations"
}

rows=()
json=()
# name, users per answer, low and high call counts, then the two programs.
cases=("call-3 3 200 2200 gong-api baseline")
if [ -z "${SKIP_LARGE:-}" ]; then
  cases+=("call-100000 100000 1 4 gong-api baseline")
  cases+=("decode-100000 100000 1 4 decode-gong-api decode-baseline")
fi
for case in "${cases[@]}"; do
  read -r name users low high ours theirs <<<"$case"
  declare -A per=() allocs=()
  for client in "$ours" "$theirs"; do
    read -r a _ < <(count "$client" "$low" "$users")
    read -r b alloc < <(count "$client" "$high" "$users")
    per[$client]=$(((b - a) / (high - low)))
    allocs[$client]=$alloc
    echo "$name, $client: ${per[$client]} instructions, ${allocs[$client]} allocations per call" >&2
  done
  rows+=("$(awk -v n="$name" -v g="${per[$ours]}" -v b="${per[$theirs]}" -v ga="${allocs[$ours]}" -v ba="${allocs[$theirs]}" 'BEGIN {
    printf "| %s | %d | %d | %.3f | %s | %s |", n, g, b, g / b, ga, ba }')")
  json+=("\"$name\": {\"gong-api\": ${per[$ours]}, \"baseline\": ${per[$theirs]}, \"allocations\": {\"gong-api\": ${allocs[$ours]}, \"baseline\": ${allocs[$theirs]}}}")
  unset per allocs
done

mkdir -p "$target/gong-benches"
(IFS=,; echo "{${json[*]}}") >"$target/gong-benches/instructions.json"
echo "| case | instructions per call, gong-api | baseline | ratio | allocations per call, gong-api | baseline |"
echo "| --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"

#!/usr/bin/env bash
# Runs contract cases (tests/support/contract_runner.hpp) with fresh seeds for MINUTES minutes,
# round robin over every device configuration of the suite (or those matching SOAK_DEVICES, a grep
# pattern), one process per case, two at a time. A case that breaks the contract, or runs longer
# than SOAK_CASE_SECONDS (default 60: a run that never ends), is kept under build-soak/findings/:
# NAME.txt (its report and the command that replays it) and NAME.bstrace (the completions it made,
# readable with `blocksim trace summary`). Exit status 1 when anything was found.
# SOAK_BUILD names another build tree to take contract_case from (default build-soak).
# Usage: scripts/soak.sh MINUTES
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:?usage: scripts/soak.sh MINUTES}
case_seconds=${SOAK_CASE_SECONDS:-60}

tree=${SOAK_BUILD:-build-soak}
if [ -z "${SOAK_BUILD:-}" ]; then
  cmake -S . -B "$tree" -DCMAKE_BUILD_TYPE=Release -DBLOCKSIM_BENCH=OFF > /dev/null
fi
cmake --build "$tree" -j2 --target contract_case > /dev/null
findings=build-soak/findings
mkdir -p "$findings"
mapfile -t devices < <("$tree"/contract_case --list | awk '{print $1}' | grep -E -- "${SOAK_DEVICES:-.}")

end=$(( $(date +%s) + minutes * 60 ))
seed=$(( $(date +%s) * 1000 + RANDOM ))  # fresh seeds each soak
runs=0
found=0
one_case() {  # DEVICE SEED
  local name
  name="$(echo "$1" | tr '/' '_')-$2"
  if ! BLOCKSIM_CONTRACT_TRACE="$findings/$name.bstrace" timeout "$case_seconds" \
      "$tree"/contract_case "$1" "$2" > "$findings/$name.txt" 2>&1; then
    echo "replay: $tree/contract_case '$1' $2   (BLOCKSIM_CONTRACT_VERBOSE=1 for every request)" >> "$findings/$name.txt"
    echo "soak: FOUND $1 seed $2: $findings/$name.txt"
    return 1
  fi
  rm -f "$findings/$name.txt" "$findings/$name.bstrace"
}
while [ "$(date +%s)" -lt "$end" ]; do
  for device in "${devices[@]}"; do
    [ "$(date +%s)" -lt "$end" ] || break
    one_case "$device" "$seed" & first=$!
    one_case "$device" $((seed + 1)) & second=$!
    wait $first || found=$((found + 1))
    wait $second || found=$((found + 1))
    seed=$((seed + 2))
    runs=$((runs + 2))
  done
done
echo "soak: $runs cases over ${#devices[@]} configurations, $found found (kept in $findings/)"
[ "$found" -eq 0 ]

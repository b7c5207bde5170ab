#!/bin/sh
# Proves a change left behaviour alone: runs every shipped scenario, and replays shipped traces on
# every shipped profile, writing one sha256 line per protobuf trace. Run it on two builds and
# compare the two lists:
#   scripts/trace_identity.sh build-before/blocksim > before.txt
#   scripts/trace_identity.sh build/blocksim > after.txt && diff before.txt after.txt
set -eu
blocksim=$(realpath "${1:-build/blocksim}")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for scenario in scenarios/*.textproto; do
  name=$(basename "$scenario" .textproto)
  # Exit 1 is a result too (a scenario may cut power); what matters is the trace.
  "$blocksim" run "$scenario" --trace "$work/$name.pb" --no-progress >/dev/null 2>&1 || true
  printf '%s  run %s\n' "$(sha256sum < "$work/$name.pb" | cut -c1-64)" "$scenario"
done

replay() {  # profile trace extra-arguments...
  profile=$1 trace=$2; shift 2
  out="$work/replay.pb"
  rm -f "$out"
  "$blocksim" replay "$trace" --device "$profile" --trace "$out" --no-progress "$@" >/dev/null 2>&1 || true
  [ -f "$out" ] || : > "$out"
  printf '%s  replay %s on %s %s\n' "$(sha256sum < "$out" | cut -c1-64)" "$trace" "$profile" "$*"
}
for profile in scenarios/profiles/*.textproto; do
  replay "$profile" data/traces/disksim-ascii-100k.trace --map one --lba wrap --requests 4000
  replay "$profile" tests/models/hdd/data/dense_mixed.trace --lba wrap
  replay "$profile" data/traces/mqsim-tpcc-small.trace --lba wrap --requests 4000
done
for drive in atlas_III cheetah9LP hp_c2490a hp_c3323a; do
  replay "scenarios/profiles/$drive.textproto" "data/disksim-validate/$drive.trace" --requests 3000
done

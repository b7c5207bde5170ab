#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (build-fuzz/) and runs each for SECONDS (default 10) on a
# seed corpus made from the shipped samples. Fails on any crash, leak or sanitizer report; the
# input that failed is left in build-fuzz/findings/. Usage: scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}

cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBLOCKSIM_FUZZ=ON \
  -DBLOCKSIM_TESTS=OFF -DBLOCKSIM_BENCH=OFF > /dev/null
cmake --build build-fuzz -j2 > /dev/null

corpus=build-fuzz/corpus
findings=build-fuzz/findings
rm -rf "$corpus"
mkdir -p "$findings"

# Seeds: shipped scenarios and profiles; a short trace of the quickstart, plain and gzip.
mkdir -p "$corpus/scenario_parser_fuzz" "$corpus/trace_reader_fuzz"
cp scenarios/*.textproto "$corpus/scenario_parser_fuzz/"
if ls scenarios/profiles/*.textproto > /dev/null 2>&1; then cp scenarios/profiles/*.textproto "$corpus/scenario_parser_fuzz/"; fi
if [ -x build/blocksim ]; then
  sed 's/requests: [0-9]*/requests: 20/' scenarios/quickstart.textproto > "$corpus/short.textproto"
  build/blocksim run "$corpus/short.textproto" --trace "$corpus/trace_reader_fuzz/short.bstrace" > /dev/null
  gzip -kc "$corpus/trace_reader_fuzz/short.bstrace" > "$corpus/trace_reader_fuzz/short.bstrace.gz"
  # The replay reads blocksim traces too (--format blocksim): the same seeds for it.
  mkdir -p "$corpus/replay_readers_fuzz"
  cp "$corpus/trace_reader_fuzz/short.bstrace" "$corpus/trace_reader_fuzz/short.bstrace.gz" "$corpus/replay_readers_fuzz/"
  rm "$corpus/short.textproto"
fi
# The DiskSim importer's seeds: each drive of the validation data in data/ as a bundle (the .parv,
# then the files of the same drive after "=== NAME" lines; tests/fuzz/disksim_import_fuzz.cpp).
mkdir -p "$corpus/disksim_import_fuzz"
if [ -d data/disksim-validate ]; then
  for parv in data/disksim-validate/*.parv; do
    drive=$(basename "$parv" .parv)
    bundle="$corpus/disksim_import_fuzz/$drive.bundle"
    cat "$parv" > "$bundle"
    for part in data/disksim-validate/"$drive"*.{diskspecs,model,seek} data/disksim-validate/statdefs; do
      if [ -f "$part" ]; then
        printf '\n=== %s\n' "$(basename "$part")" >> "$bundle"
        cat "$part" >> "$bundle"
      fi
    done
  done
fi
# Targets added later bring their seeds here: tests/fuzz/seeds/<target>/ is copied as it is.
if [ -d tests/fuzz/seeds ]; then
  for dir in tests/fuzz/seeds/*/; do
    mkdir -p "$corpus/$(basename "$dir")"
    cp -r "$dir". "$corpus/$(basename "$dir")/"
  done
fi

# The contract targets' corpora (tests/fuzz/corpus/<target>/, minimised with -merge=1): request
# sequences that reached the coverage found so far.
if [ -d tests/fuzz/corpus ]; then
  for dir in tests/fuzz/corpus/*/; do
    mkdir -p "$corpus/$(basename "$dir")"
    cp -r "$dir". "$corpus/$(basename "$dir")/"
  done
fi

status=0
for target in build-fuzz/tests/fuzz/*_fuzz; do
  name=$(basename "$target")
  mkdir -p "$corpus/$name"
  echo "fuzz: $name for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 "$target" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$findings/$name-" -print_final_stats=0 "$corpus/$name" \
      > "build-fuzz/$name.log" 2>&1; then
    echo "fuzz: $name FAILED; see build-fuzz/$name.log and $findings/"
    tail -40 "build-fuzz/$name.log"
    status=1
  fi
done
exit $status

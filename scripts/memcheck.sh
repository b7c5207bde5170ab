#!/usr/bin/env bash
# Runs the C++ unit tests of a build (default build/) once under valgrind's memcheck, each test in
# a process of its own as ctest runs them. Fails on any memcheck error (invalid reads and writes,
# uses of uninitialised values, bad frees) and on memory definitely lost. "Possibly lost" blocks
# are not counted: protobuf's descriptor pool and SimGrid keep process-lifetime allocations through
# interior pointers, which memcheck reports that way. scripts/valgrind.supp holds the suppressions
# for SimGrid's and libc's own internals, each with the reason.
#
# Left out, for time: the model tests that take over half a second natively (SSD throughput, write
# amplification, profiles, terabyte memory, wear levelling; M/M/1 and M/D/1 queueing). Under
# memcheck (30-50x slower) each would take minutes; they run the same code as the shorter tests of
# the same models, and they run under ASan and UBSan in CI. The pytest suite is not C++ unit tests.
# Usage: scripts/memcheck.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
slow='^(pytest|SsdMemory\..*|SsdThroughput\..*|SsdWriteAmplification\..*|SsdProfiles\..*|ReferenceQueueing\..*|SsdDevice\..*WearLevelling.*|SsdTraceReplay\.DisksimAscii)$'
options="--error-exitcode=99 --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite"
options+=" --suppressions=$PWD/scripts/valgrind.supp --num-callers=30"
ctest --test-dir "$build" -T memcheck -j2 -E "$slow" --output-on-failure \
  --overwrite MemoryCheckCommand=/usr/bin/valgrind \
  --overwrite "MemoryCheckCommandOptions=$options"

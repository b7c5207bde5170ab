#!/usr/bin/env bash
# Runs the C++ unit tests of a build (default build/) once under valgrind's memcheck, each test in
# a process of its own as ctest runs them. Fails on any memcheck error (invalid reads and writes,
# uses of uninitialised values, bad frees) and on memory definitely lost. "Possibly lost" blocks
# are not counted: protobuf's descriptor pool and SimGrid keep process-lifetime allocations through
# interior pointers, which memcheck reports that way. scripts/valgrind.supp holds the suppressions
# for SimGrid's and libc's own internals, each with the reason.
#
# Left out, for time: the SSD and HDD model tests and the M/M/1 and M/D/1 queueing tests (about 150
# of them, many driving a model through hundreds of thousands of requests). Under memcheck each
# test costs 3-5 s of start-up (SimGrid and protobuf being instrumented) plus 30-50x its own time,
# so with them the step would take over half an hour on two cores; without them, about 160 tests.
# The randomised contract, power-cut and engine-exactness cases (about 610, tests/contract/) are
# left out alike: each builds a whole stack over a model; they run under ASan and UBSan.
# The models run under ASan and UBSan in CI, and every test left in goes through the reference
# model, the fault injector, the stack and the readers. The pytest suite is not C++ unit tests.
# Usage: scripts/memcheck.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
slow='^(pytest|(Features/)?Ssd.*|Hdd.*|ReferenceQueueing\..*|(Contract|ContractRegression|ContractDeterminism|PowerCut|EngineExactness)\..*)$'
options="--error-exitcode=99 --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite"
options+=" --suppressions=$PWD/scripts/valgrind.supp --num-callers=30"
ctest --test-dir "$build" -T memcheck -j2 -E "$slow" --output-on-failure \
  --overwrite MemoryCheckCommand=/usr/bin/valgrind \
  --overwrite "MemoryCheckCommandOptions=$options"

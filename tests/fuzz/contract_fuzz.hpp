// What the four contract fuzz targets share (reference_contract_fuzz.cpp and the others): every
// input becomes a request sequence (tests/support/fuzz_workload.hpp) run on a fresh stack over
// one device configuration of the contract suite, in one engine kept for the whole process
// (SimGrid allows one per process). A broken contract aborts with the case's report, so
// libFuzzer keeps the input as a crash.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "tests/support/contract_runner.hpp"
#include "tests/support/fuzz_workload.hpp"

namespace blocksim::testing {

inline int fuzz_contract(const char* device, const std::uint8_t* data, std::size_t size) {
  static ContractWorld* world = new ContractWorld();  // reachable to the end: not a leak
  ContractOptions options;
  options.requests = 64;
  const ContractReport report = run_contract(
      *world, contract_device(device), [&](const WorkloadLimits& l) { return decode_workload(data, size, l); },
      options);
  if (!report.ok()) {
    std::fprintf(stderr, "%s", report.text(20).c_str());
    std::abort();
  }
  return 0;
}

}  // namespace blocksim::testing

// Runs one contract case (tests/support/contract_runner.hpp) in this process and prints its
// report: the replay of a failing case, and the unit of scripts/soak.sh.
//   contract_case DEVICE SEED [REQUESTS]   exit 0: contract kept; 1: violated; 2: bad arguments
//   contract_case --list                   the device configurations, one a line
//   contract_case --digest DEVICE SEED     prints only the trace digest (determinism checks)
//   contract_case --cut NS DEVICE SEED     the case with a power cut NS after it starts
// --simgrid-only anywhere: SimGrid times every transfer (the engine exactness test).
// With BLOCKSIM_CONTRACT_TRACE=PATH the case's completions are written there as a blocksim trace.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "tests/support/contract_runner.hpp"

int main(int raw_argc, char** raw_argv) {
  using namespace blocksim::testing;
  std::vector<char*> args(raw_argv, raw_argv + raw_argc);
  const auto simgrid_only = std::find_if(args.begin(), args.end(), [](const char* a) { return std::string(a) == "--simgrid-only"; });
  const bool use_simgrid_only = simgrid_only != args.end();
  if (use_simgrid_only)
    args.erase(simgrid_only);
  const int argc = static_cast<int>(args.size());
  char** argv = args.data();
  const std::string first = argc > 1 ? argv[1] : "";
  if (first == "--list") {
    for (const ContractDevice& d : contract_devices())
      std::cout << d.name << (d.known_failing ? " known-failing" : "") << "\n";
    return 0;
  }
  const bool digest_only = first == "--digest";
  const bool cut = first == "--cut";
  const int at = digest_only ? 2 : cut ? 3 : 1;
  if (argc < at + 2) {
    std::cerr << "usage: contract_case [--digest | --cut NS] DEVICE SEED [REQUESTS] | --list\n";
    return 2;
  }
  try {
    ContractOptions options;
    if (use_simgrid_only)
      options.transfers = blocksim::TransferTiming::kSimGridOnly;
    if (cut)
      options.power_cut_at = std::stoll(argv[2]);
    if (const char* trace = std::getenv("BLOCKSIM_CONTRACT_TRACE"))
      options.trace_path = trace;
    if (argc > at + 2)
      options.requests = static_cast<std::uint32_t>(std::stoul(argv[at + 2]));
    const ContractReport report = run_contract_case(contract_device(argv[at]), std::stoull(argv[at + 1]), options);
    if (digest_only)
      std::cout << std::hex << report.digest << "\n";
    else
      std::cout << report.text(50);
    return report.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "contract_case: " << e.what() << "\n";
    return 2;
  }
}

#include "tests/support/contract_runner.hpp"

#include <sstream>
#include <stdexcept>

#include "sim/core/random.hpp"
#include "tests/support/contract_case.hpp"

namespace blocksim::testing {

std::string ContractReport::text(std::size_t limit) const {
  std::ostringstream out;
  out << "contract case: device " << device << ", seed " << seed << ", " << workload << ": " << requests
      << " requests, " << completed << " completed, " << device_commands << " device commands, " << blocks_checked
      << " blocks checked, device queue max " << max_device_queue << " of " << queue_depth << ", end "
      << end << " ns\n";
  if (power_cut.happened)
    out << "  power cut: " << power_cut.durable_writes << " durable writes, " << power_cut.blocks_checked
        << " blocks checked after the cut, " << power_cut.cached_blocks << " blocks only in the cache, "
        << power_cut.lost_blocks << " lost, " << power_cut.in_flight_slots << " slots being programmed\n";
  for (std::size_t i = 0; i < violations.size() && i < limit; ++i)
    out << "  violation: " << violations[i] << "\n";
  if (violations.size() > limit)
    out << "  ... " << violations.size() - limit << " more\n";
  return out.str();
}

SimTime power_cut_time(std::uint64_t seed, SimTime latest) {
  Rng rng(seed, 0x637574);  // "cut"
  return latest / 200 + static_cast<SimTime>(rng.uniform() * static_cast<double>(latest));
}

ContractWorld::ContractWorld(TransferTiming transfers) : engine_(EngineOptions{false, transfers}) {}

Endpoint ContractWorld::endpoint(double interface_rate, double dma_rate) {
  if (!made_) {
    const BusHandle bus = engine_.add_bus("disk0-interface", interface_rate, 0, true);
    endpoint_ = engine_.add_endpoint("disk0", bus, dma_rate);
    rate_ = interface_rate;
    dma_rate_ = dma_rate;
    made_ = true;
  } else if (interface_rate != rate_ || dma_rate != dma_rate_) {
    throw std::runtime_error("contract world: a second device needs a bus of another rate");
  }
  return endpoint_;
}


ContractReport run_contract(ContractWorld& world, const ContractDevice& device,
                            const std::function<RandomWorkload(const WorkloadLimits&)>& make,
                            const ContractOptions& options) {
  ContractCase c(world, device, options);
  const RandomWorkload workload = make(c.limits(options.requests));
  return c.run(workload);
}

ContractReport run_contract_case(const ContractDevice& device, std::uint64_t seed, const ContractOptions& options) {
  ContractWorld world(options.transfers);
  return run_contract(world, device, [seed](const WorkloadLimits& l) { return make_random_workload(seed, l); },
                      options);
}

}  // namespace blocksim::testing

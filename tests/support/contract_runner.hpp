// Runs one random workload (random_workload.hpp) through the whole stack (driver over a device
// model built as a scenario builds it) and checks the completion contract on it:
//   - every request completes exactly once, with a status, never inside the call that issued it;
//     the run's request ledger finds every device call left outstanding or completed twice;
//   - no completion, at any layer, comes before its request plus the model's minimum service time
//     (minimum_service_time below);
//   - with carry_data, a read returns byte for byte what the last acknowledged write to each block
//     wrote (zeros after an unmap), checked against a shadow store;
//   - the device never holds more commands than its queue depth (its device-layer records'
//     [dispatch, complete) intervals never overlap more than that);
//   - the trace is a function of the case: digest() is compared across two processes by the tests.
// The device list says which models and configurations the suite covers. Shared by the contract
// tests, the soak tool and the fuzz targets; knows nothing of gtest.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/core/sim_time.hpp"
#include "tests/support/random_workload.hpp"

namespace blocksim::testing {

// A device configuration of the suite.
struct ContractDevice {
  std::string name;    // "hdd/atlas_III/SSTF/cache"; also the gtest parameter name
  std::string fields;  // Device message fields; profile paths are relative to scenarios/
  bool faults = false;  // unreadable sectors and failing writes inside the workload's region
  // Fails the contract today for a reason being fixed elsewhere (the HDD model): kept compiled,
  // run as DISABLED_ by the tests.
  bool known_failing = false;
};

// Every configuration the suite covers: reference, DriverKit-shaped, HDD (every shipped profile x
// every scheduler, write cache on and off), SSD (both profiles, cache on and off), some with faults.
const std::vector<ContractDevice>& contract_devices();
// The one of that name; throws std::invalid_argument when there is none.
const ContractDevice& contract_device(const std::string& name);

struct ContractOptions {
  std::uint32_t requests = 120;
  // A power cut this long after the workload starts (-1: none). The run stops there; requests in
  // flight never complete. What is checked then, block by block over what the workload wrote:
  //   - durability: a write acknowledged before a flush was issued that then completed, or
  //     acknowledged with FUA (any acknowledged write when the cache is off), reads back after the
  //     cut, unless a write issued after it was acknowledged replaced it;
  //   - exactly the volatile cache is lost: the device's bytes after the cut are its durable
  //     bytes before it, and the blocks it reports lost are the blocks its cache held;
  //   - SSD: the FTL maps no unit to a slot whose program had not ended.
  // Workloads without unmaps (their durability is not defined).
  SimTime power_cut_at = -1;
  // Writes the case's completions as a blocksim trace (`blocksim trace summary` reads it).
  std::string trace_path;
  // Who times transfers (engine.hpp); the engine exactness test runs each case both ways.
  TransferTiming transfers = TransferTiming::kFast;
};

// What a power-cut case found (ContractReport::power_cut).
struct PowerCutFigures {
  bool happened = false;
  std::uint64_t durable_writes = 0;   // acknowledged writes made durable before the cut
  std::uint64_t blocks_checked = 0;   // blocks holding such a write, read back after the cut
  std::uint64_t cached_blocks = 0;    // blocks only the volatile cache held at the cut
  std::uint64_t lost_blocks = 0;      // what the device reports lost (power_cut.lost_blocks)
  std::uint64_t in_flight_slots = 0;  // SSD: slots being programmed at the cut
};

struct ContractReport {
  std::string device;
  std::uint64_t seed = 0;
  std::string workload;  // RandomWorkload::describe()
  std::vector<std::string> violations;
  std::uint64_t requests = 0;
  std::uint64_t completed = 0;
  std::uint64_t device_commands = 0;
  std::uint64_t blocks_checked = 0;  // read blocks compared with the shadow store
  std::uint32_t max_device_queue = 0;
  std::uint32_t queue_depth = 0;
  SimTime end = 0;
  std::uint64_t digest = 0;  // FNV-1a over every record of every layer, in order
  PowerCutFigures power_cut;
  bool ok() const { return violations.empty(); }
  // Seed, device, workload and the first violations.
  std::string text(std::size_t limit = 8) const;
};

// The power-cut time of trial `seed`: in [latest / 200, latest + latest / 200), from the seed.
SimTime power_cut_time(std::uint64_t seed, SimTime latest);

// The engine the cases run on, and the device's bus. One per process (SimGrid allows one engine
// per process); the fuzz targets run every input on the same one, each on a fresh stack, so the
// bus is made once, for the first device, before anything runs, and later devices must ask for
// the same rate.
class ContractWorld {
 public:
  explicit ContractWorld(TransferTiming transfers = TransferTiming::kFast);
  Engine& engine() { return engine_; }
  // The DMA endpoint for a device of this interface and DMA rate (bytes/s).
  Endpoint endpoint(double interface_rate, double dma_rate);

 private:
  Engine engine_;
  bool made_ = false;
  double rate_ = 0, dma_rate_ = 0;
  Endpoint endpoint_;
};

// Builds a fresh stack for `device` in `world`, asks `make` for a workload fitting the device,
// runs it to its end and checks it. A bad device description throws std::runtime_error.
ContractReport run_contract(ContractWorld& world, const ContractDevice& device,
                            const std::function<RandomWorkload(const WorkloadLimits&)>& make,
                            const ContractOptions& options = {});
// The same on a world of its own, with the random workload of `seed`: one call per process.
ContractReport run_contract_case(const ContractDevice& device, std::uint64_t seed, const ContractOptions& options = {});

}  // namespace blocksim::testing

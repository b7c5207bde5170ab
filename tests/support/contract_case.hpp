// The contract suite's one case, as run_contract runs it (contract_runner.hpp): the stack over
// one device, the workload's requests in flight and the checks made as they complete, at a power
// cut and at the end. Its parts: contract_case.cpp (building the stack, issuing, completions),
// contract_power_cut.cpp (the cut and what must survive it), contract_records.cpp (the checks of
// every layer's records). A case owns its stack and requests; the world (engine, bus) outlives it.
#pragma once

#include <algorithm>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "models/device_registry.hpp"
#include "sim/core/units.hpp"
#include "sim/device/request_ledger.hpp"
#include "sim/driver/block_storage_driver.hpp"
#include "sim/trace/trace_writer.hpp"
#include "tests/support/contract_runner.hpp"
#include "tests/support/shadow_store.hpp"

namespace blocksim::testing {

constexpr double kDefaultBusRate = 4e9;

// The least time the model can take over a request, by what it must do whatever its state: its
// bytes cross the bus; a DriverKit-shaped read waits its latency and media time; the reference
// device's media time when it has a fixed part; an SSD's write that must be durable programs
// flash first (tPROG). One nanosecond of slack for rounding.
struct MinimumService {
  double bus_rate = kDefaultBusRate;
  std::string model;
  SimTime dext_latency = 0;
  double dext_media_rate = 0;
  SimTime reference_read_fixed = 0;
  SimTime reference_write_fixed = 0;
  bool cache_on = false;
  SimTime program = 0;  // SSD tPROG

  static SimTime fixed_part(const proto::ServiceTime& s) {
    if (s.has_fixed())
      return units::duration_ns(s.fixed());
    if (s.has_fixed_plus_per_byte())
      return units::duration_ns(s.fixed_plus_per_byte().fixed());
    return 0;
  }

  SimTime of(const CompletionRecord& r) const {
    if (r.op != Op::kRead && r.op != Op::kWrite)
      return 0;
    const bool durable = r.op == Op::kWrite && (!cache_on || (r.flags & kFlagFua));
    SimTime least = static_cast<SimTime>(static_cast<double>(r.bytes) * 1e9 / bus_rate);
    if (model == "dext" && r.op == Op::kRead)
      least = std::max(least, dext_latency + static_cast<SimTime>(static_cast<double>(r.bytes) * 1e9 / dext_media_rate));
    if (model == "reference")
      least += r.op == Op::kRead ? reference_read_fixed : durable ? reference_write_fixed : 0;
    if (model == "ssd" && durable)
      least = std::max(least, program);
    return least - 1;
  }
};

// Records every completion into a digest, and keeps the device layer's for the checks at the end.
class CheckingSink final : public CompletionSink {
 public:
  void record(const CompletionRecord& r) override {
    mix(r.request_id);
    mix(r.parent_id);
    mix(r.device);
    mix(static_cast<std::uint64_t>(r.op) << 8 | static_cast<std::uint64_t>(r.layer));
    mix(r.flags);
    mix(r.lba);
    mix(r.blocks);
    mix(r.bytes);
    mix(static_cast<std::uint64_t>(r.submit));
    mix(static_cast<std::uint64_t>(r.dispatch));
    mix(static_cast<std::uint64_t>(r.complete));
    mix(static_cast<std::uint64_t>(static_cast<std::uint32_t>(r.status)));
    mix(r.queue_depth);
    if (r.layer == Layer::kDevice)
      device.push_back(r);
    else
      others.push_back(r);
    if (writer)
      writer->write(r);
  }
  void event(const EventRecord& e) override {
    mix(static_cast<std::uint64_t>(e.time));
    for (char c : e.kind)
      mix(static_cast<unsigned char>(c));
  }
  std::uint64_t digest = 0xcbf29ce484222325ULL;
  std::unique_ptr<TraceWriter> writer;  // when the case writes a trace
  std::vector<CompletionRecord> device;
  std::vector<CompletionRecord> others;

 private:
  void mix(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) {
      digest ^= (v >> (8 * i)) & 0xff;
      digest *= 0x100000001b3ULL;
    }
  }
};

// The scenario of a contract device (its fields under a device "disk0").
proto::Scenario load_device(const ContractDevice& device);
// How many commands the device may hold at once.
std::uint32_t queue_depth_of(const proto::Device& config, const std::string& model);

// One case: the stack, the workload's requests in flight and the checks made as they complete.
class ContractCase {
 public:
  ContractCase(ContractWorld& world, const ContractDevice& device, const ContractOptions& options);
  ~ContractCase();
  WorkloadLimits limits(std::uint32_t requests) const;
  ContractReport run(const RandomWorkload& workload);

 private:
  struct Pending {
    WorkRequest request;
    IOMemoryDescriptor buffer;
    IOStorageAttributes attributes;
    IOStorageExtent extent;
    std::vector<std::uint8_t> bytes;
    std::vector<ShadowStore::Expectation> expected;
    std::uint64_t serial = 0;
    SimTime issued = -1;
    SimTime done_at = -1;
    std::uint32_t calls = 0;
    bool submitting = false;
    bool refused = false;
    IOReturn status = kIOReturnInvalid;
    ContractCase* owner = nullptr;
  };
  void violation(const std::string& text);
  std::string describe(std::size_t i) const;
  // Unreadable sectors and failing writes inside the region the workload uses.
  void inject_faults();
  static void completed(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void issue(std::size_t i);
  // A call that returned an error: it never started; its completion must not run.
  void refuse(std::size_t i, IOReturn status);
  void on_complete(std::size_t i, IOReturn status, std::uint64_t bytes);
  void check_read(std::size_t i);
  // The power cut and its checks (ContractOptions::power_cut_at).
  void cut_power();
  // Which write's bytes a block holds, for the report: "write #N", "zeros" or "other bytes".
  std::string what_block_holds(std::uint64_t block, const std::uint8_t* bytes) const;
  void issue_next();
  void finish();
  // Every layer's records: no completion before its request plus the model's minimum; the
  // device's queue never deeper than its queue depth.
  void check_records();

  Engine& engine_;
  SimTime cut_at_;
  RequestIds ids_;
  RequestLedger ledger_;
  CheckingSink sink_;
  proto::Device config_;
  std::string model_;
  MinimumService minimum_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  std::unique_ptr<IOBlockStorageDriver> driver_;
  std::uint64_t block_size_ = 512;
  SimTime start_time_ = 0;
  bool faults_ = false;
  bool verbose_ = false;  // BLOCKSIM_CONTRACT_VERBOSE: every issue and completion on stderr
  const RandomWorkload* workload_ = nullptr;
  std::deque<Pending> requests_;
  std::size_t next_ = 0;
  std::uint64_t serials_ = 0;
  ShadowStore shadow_;
  ContractReport report_;
};

}  // namespace blocksim::testing

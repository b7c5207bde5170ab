// The devices of a run and the stack on them (docs/stack.md): buses and device models, an
// IOBlockStorageDriver over each device, the media objects it publishes, the partition tables
// the scenario has written at set-up (through the stack, then found again by scanning the media),
// the RAID sets, and the scenario's events. The constructor runs the set-up I/O to its end
// (writing and scanning tables takes simulated time), so workloads start after it; event times
// count from that moment too. Owns all of it.
//
// Targets are found by name: a device ("disk0"), a partition ("disk0s1") or a RAID set. The stack
// opens a target on behalf of the workloads that use it (one client for all of them, with
// SharedLock, as the BSD device node's client does), for writing when the media allows it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blocksim/scenario.pb.h"
#include "models/common/fault_injector.hpp"
#include "sim/device/block_storage_device.hpp"
#include "sim/device/completion_record.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/request_ids.hpp"
#include "sim/device/request_ledger.hpp"
#include "sim/scenario/stack_checks.hpp"
#include "sim/driver/block_storage_driver.hpp"
#include "sim/media/io_storage.hpp"
#include "sim/media/media_registry.hpp"
#include "sim/media/raid_set.hpp"

namespace blocksim {

// The driver's timeout and retries a device's `driver { }` asks for.
DriverRetryPolicy retry_policy(const proto::DriverPolicy& config);
DriverQueuePolicy queue_policy(const proto::DriverPolicy& config);

class DeviceStack {
 public:
  // Builds everything and runs the set-up; throws std::runtime_error when the set-up fails.
  // Every request a layer passes down is entered in `ledger` (may be null).
  DeviceStack(Engine& engine, const proto::Scenario& scenario, CompletionSink* sink, RequestIds& ids,
              RequestLedger* ledger = nullptr);
  ~DeviceStack();

  // The media a workload names, opened for the workloads; null if there is none of that name.
  IOStorage* target(const std::string& name);
  std::size_t device_count() const { return devices_.size(); }
  IOBlockStorageDevice& device(std::size_t index) const { return *devices_.at(index); }
  IOBlockStorageDriver& driver(std::size_t index) const { return *drivers_.at(index); }
  MediaRegistry& registry() { return *registry_; }
  RaidSet* raid_set(const std::string& name) const;
  // When the scenario's power cut happens, if it has one.
  std::optional<SimTime> power_cut_time() const { return power_cut_at_; }
  // Every device loses its volatile state (the run ends here).
  void power_cut();
  // End-of-run figures of the stack above the devices (RAID sets: live members, degraded).
  void collect_metrics(std::vector<DeviceMetric>* out) const;

 private:
  class WorkloadClient final : public IOService {};

  void build_devices(Engine& engine, const proto::Scenario& scenario, CompletionSink* sink);
  void run_setup(const proto::Scenario& scenario);
  void write_tables(const proto::Scenario& scenario, const std::string& target);
  void assemble(const proto::RaidSet& config);
  // stack_events.cpp: the scenario's events and faults, and their trace records.
  void schedule_events(const proto::Scenario& scenario);
  void run_event(const proto::StackEvent& event);
  void run_fault(const proto::StackEvent& event);
  void slow_down(const proto::SlowDown& slow);
  std::uint32_t power_state_ordinal(const proto::Scenario& scenario, const proto::StackEvent& event) const;
  void set_power_state(const proto::SetPowerState& request, std::uint32_t ordinal);
  void emit(const std::string& kind, const std::string& target, std::uint64_t lba = 0, std::uint64_t blocks = 0,
            const std::string& detail = "") const;
  FaultInjector& injector(const std::string& device) const;
  int device_index(const std::string& name) const;

  Engine& engine_;
  CompletionSink* sink_;
  std::map<std::string, BusHandle> bus_handles_;  // scenario buses and devices' private ones
  std::map<std::string, double> base_bandwidth_;  // a slowed bus's bandwidth before its first slow-down
  std::map<std::string, TargetInfo> targets_;
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<IOBlockStorageDevice>> devices_;
  std::unique_ptr<MediaRegistry> registry_;
  std::vector<std::unique_ptr<IOBlockStorageDriver>> drivers_;
  std::vector<std::unique_ptr<RaidSet>> raid_sets_;
  WorkloadClient workload_client_;
  std::optional<SimTime> power_cut_at_;
};

}  // namespace blocksim

// Gives any device model the low-power states its profile lists (`power { state { ... } }`,
// power.proto): a filter in front of the model that holds what arrives while the device is in a
// low-power state, or entering or leaving one, and sends it on, in arrival order, once the exit
// has ended. PowerStates does the timing; this counts the requests the model holds, so that
// PowerStates knows when the device is idle, and answers the power calls (setPowerState,
// getPowerState, requestIdle, which asks for the deepest state). Reads, writes, flushes and
// unmaps all wake the device, as any NVMe I/O command or ATA media command does.
//
// A read or write that waited gets its device-layer record's submit time moved back to when it
// arrived here, so the device layer's latency holds the wait for the exit (its dispatch time
// stays when the model took it). A request held here is returned kIOReturnSuccess at once; if the
// model refuses it when it is sent on (media gone meanwhile), its completion carries the refusal.
//
// make_device puts it between the fault injector and the model only when the profile lists
// states, so a device without them is built exactly as before. Owns the model.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "blocksim/device.pb.h"
#include "models/common/config_problem.hpp"
#include "models/common/power_states.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/device/block_storage_device_filter.hpp"
#include "sim/device/completion_record.hpp"

namespace blocksim {

// The profile's states; empty when it gives none.
std::vector<PowerStateSpec> power_state_specs(const proto::Device& config);
// The first thing wrong with the profile's states: autonomous idle times that do not grow down
// the list, a name given twice.
std::optional<ConfigProblem> check_power_states(const proto::Device& config);

class PowerManagedDevice final : public IOBlockStorageDeviceFilter,
                                 public IOBlockStorageDeviceClient,
                                 public CompletionSink {
 public:
  // `sink` (may be null) gets the model's records; the model must be built with this as its sink.
  PowerManagedDevice(Engine& engine, CompletionSink* sink, std::vector<PowerStateSpec> states);
  ~PowerManagedDevice() override;
  void adopt(std::unique_ptr<IOBlockStorageDevice> model);
  IOBlockStorageDevice& model() const { return *model_; }
  const PowerStates& states() const { return states_; }

  IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                            IOStorageAttributes* attributes, IOStorageCompletion* completion) override;
  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion) override;
  IOReturn doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                   IOStorageCompletion* completion) override;
  IOReturn requestIdle() override;
  IOReturn setPowerState(std::uint32_t powerStateOrdinal) override;
  IOReturn getPowerState(std::uint32_t* powerStateOrdinal) const override;
  IOReturn abort(IOMemoryDescriptor* buffer) override;
  void power_cut() override;
  void collect_metrics(std::vector<DeviceMetric>* out) const override;
  std::string request_state(const IOMemoryDescriptor* buffer, Op op) const override;

  // The model's messages go up unchanged; its records go on, a waited request's moved back.
  IOReturn message(std::uint32_t type, IOBlockStorageDevice* provider, std::uintptr_t argument) override;
  void record(const CompletionRecord& record) override;

 private:
  enum class Kind : std::uint8_t { kReadWrite, kSynchronize, kUnmap };
  // A call from its arrival until the model completes it.
  struct Call {
    Kind kind = Kind::kReadWrite;
    IOMemoryDescriptor* buffer = nullptr;
    std::uint64_t block = 0;
    std::uint64_t nblks = 0;
    IOStorageAttributes attributes;
    bool has_attributes = false;
    std::uint32_t options = 0;
    std::vector<IOBlockStorageDeviceExtent> extents;
    IOStorageCompletion completion;
    SimTime arrival = 0;
    bool held = false;
    std::uint32_t slot = 0;
    PowerManagedDevice* self = nullptr;
  };

  IOReturn arrive(std::uint32_t slot);
  IOReturn send(std::uint32_t slot);
  void release_held();
  static void call_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void on_call_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes);

  Engine& engine_;
  CompletionSink* sink_;
  std::unique_ptr<IOBlockStorageDevice> model_;
  PowerStates states_;
  SlotPool<Call> calls_;
  std::deque<std::uint32_t> held_;                           // waiting for the exit, in arrival order
  std::unordered_map<std::uint64_t, SimTime> waited_submit_;  // request id -> arrival, records to move
  std::uint64_t waited_requests_ = 0;
};

}  // namespace blocksim

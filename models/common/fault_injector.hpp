// Puts a scenario's faults into any device model (docs/faults.md). It stands in front of the
// model as the IOBlockStorageDevice the driver sees (a filter: the calls no fault touches pass
// through IOBlockStorageDeviceFilter unchanged) and changes what comes back when a fault says so:
//   unreadable sectors   a read touching them goes to the model again `retries` times (each try
//                        costs what a read costs on that model), then fails kIOReturnIOError;
//                        a write that completes over them repairs them (remap_sectors on the model)
//   failing writes       a write touching the range fails kIOReturnIOError after its retries
//   stop responding      nothing completes any more; requests wait until the driver aborts them
//                        (abort: kIOReturnAborted); commands fail at once, kIOReturnNotResponding
//   surprise removal     in-flight requests complete kIOReturnAborted, every later call gets
//                        kIOReturnNoDevice, and the driver is told the media went offline
//   media removal        (set_media_present(false)) in-flight requests complete kIOReturnNoMedia
// A request it changes gets a device-layer record of its own, with the status the driver got;
// the model's record of it is dropped. Other requests pass through untouched.
//
// Owns the model; the model reports its records to the injector, which passes them on to the
// run's sink. A request answered early while the model still holds it stays in the pool until
// the model returns it, and the model's copy of its buffer loses its bytes, so the model never
// touches memory the layers above have released (a write in flight then leaves zeros).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "models/common/block_ranges.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/device/block_storage_device_filter.hpp"
#include "sim/device/completion_record.hpp"
#include "sim/core/engine.hpp"

namespace blocksim {

class FaultInjector final : public IOBlockStorageDeviceFilter, public IOBlockStorageDeviceClient, public CompletionSink {
 public:
  // `sink` (may be null) gets the records; the model is given the injector as its sink.
  FaultInjector(Engine& engine, CompletionSink* sink);
  ~FaultInjector() override;
  void adopt(std::unique_ptr<IOBlockStorageDevice> model);
  IOBlockStorageDevice& model() const { return *model_; }

  // Faults; each takes effect at once.
  void add_unreadable(std::uint64_t lba, std::uint64_t blocks, std::uint32_t retries);
  void add_failing_writes(std::uint64_t lba, std::uint64_t blocks, std::uint32_t retries);
  void stop_responding();
  void remove_device();
  bool removed() const { return removed_; }
  bool responding() const { return !silent_; }
  // Runs `fn` when the device has been sent `n` reads and writes, before it handles the next.
  void after_requests(std::uint64_t n, std::function<void()> fn);
  std::uint64_t requests_seen() const { return requests_seen_; }

  IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                            IOStorageAttributes* attributes, IOStorageCompletion* completion) override;
  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion) override;
  IOReturn doUnmap(IOBlockStorageDeviceExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                   IOStorageCompletion* completion) override;
  IOReturn doEjectMedia(IOStorageCompletion* completion) override;
  IOReturn doFormatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion) override;
  std::uint32_t doGetFormatCapacities(std::uint64_t* capacities, std::uint32_t capacitiesMaxCount) const override;
  IOReturn reportBlockSize(std::uint64_t* blockSize) const override;
  IOReturn reportMaxValidBlock(std::uint64_t* maxBlock) const override;
  IOReturn reportMediaState(bool* mediaPresent, bool* changedState) override;
  IOReturn reportWriteProtection(bool* isWriteProtected) override;
  IOReturn getWriteCacheState(bool* enabled) override;
  IOReturn setWriteCacheState(bool enabled) override;
  IOReturn requestIdle() override;
  IOReturn setPowerState(std::uint32_t powerStateOrdinal) override;
  IOReturn getPowerState(std::uint32_t* powerStateOrdinal) const override;

  void collect_metrics(std::vector<DeviceMetric>* out) const override;
  // Nothing completes after a power cut, not even an abort.
  void power_cut() override {
    powered_off_ = true;
    model_->power_cut();
  }
  IOReturn set_media_present(bool present) override;
  IOReturn set_write_protection(bool on) override;
  IOReturn abort(IOMemoryDescriptor* buffer) override;
  std::string request_state(const IOMemoryDescriptor* buffer, Op op) const override;

  // From the model: its messages go on to the driver, its records to the run's sink.
  IOReturn message(std::uint32_t type, IOBlockStorageDevice* provider, std::uintptr_t argument) override;
  void record(const CompletionRecord& completion) override;
  void event(const EventRecord& event) override;

 private:
  struct Pending {
    IOMemoryDescriptor* upper = nullptr;  // the caller's buffer
    IOMemoryDescriptor copy;              // what the model was given
    IOStorageAttributes attributes;
    IOStorageCompletion completion;
    std::uint64_t lba = 0;
    std::uint64_t blocks = 0;
    SimTime submit = 0;
    IOReturn fail_with = kIOReturnSuccess;  // a fault's verdict, once the model's tries are done
    std::uint32_t retries_left = 0;
    IOReturn outcome = kIOReturnSuccess;    // what it completes with once answered
    std::uint64_t outcome_bytes = 0;
    CompletionRecord record;  // the model's record of its first try, when it made one
    bool have_record = false;
    bool marked = false;      // its record is written here
    bool in_model = false;    // the model holds it
    bool held = false;        // done, but the device does not answer
    bool doomed = false;      // an answer is on its way (abort, removal)
    bool answered = false;
    bool active = false;
    std::uint32_t slot = 0;
    FaultInjector* self = nullptr;
  };

  static void model_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void on_model_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes);
  IOReturn send_to_model(std::uint32_t slot);
  void mark(std::uint32_t slot);
  // Answers every request in flight with `status` (from a timer: never inside a caller's call).
  void doom_all(IOReturn status);
  void doom(std::uint32_t slot, IOReturn status);
  void answer(std::uint32_t slot);
  void emit_record(const Pending& p) const;
  void release(std::uint32_t slot);
  void fire_triggers();
  IOReturn gate() const;

  Engine& engine_;
  CompletionSink* sink_;
  std::unique_ptr<IOBlockStorageDevice> model_;
  SlotPool<Pending> pending_;
  std::unordered_map<std::uint64_t, std::uint32_t> marked_;  // request id -> slot
  BlockRanges unreadable_;
  BlockRanges failing_writes_;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> triggers_;  // sorted by count
  std::uint64_t requests_seen_ = 0;
  bool silent_ = false;
  bool removed_ = false;
  bool powered_off_ = false;
  std::uint64_t failed_reads_ = 0;
  std::uint64_t failed_writes_ = 0;
  std::uint64_t repaired_blocks_ = 0;
  std::uint64_t aborted_ = 0;
};

}  // namespace blocksim

// IOBlockStorageDriver: the generic driver stacked on an IOBlockStorageDevice (driver-api.md §4).
// It publishes the whole-disk IOMedia, and turns byte requests into device calls:
//   prepare    reserved option bits or reserved fields set: kIOReturnBadArgument
//   deblock    a request that is not whole blocks: a read reads the rounded-out range; a write
//              is a read-modify-write (read the partial first and last blocks, then write the
//              rounded-out range), one read-modify-write at a time per driver (aligned writes
//              overtake it)
//   break up   pieces no larger than the device's limits (block count, byte count, segments),
//              one after another; limits that leave no whole block: kIOReturnDMAError
//   execute    no media: kIOReturnNoMedia; the device's error return completes the request
//   complete   success with fewer bytes than asked becomes kIOReturnUnderrun; statistics
// Attributes (FUA, priority) reach the device unchanged. A barrier the device does not advertise
// becomes a full flush (§5: the default doSynchronize ignores range and options).
//
// Timeout and retries (not in the reference's generic driver, whose transports time commands
// out): a device call not answered within `timeout` is aborted at the device (abort) and sent
// again, as a new device request, up to `retries` times; then the request fails with
// kIOReturnTimeout. With `retry_errors` a device's kIOReturnIOError, kIOReturnNotResponding or
// kIOReturnDeviceError is sent again the same way. Retries count in the ReadRetries and
// WriteRetries statistics. One watchdog timer per driver watches the device calls in flight.
//
// Queueing (not in the reference's driver either; an OS I/O scheduler's job): with a queue depth,
// at most that many calls are at the device; the others wait in a DriverQueue whose scheduler
// picks the next one each time the device answers a call. A request's dispatch time is when its
// first call reaches the device.
//
// The media state machine follows §4.5: media arrives and leaves through the device's messages;
// ejectMedia and formatMedia refuse (kIOReturnBusy) while the media is open; ejecting flushes the
// device first unless it is write protected (ignoring the flush's result).
//
// It records a driver-layer completion for every client request; pieces and deblock stages get
// request ids of their own whose parent is the client's request. The driver owns the media
// objects it creates (a terminated one stays alive for clients that still hold it); the device
// outlives the driver.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/intrusive_list.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/device/block_storage_device.hpp"
#include "sim/driver/break_size.hpp"
#include "sim/driver/driver_queue.hpp"
#include "sim/driver/driver_request.hpp"
#include "sim/media/io_media.hpp"
#include "sim/media/io_storage.hpp"
#include "sim/driver/ledgered_device.hpp"
#include "sim/media/stack_context.hpp"

namespace blocksim {

struct DriverRetryPolicy {
  SimTime timeout = 0;  // 0: never time out
  std::uint32_t retries = 0;
  bool retry_errors = false;
};

struct DriverQueuePolicy {
  std::uint32_t depth = 0;  // calls at the device at once; 0: no limit
  DriverScheduler scheduler = DriverScheduler::kFcfs;
};

class IOBlockStorageDriver final : public IOStorage, public IOBlockStorageDeviceClient {
 public:
  // getStatistics' indices (§4.1).
  enum Statistics : std::uint32_t {
    kStatisticsReads,
    kStatisticsBytesRead,
    kStatisticsTotalReadTime,
    kStatisticsLatentReadTime,
    kStatisticsReadRetries,
    kStatisticsReadErrors,
    kStatisticsWrites,
    kStatisticsSingleBlockWrites,
    kStatisticsBytesWritten,
    kStatisticsTotalWriteTime,
    kStatisticsLatentWriteTime,
    kStatisticsWriteRetries,
    kStatisticsWriteErrors,
    kStatisticsCount
  };

  // `name` names the whole-disk media; `device_index` is the device's index in the trace.
  IOBlockStorageDriver(const StackContext& context, IOBlockStorageDevice& device, std::string name,
                       std::uint32_t device_index);
  ~IOBlockStorageDriver() override;

  // handleStart: removability, limits, then checkForMedia (fatal only for a fixed device).
  IOReturn start();
  void set_retry_policy(const DriverRetryPolicy& policy) { policy_ = policy; }
  const DriverRetryPolicy& retry_policy() const { return policy_; }
  // Before any I/O.
  void set_queue_policy(const DriverQueuePolicy& policy);

  bool open(IOService* client, IOStorageAccess access) override;
  void close(IOService* client) override;
  void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
            IOStorageCompletion* completion) override;
  void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
             IOStorageCompletion* completion) override;
  IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                       IOStorageCompletion* completion) override;
  IOReturn unmap(IOStorageExtent* extents, std::uint32_t extentsCount, IOStorageUnmapOptions options,
                 IOStorageCompletion* completion) override;
  std::uint64_t size_bytes() const override { return media_ ? media_->getSize() : 0; }
  std::uint64_t block_size() const override { return block_size_; }
  std::uint32_t device_index() const override { return device_index_; }

  // Media management (§4.5). An error return means nothing was done.
  IOReturn ejectMedia(IOStorageCompletion* completion);
  IOReturn formatMedia(std::uint64_t byteCapacity, IOStorageCompletion* completion);
  bool isMediaEjectable() const { return ejectable_; }
  bool isMediaRemovable() const { return removable_; }
  bool isMediaWritable() const { return media_ && !write_protected_; }
  IOMediaState getMediaState() const { return media_ ? kIOMediaStateOnline : kIOMediaStateOffline; }
  std::uint32_t getFormatCapacities(std::uint64_t* capacities, std::uint32_t capacitiesMaxCount) const;
  std::uint32_t getStatistics(std::uint64_t* statistics, std::uint32_t statisticsMaxCount) const;
  std::uint64_t getStatistic(Statistics statistic) const { return statistics_[statistic]; }
  IOReturn requestIdle() { return device_.requestIdle(); }
  // Forwarded to the device as requestIdle is (the power manager's call, docs/stack.md).
  IOReturn setPowerState(std::uint32_t powerStateOrdinal) { return device_.setPowerState(powerStateOrdinal); }
  IOBlockStorageDevice& getProvider() const { return device_; }
  IOReturn message(std::uint32_t type, IOBlockStorageDevice* provider, std::uintptr_t argument) override;

  // Protected in IOKit; public here for tests and the run's events.
  IOReturn mediaStateHasChanged(IOMediaState state);
  IOReturn decommissionMedia(bool forcible);
  // The whole-disk media, or null when there is none.
  IOMedia* media() const { return media_; }
  const std::string& name() const { return name_; }
  const BreakUpLimits& limits(bool write) const { return limits_[write]; }
  // Client requests that were not whole blocks, so deblock widened them (the rounded-out range
  // read, or read-modify-written): counted so that none is widened silently.
  std::uint64_t widened_requests() const { return widened_requests_; }
  std::size_t requests_in_flight() const { return requests_.in_use(); }

 private:
  // block_storage_driver.cpp: the data path's entry and exit.
  void prepare(Op op, std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
               IOStorageCompletion* completion);
  void finish(std::uint32_t slot, IOReturn status, std::uint64_t bytes);
  void count(const DriverRequest& r, IOReturn status, std::uint64_t bytes, SimTime now);
  void record(const DriverRequest& r, IOReturn status, std::uint64_t bytes) const;
  std::uint32_t new_command(Op op, IOStorageCompletion* completion);
  IOStorageCompletion command_completion(std::uint32_t slot);
  static void command_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void finish_command(std::uint32_t slot, IOReturn status, std::uint64_t bytes);

  // driver_pipeline.cpp: deblock, break up, execute.
  void deblock(std::uint32_t slot);
  void begin_stage(std::uint32_t slot, DriverStage stage);
  void next_write_stage(std::uint32_t slot);
  void start_transfer(std::uint32_t slot, std::uint64_t byteStart, IOMemoryDescriptor* transfer);
  void issue_piece(std::uint32_t slot);
  void execute(std::uint32_t slot, std::uint64_t byteStart, IOMemoryDescriptor* buffer);
  void send(std::uint32_t slot);
  void send_waiting();
  static void piece_done(void* target, void* parameter, IOReturn status, std::uint64_t bytes);
  void on_piece_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes);
  void on_transfer_done(std::uint32_t slot, IOReturn status, std::uint64_t bytes);
  void release_rmw_lock(DriverRequest& r);
  bool retry_piece(std::uint32_t slot, IOReturn status);

  // driver_watchdog.cpp: the timeout of device calls.
  void watch(std::uint32_t slot);
  void unwatch(std::uint32_t slot);
  void arm_watchdog();
  void on_watchdog();
  void stop_watchdog();

  // driver_media_state.cpp: media arrival, departure, eject, format.
  IOReturn check_for_media();
  IOReturn record_media_parameters();
  IOMediaParams media_params() const;
  void accept_new_media();
  void eject_step(std::uint32_t slot, IOReturn status);

  StackContext context_;
  IOBlockStorageDevice& device_;
  std::string name_;
  std::uint32_t device_index_;
  LedgeredDevice calls_;  // the device calls that start something, entered in the run's ledger
  DeviceCharacteristics characteristics_;
  std::array<BreakUpLimits, 2> limits_;  // [0] read, [1] write
  bool removable_ = false;
  bool ejectable_ = false;
  bool write_protected_ = false;
  std::uint64_t block_size_ = 0;
  std::uint64_t max_block_ = 0;

  IOMedia* media_ = nullptr;
  std::vector<std::unique_ptr<IOMedia>> media_objects_;  // every media object ever published
  bool opened_by_media_ = false;

  SlotPool<DriverRequest> requests_;
  bool rmw_busy_ = false;
  std::uint64_t widened_requests_ = 0;
  std::deque<std::uint32_t> rmw_waiting_;
  std::array<std::uint64_t, kStatisticsCount> statistics_{};

  DriverRetryPolicy policy_;
  std::uint32_t queue_depth_ = 0;
  DriverQueue waiting_;
  std::uint32_t calls_at_device_ = 0;
  // Device calls in flight, oldest (earliest deadline) first.
  IntrusiveList<DriverRequest, &DriverRequest::watch> watched_;
  bool watchdog_armed_ = false;
  Engine::EventHandle watchdog_ = 0;  // the pending timer, while armed
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // expires with the driver
};

}  // namespace blocksim

// The hard disk drive: a command queue of `queue_depth` tags in front of a controller that runs
// each command through the host port (command processing, data bursts, completion), the segmented
// cache (hits, read-ahead, write-back) and the arm (seek, rotation, sector transfers), choosing the
// arm's next job with the scheduler. Command overheads depend on read or write, hit or miss, and
// the previous command's type; a read reconnects for its data once the read water mark is in the
// buffer, a write takes its data as fast as the segment has room, and the arm puts down each
// sector once its data is in. With queue depth 1 and DiskSim's parameters this follows DiskSim's
// disk controller; deeper queues let the arm work for one command while another moves data.
//
// Data and durability (when the device carries data, DeviceData of models/common): a write's
// bytes are stored as it completes, volatile if it completed from the cache and its blocks are
// not on the media yet, else durable; when the arm has written a segment out, the segment's
// blocks become durable (those another dirty segment holds a newer copy of stay volatile); a
// flush completes once the data that was dirty when it arrived is on the media. The write cache is the profile's
// cache.write_policy; the scenario's write_cache.enabled, when set, gives its state at the start,
// and turning it off writes the dirty segments out. After a power cut nothing completes.
//
// Owns its requests (a pool sized by what is in flight), cache, scheduler, port and arm.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "blocksim/hdd.pb.h"
#include "models/common/device_base.hpp"
#include "sim/core/slot_pool.hpp"
#include "models/common/tag_queue.hpp"
#include "models/hdd/disk_arm.hpp"
#include "models/hdd/hdd_settings.hpp"
#include "models/hdd/host_port.hpp"
#include "models/hdd/layout.hpp"
#include "models/hdd/mechanics.hpp"
#include "models/hdd/scheduler.hpp"
#include "models/hdd/segment_cache.hpp"

namespace blocksim {

class HddModel final : public DeviceBase, private hdd::ArmClient {
 public:
  HddModel(const DeviceContext& context, const proto::Device& config);
  ~HddModel() override;

  IOReturn doAsyncReadWrite(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                            IOStorageAttributes* attributes, IOStorageCompletion* completion) override;
  IOReturn doSynchronize(std::uint64_t block, std::uint64_t nblks, IOStorageSynchronizeOptions options,
                         IOStorageCompletion* completion) override;
  IOReturn getWriteCacheState(bool* enabled) override;
  IOReturn setWriteCacheState(bool enabled) override;
  DeviceCharacteristics characteristics() const override;
  void collect_metrics(std::vector<DeviceMetric>* out) const override;
  // Sectors a write found unreadable go to the defect list: counted (hdd.remapped_blocks). Their
  // later accesses keep their home's timing (the layout is fixed when the drive is built).
  void remap_sectors(std::uint64_t /*lba*/, std::uint64_t nblks) override { remapped_blocks_ += nblks; }
  std::string request_state(const IOMemoryDescriptor* buffer, Op op) const override;

  std::size_t outstanding() const { return requests_.in_use(); }
  const hdd::Layout& layout() const { return *layout_; }
  const hdd::Mechanics& mechanics() const { return *mechanics_; }

 private:
  enum class Phase : std::uint8_t {
    kQueued,       // waiting for a tag or for its per-command overhead
    kCommand,      // command processing on the port
    kWaitData,     // disconnected, waiting for data (reads) or its turn and room (writes)
    kReconnecting, // asked for the port again
    kData,         // connected, moving data
    kHoldWait,     // connected, waiting for the media (hold bus)
    kWaitMedia,    // write-through: disconnected until the media has it
    kCompleting,   // sending the completion
  };
  struct Request {
    IOStorageCompletion completion;
    IOMemoryDescriptor* buffer = nullptr;  // null for a flush
    std::uint64_t lba = 0;
    std::uint64_t blocks = 0;
    SimTime submit = 0;
    SimTime dispatch = 0;
    SimTime overhead_done = 0;
    Op op = Op::kRead;
    std::uint32_t flags = 0;
    std::uint32_t queue_depth = 0;
    Phase phase = Phase::kQueued;
    hdd::Hit hit = hdd::Hit::kMiss;
    int segment = -1;
    std::uint64_t out = 0;          // blocks moved over the interface
    std::uint64_t burst = 0;        // blocks in the burst in progress
    std::uint64_t wake = 0;         // guards timers set for this request
    bool after_read = false;        // the previous completion was a read's
    bool write_back = false;        // completes from the cache
    bool activated = false;         // has had its turn at the arm
    bool reconnected = false;       // reconnected before (picks the reselect overhead)
    bool extra_disconnect = false;  // takes the extra write disconnection first
    std::uint64_t end() const { return lba + blocks; }
  };
  // A flush covers the data dirty when it arrived (driver-api.md: writes completed before it):
  // each dirty segment's range then, told from later data in the same segment by its serial.
  struct FlushNeed {
    int segment = -1;
    std::uint64_t serial = 0;
    std::uint64_t start = 0, end = 0;
  };
  struct PendingFlush {
    std::uint32_t request = 0;
    std::vector<FlushNeed> needs;
  };
  static constexpr std::uint32_t kSegmentJob = 0x80000000u;
  enum class Stop { kNo, kSwap, kStop };

  // hdd_device.cpp: intake, tags, completion, metrics
  std::uint32_t accept(Op op, IOMemoryDescriptor* buffer, std::uint64_t lba, std::uint64_t blocks, std::uint32_t flags,
                       const IOStorageCompletion& completion);
  void admitted(std::uint32_t index);
  void arrive(std::uint64_t index);
  void send_completion(std::uint32_t index, SimTime delay);
  void completion_sent(std::uint64_t index);
  void final_connected(std::uint64_t index);
  void wake_at(std::uint32_t index, double t_ns, void (HddModel::*step)(std::uint32_t));
  bool may_hold_port(bool for_read) const;

  // hdd_reads.cpp
  void arrive_read(std::uint32_t index);
  std::uint64_t read_ahead_limit(const Request& r, const hdd::Segment& s) const;
  std::uint64_t available(const Request& r) const;
  std::uint64_t read_water_mark(const Request& r) const;
  void read_connected(std::uint64_t index);
  void read_data(std::uint32_t index);
  void read_burst_done(std::uint64_t index);
  void read_disconnected(std::uint64_t index);
  void check_read(std::uint32_t index);
  void resume_media_read(std::uint32_t index);
  void begin_read(std::uint32_t index, SimTime not_before);
  void begin_write(std::uint32_t index, SimTime not_before);

  // hdd_writes.cpp
  void arrive_write(std::uint32_t index);
  bool take_write_segment(std::uint32_t index);
  void write_connected(std::uint64_t index);
  void write_data(std::uint32_t index);
  void write_burst_done(std::uint64_t index);
  void write_disconnected(std::uint64_t index);
  void check_write(std::uint32_t index);
  void queue_destage(int segment, SimTime ready);
  void begin_destage(int segment, SimTime not_before);
  void writes_on_media(int segment);
  void arrive_flush(std::uint32_t index);
  void check_flushes();
  void check_destage_triggers();
  void idle_destage(std::uint64_t generation);
  void retry_segment_waiters();
  void segment_on_media(int segment);
  void mark_on_media(int owner, std::uint64_t first, std::uint64_t end);
  bool flush_need_met(const FlushNeed& need) const;
  Durability completed_write_durability(const Request& r) const;
  void store_data(const Request& r);

  // hdd_media.cpp: the arm's client side, jobs, preemption
  Stop arm_stop_rule(const Request& r);
  void stop_read_ahead();
  void stop_read_ahead_at(SimTime when);
  void add_job(std::uint32_t id, std::uint64_t lbn, bool write, SimTime ready);
  void start_arm();
  void sync_reading_segment();
  void sync_writing_segment();
  void advance_written(int segment, std::uint64_t written);
  std::uint64_t read_limit(double t_ns) override;
  double data_ready_ns(std::uint64_t lbn) override;
  void arm_progress() override;
  void arm_finished() override;
  void notify_segment(int segment);

  hdd::Settings settings_;
  std::unique_ptr<hdd::Layout> layout_;
  std::unique_ptr<hdd::Mechanics> mechanics_;
  std::unique_ptr<hdd::SegmentCache> cache_;
  std::unique_ptr<hdd::Scheduler> scheduler_;
  std::unique_ptr<hdd::HostPort> port_;
  std::unique_ptr<hdd::DiskArm> arm_;
  SlotPool<Request> requests_;
  std::vector<std::uint32_t> live_;  // requests past arrival, in arrival order
  TagQueue tags_;
  std::deque<std::uint32_t> segment_waiters_;  // writes waiting for a segment
  std::vector<PendingFlush> flushes_;
  std::vector<std::uint8_t> destage_queued_;  // per segment: a write-out job waits or runs
  int reading_segment_ = -1;  // the segment the arm reads into, -1 if none
  int writing_segment_ = -1;
  std::uint32_t arm_holder_ = 0;  // preseek level 0: the read whose completion the arm waits for
  bool arm_held_ = false;
  bool last_was_read_ = false;
  bool write_cache_enabled_ = false;
  bool destaging_ = false;  // water-mark destage in progress
  std::uint64_t idle_generation_ = 0;
  std::uint64_t arm_serial_ = 0;  // counts arm accesses, to tell a stale timer
  std::uint64_t wake_serial_ = 0;  // timers of a request carry its serial; a reused slot has another
  // metrics
  std::uint64_t read_hits_ = 0, read_partial_hits_ = 0, read_misses_ = 0, writes_cached_ = 0;
  std::uint64_t media_reads_ = 0, media_writes_ = 0;
  std::uint64_t remapped_blocks_ = 0;
};

}  // namespace blocksim

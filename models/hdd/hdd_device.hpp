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
// The coordinator of the drive's parts, each owned here: the command queue (tags, command records,
// arrival order), the segment cache and its rules (hits, read-ahead, water marks), the arm's
// client side (jobs, scheduler, read-ahead stops, the arm itself), the write cache's write-out
// (destage, flushes, durability) and the host port. HddModel carries each command through the
// port and answers the parts' questions about the commands (ArmHost, DestageHost).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "blocksim/hdd.pb.h"
#include "models/common/device_base.hpp"
#include "models/hdd/arm_control.hpp"
#include "models/hdd/cache_rules.hpp"
#include "models/hdd/command_queue.hpp"
#include "models/hdd/hdd_settings.hpp"
#include "models/hdd/host_port.hpp"
#include "models/hdd/layout.hpp"
#include "models/hdd/mechanics.hpp"
#include "models/hdd/segment_cache.hpp"
#include "models/hdd/write_destage.hpp"

namespace blocksim {

class HddModel final : public DeviceBase, private hdd::ArmHost, private hdd::DestageHost {
 public:
  HddModel(const DeviceContext& context, const proto::Device& config);
  ~HddModel() override;

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

  std::size_t outstanding() const { return commands_.in_use(); }
  const hdd::Layout& layout() const { return *layout_; }
  const hdd::Mechanics& mechanics() const { return *mechanics_; }

 private:
  IOReturn start_transfer(IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks,
                          const IOStorageAttributes* attributes, const Transfer& transfer) override;

  using Command = hdd::Command;
  using Phase = hdd::Phase;

  // hdd_device.cpp: intake, tags, completion, metrics
  void arrive(std::uint32_t index);
  void send_completion(std::uint32_t index, SimTime delay);
  void completion_sent(std::uint64_t index);
  void final_connected(std::uint64_t index);
  bool may_hold_port(bool for_read) const;

  // hdd_reads.cpp
  void arrive_read(std::uint32_t index);
  void read_connected(std::uint64_t index);
  void read_data(std::uint32_t index);
  void read_burst_done(std::uint64_t index);
  void retry_read_into(int segment);
  void read_disconnected(std::uint64_t index);
  void check_read(std::uint32_t index);
  void resume_media_read(std::uint32_t index);
  void begin_read(std::uint32_t index, SimTime not_before);

  // hdd_writes.cpp
  void arrive_write(std::uint32_t index);
  bool take_write_segment(std::uint32_t index);
  void write_connected(std::uint64_t index);
  void write_data(std::uint32_t index);
  void write_burst_done(std::uint64_t index);
  void write_disconnected(std::uint64_t index);
  void check_write(std::uint32_t index);
  void begin_destage(int segment, SimTime not_before);
  void writes_on_media(int segment);
  void arrive_flush(std::uint32_t index);
  void store_data(const Command& r);
  // hdd::DestageHost
  void add_write_out_job(int segment, std::uint64_t lbn, SimTime ready) override;
  bool arm_has_work() const override;
  bool segment_available(std::uint32_t index) override;
  void segment_waiter_resumed(std::uint32_t index) override;
  void flush_met(std::uint32_t index) override;
  bool keeps_data() const override;
  void made_durable(std::uint64_t first, std::uint64_t blocks) override;

  // hdd_media.cpp: hdd::ArmHost, the drive's side of the arm's work
  void add_job(std::uint32_t id, std::uint64_t lbn, bool write, SimTime ready);
  void begin_write(std::uint32_t index, SimTime not_before);
  bool port_waits_for_media() const override;
  void begin_job(const hdd::MediaJob& job) override;
  void arm_out_of_work() override { destage_.arm_out_of_work(); }
  void arm_took_job() override { destage_.arm_took_job(); }
  void retry_segment_waiters() override { destage_.retry_segment_waiters(); }
  std::uint64_t read_room_limit(int segment, double t_ns) override;
  double write_data_ready_ns(int segment, std::uint64_t lbn) override;
  void written_to(int segment, std::uint64_t written) override { destage_.advance_written(segment, written); }
  void write_out_ended(int segment) override;
  void segment_moved(int segment) override;
  // hdd::DestageHost's questions the arm answers
  void start_arm() override { arm_.start_next(); }
  void sync_writing_segment() override { arm_.sync_writing_segment(); }

  hdd::Settings settings_;
  std::unique_ptr<hdd::Layout> layout_;
  std::unique_ptr<hdd::Mechanics> mechanics_;
  std::unique_ptr<hdd::SegmentCache> cache_;
  std::unique_ptr<hdd::HostPort> port_;
  hdd::CacheRules rules_;
  hdd::ArmControl arm_;
  hdd::WriteDestage destage_;
  hdd::CommandQueue commands_;
  bool last_was_read_ = false;
  bool write_cache_enabled_ = false;
  // metrics
  std::uint64_t writes_cached_ = 0;
  std::uint64_t remapped_blocks_ = 0;
};

}  // namespace blocksim

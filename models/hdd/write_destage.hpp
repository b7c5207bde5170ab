// Writing the write cache out to the media: which dirty segments wait for the arm (at most one
// write-out job each), when to start (at once, past the high water mark down to the low one, or
// after the arm has been idle a while), flushes waiting for the data that was dirty when they
// came, the commands waiting for a segment to free, and which blocks are durable as the arm puts
// them down. Owns that state; changes the segments' written marks and states; holds references
// to the engine, the segment cache, the cache settings and the host (the drive), which it asks
// for what only the drive can do: queue a job for the arm, resume a command, store durable data.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "models/common/device_data.hpp"
#include "models/hdd/command.hpp"
#include "models/hdd/hdd_settings.hpp"
#include "models/hdd/segment_cache.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::hdd {

class DestageHost {
 public:
  // Gives the arm's scheduler a job writing segment `segment` out from block `lbn`.
  virtual void add_write_out_job(int segment, std::uint64_t lbn, SimTime ready) = 0;
  virtual void start_arm() = 0;
  // The arm is busy or has jobs waiting (an idle write-out waits for neither).
  virtual bool arm_has_work() const = 0;
  // Brings the segment being written out up to the arm's progress.
  virtual void sync_writing_segment() = 0;
  // A command waiting for a segment: whether it can have one now (a write takes it at once),
  // then, once it has left the waiting line, goes on.
  virtual bool segment_available(std::uint32_t command) = 0;
  virtual void segment_waiter_resumed(std::uint32_t command) = 0;
  // A flush's data is all on the media: it may complete.
  virtual void flush_met(std::uint32_t command) = 0;
  // Whether the drive keeps data whose durability counts (carries data, still powered).
  virtual bool keeps_data() const = 0;
  virtual void made_durable(std::uint64_t first, std::uint64_t blocks) = 0;

 protected:
  ~DestageHost() = default;
};

class WriteDestage {
 public:
  WriteDestage(Engine& engine, SegmentCache& cache, const CacheSettings& settings, DestageHost& host);

  // Write-out jobs: one per dirty segment at most, queued from the segment's written mark.
  void queue(int segment, SimTime ready);
  bool queued(int segment) const { return queued_[static_cast<std::size_t>(segment)] != 0; }
  void mark_queued(int segment) { queued_[static_cast<std::size_t>(segment)] = 1; }
  void clear_queued(int segment) { queued_[static_cast<std::size_t>(segment)] = 0; }
  // Every dirty segment goes out (the write cache was turned off).
  void queue_all_dirty();

  // Water-mark write-back, looked at as a write completes.
  void check_triggers();
  // The arm found no job (an idle write-out may follow) or took one (it may not).
  void arm_out_of_work();
  void arm_took_job() { ++idle_generation_; }

  // Commands waiting for a segment, in the order they began to wait.
  void wait_for_segment(std::uint32_t command) { waiters_.push_back(command); }
  bool waits_for_segment(std::uint32_t command) const;
  void retry_segment_waiters();

  // A flush arrived: it waits for the data dirty now, and starts the write-out of what it needs.
  void add_flush(std::uint32_t command);
  void check_flushes();

  // The arm put segment `segment`'s blocks below `written` on the media.
  void advance_written(int segment, std::uint64_t written);
  // The arm's write-out of `segment` ended: the segment is clean (or empty), or dirty still.
  void write_out_ended(int segment);
  // Blocks [first, end) that segment `owner` held are on the media: durable, except those a dirty
  // segment other than `owner` (-1: any) holds a newer copy of.
  void mark_on_media(int owner, std::uint64_t first, std::uint64_t end);
  // A completed write is volatile while its segment has not reached the media past its end.
  Durability completed_write_durability(const Command& write) const;

  bool destaging() const { return destaging_; }
  std::size_t pending_flushes() const { return flushes_.size(); }

 private:
  // A flush covers the data dirty when it arrived (driver-api.md: writes completed before it):
  // each dirty segment's range then, told from later data in the same segment by its serial.
  struct FlushNeed {
    int segment = -1;
    std::uint64_t serial = 0;
    std::uint64_t start = 0, end = 0;
  };
  struct PendingFlush {
    std::uint32_t command = 0;
    std::vector<FlushNeed> needs;
  };
  bool flush_need_met(const FlushNeed& need) const;
  void idle_write_out(std::uint64_t generation);

  Engine& engine_;
  SegmentCache& cache_;
  const CacheSettings& settings_;
  DestageHost& host_;
  std::vector<std::uint8_t> queued_;  // per segment: a write-out job waits or runs
  bool destaging_ = false;            // water-mark write-out in progress
  std::uint64_t idle_generation_ = 0;  // an idle timer set before the arm's last job is stale
  std::deque<std::uint32_t> waiters_;
  std::vector<PendingFlush> flushes_;
};

}  // namespace blocksim::hdd

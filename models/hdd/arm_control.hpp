// The arm's client side: the media jobs waiting for the arm (in the scheduler) and which one it
// takes next, the segment the arm reads into or writes out from and how far that has come, a
// read-ahead that a new command stops or joins (DiskSim's rules: not before the minimum
// read-ahead, not while the read it serves is unfinished), and preseek level 0's hold of the arm
// until the completion of the read it served. What a job means, how far a read may fill its
// segment and when a write's data is in are the drive's to say: it answers through ArmHost.
// Owns the disk arm, the scheduler and that state; changes the states and ranges of the segments
// the arm works on; holds references to the engine, the segment cache, the settings and the host.
#pragma once

#include <cstdint>

#include "models/hdd/command.hpp"
#include "models/hdd/disk_arm.hpp"
#include "models/hdd/hdd_settings.hpp"
#include "models/hdd/mechanics.hpp"
#include "models/hdd/scheduler.hpp"
#include "models/hdd/segment_cache.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::hdd {

class ArmHost {
 public:
  // The port is held by a command waiting for the media (preseek level 0 must not wait then).
  virtual bool port_waits_for_media() const = 0;
  // The arm is free and the scheduler picked `job`: start it.
  virtual void begin_job(const MediaJob& job) = 0;
  // The arm is free with no job left; or it took one.
  virtual void arm_out_of_work() = 0;
  virtual void arm_took_job() = 0;
  // A segment may be free for a command waiting for one.
  virtual void retry_segment_waiters() = 0;
  // ArmClient's questions about the segment the arm works on.
  virtual std::uint64_t read_room_limit(int segment, double t_ns) = 0;
  virtual double write_data_ready_ns(int segment, std::uint64_t lbn) = 0;
  // The arm put the blocks of `segment` below `written` on the media; its write-out ended.
  virtual void written_to(int segment, std::uint64_t written) = 0;
  virtual void write_out_ended(int segment) = 0;
  // The arm's work on `segment` moved on: commands waiting on it look again.
  virtual void segment_moved(int segment) = 0;

 protected:
  ~ArmHost() = default;
};

// What a new command does to the arm's access in progress: nothing, join it, or stop it.
enum class ArmStop { kNo, kSwap, kStop };

class ArmControl final : private ArmClient {
 public:
  // A job id with this bit set writes segment (id & ~kWriteOutJob) out; else it is a command's.
  static constexpr std::uint32_t kWriteOutJob = 0x80000000u;

  ArmControl(Engine& engine, const Mechanics& mechanics, SegmentCache& cache, const Settings& settings, ArmHost& host);

  DiskArm& disk() { return arm_; }
  const DiskArm& disk() const { return arm_; }
  Scheduler& jobs() { return scheduler_; }
  const Scheduler& jobs() const { return scheduler_; }
  int reading_segment() const { return reading_segment_; }
  std::uint64_t media_reads() const { return media_reads_; }
  std::uint64_t media_writes() const { return media_writes_; }

  // DiskSim's rules for command `c` arriving while the arm works (may cut the read-ahead's end).
  ArmStop stop_rule(const Command& c);
  void stop_read_ahead();
  // Stops the read-ahead in progress at this instant, once the arriving write is set up.
  void stop_read_ahead_soon();

  void add_job(std::uint32_t id, std::uint64_t lbn, bool write, SimTime ready, bool needs_segment,
               bool starts_in_cache);
  // While the arm is free, gives it the scheduler's next job.
  void start_next();
  // Starts a read into `access.segment`.
  void start_read(const ArmAccess& access, SimTime not_before);
  // A write-out of `segment` begins (then start() it).
  void claim_for_write_out(int segment);
  void start(const ArmAccess& access, SimTime not_before);
  // Preseek level 0: the arm waits for command `command`'s completion.
  void hold_for(std::uint32_t command);
  void completed(std::uint32_t command) { held_ = held_ && holder_ != command; }

  // Bring the segment being read into, or written out, up to the arm's progress.
  void sync_reading_segment();
  void sync_writing_segment();

 private:
  std::uint64_t read_limit(double t_ns) override;
  double data_ready_ns(std::uint64_t lbn) override;
  void arm_progress() override;
  void arm_finished() override;
  int active_segment() const { return static_cast<int>(arm_.access().segment); }

  Engine& engine_;
  SegmentCache& cache_;
  const Settings& settings_;
  ArmHost& host_;
  std::uint64_t block_count_;
  Scheduler scheduler_;
  DiskArm arm_;
  int reading_segment_ = -1;  // -1 if none
  int writing_segment_ = -1;
  std::uint32_t holder_ = 0;
  bool held_ = false;
  std::uint64_t serial_ = 0;  // counts the arm's accesses, to tell a stale timer
  std::uint64_t media_reads_ = 0, media_writes_ = 0;
};

}  // namespace blocksim::hdd

// The head-disk assembly at work: one access at a time (a read into a cache segment, or a write
// from one), carried out as chunks of back-to-back sectors on one track. A chunk is planned when
// the arm reaches it (move, rotational latency from the platter's angle, then sector after sector)
// and costs one timer, so a request's media work is a handful of events rather than one per
// sector. The arm asks its client how far a read may fill the buffer and when a write's data is
// there (a sector whose data has not arrived is passed over and caught a revolution later), and
// tells it when a chunk is planned or done. An access can be stopped: the arm then frees at the
// end of a seek in progress, or of the sector under the head unless it may stop mid-sector.
// Holds a reference to the engine, the mechanics and the client; all outlive it.
#pragma once

#include <cstdint>
#include <limits>

#include "models/hdd/mechanics.hpp"
#include "sim/core/engine.hpp"

namespace blocksim::hdd {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

class ArmClient {
 public:
  virtual ~ArmClient() = default;
  // Reads: the first block the buffer cannot take yet, for a chunk starting at `t_ns`.
  virtual std::uint64_t read_limit(double t_ns) = 0;
  // Writes: when block `lbn`'s data is in the buffer (kNever while not known).
  virtual double data_ready_ns(std::uint64_t lbn) = 0;
  // A chunk was planned or finished: block times changed.
  virtual void arm_progress() = 0;
  // The access ended: reached its end, was stopped, or may not go on (read-ahead rules).
  virtual void arm_finished() = 0;
};

struct ArmAccess {
  bool write = false;
  std::uint32_t segment = 0;
  std::uint64_t next = 0;            // the next block to transfer
  std::uint64_t end = 0;             // stop before this block
  std::uint64_t foreground_end = 0;  // blocks from here on are read-ahead
  bool stop_read_ahead_at_track = false;     // read-ahead does not switch heads or seek
  bool stop_read_ahead_at_cylinder = false;  // read-ahead does not seek
  bool zero_latency = false;
  double min_first_move_ns = 0;      // shortest positioning of the first move
};

class DiskArm {
 public:
  DiskArm(Engine& engine, const Mechanics& mechanics, ArmClient& client);

  bool busy() const { return active_; }
  // Busy, but waiting on its track for buffer room (reads) or data (writes).
  bool stalled() const { return active_ && stalled_; }
  const ArmAccess& access() const { return access_; }
  Track track() const { return track_; }
  // When an idle arm became free (an access never starts before it).
  double free_ns() const { return free_ns_; }

  // Starts `access`; the arm leaves its track at `not_before` or when it is free, if later (after
  // a stop whose release follows the overhead, what the arm still owed then comes after
  // `not_before`).
  void start(const ArmAccess& access, SimTime not_before);
  // Moves the end of the active access (read-ahead extended or cut, appended writes).
  void set_end(std::uint64_t end, std::uint64_t foreground_end);
  // A read's buffer room shrank (a command joined its segment): the chunk in progress stops
  // before `limit`; the access goes on from there once there is room.
  void limit_chunk(std::uint64_t limit);

  // First block of the active access not yet transferred by time `t` (the access's own blocks
  // below it are in the buffer, or on the media).
  std::uint64_t progress_at(SimTime t) const;
  // When block `lbn` and all before it in the access will be done; kNever when not planned yet.
  double done_ns(std::uint64_t lbn) const;
  // Stops the active access at `now`; returns when the arm is free. With `follows_overhead` the
  // time the arm still owes the stopped access (the rest of a seek, or of the sector it waits for
  // or is in) comes after the next command's overhead rather than alongside it (DiskSim's rule).
  SimTime stop(SimTime now, bool in_sector, bool follows_overhead = false);
  // A stalled access (no room, or no data yet) may try again.
  void retry();

 private:
  struct Chunk {
    Track track;
    std::uint64_t first = 0, last = 0;  // inclusive
    std::uint32_t first_sector = 0;
    double arrive = 0;  // end of the move
    double start = 0;   // start of the first sector
    double sector = 0;  // one sector's time
    bool contiguous = true;
    std::uint64_t split = 0;     // zero latency: blocks >= split were read first (0: none)
    double split_start = 0;      // the first pass's start
    bool resumed = false;        // planned when the arm, having waited for room or data, went on
  };

  void plan(double t_ns, bool resumed = false);
  void truncate_chunk(std::uint64_t last);
  bool plan_run(Chunk& chunk, const PhysicalSector& where);
  bool apply_write_gate(Chunk& chunk);
  void apply_zero_latency(Chunk& chunk) const;
  void chunk_done(std::uint64_t generation);
  void finish(double t_ns);
  double block_done(const Chunk& chunk, std::uint64_t lbn) const;
  std::uint64_t done_by(const Chunk& chunk, double t_ns) const;
  std::uint32_t sector_of(std::uint64_t lbn) const { return mechanics_.layout().locate(lbn).sector; }

  Engine& engine_;
  const Mechanics& mechanics_;
  ArmClient& client_;
  Track track_;
  double free_ns_ = 0;
  bool active_ = false;
  bool stalled_ = false;
  double owed_until_ = 0;  // after a stop under DiskSim's rule: when the arm would have been free
  bool first_move_ = false;
  ArmAccess access_;
  Chunk chunk_;
  bool chunk_planned_ = false;
  std::uint64_t generation_ = 0;
  // progress_at is asked several times at one instant (each event of a read asks before it
  // looks at the buffer): the last answer is kept for the chunk it was worked out on.
  std::uint64_t chunk_version_ = 0;
  mutable std::uint64_t progress_version_ = 0;
  mutable SimTime progress_time_ = 0;
  mutable std::uint64_t progress_blocks_ = 0;
};

}  // namespace blocksim::hdd

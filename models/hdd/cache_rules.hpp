// The drive's rules for its segment cache as commands use it: which segment a read takes and
// whether it is a whole hit, a partial hit or a miss (counted), when enough of a read is in the
// buffer to connect for it and when a write has room to reconnect (the water marks), how far the
// arm reads ahead past a read, and what it reads for one. Owns the hit counters; changes the
// segments' users, ranges and read-ahead bounds; holds references to the segment cache, the cache
// settings and the layout (DiskSim's read-ahead bounds follow tracks).
#pragma once

#include <cstdint>

#include "models/hdd/command.hpp"
#include "models/hdd/disk_arm.hpp"
#include "models/hdd/hdd_settings.hpp"
#include "models/hdd/layout.hpp"
#include "models/hdd/segment_cache.hpp"

namespace blocksim::hdd {

// What the arm is to read for a read that had its turn: nothing, what the segment lacks of it
// and then ahead (`for_command`), or read-ahead alone.
struct ReadPlan {
  bool start = false;
  bool for_command = false;
  ArmAccess access;
};

class CacheRules {
 public:
  CacheRules(SegmentCache& cache, const CacheSettings& settings, const Layout& layout);

  // The segment read `c` would use as it arrives, its hit counted.
  SegmentChoice choose_on_arrival(const Command& c, bool read_ahead_stoppable);
  // Read `c` (its hit known) may connect for data at once: a whole hit, or a partial hit with
  // enough buffered. And it may do so while the arm works (DiskSim's "sneaky" hits).
  bool enough_buffered(const Command& c) const;
  bool may_pass_the_arm(Hit hit) const;
  // Read `c` takes segment `segment`, emptied for it from `first` on a miss.
  void claim(int segment, Hit hit, std::uint64_t first);
  // A segment shared with other reads that no longer holds read `c`'s next block is theirs: `c`
  // leaves it, to take one of its own rather than empty theirs under them.
  void leave_moved_on_segment(Command& c);
  // Raises the read-ahead bounds of `c`'s segment for it.
  void extend_read_ahead(const Command& c);
  ReadPlan plan_read(const Command& c, bool other_jobs_wait);
  // Command `c` completed: it no longer uses its segment.
  void release(const Command& c);

  // DiskSim's read-ahead bound for read `c` in segment `s`.
  std::uint64_t read_ahead_limit(const Command& c, const Segment& s) const;
  // Blocks of read `c`, from its first, in the buffer now (at least those already sent).
  std::uint64_t available(const Command& c) const;
  std::uint64_t read_water_mark(std::uint64_t blocks) const;
  std::uint64_t write_water_mark(std::uint64_t blocks) const;

  std::uint64_t hits() const { return hits_; }
  std::uint64_t partial_hits() const { return partial_hits_; }
  std::uint64_t misses() const { return misses_; }

 private:
  bool holds(int segment, std::uint64_t block) const;

  SegmentCache& cache_;
  const CacheSettings& settings_;
  const Layout& layout_;
  std::uint64_t hits_ = 0, partial_hits_ = 0, misses_ = 0;
};

}  // namespace blocksim::hdd

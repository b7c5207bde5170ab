// The drive's buffer as a set of segments. A segment holds one run of consecutive blocks
// [start, end) and is empty, clean (the media's copy), being read into (by the arm, for a request
// or read-ahead), dirty (written by the host, not yet on the media) or being written out. A read
// picks, by DiskSim's priorities, a segment that holds its first block (a whole or partial hit),
// else the least recently used empty or clean one, else one whose read-ahead may be stopped. A
// write appends to the dirty segment it continues, else takes an empty or clean one, while fewer
// than `write_segments` are dirty. A segment holds at most `segment_sectors` blocks: as it grows
// past that, its oldest blocks leave it. The segment being read into is refreshed by the drive
// from the arm's progress before any question is asked. Owns its segments; nothing else.
#pragma once

#include <cstdint>
#include <vector>

#include "models/hdd/hdd_settings.hpp"

namespace blocksim::hdd {

enum class SegmentState { kEmpty, kClean, kReading, kDirty, kWriting };
enum class Hit { kMiss, kPartial, kWhole, kAppend };

struct Segment {
  SegmentState state = SegmentState::kEmpty;  // changed only by SegmentCache (set_state, reset)
  std::uint64_t start = 0, end = 0;  // blocks held: [start, end)
  std::uint64_t written = 0;         // dirty segments: blocks below this are on the media
  std::uint64_t reserved_end = 0;    // dirty segments: the end of the data its writers will bring
  std::uint64_t min_read_ahead = 0;  // read-ahead may not be stopped before this block
  std::uint64_t max_read_ahead = 0;  // read-ahead stops before this block
  std::uint64_t last_use = 0;
  std::uint64_t serial = 0;  // counts the segment's resets: a flush tells its dirty data from later data
  std::uint32_t users = 0;  // requests using it now
  bool read_ahead_only = false;  // being read into for no request (pure read-ahead)
  bool last_read = true;         // last put to use by a read
};

struct SegmentChoice {
  int segment = -1;  // -1: none usable now
  Hit hit = Hit::kMiss;
};

class SegmentCache {
 public:
  explicit SegmentCache(const CacheSettings& settings);

  Segment& operator[](int index) { return segments_[static_cast<std::size_t>(index)]; }
  const Segment& operator[](int index) const { return segments_[static_cast<std::size_t>(index)]; }
  int size() const { return static_cast<int>(segments_.size()); }
  std::uint32_t capacity() const { return capacity_; }

  // The segment a read of [first, end) would use. `read_ahead_stoppable` says whether the
  // read-ahead in progress (if any) may be stopped for it.
  SegmentChoice choose_for_read(std::uint64_t first, std::uint64_t end, bool read_ahead_stoppable) const;
  // The segment a write of [first, end) would use (kAppend when it continues a dirty one).
  SegmentChoice choose_for_write(std::uint64_t first, std::uint64_t end) const;
  // Whole or partial hit, without choosing (for the scheduler's and the tests' questions).
  Hit lookup(std::uint64_t first, std::uint64_t end) const;

  // Moves a segment to `state` (the cache counts its dirty segments as they change).
  void set_state(int index, SegmentState state);
  // Puts a segment to use now (least recently used order).
  void touch(int index) { segments_[static_cast<std::size_t>(index)].last_use = ++clock_; }
  // Empties a segment for a read or write starting at `first`.
  void reset(int index, std::uint64_t first, SegmentState state);
  // Extends a segment's held range to `end`, dropping its oldest blocks past the capacity.
  void grow(int index, std::uint64_t end);
  // A write of [first, end) makes clean copies of those blocks elsewhere stale.
  void invalidate_overlapping(int keep, std::uint64_t first, std::uint64_t end);
  // Dirty segments and those being written out.
  int dirty_segments() const { return dirty_; }
  // Some segment could take a new read (empty, clean and unused, or only reading ahead).
  bool has_free_segment() const;

 private:
  const CacheSettings& settings_;
  std::vector<Segment> segments_;
  std::uint32_t capacity_;
  std::uint64_t clock_ = 0;
  int dirty_ = 0;  // segments kDirty or kWriting
};

}  // namespace blocksim::hdd

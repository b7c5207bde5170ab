#include "models/hdd/cache_rules.hpp"

#include <algorithm>
#include <cmath>

namespace blocksim::hdd {

CacheRules::CacheRules(SegmentCache& cache, const CacheSettings& settings, const Layout& layout)
    : cache_(cache), settings_(settings), layout_(layout) {}

SegmentChoice CacheRules::choose_on_arrival(const Command& c, bool read_ahead_stoppable) {
  const SegmentChoice choice = cache_.choose_for_read(c.lba, c.end(), read_ahead_stoppable);
  (choice.hit == Hit::kWhole ? hits_ : choice.hit == Hit::kPartial ? partial_hits_ : misses_)++;
  return choice;
}

bool CacheRules::enough_buffered(const Command& c) const {
  return c.hit == Hit::kWhole ||
         (c.hit == Hit::kPartial && (settings_.immediate_partial_transfer ||
                                     available(c) >= std::min(read_water_mark(c.blocks), c.blocks)));
}

bool CacheRules::may_pass_the_arm(Hit hit) const {
  return (hit == Hit::kWhole && settings_.sneaky_full_hits) || (hit == Hit::kPartial && settings_.sneaky_partial_hits);
}

void CacheRules::claim(int segment, Hit hit, std::uint64_t first) {
  if (hit == Hit::kMiss)
    cache_.reset(segment, first, SegmentState::kClean);
  Segment& s = cache_[segment];
  ++s.users;
  s.read_ahead_only = false;
  s.last_read = true;
  cache_.touch(segment);
}

bool CacheRules::holds(int segment, std::uint64_t block) const {
  const Segment& s = cache_[segment];
  return s.state != SegmentState::kEmpty && s.start <= block && block <= s.end;
}

void CacheRules::leave_moved_on_segment(Command& c) {
  if (c.segment < 0)
    return;
  Segment& held = cache_[c.segment];
  if (!holds(c.segment, c.lba + c.out) && held.users > 1) {
    --held.users;
    c.segment = -1;
  }
}

void CacheRules::extend_read_ahead(const Command& c) {
  Segment& s = cache_[c.segment];
  const std::uint64_t count = layout_.block_count();
  s.min_read_ahead = std::max(s.min_read_ahead, std::min(c.end() + settings_.min_read_ahead, count));
  s.max_read_ahead = std::max(s.max_read_ahead, std::min(read_ahead_limit(c, s), count));
}

// A segment that lacks the read's next block is emptied for it; with no other job waiting the
// arm reads on past the read. A read the segment already holds may read ahead further
// (read_ahead_on_hit), though not into a dirty segment: it keeps its blocks until they are on
// the media.
ReadPlan CacheRules::plan_read(const Command& c, bool other_jobs_wait) {
  Segment& s = cache_[c.segment];
  const std::uint64_t next = c.lba + c.out;
  const bool holds_next = holds(c.segment, next);
  ReadPlan plan;
  ArmAccess& access = plan.access;
  access.segment = static_cast<std::uint32_t>(c.segment);
  access.zero_latency = settings_.zero_latency_read;
  access.stop_read_ahead_at_track = settings_.read_ahead == ReadAhead::kTrackEnd;
  access.stop_read_ahead_at_cylinder = settings_.read_ahead == ReadAhead::kCylinderEnd;
  if (!holds_next || s.end < c.end()) {
    if (!holds_next)
      cache_.reset(c.segment, next, SegmentState::kClean);
    access.next = s.end;
    access.foreground_end = c.end();
    access.end = other_jobs_wait ? c.end() : std::max(s.max_read_ahead, c.end());
    plan.start = plan.for_command = true;
  } else if (settings_.read_ahead_on_hit && settings_.read_ahead != ReadAhead::kNone && s.end < s.max_read_ahead &&
             !other_jobs_wait && (s.state == SegmentState::kClean || s.state == SegmentState::kReading)) {
    access.next = s.end;
    access.foreground_end = s.end;  // all of it read-ahead
    access.end = s.max_read_ahead;
    plan.start = true;
  }
  return plan;
}

// With keep_request_data < 0 a read's blocks leave the segment as it completes; a segment read
// into for nobody any more goes on as pure read-ahead.
void CacheRules::release(const Command& c) {
  if (c.segment < 0)
    return;
  Segment& s = cache_[c.segment];
  if (s.users > 0)
    --s.users;
  if (c.op == Op::kRead && settings_.keep_request_data < 0 && s.state != SegmentState::kEmpty)
    s.start = std::clamp(c.end(), s.start, s.end);
  if (s.users == 0 && s.state == SegmentState::kReading)
    s.read_ahead_only = true;
}

// To the end of the next track for a sequential stream, else max_read_ahead past the read, else
// the segment's size.
std::uint64_t CacheRules::read_ahead_limit(const Command& c, const Segment& s) const {
  const std::uint64_t end = c.end();
  const std::uint64_t count = layout_.block_count();
  const std::uint64_t capacity = cache_.capacity();
  std::uint64_t limit = end;
  switch (settings_.read_ahead) {
    case ReadAhead::kNone: return std::min(end + settings_.min_read_ahead, count);
    case ReadAhead::kNextTrackEnd: {
      if (end >= count)
        return count;
      const PhysicalSector where = layout_.locate(end);
      const TrackBlocks track = layout_.track_blocks({where.cylinder, where.head});
      limit = track.last + 1;
      if (s.start < track.first) {
        const PhysicalSector start = layout_.locate(c.lba);
        limit += layout_.sectors_per_track({start.cylinder, start.head});
      }
      break;
    }
    default:
      if (settings_.max_read_ahead > 0)
        limit = end + settings_.max_read_ahead;
      else if (settings_.keep_request_data > 0)
        limit = (c.blocks >= capacity || capacity - c.blocks < settings_.min_read_ahead)
                    ? end + settings_.min_read_ahead
                    : c.lba + capacity;
      else
        limit = end + capacity;
      break;
  }
  return std::min(limit, count);
}

std::uint64_t CacheRules::available(const Command& c) const {
  if (c.segment < 0)
    return c.out;
  const Segment& s = cache_[c.segment];
  const std::uint64_t next = c.lba + c.out;
  if (s.state == SegmentState::kEmpty || next < s.start || next >= s.end)
    return c.out;
  return std::min(c.end(), s.end) - c.lba;
}

// A fraction of the read (capped at a segment), at least a block; or of the segment.
std::uint64_t CacheRules::read_water_mark(std::uint64_t blocks) const {
  if (settings_.water_mark_of_request)
    return std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(static_cast<double>(std::min<std::uint64_t>(cache_.capacity(), blocks)) *
                                      settings_.read_water_mark));
  return static_cast<std::uint64_t>(cache_.capacity() * settings_.read_water_mark + 0.9999999999);
}

// A fraction of the write (capped at a segment), at least a block.
std::uint64_t CacheRules::write_water_mark(std::uint64_t blocks) const {
  return static_cast<std::uint64_t>(std::max<double>(
      1, std::floor(static_cast<double>(std::min<std::uint64_t>(cache_.capacity(), blocks)) *
                    settings_.write_water_mark)));
}

}  // namespace blocksim::hdd

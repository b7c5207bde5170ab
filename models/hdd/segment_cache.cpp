#include "models/hdd/segment_cache.hpp"

#include <algorithm>

namespace blocksim::hdd {

SegmentCache::SegmentCache(const CacheSettings& settings)
    : settings_(settings), segments_(settings.segments), capacity_(settings.segment_sectors) {
  for (std::size_t i = 0; i < segments_.size(); ++i)
    segments_[i].last_use = i;
  clock_ = segments_.size();
}

namespace {

bool holds(const Segment& s, std::uint64_t block) { return block >= s.start && block < s.end; }
bool overlaps(const Segment& s, std::uint64_t first, std::uint64_t end) { return first < s.end && s.start < end; }

// A better value wins; of equal values, the segment unused longest (least recently used).
bool better(int value, std::uint64_t last_use, int best_value, std::uint64_t best_use) {
  return value > best_value || (value == best_value && value > 0 && last_use < best_use);
}

}  // namespace

// DiskSim's preferences for a read: a hit on dirty data (freshest), on data being written, on a
// read in progress, on clean data; a partial hit likewise but below any whole hit; then, for a
// miss, an empty segment, a clean one nobody uses, and last a segment whose read-ahead can stop.
SegmentChoice SegmentCache::choose_for_read(std::uint64_t first, std::uint64_t end, bool read_ahead_stoppable) const {
  SegmentChoice best;
  int best_value = 0;
  std::uint64_t best_use = 0;
  for (int index = 0; index < size(); ++index) {
    const Segment& s = segments_[static_cast<std::size_t>(index)];
    int value = 0;
    Hit hit = Hit::kMiss;
    if (s.state == SegmentState::kEmpty) {
      value = 3;
    } else if (!holds(s, first)) {
      if (s.state == SegmentState::kClean && s.users == 0) {
        value = 2;
      } else if (s.state == SegmentState::kReading) {
        if (settings_.caching && ((settings_.almost_read_hits && s.end == first) ||
                                  (settings_.stream_read_hits && s.end <= first && first < s.max_read_ahead))) {
          value = 5;
          hit = Hit::kPartial;
        } else if (s.read_ahead_only) {
          value = 1;
        }
      }
    } else {
      switch (s.state) {
        case SegmentState::kDirty: value = settings_.caching && settings_.read_hits_on_write_data ? 11 : 0; break;
        case SegmentState::kWriting: value = settings_.caching && settings_.read_hits_on_write_data ? 10 : 0; break;
        case SegmentState::kReading: value = settings_.caching ? 9 : 0; break;
        case SegmentState::kClean:
          value = settings_.caching && (settings_.read_hits_on_write_data || s.last_read) ? 8 : 0;
          if (value == 0 && s.users == 0)
            value = 2;  // stale for reads: usable as an empty one
          break;
        default: break;
      }
      if (value > 2) {
        hit = s.end >= end ? Hit::kWhole : Hit::kPartial;
        if (hit == Hit::kPartial)
          value -= 4;
        // The rest of a partial hit would be read into the segment, which must keep its dirty
        // blocks until they are on the media: such a segment serves whole hits only.
        if (hit == Hit::kPartial && (s.state == SegmentState::kDirty || s.state == SegmentState::kWriting)) {
          value = 0;
          hit = Hit::kMiss;
        }
      }
    }
    if (better(value, s.last_use, best_value, best_use)) {
      best_value = value;
      best_use = s.last_use;
      best.segment = index;
      best.hit = hit;
    }
  }
  if (best_value == 1 && !read_ahead_stoppable)
    best.segment = -1;
  return best;
}

Hit SegmentCache::lookup(std::uint64_t first, std::uint64_t end) const {
  Hit result = Hit::kMiss;
  if (!settings_.caching)
    return result;
  for (const Segment& s : segments_) {
    if (s.state == SegmentState::kEmpty || !holds(s, first))
      continue;
    if (!settings_.read_hits_on_write_data && s.state != SegmentState::kReading && !s.last_read)
      continue;
    if (s.end >= end)
      return Hit::kWhole;
    result = Hit::kPartial;
  }
  return result;
}

// DiskSim's preferences for a write: append to the segment being written out, or to a dirty one;
// then a clean segment holding stale copies of these blocks, an empty one, any clean one.
SegmentChoice SegmentCache::choose_for_write(std::uint64_t first, std::uint64_t end) const {
  SegmentChoice best;
  int best_value = 0;
  std::uint64_t best_use = 0;
  const bool room_for_dirty = dirty_segments() < static_cast<int>(settings_.write_segments);
  for (int index = 0; index < size(); ++index) {
    const Segment& s = segments_[static_cast<std::size_t>(index)];
    int value = 0;
    Hit hit = Hit::kMiss;
    switch (s.state) {
      case SegmentState::kEmpty: value = room_for_dirty ? 3 : 0; break;
      case SegmentState::kClean:
        if (s.users == 0 && room_for_dirty)
          value = overlaps(s, first, end) ? 4 : 2;
        break;
      case SegmentState::kDirty:
      case SegmentState::kWriting:
        // Appends only after every writer's data: a write whose data has not come yet holds its
        // place in the segment.
        if (settings_.combine_writes && std::max(s.end, s.reserved_end) == first && end - s.start <= capacity_) {
          value = s.state == SegmentState::kWriting ? 7 : 6;
          hit = Hit::kAppend;
        }
        break;
      default: break;
    }
    if (better(value, s.last_use, best_value, best_use)) {
      best_value = value;
      best_use = s.last_use;
      best.segment = index;
      best.hit = hit;
    }
  }
  return best;
}

void SegmentCache::reset(int index, std::uint64_t first, SegmentState state) {
  set_state(index, state);
  Segment& s = segments_[static_cast<std::size_t>(index)];
  ++s.serial;
  s.start = s.end = s.written = s.reserved_end = first;
  s.min_read_ahead = s.max_read_ahead = first;
  s.read_ahead_only = false;
}

void SegmentCache::grow(int index, std::uint64_t end) {
  Segment& s = segments_[static_cast<std::size_t>(index)];
  if (end > s.end)
    s.end = end;
  if (s.end - s.start > capacity_)
    s.start = s.end - capacity_;
}

void SegmentCache::invalidate_overlapping(int keep, std::uint64_t first, std::uint64_t end) {
  for (int i = 0; i < size(); ++i) {
    Segment& s = segments_[static_cast<std::size_t>(i)];
    if (i != keep && s.state == SegmentState::kClean && s.users == 0 && overlaps(s, first, end))
      set_state(i, SegmentState::kEmpty);
  }
}

bool SegmentCache::has_free_segment() const {
  for (const Segment& s : segments_)
    if (s.state == SegmentState::kEmpty || (s.state == SegmentState::kClean && s.users == 0) ||
        (s.state == SegmentState::kReading && s.read_ahead_only))
      return true;
  return false;
}

namespace {
bool counts_dirty(SegmentState state) { return state == SegmentState::kDirty || state == SegmentState::kWriting; }
}  // namespace

void SegmentCache::set_state(int index, SegmentState state) {
  SegmentState& now = segments_[static_cast<std::size_t>(index)].state;
  dirty_ += (counts_dirty(state) ? 1 : 0) - (counts_dirty(now) ? 1 : 0);
  now = state;
}

}  // namespace blocksim::hdd

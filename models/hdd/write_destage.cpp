#include "models/hdd/write_destage.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace blocksim::hdd {

namespace {
bool holds_dirty_data(const Segment& s) {
  return s.state == SegmentState::kDirty || s.state == SegmentState::kWriting;
}
}  // namespace

WriteDestage::WriteDestage(Engine& engine, SegmentCache& cache, const CacheSettings& settings, DestageHost& host)
    : engine_(engine), cache_(cache), settings_(settings), host_(host),
      queued_(static_cast<std::size_t>(cache.size()), 0) {}

void WriteDestage::queue(int segment, SimTime ready) {
  if (queued(segment))
    return;
  mark_queued(segment);
  host_.add_write_out_job(segment, cache_[segment].written, ready);
}

void WriteDestage::queue_all_dirty() {
  for (int i = 0; i < cache_.size(); ++i)
    if (cache_[i].state == SegmentState::kDirty)
      queue(i, engine_.now());
}

// Water-mark write-back: start writing out once `high` of the write segments are dirty, go on
// down to `low`.
void WriteDestage::check_triggers() {
  if (settings_.destage_at_once)
    return;
  const int dirty = cache_.dirty_segments();
  const double limit = static_cast<double>(settings_.write_segments);
  if (dirty >= std::max(1.0, std::ceil(settings_.destage_high * limit)))
    destaging_ = true;
  if (destaging_ && dirty <= std::floor(settings_.destage_low * limit))
    destaging_ = false;
  if (destaging_)
    queue_all_dirty();
  host_.start_arm();
}

// An idle arm writes the least recently used dirty segment out after `destage_idle`.
void WriteDestage::arm_out_of_work() {
  if (settings_.destage_at_once || cache_.dirty_segments() == 0)
    return;
  const std::uint64_t generation = ++idle_generation_;
  engine_.after(settings_.destage_idle, [this, generation] { idle_write_out(generation); });
}

void WriteDestage::idle_write_out(std::uint64_t generation) {
  if (generation != idle_generation_ || host_.arm_has_work())
    return;
  int oldest = -1;
  for (int i = 0; i < cache_.size(); ++i) {
    const Segment& s = cache_[i];
    if (s.state == SegmentState::kDirty && !queued(i) && (oldest < 0 || s.last_use < cache_[oldest].last_use))
      oldest = i;
  }
  if (oldest >= 0) {
    queue(oldest, engine_.now());
    host_.start_arm();
  }
}

bool WriteDestage::waits_for_segment(std::uint32_t command) const {
  return std::find(waiters_.begin(), waiters_.end(), command) != waiters_.end();
}

// Oldest first; the first that still finds no segment keeps the rest waiting. A waiter leaves
// the line before it goes on: going on may come back here.
void WriteDestage::retry_segment_waiters() {
  while (!waiters_.empty()) {
    const std::uint32_t command = waiters_.front();
    if (!host_.segment_available(command))
      return;
    waiters_.pop_front();
    host_.segment_waiter_resumed(command);
  }
}

// Later writes are not a flush's concern: waiting for them could keep it waiting for as long as
// writes come.
void WriteDestage::add_flush(std::uint32_t command) {
  PendingFlush flush;
  flush.command = command;
  for (int i = 0; i < cache_.size(); ++i) {
    const Segment& s = cache_[i];
    if (holds_dirty_data(s))
      flush.needs.push_back({i, s.serial, s.start, s.end});
  }
  flushes_.push_back(std::move(flush));
  check_flushes();
  host_.start_arm();
}

bool WriteDestage::flush_need_met(const FlushNeed& need) const {
  const Segment& s = cache_[need.segment];
  if (s.serial != need.serial)
    return true;  // written out whole and reused since
  return !holds_dirty_data(s) || s.written >= need.end;
}

void WriteDestage::check_flushes() {
  if (flushes_.empty())
    return;
  host_.sync_writing_segment();
  bool queued_any = false;
  std::vector<std::uint32_t> done;
  std::size_t kept = 0;
  for (std::size_t k = 0; k < flushes_.size(); ++k) {
    bool met = true;
    for (const FlushNeed& need : flushes_[k].needs) {
      if (flush_need_met(need))
        continue;
      met = false;
      if (cache_[need.segment].state == SegmentState::kDirty && !queued(need.segment)) {
        queue(need.segment, engine_.now());  // a partial write-out left the rest dirty
        queued_any = true;
      }
    }
    if (!met) {
      if (kept != k)
        flushes_[kept] = std::move(flushes_[k]);
      ++kept;
      continue;
    }
    for (const FlushNeed& need : flushes_[k].needs) {
      const Segment& s = cache_[need.segment];
      mark_on_media(s.serial == need.serial ? need.segment : -1, need.start, need.end);
    }
    done.push_back(flushes_[k].command);
  }
  flushes_.resize(kept);
  // Completed flushes go on once the list is compacted: nothing reached from here may see it
  // half moved.
  for (const std::uint32_t command : done)
    host_.flush_met(command);
  if (queued_any)
    host_.start_arm();
}

// The new blocks are durable from now (those another dirty segment holds a newer copy of
// excepted), whether or not the segment still holds them by the time its write-out ends.
void WriteDestage::advance_written(int segment, std::uint64_t written) {
  Segment& s = cache_[segment];
  if (written <= s.written)
    return;
  const std::uint64_t from = s.written;
  s.written = written;
  mark_on_media(segment, from, written);
}

void WriteDestage::write_out_ended(int segment) {
  Segment& s = cache_[segment];
  clear_queued(segment);
  if (s.written >= s.end) {
    const bool keep = settings_.caching && settings_.read_hits_on_write_data;
    cache_.set_state(segment, keep || s.users > 0 ? SegmentState::kClean : SegmentState::kEmpty);
  } else {
    cache_.set_state(segment, SegmentState::kDirty);
    if (settings_.destage_at_once)
      queue(segment, engine_.now());
  }
  mark_on_media(segment, s.start, std::max(s.start, s.written));
}

void WriteDestage::mark_on_media(int owner, std::uint64_t first, std::uint64_t end) {
  if (!host_.keeps_data())  // after a power cut the media takes nothing more
    return;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> newer;
  for (int i = 0; i < cache_.size(); ++i) {
    const Segment& o = cache_[i];
    if (i != owner && holds_dirty_data(o))
      newer.emplace_back(std::max(o.start, o.written), o.end);
  }
  std::sort(newer.begin(), newer.end());
  std::uint64_t from = first;
  for (const auto& [newer_first, newer_end] : newer) {
    if (newer_end <= from || newer_first >= end)
      continue;
    if (newer_first > from)
      host_.made_durable(from, newer_first - from);
    from = std::max(from, newer_end);
  }
  if (from < end)
    host_.made_durable(from, end - from);
}

Durability WriteDestage::completed_write_durability(const Command& write) const {
  if (!write.write_back || write.segment < 0)
    return Durability::kDurable;
  const Segment& s = cache_[write.segment];
  return holds_dirty_data(s) && s.written < write.end() ? Durability::kVolatile : Durability::kDurable;
}

}  // namespace blocksim::hdd

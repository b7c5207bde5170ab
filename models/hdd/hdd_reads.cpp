// HddModel: the read path. A read finds its segment (a hit or a place to read into), goes through
// command processing on the port, and either moves its cached data at once (the "ready" path) or
// disconnects until the read water mark is in the buffer; the arm reads what is missing and reads
// ahead past it.
#include <algorithm>
#include <cmath>

#include "models/hdd/hdd_device.hpp"

namespace blocksim {

using hdd::Hit;
using hdd::SegmentState;

void HddModel::arrive_read(std::uint32_t index) {
  Request& r = requests_[index];
  const auto& overheads = settings_.overheads;
  const auto& cache = settings_.cache;
  const int after = r.after_read ? 1 : 0;
  sync_reading_segment();
  const Stop rule = arm_stop_rule(r);
  const hdd::SegmentChoice choice = cache_->choose_for_read(r.lba, r.end(), rule != Stop::kNo);
  r.hit = choice.hit;
  // A miss takes its segment when the arm starts for it, unless the arm is free for it now.
  r.segment = r.hit != Hit::kMiss || rule != Stop::kNo ? choice.segment : -1;
  r.overhead_done = engine().now() + overheads.read_miss[after];
  (r.hit == Hit::kWhole ? read_hits_ : r.hit == Hit::kPartial ? read_partial_hits_ : read_misses_)++;

  const bool enough = r.hit == Hit::kWhole ||
                      (r.hit == Hit::kPartial && (cache.immediate_partial_transfer ||
                                                  available(r) >= std::min(read_water_mark(r), r.blocks)));
  const bool sneaky = (r.hit == Hit::kWhole && cache.sneaky_full_hits) ||
                      (r.hit == Hit::kPartial && cache.sneaky_partial_hits);
  const bool ready = settings_.interface.never_disconnect ||
                     (enough && port_->idle() && (sneaky || !arm_->busy() || rule != Stop::kNo));

  const bool swap = arm_->busy() && rule == Stop::kSwap && r.segment == reading_segment_;
  if (arm_->busy() && rule == Stop::kStop && !swap)
    stop_read_ahead_at(r.overhead_done);
  if (r.segment >= 0) {
    hdd::Segment& s = (*cache_)[r.segment];
    if (r.hit == Hit::kMiss)
      cache_->reset(r.segment, r.lba, SegmentState::kClean);
    ++s.users;
    s.read_ahead_only = false;
    s.last_read = true;
    cache_->touch(r.segment);
  }
  if (swap) {
    // The read in progress already fills this request's segment: it serves this request too.
    hdd::Segment& s = (*cache_)[r.segment];
    r.activated = true;
    s.min_read_ahead = std::max(s.min_read_ahead, std::min(r.end() + cache.min_read_ahead, layout_->block_count()));
    s.max_read_ahead = std::max(s.max_read_ahead, std::min(read_ahead_limit(r, s), layout_->block_count()));
    const auto& a = arm_->access();
    arm_->set_end(std::max({a.end, s.max_read_ahead, r.end()}), std::max(a.foreground_end, r.end()));
    arm_->limit_chunk(read_limit(static_cast<double>(engine().now())));  // the segment must keep its data
  } else {
    add_job(index, r.lba, false, r.overhead_done);
  }
  r.phase = Phase::kCommand;
  if (ready)
    port_->request(index, (r.hit != Hit::kMiss ? overheads.read_hit : overheads.read_miss)[after] + overheads.data_prep,
                   Callback::to<HddModel, &HddModel::read_connected>(this, index));
  else
    port_->request(index, overheads.read_miss[after] + overheads.read_disconnect[after],
                   Callback::to<HddModel, &HddModel::read_disconnected>(this, index));
  start_arm();
}

// DiskSim's read-ahead bound for a read of [lba, end): to the end of the next track for a
// sequential stream, else max_read_ahead past the request, else the segment's size.
std::uint64_t HddModel::read_ahead_limit(const Request& r, const hdd::Segment& s) const {
  const auto& cache = settings_.cache;
  const std::uint64_t end = r.end();
  const std::uint64_t count = layout_->block_count();
  std::uint64_t limit = end;
  switch (cache.read_ahead) {
    case hdd::ReadAhead::kNone: return std::min(end + cache.min_read_ahead, count);
    case hdd::ReadAhead::kNextTrackEnd: {
      if (end >= count)
        return count;
      const hdd::PhysicalSector where = layout_->locate(end);
      const hdd::TrackBlocks track = layout_->track_blocks({where.cylinder, where.head});
      limit = track.last + 1;
      if (s.start < track.first)
        limit += layout_->sectors_per_track(layout_->locate(r.lba).cylinder);
      break;
    }
    default:
      if (cache.max_read_ahead > 0)
        limit = end + cache.max_read_ahead;
      else if (cache.keep_request_data > 0)
        limit = (r.blocks >= cache_->capacity() || cache_->capacity() - r.blocks < cache.min_read_ahead)
                    ? end + cache.min_read_ahead
                    : r.lba + cache_->capacity();
      else
        limit = end + cache_->capacity();
      break;
  }
  return std::min(limit, count);
}

// Blocks of the request, from its first, that are in the buffer now (at least those already sent).
std::uint64_t HddModel::available(const Request& r) const {
  if (r.segment < 0)
    return r.out;
  const hdd::Segment& s = (*cache_)[r.segment];
  const std::uint64_t next = r.lba + r.out;
  if (s.state == SegmentState::kEmpty || next < s.start || next >= s.end)
    return r.out;
  return std::min(r.end(), s.end) - r.lba;
}

std::uint64_t HddModel::read_water_mark(const Request& r) const {
  const auto& cache = settings_.cache;
  if (cache.water_mark_of_request)
    return std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(static_cast<double>(std::min<std::uint64_t>(cache_->capacity(), r.blocks)) *
                                      cache.read_water_mark));
  return static_cast<std::uint64_t>(cache_->capacity() * cache.read_water_mark + 0.9999999999);
}

// Picked by the scheduler (or at once, the arm being free): read what the segment lacks, then ahead.
void HddModel::begin_read(std::uint32_t index, SimTime not_before) {
  Request& r = requests_[index];
  const auto& cache = settings_.cache;
  if (r.segment >= 0) {
    // A segment shared with other reads that no longer holds this one's next block is theirs:
    // this read takes a segment of its own rather than empty theirs under them.
    hdd::Segment& held = (*cache_)[r.segment];
    const std::uint64_t next = r.lba + r.out;
    const bool holds_next = held.state != SegmentState::kEmpty && held.start <= next && next <= held.end;
    if (!holds_next && held.users > 1) {
      --held.users;
      r.segment = -1;
    }
  }
  if (r.segment < 0) {
    const hdd::SegmentChoice choice = cache_->choose_for_read(r.lba + r.out, r.end(), true);
    if (choice.segment < 0) {
      segment_waiters_.push_back(index);  // every segment holds dirty data: wait for a write-out
      return;
    }
    r.segment = choice.segment;
    r.hit = choice.hit;
    if (r.hit == Hit::kMiss)
      cache_->reset(r.segment, r.lba + r.out, SegmentState::kClean);
    hdd::Segment& s = (*cache_)[r.segment];
    ++s.users;
    s.read_ahead_only = false;
    s.last_read = true;
    cache_->touch(r.segment);
  }
  hdd::Segment& s = (*cache_)[r.segment];
  r.activated = true;
  s.min_read_ahead = std::max(s.min_read_ahead, std::min(r.end() + cache.min_read_ahead, layout_->block_count()));
  s.max_read_ahead = std::max(s.max_read_ahead, std::min(read_ahead_limit(r, s), layout_->block_count()));
  const std::uint64_t next = r.lba + r.out;
  const bool holds_next = s.state != SegmentState::kEmpty && s.start <= next && next <= s.end;
  hdd::ArmAccess access;
  access.segment = static_cast<std::uint32_t>(r.segment);
  access.zero_latency = cache.zero_latency_read;
  access.stop_read_ahead_at_track = cache.read_ahead == hdd::ReadAhead::kTrackEnd;
  access.stop_read_ahead_at_cylinder = cache.read_ahead == hdd::ReadAhead::kCylinderEnd;
  bool start = false;
  if (!holds_next || s.end < r.end()) {
    if (!holds_next)
      cache_->reset(r.segment, next, SegmentState::kClean);
    access.next = s.end;
    access.foreground_end = r.end();
    access.end = scheduler_->empty() ? std::max(s.max_read_ahead, r.end()) : r.end();
    start = true;
    if (settings_.preseek_level == 0) {
      arm_held_ = true;
      arm_holder_ = index;
    }
  } else if (cache.read_ahead_on_hit && cache.read_ahead != hdd::ReadAhead::kNone && s.end < s.max_read_ahead &&
             scheduler_->empty() && (s.state == SegmentState::kClean || s.state == SegmentState::kReading)) {
    // (a dirty segment is not read into: it keeps its blocks until they are on the media)
    access.next = s.end;
    access.foreground_end = s.end;  // all of it read-ahead
    access.end = s.max_read_ahead;
    start = true;
  }
  if (start) {
    s.state = SegmentState::kReading;
    reading_segment_ = r.segment;
    ++media_reads_;
    ++arm_serial_;
    arm_->start(access, not_before);
  }
  check_read(index);
}

void HddModel::read_connected(std::uint64_t index) {
  requests_[static_cast<std::uint32_t>(index)].phase = Phase::kData;
  read_data(static_cast<std::uint32_t>(index));
}

// Connected: send what is in the buffer; then complete, wait connected, or disconnect.
void HddModel::read_data(std::uint32_t index) {
  Request& r = requests_[index];
  if (r.burst > 0 || r.phase == Phase::kCompleting)
    return;  // a burst is under way (a wake-up and the arm's progress may both call)
  sync_reading_segment();
  const std::uint64_t ready = available(r);
  if (ready > r.out) {
    r.phase = Phase::kData;
    r.burst = ready - r.out;
    port_->burst(TransferDirection::kToHost, r.lba + r.out, r.burst,
                 Callback::to<HddModel, &HddModel::read_burst_done>(this, index));
    return;
  }
  if (r.out >= r.blocks) {
    send_completion(index, settings_.overheads.read_complete);
    return;
  }
  if (may_hold_port(true)) {
    r.phase = Phase::kHoldWait;
    if (r.segment >= 0 && reading_segment_ == r.segment && arm_->busy()) {
      const double t = arm_->done_ns(r.lba + r.out);
      if (t != hdd::kNever && t > static_cast<double>(engine().now()))
        wake_at(index, t, &HddModel::read_data);
    } else {
      resume_media_read(index);
    }
    start_arm();  // an arm held for another command's completion may go on
    return;       // else the arm's progress wakes it (notify_segment)
  }
  r.phase = Phase::kData;
  port_->hold(settings_.overheads.read_disconnect[last_was_read_ ? 1 : 0],
              Callback::to<HddModel, &HddModel::read_disconnected>(this, index));
}

void HddModel::read_burst_done(std::uint64_t index) {
  Request& r = requests_[static_cast<std::uint32_t>(index)];
  r.out += r.burst;
  r.burst = 0;
  // Sent data makes room: a read that had filled the segment may go on.
  if (arm_->busy() && !arm_->access().write && static_cast<int>(arm_->access().segment) == r.segment)
    arm_->retry();
  read_data(static_cast<std::uint32_t>(index));
}

void HddModel::read_disconnected(std::uint64_t index) {
  port_->release();
  requests_[static_cast<std::uint32_t>(index)].phase = Phase::kWaitData;
  check_read(static_cast<std::uint32_t>(index));
}

// A disconnected read reconnects once it has had its turn at the arm and the water mark (or all
// it still needs) is in the buffer.
void HddModel::check_read(std::uint32_t index) {
  Request& r = requests_[index];
  if (r.phase == Phase::kHoldWait) {
    read_data(index);  // sends what has come, or waits for the next block now planned
    return;
  }
  if (r.phase != Phase::kWaitData || (!r.activated && !settings_.cache.sneaky_full_hits))
    return;
  sync_reading_segment();
  const std::uint64_t need = std::min(read_water_mark(r), r.blocks - r.out);
  const std::uint64_t ready = available(r) - r.out;
  if (ready >= need) {
    r.phase = Phase::kReconnecting;
    r.reconnected = true;
    port_->request(index, settings_.overheads.reselect_first + settings_.overheads.data_prep,
                   Callback::to<HddModel, &HddModel::read_connected>(this, index));
    return;
  }
  if (r.segment >= 0 && reading_segment_ == r.segment && arm_->busy()) {
    const double t = arm_->done_ns(r.lba + r.out + need - 1);
    if (t != hdd::kNever && t > static_cast<double>(engine().now()))
      wake_at(index, t, &HddModel::check_read);
    return;
  }
  resume_media_read(index);
}

// A read that has had its turn but still lacks blocks that nobody is reading for it (the arm's
// access ended at the segment's capacity, or was stopped) goes back to the scheduler for them.
void HddModel::resume_media_read(std::uint32_t index) {
  const Request& r = requests_[index];
  if (!r.activated || r.out >= r.blocks || scheduler_->contains(index))
    return;
  if (arm_->busy() && !arm_->access().write && static_cast<int>(arm_->access().segment) == r.segment)
    return;  // the arm works on its segment: its progress wakes it
  add_job(index, r.lba + r.out, false, engine().now());
  start_arm();
}

}  // namespace blocksim

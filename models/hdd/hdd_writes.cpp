// HddModel: the write path and flushes. A write takes a segment (appending to the dirty one it
// continues, if any), moves its data over the port as fast as the segment has room, and completes
// once its data is in the cache (write-back) or on the media (write-through, FUA, write cache
// off). Dirty segments are written out by the arm at once (DiskSim) or past a water mark, when
// idle, or on a flush.
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "models/hdd/hdd_device.hpp"

namespace blocksim {

using hdd::Hit;
using hdd::SegmentState;

void HddModel::arrive_write(std::uint32_t index) {
  Request& r = requests_[index];
  const auto& overheads = settings_.overheads;
  const auto& cache = settings_.cache;
  const int after = r.after_read ? 1 : 0;
  r.write_back = write_cache_enabled_ && cache.write_policy != hdd::WritePolicy::kWriteThrough &&
                 (r.flags & kFlagFua) == 0;
  SimTime overhead = (r.write_back ? overheads.write_hit : overheads.write_miss)[after];
  sync_reading_segment();
  const hdd::SegmentChoice choice = cache_->choose_for_write(r.lba, r.end());
  r.hit = choice.hit;
  const Stop rule = arm_stop_rule(r);
  const bool prebuffer = cache.write_prebuffering || !cache.destage_at_once;
  // Never disconnecting or not, a write's data needs a segment to go to.
  const bool ready = choice.segment >= 0 && (settings_.interface.never_disconnect ||
                                             (port_->idle() && (prebuffer || !arm_->busy() || rule != Stop::kNo)));
  r.extra_disconnect = overheads.extra_write_disconnect && r.hit != Hit::kAppend && ready;
  r.overhead_done = engine().now() + (r.extra_disconnect ? overheads.extra_command + overheads.extra_seek_delay : overhead);
  if (arm_->busy() && rule == Stop::kStop && !arm_->access().write)
    stop_read_ahead_at(r.overhead_done);
  r.phase = Phase::kCommand;
  if (ready) {
    r.segment = choice.segment;
    take_write_segment(index);
    if (r.extra_disconnect) {
      port_->request(index, overheads.extra_command + overheads.extra_disconnect,
                     Callback::to<HddModel, &HddModel::write_disconnected>(this, index));
      r.activated = false;  // it asks for its data after the inter-disconnect delay
      engine().after(overheads.extra_command + overheads.extra_disconnect + overheads.extra_reconnect_after,
                     [this, index] {
                       requests_[index].activated = true;
                       check_write(index);
                     });
    } else {
      port_->request(index, overhead + overheads.data_prep,
                     Callback::to<HddModel, &HddModel::write_connected>(this, index));
    }
    if (cache.destage_at_once || !r.write_back)
      queue_destage(r.segment, r.overhead_done);  // write-through waits for the media: no water mark
  } else {
    port_->request(index, overhead + (r.write_back ? overheads.write_disconnect : 0),
                   Callback::to<HddModel, &HddModel::write_disconnected>(this, index));
    if (cache.destage_at_once)
      add_job(index, r.lba, true, r.overhead_done);
    else
      segment_waiters_.push_back(index);
  }
  start_arm();
}

// Attaches the write to the segment chosen for it: a fresh dirty segment, or the dirty one it
// appends to; clean copies of its blocks elsewhere become stale.
bool HddModel::take_write_segment(std::uint32_t index) {
  Request& r = requests_[index];
  if (r.segment < 0) {
    const hdd::SegmentChoice choice = cache_->choose_for_write(r.lba, r.end());
    if (choice.segment < 0)
      return false;
    r.segment = choice.segment;
    r.hit = choice.hit;
  }
  hdd::Segment& s = (*cache_)[r.segment];
  if (r.hit != Hit::kAppend)
    cache_->reset(r.segment, r.lba, SegmentState::kDirty);
  s.reserved_end = std::max(s.reserved_end, r.end());
  ++s.users;
  s.last_read = false;
  s.read_ahead_only = false;
  cache_->touch(r.segment);
  cache_->invalidate_overlapping(r.segment, r.lba, r.end());
  if (settings_.cache.write_prebuffering || !settings_.cache.destage_at_once || r.hit == Hit::kAppend)
    r.activated = true;
  return true;
}

void HddModel::write_connected(std::uint64_t index) {
  requests_[static_cast<std::uint32_t>(index)].phase = Phase::kData;
  write_data(static_cast<std::uint32_t>(index));
}

// Connected: move as much data as the segment has room for; then complete (write-back), or
// disconnect until the media has it or until there is room again.
void HddModel::write_data(std::uint32_t index) {
  Request& r = requests_[index];
  if (r.burst > 0 || r.phase == Phase::kCompleting)
    return;
  sync_writing_segment();
  hdd::Segment& s = (*cache_)[r.segment];
  const std::uint64_t buffered = s.end - std::min(s.end, s.written);
  const std::uint64_t room = cache_->capacity() > buffered ? cache_->capacity() - buffered : 0;
  const std::uint64_t burst = std::min(r.blocks - r.out, room);
  if (burst > 0) {
    r.phase = Phase::kData;
    r.burst = burst;
    cache_->grow(r.segment, r.lba + r.out + burst);
    if (arm_->busy() && arm_->access().write && static_cast<int>(arm_->access().segment) == r.segment)
      arm_->set_end(std::max(arm_->access().end, s.end), std::max(arm_->access().end, s.end));
    port_->burst(TransferDirection::kFromHost, r.lba + r.out, burst,
                 Callback::to<HddModel, &HddModel::write_burst_done>(this, index));
    if (arm_->busy() && static_cast<int>(arm_->access().segment) == r.segment)
      arm_->retry();  // a write waiting for this data may now plan with the burst's timing
    return;
  }
  if (r.out >= r.blocks) {
    const bool on_media = s.written >= r.end() || s.state == SegmentState::kClean || s.state == SegmentState::kEmpty;
    if (r.write_back || on_media) {
      writes_cached_ += r.write_back ? 1 : 0;
      send_completion(index, settings_.overheads.write_complete);
      return;
    }
    r.phase = Phase::kData;
    port_->hold(r.extra_disconnect ? settings_.overheads.extra_second_disconnect : settings_.overheads.write_disconnect,
                Callback::to<HddModel, &HddModel::write_disconnected>(this, index));
    return;
  }
  // No room: the segment's data must go to the media first, whatever the destage policy.
  queue_destage(r.segment, engine().now());
  if (may_hold_port(false)) {
    r.phase = Phase::kHoldWait;  // the arm's progress frees room and wakes it
    start_arm();
    return;
  }
  start_arm();
  port_->hold(settings_.overheads.write_disconnect, Callback::to<HddModel, &HddModel::write_disconnected>(this, index));
}

// Data plug-in point: the burst's blocks are now in the drive's volatile cache.
void HddModel::write_burst_done(std::uint64_t index) {
  Request& r = requests_[static_cast<std::uint32_t>(index)];
  r.out += r.burst;
  r.burst = 0;
  if (arm_->busy() && static_cast<int>(arm_->access().segment) == r.segment)
    arm_->retry();
  write_data(static_cast<std::uint32_t>(index));
}

void HddModel::write_disconnected(std::uint64_t index) {
  port_->release();
  Request& r = requests_[static_cast<std::uint32_t>(index)];
  r.phase = r.segment >= 0 && r.out >= r.blocks ? Phase::kWaitMedia : Phase::kWaitData;
  check_write(static_cast<std::uint32_t>(index));
}

// A disconnected write reconnects for its data once it has a segment, its turn, and room (down to
// the write water mark); a write-through write reconnects to complete once the media has it.
void HddModel::check_write(std::uint32_t index) {
  Request& r = requests_[index];
  const auto& overheads = settings_.overheads;
  if (r.segment < 0)
    return;
  sync_writing_segment();
  const hdd::Segment& s = (*cache_)[r.segment];
  if (r.phase == Phase::kWaitMedia) {
    if (s.written >= r.end() || s.state == SegmentState::kClean || s.state == SegmentState::kEmpty) {
      r.phase = Phase::kReconnecting;
      const SimTime reselect = r.extra_disconnect && r.reconnected ? overheads.reselect_other : overheads.reselect_first;
      r.reconnected = true;
      port_->request(index, reselect, Callback::to<HddModel, &HddModel::write_connected>(this, index));
    }
    return;
  }
  const std::uint64_t buffered = s.end - std::min(s.end, s.written);
  if (r.phase == Phase::kHoldWait) {
    if (buffered < cache_->capacity())
      write_data(index);
    return;
  }
  if (r.phase != Phase::kWaitData || !r.activated)
    return;
  const auto mark = static_cast<std::uint64_t>(
      std::max<double>(1, std::floor(static_cast<double>(std::min<std::uint64_t>(cache_->capacity(), r.blocks)) *
                                     settings_.cache.write_water_mark)));
  const std::uint64_t room = cache_->capacity() > buffered ? cache_->capacity() - buffered : 0;
  if (room > 0 && (r.out == 0 || buffered <= mark || room >= r.blocks - r.out)) {
    r.phase = Phase::kReconnecting;
    const SimTime reselect = r.extra_disconnect && r.reconnected ? overheads.reselect_other : overheads.reselect_first;
    r.reconnected = true;
    port_->request(index, reselect + overheads.data_prep, Callback::to<HddModel, &HddModel::write_connected>(this, index));
  }
}

void HddModel::queue_destage(int segment, SimTime ready) {
  if (destage_queued_[static_cast<std::size_t>(segment)])
    return;
  destage_queued_[static_cast<std::size_t>(segment)] = 1;
  add_job(static_cast<std::uint32_t>(segment) | kSegmentJob, (*cache_)[segment].written, true, ready);
}

// The arm writes a dirty segment out, up to the end of the data its writers will bring.
void HddModel::begin_destage(int segment, SimTime not_before) {
  hdd::Segment& s = (*cache_)[segment];
  std::uint64_t end = s.end;
  for (const std::uint32_t i : live_) {
    const Request& r = requests_[i];
    if (r.op == Op::kWrite && r.segment == segment)
      end = std::max(end, r.end());
  }
  if (s.written >= end) {
    destage_queued_[static_cast<std::size_t>(segment)] = 0;
    writes_on_media(segment);
    return;
  }
  hdd::ArmAccess access;
  access.write = true;
  access.segment = static_cast<std::uint32_t>(segment);
  access.next = s.written;
  access.end = access.foreground_end = end;
  access.zero_latency = settings_.cache.zero_latency_write;
  access.min_first_move_ns = static_cast<double>(settings_.overheads.minimum_write_positioning);
  s.state = SegmentState::kWriting;
  writing_segment_ = segment;
  ++media_writes_;
  for (const std::uint32_t i : live_) {
    Request& r = requests_[i];
    if (r.op == Op::kWrite && r.segment == segment && !r.activated) {
      r.activated = true;
      check_write(i);
    }
  }
  ++arm_serial_;
  arm_->start(access, not_before);
}

// The arm wrote segment `segment` out up to its `written` mark: those blocks are durable, except
// the ones another dirty segment holds a newer copy of.
void HddModel::segment_on_media(int segment) {
  const hdd::Segment& s = (*cache_)[segment];
  mark_on_media(segment, s.start, std::max(s.start, s.written));
}

// Blocks [first, end) that segment `owner` held are on the media: durable, except those a dirty
// segment other than `owner` (-1: any) holds a newer copy of.
void HddModel::mark_on_media(int owner, std::uint64_t first, std::uint64_t end) {
  if (!data() || powered_off())  // after a power cut the media takes nothing more
    return;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> newer;
  for (int i = 0; i < cache_->size(); ++i) {
    const hdd::Segment& o = (*cache_)[i];
    if (i != owner && (o.state == SegmentState::kDirty || o.state == SegmentState::kWriting))
      newer.emplace_back(std::max(o.start, o.written), o.end);
  }
  std::sort(newer.begin(), newer.end());
  std::uint64_t from = first;
  for (const auto& [newer_first, newer_end] : newer) {
    if (newer_end <= from || newer_first >= end)
      continue;
    if (newer_first > from)
      flush_data(from, newer_first - from);
    from = std::max(from, newer_end);
  }
  if (from < end)
    flush_data(from, end - from);
}

// A segment's blocks reached the media (or it had none to write): write-through writers complete.
void HddModel::writes_on_media(int segment) {
  for (std::size_t k = 0; k < live_.size(); ++k) {
    const std::uint32_t i = live_[k];
    if (requests_[i].op == Op::kWrite && requests_[i].segment == segment)
      check_write(i);
  }
  check_flushes();
  retry_segment_waiters();
}

void HddModel::retry_segment_waiters() {
  while (!segment_waiters_.empty()) {
    const std::uint32_t index = segment_waiters_.front();
    Request& r = requests_[index];
    if (r.op == Op::kRead) {
      if (cache_->choose_for_read(r.lba, r.end(), !arm_->busy()).segment < 0)
        return;
      segment_waiters_.pop_front();
      add_job(index, r.lba, false, r.overhead_done);
      start_arm();
      continue;
    }
    if (!take_write_segment(index))
      return;
    segment_waiters_.pop_front();
    if (settings_.cache.destage_at_once || !r.write_back)
      queue_destage(r.segment, r.overhead_done);
    if (!settings_.cache.destage_at_once)
      check_write(index);
    start_arm();
  }
}

// A flush completes once the data dirty when it arrived is on the media (later writes are not
// its concern: waiting for them could keep it waiting for as long as writes come); it starts the
// write-out of every segment it waits for.
void HddModel::arrive_flush(std::uint32_t index) {
  requests_[index].phase = Phase::kWaitMedia;
  PendingFlush flush;
  flush.request = index;
  for (int i = 0; i < cache_->size(); ++i) {
    const hdd::Segment& s = (*cache_)[i];
    if (s.state == SegmentState::kDirty || s.state == SegmentState::kWriting)
      flush.needs.push_back({i, s.serial, s.start, s.end});
  }
  flushes_.push_back(std::move(flush));
  check_flushes();
  start_arm();
}

bool HddModel::flush_need_met(const FlushNeed& need) const {
  const hdd::Segment& s = (*cache_)[need.segment];
  if (s.serial != need.serial)
    return true;  // written out whole and reused since
  const bool dirty = s.state == SegmentState::kDirty || s.state == SegmentState::kWriting;
  return !dirty || s.written >= need.end;
}

void HddModel::check_flushes() {
  if (flushes_.empty())
    return;
  sync_writing_segment();
  bool queued = false;
  std::vector<std::uint32_t> done;
  std::size_t kept = 0;
  for (std::size_t k = 0; k < flushes_.size(); ++k) {
    bool met = true;
    for (const FlushNeed& need : flushes_[k].needs) {
      if (flush_need_met(need))
        continue;
      met = false;
      if ((*cache_)[need.segment].state == SegmentState::kDirty &&
          !destage_queued_[static_cast<std::size_t>(need.segment)]) {
        queue_destage(need.segment, engine().now());  // a partial write-out left the rest dirty
        queued = true;
      }
    }
    if (!met) {
      if (kept != k)
        flushes_[kept] = std::move(flushes_[k]);
      ++kept;
      continue;
    }
    for (const FlushNeed& need : flushes_[k].needs) {
      const hdd::Segment& s = (*cache_)[need.segment];
      mark_on_media(s.serial == need.serial ? need.segment : -1, need.start, need.end);
    }
    done.push_back(flushes_[k].request);
  }
  flushes_.resize(kept);
  // Completed flushes ask for the port once the list is compacted: nothing reached from here may
  // see it half moved.
  for (const std::uint32_t i : done) {
    requests_[i].phase = Phase::kReconnecting;
    port_->request(i, 0, Callback::to<HddModel, &HddModel::final_connected>(this, i));
  }
  if (queued)
    start_arm();
}

// Water-mark write-back: start writing out once `high` of the write segments are dirty, go on
// down to `low`; an idle arm writes one out after `idle`.
void HddModel::check_destage_triggers() {
  const auto& cache = settings_.cache;
  if (cache.destage_at_once)
    return;
  const int dirty = cache_->dirty_segments();
  const double limit = static_cast<double>(cache.write_segments);
  if (dirty >= std::max(1.0, std::ceil(cache.destage_high * limit)))
    destaging_ = true;
  if (destaging_ && dirty <= std::floor(cache.destage_low * limit))
    destaging_ = false;
  if (destaging_)
    for (int i = 0; i < cache_->size(); ++i)
      if ((*cache_)[i].state == SegmentState::kDirty)
        queue_destage(i, engine().now());
  start_arm();
}

void HddModel::idle_destage(std::uint64_t generation) {
  if (generation != idle_generation_ || arm_->busy() || !scheduler_->empty())
    return;
  int oldest = -1;
  for (int i = 0; i < cache_->size(); ++i) {
    const hdd::Segment& s = (*cache_)[i];
    if (s.state == SegmentState::kDirty && !destage_queued_[static_cast<std::size_t>(i)] &&
        (oldest < 0 || s.last_use < (*cache_)[oldest].last_use))
      oldest = i;
  }
  if (oldest >= 0) {
    queue_destage(oldest, engine().now());
    start_arm();
  }
}

}  // namespace blocksim

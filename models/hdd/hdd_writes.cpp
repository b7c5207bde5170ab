// HddModel: the write path and flushes. A write takes a segment (appending to the dirty one it
// continues, if any), moves its data over the port as fast as the segment has room, and completes
// once its data is in the cache (write-back) or on the media (write-through, FUA, write cache
// off). When dirty segments go out is hdd::WriteDestage's to decide; here the arm's write-out of a
// segment starts, and the writers waiting on it look again as it reaches the media.
#include <algorithm>

#include "models/hdd/hdd_device.hpp"

namespace blocksim {

using hdd::ArmStop;
using hdd::Hit;
using hdd::SegmentState;

void HddModel::arrive_write(std::uint32_t index) {
  Command& r = commands_[index];
  const auto& overheads = settings_.overheads;
  const auto& cache = settings_.cache;
  const int after = r.after_read ? 1 : 0;
  r.write_back = write_cache_enabled_ && cache.write_policy != hdd::WritePolicy::kWriteThrough &&
                 (r.flags & kFlagFua) == 0;
  SimTime overhead = (r.write_back ? overheads.write_hit : overheads.write_miss)[after];
  arm_.sync_reading_segment();
  const hdd::SegmentChoice choice = cache_->choose_for_write(r.lba, r.end());
  r.hit = choice.hit;
  const ArmStop rule = arm_.stop_rule(r);
  const bool prebuffer = cache.write_prebuffering || !cache.destage_at_once;
  // Never disconnecting or not, a write's data needs a segment to go to. A write-back write that
  // may prebuffer needs nothing else but the port: it waits for the port, as DiskSim's does for
  // the bus, not in the arm's queue behind the reads.
  const bool arm_free = !arm_.disk().busy() || rule != ArmStop::kNo;
  const bool ready = choice.segment >= 0 &&
                     (settings_.interface.never_disconnect || (r.write_back && prebuffer) ||
                      (port_->idle() && (prebuffer || arm_free)));
  r.extra_disconnect = overheads.extra_write_disconnect && r.hit != Hit::kAppend && ready;
  r.overhead_done = engine().now() + (r.extra_disconnect ? overheads.extra_command + overheads.extra_seek_delay : overhead);
  if (arm_.disk().busy() && rule == ArmStop::kStop && !arm_.disk().access().write)
    arm_.stop_read_ahead_soon();
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
                       commands_[index].activated = true;
                       check_write(index);
                     });
    } else {
      port_->request(index, overhead + overheads.data_prep,
                     Callback::to<HddModel, &HddModel::write_connected>(this, index));
    }
    if (cache.destage_at_once || !r.write_back)
      destage_.queue(r.segment, r.overhead_done);  // write-through waits for the media: no water mark
  } else {
    port_->request(index, overhead + (r.write_back ? overheads.write_disconnect : 0),
                   Callback::to<HddModel, &HddModel::write_disconnected>(this, index));
    if (cache.destage_at_once)
      add_job(index, r.lba, true, r.overhead_done);
    else
      destage_.wait_for_segment(index);
  }
  start_arm();
}

// Attaches the write to the segment chosen for it: a fresh dirty segment, or the dirty one it
// appends to; clean copies of its blocks elsewhere become stale.
bool HddModel::take_write_segment(std::uint32_t index) {
  Command& r = commands_[index];
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
  commands_[static_cast<std::uint32_t>(index)].phase = Phase::kData;
  write_data(static_cast<std::uint32_t>(index));
}

// Connected: move as much data as the segment has room for; then complete (write-back), or
// disconnect until the media has it or until there is room again.
void HddModel::write_data(std::uint32_t index) {
  Command& r = commands_[index];
  if (r.burst > 0 || r.phase == Phase::kCompleting)
    return;
  arm_.sync_writing_segment();
  hdd::Segment& s = (*cache_)[r.segment];
  const std::uint64_t buffered = s.end - std::min(s.end, s.written);
  const std::uint64_t room = cache_->capacity() > buffered ? cache_->capacity() - buffered : 0;
  const std::uint64_t burst = std::min(r.blocks - r.out, room);
  if (burst > 0) {
    r.phase = Phase::kData;
    r.burst = burst;
    cache_->grow(r.segment, r.lba + r.out + burst);
    if (arm_.disk().busy() && arm_.disk().access().write && static_cast<int>(arm_.disk().access().segment) == r.segment)
      arm_.disk().set_end(std::max(arm_.disk().access().end, s.end), std::max(arm_.disk().access().end, s.end));
    port_->burst(TransferDirection::kFromHost, r.lba + r.out, burst,
                 Callback::to<HddModel, &HddModel::write_burst_done>(this, index));
    if (arm_.disk().busy() && static_cast<int>(arm_.disk().access().segment) == r.segment)
      arm_.disk().retry();  // a write waiting for this data may now plan with the burst's timing
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
  destage_.queue(r.segment, engine().now());
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
  Command& r = commands_[static_cast<std::uint32_t>(index)];
  r.out += r.burst;
  r.burst = 0;
  if (arm_.disk().busy() && static_cast<int>(arm_.disk().access().segment) == r.segment)
    arm_.disk().retry();
  write_data(static_cast<std::uint32_t>(index));
}

void HddModel::write_disconnected(std::uint64_t index) {
  port_->release();
  Command& r = commands_[static_cast<std::uint32_t>(index)];
  r.phase = r.segment >= 0 && r.out >= r.blocks ? Phase::kWaitMedia : Phase::kWaitData;
  check_write(static_cast<std::uint32_t>(index));
}

// A disconnected write reconnects for its data once it has a segment, its turn, and room (down to
// the write water mark); a write-through write reconnects to complete once the media has it.
void HddModel::check_write(std::uint32_t index) {
  Command& r = commands_[index];
  const auto& overheads = settings_.overheads;
  if (r.segment < 0)
    return;
  arm_.sync_writing_segment();
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
  const std::uint64_t mark = rules_.write_water_mark(r.blocks);
  const std::uint64_t room = cache_->capacity() > buffered ? cache_->capacity() - buffered : 0;
  if (room > 0 && (r.out == 0 || buffered <= mark || room >= r.blocks - r.out)) {
    r.phase = Phase::kReconnecting;
    const SimTime reselect = r.extra_disconnect && r.reconnected ? overheads.reselect_other : overheads.reselect_first;
    r.reconnected = true;
    port_->request(index, reselect + overheads.data_prep, Callback::to<HddModel, &HddModel::write_connected>(this, index));
  }
}

// The arm writes a dirty segment out, up to the end of the data its writers will bring.
void HddModel::begin_destage(int segment, SimTime not_before) {
  hdd::Segment& s = (*cache_)[segment];
  std::uint64_t end = s.end;
  for (const std::uint32_t i : commands_.live()) {
    const Command& r = commands_[i];
    if (r.op == Op::kWrite && r.segment == segment)
      end = std::max(end, r.end());
  }
  if (s.written >= end) {
    destage_.clear_queued(segment);
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
  arm_.claim_for_write_out(segment);
  for (const std::uint32_t i : commands_.live()) {
    Command& r = commands_[i];
    if (r.op == Op::kWrite && r.segment == segment && !r.activated) {
      r.activated = true;
      check_write(i);
    }
  }
  arm_.start(access, not_before);
}

// A segment's blocks reached the media (or it had none to write): write-through writers complete.
void HddModel::writes_on_media(int segment) {
  for (std::size_t k = 0; k < commands_.live().size(); ++k) {
    const std::uint32_t i = commands_.live()[k];
    if (commands_[i].op == Op::kWrite && commands_[i].segment == segment)
      check_write(i);
  }
  destage_.check_flushes();
  destage_.retry_segment_waiters();
}

bool HddModel::segment_available(std::uint32_t index) {
  const Command& r = commands_[index];
  if (r.op == Op::kRead)
    return cache_->choose_for_read(r.lba, r.end(), !arm_.disk().busy()).segment >= 0;
  return take_write_segment(index);
}

void HddModel::segment_waiter_resumed(std::uint32_t index) {
  const Command& r = commands_[index];
  if (r.op == Op::kRead) {
    add_job(index, r.lba, false, r.overhead_done);
    start_arm();
    return;
  }
  if (settings_.cache.destage_at_once || !r.write_back)
    destage_.queue(r.segment, r.overhead_done);
  if (!settings_.cache.destage_at_once)
    check_write(index);
  start_arm();
}

// Its data all on the media, a flush reconnects only to send its completion.
void HddModel::flush_met(std::uint32_t index) {
  commands_[index].phase = Phase::kReconnecting;
  port_->request(index, 0, Callback::to<HddModel, &HddModel::final_connected>(this, index));
}

// A flush completes once the data dirty when it arrived is on the media.
void HddModel::arrive_flush(std::uint32_t index) {
  commands_[index].phase = Phase::kWaitMedia;
  destage_.add_flush(index);
}

}  // namespace blocksim

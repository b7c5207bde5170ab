// HddModel: the read path. A read finds its segment (a hit or a place to read into), goes through
// command processing on the port, and either moves its cached data at once (the "ready" path) or
// disconnects until the read water mark is in the buffer; the arm reads what is missing and reads
// ahead past it.
#include <algorithm>

#include "models/hdd/hdd_device.hpp"

namespace blocksim {

using hdd::ArmStop;
using hdd::Hit;
using hdd::SegmentState;

void HddModel::arrive_read(std::uint32_t index) {
  Command& r = commands_[index];
  const auto& overheads = settings_.overheads;
  const int after = r.after_read ? 1 : 0;
  arm_.sync_reading_segment();
  const ArmStop rule = arm_.stop_rule(r);
  const hdd::SegmentChoice choice = rules_.choose_on_arrival(r, rule != ArmStop::kNo);
  r.hit = choice.hit;
  // A miss takes its segment when the arm starts for it, unless the arm is free for it now.
  r.segment = r.hit != Hit::kMiss || rule != ArmStop::kNo ? choice.segment : -1;
  r.overhead_done = engine().now() + overheads.read_miss[after];
  const bool ready = settings_.interface.never_disconnect ||
                     (rules_.enough_buffered(r) && port_->idle() &&
                      (rules_.may_pass_the_arm(r.hit) || !arm_.disk().busy() || rule != ArmStop::kNo));

  const bool swap = arm_.disk().busy() && rule == ArmStop::kSwap && r.segment == arm_.reading_segment();
  if (arm_.disk().busy() && rule == ArmStop::kStop && !swap)
    arm_.stop_read_ahead();  // at once: arrive_read sets the arm going again at its end
  if (r.segment >= 0)
    rules_.claim(r.segment, r.hit, r.lba);
  if (swap) {
    // The read in progress already fills this request's segment: it serves this request too.
    const hdd::Segment& s = (*cache_)[r.segment];
    r.activated = true;
    rules_.extend_read_ahead(r);
    const auto& a = arm_.disk().access();
    arm_.disk().set_end(std::max({a.end, s.max_read_ahead, r.end()}), std::max(a.foreground_end, r.end()));
    // The segment must keep its data for this request too.
    arm_.disk().limit_chunk(read_room_limit(static_cast<int>(a.segment), static_cast<double>(engine().now())));
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

// Picked by the scheduler (or at once, the arm being free): read what the segment lacks, then ahead.
void HddModel::begin_read(std::uint32_t index, SimTime not_before) {
  Command& r = commands_[index];
  rules_.leave_moved_on_segment(r);
  if (r.segment < 0) {
    const hdd::SegmentChoice choice = cache_->choose_for_read(r.lba + r.out, r.end(), true);
    if (choice.segment < 0) {
      destage_.wait_for_segment(index);  // every segment holds dirty data: wait for a write-out
      return;
    }
    r.segment = choice.segment;
    r.hit = choice.hit;
    rules_.claim(r.segment, r.hit, r.lba + r.out);
  }
  r.activated = true;
  rules_.extend_read_ahead(r);
  const hdd::ReadPlan plan = rules_.plan_read(r, !arm_.jobs().empty());
  if (plan.for_command && settings_.preseek_level == 0)
    arm_.hold_for(index);
  if (plan.start)
    arm_.start_read(plan.access, not_before);
  check_read(index);
}

void HddModel::read_connected(std::uint64_t index) {
  commands_[static_cast<std::uint32_t>(index)].phase = Phase::kData;
  read_data(static_cast<std::uint32_t>(index));
}

// Connected: send what is in the buffer; then complete, wait connected, or disconnect.
void HddModel::read_data(std::uint32_t index) {
  Command& r = commands_[index];
  if (r.burst > 0 || r.phase == Phase::kCompleting)
    return;  // a burst is under way (a wake-up and the arm's progress may both call)
  arm_.sync_reading_segment();
  const std::uint64_t ready = rules_.available(r);
  if (ready > r.out) {
    r.phase = Phase::kData;
    r.burst = ready - r.out;
    port_->burst(TransferDirection::kToHost, r.lba + r.out, r.burst,
                 Callback::to<HddModel, &HddModel::read_burst_done>(this, index));
    retry_read_into(r.segment);  // the blocks it sends make room as they go
    return;
  }
  if (r.out >= r.blocks) {
    send_completion(index, settings_.overheads.read_complete);
    return;
  }
  if (may_hold_port(true)) {
    r.phase = Phase::kHoldWait;
    if (r.segment >= 0 && arm_.reading_segment() == r.segment && arm_.disk().busy()) {
      const double t = arm_.disk().done_ns(r.lba + r.out);
      if (t != hdd::kNever && t > static_cast<double>(engine().now()))
        commands_.wake_at(index, t, [this](std::uint32_t i) { read_data(i); });
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
  Command& r = commands_[static_cast<std::uint32_t>(index)];
  r.out += r.burst;
  r.burst = 0;
  retry_read_into(r.segment);  // sent data makes room
  read_data(static_cast<std::uint32_t>(index));
}

// A read-ahead stalled for room in `segment` tries again: what the port has sent, or is sending,
// makes room.
void HddModel::retry_read_into(int segment) {
  if (arm_.disk().busy() && !arm_.disk().access().write && static_cast<int>(arm_.disk().access().segment) == segment)
    arm_.disk().retry();
}

void HddModel::read_disconnected(std::uint64_t index) {
  port_->release();
  commands_[static_cast<std::uint32_t>(index)].phase = Phase::kWaitData;
  check_read(static_cast<std::uint32_t>(index));
}

// A disconnected read reconnects once it has had its turn at the arm and the water mark (or all
// it still needs) is in the buffer.
void HddModel::check_read(std::uint32_t index) {
  Command& r = commands_[index];
  if (r.phase == Phase::kHoldWait) {
    read_data(index);  // sends what has come, or waits for the next block now planned
    return;
  }
  if (r.phase != Phase::kWaitData || (!r.activated && !settings_.cache.sneaky_full_hits))
    return;
  arm_.sync_reading_segment();
  const std::uint64_t need = std::min(rules_.read_water_mark(r.blocks), r.blocks - r.out);
  const std::uint64_t ready = rules_.available(r) - r.out;
  if (ready >= need) {
    r.phase = Phase::kReconnecting;
    r.reconnected = true;
    port_->request(index, settings_.overheads.reselect_first + settings_.overheads.data_prep,
                   Callback::to<HddModel, &HddModel::read_connected>(this, index));
    return;
  }
  if (r.segment >= 0 && arm_.reading_segment() == r.segment && arm_.disk().busy()) {
    const double t = arm_.disk().done_ns(r.lba + r.out + need - 1);
    if (t != hdd::kNever && t > static_cast<double>(engine().now()))
      commands_.wake_at(index, t, [this](std::uint32_t i) { check_read(i); });
    return;
  }
  resume_media_read(index);
}

// A read that has had its turn but still lacks blocks that nobody is reading for it (the arm's
// access ended at the segment's capacity, or was stopped) goes back to the scheduler for them.
void HddModel::resume_media_read(std::uint32_t index) {
  const Command& r = commands_[index];
  if (!r.activated || r.out >= r.blocks || arm_.jobs().contains(index))
    return;
  if (arm_.disk().busy() && !arm_.disk().access().write && static_cast<int>(arm_.disk().access().segment) == r.segment)
    return;  // the arm works on its segment: its progress wakes it
  add_job(index, r.lba + r.out, false, engine().now());
  start_arm();
}

}  // namespace blocksim

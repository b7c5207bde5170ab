// HddModel: the arm's side. Media jobs wait in the scheduler until the arm is free; a new command
// may stop a read-ahead in progress (DiskSim's rules: not before the minimum read-ahead, not
// while the read it serves is unfinished), or join it when it hits the segment being read. The
// arm asks how far a read may fill its segment and when a write's data is in; its progress wakes
// the commands waiting on the segment it works on.
#include <algorithm>
#include <cmath>
#include <limits>

#include "models/hdd/hdd_device.hpp"

namespace blocksim {

using hdd::SegmentState;

HddModel::Stop HddModel::arm_stop_rule(const Request& r) {
  if (!arm_->busy())
    return Stop::kStop;
  const hdd::ArmAccess& a = arm_->access();
  hdd::Segment& s = (*cache_)[static_cast<int>(a.segment)];
  if (a.write) {
    const bool append = r.op == Op::kWrite && r.hit == hdd::Hit::kAppend && s.end == r.lba &&
                        (settings_.cache.write_policy != hdd::WritePolicy::kWriteBackAppends || scheduler_->empty());
    return append ? Stop::kSwap : Stop::kNo;
  }
  const bool hit_here = r.op == Op::kRead && settings_.cache.caching && r.lba >= s.start &&
                        (r.lba < s.end || (settings_.cache.almost_read_hits && r.lba == s.end));
  if (hit_here)
    return Stop::kSwap;
  if (r.op == Op::kWrite && settings_.cache.write_stops_read_ahead && r.lba < s.max_read_ahead && s.start < r.end()) {
    s.max_read_ahead = s.min_read_ahead = std::max(s.end, a.foreground_end);  // its read-ahead ends here
    arm_->set_end(std::max(a.next, a.foreground_end), a.foreground_end);
  }
  if (s.users > 0 && settings_.preseek_level < 2)
    return Stop::kNo;  // the read it serves has not sent its completion
  if (arm_->progress_at(engine().now()) < a.foreground_end)
    return Stop::kNo;  // still reading blocks a command waits for
  if (s.end < s.min_read_ahead) {
    s.max_read_ahead = s.min_read_ahead;
    arm_->set_end(s.min_read_ahead, a.foreground_end);
    return Stop::kNo;
  }
  return Stop::kStop;
}

// The read-ahead goes on while the new command is processed and stops when the arm is wanted,
// at `when` (DiskSim stops it as the command arrives, losing the sectors the head would have read
// meanwhile; keeping them matched the measured HP drives better).
void HddModel::stop_read_ahead_at(SimTime when) {
  if (when <= engine().now()) {
    stop_read_ahead();
    return;
  }
  const std::uint64_t serial = arm_serial_;
  engine().at(when, [this, serial] {
    if (serial != arm_serial_ || !arm_->busy() || arm_->access().write)
      return;
    stop_read_ahead();
    start_arm();
  });
}

void HddModel::stop_read_ahead() {
  if (!arm_->busy() || arm_->access().write)
    return;
  const int segment = static_cast<int>(arm_->access().segment);
  arm_->stop(engine().now(), settings_.cache.stop_in_sector);
  hdd::Segment& s = (*cache_)[segment];
  cache_->grow(segment, arm_->access().next);
  s.state = settings_.cache.caching || s.users > 0 ? SegmentState::kClean : SegmentState::kEmpty;
  s.read_ahead_only = false;
  s.max_read_ahead = std::min(s.max_read_ahead, s.end);
  reading_segment_ = -1;
  retry_segment_waiters();
}

void HddModel::add_job(std::uint32_t id, std::uint64_t lbn, bool write, SimTime ready) {
  // Someone else waits for the arm: the read in progress reads no further ahead than its request.
  if (arm_->busy() && !arm_->access().write && arm_->progress_at(engine().now()) < arm_->access().foreground_end)
    arm_->set_end(arm_->access().foreground_end, arm_->access().foreground_end);
  hdd::MediaJob job;
  job.id = id;
  job.lbn = std::min(lbn, layout_->block_count() - 1);
  job.write = write;
  job.needs_segment = !write && (id & kSegmentJob) == 0 && requests_[id].segment < 0;
  job.ready = ready;
  job.enqueued = engine().now();
  scheduler_->add(job);
}

// The arm is free: give it the scheduler's next job.
void HddModel::start_arm() {
  while (!arm_->busy()) {
    // Preseek level 0: the arm waits for the completion of the read it served, unless the port is
    // held by a command waiting for the media (that completion could never be sent).
    const bool port_waits_for_media = port_->connected() && requests_[port_->owner()].phase == Phase::kHoldWait;
    if (arm_held_ && settings_.preseek_level == 0 && !port_waits_for_media)
      return;
    auto job = scheduler_->take(arm_->track(), arm_->free_ns(), engine().now(), cache_->has_free_segment());
    if (!job) {
      if (!settings_.cache.destage_at_once && cache_->dirty_segments() > 0) {
        const std::uint64_t generation = ++idle_generation_;
        engine().after(settings_.cache.destage_idle, [this, generation] { idle_destage(generation); });
      }
      return;
    }
    ++idle_generation_;
    if (job->id & kSegmentJob)
      begin_destage(static_cast<int>(job->id & ~kSegmentJob), job->ready);
    else if (requests_[job->id].op == Op::kRead)
      begin_read(job->id, job->ready);
    else
      begin_write(job->id, job->ready);
  }
}

// A write that disconnected (the arm was busy) gets its turn: it takes a segment and the arm
// starts writing while its data comes in.
void HddModel::begin_write(std::uint32_t index, SimTime not_before) {
  Request& r = requests_[index];
  if (r.segment < 0 && !take_write_segment(index)) {
    segment_waiters_.push_back(index);
    return;
  }
  if (!destage_queued_[static_cast<std::size_t>(r.segment)]) {
    destage_queued_[static_cast<std::size_t>(r.segment)] = 1;
    begin_destage(r.segment, not_before);
  } else {
    r.activated = true;
    check_write(index);
  }
}

void HddModel::sync_reading_segment() {
  if (reading_segment_ < 0 || !arm_->busy() || arm_->access().write)
    return;
  cache_->grow(reading_segment_, arm_->progress_at(engine().now()));
}

// The blocks of the segment being written out that are on the media by now.
void HddModel::sync_writing_segment() {
  if (writing_segment_ < 0 || !arm_->busy() || !arm_->access().write)
    return;
  advance_written(writing_segment_, arm_->progress_at(engine().now()));
}

// The arm has put segment `segment`'s blocks below `written` on the media: the new ones are
// durable from now (those another dirty segment holds a newer copy of excepted), whether or not
// the segment still holds them by the time its write-out ends.
void HddModel::advance_written(int segment, std::uint64_t written) {
  hdd::Segment& s = (*cache_)[segment];
  if (written <= s.written)
    return;
  const std::uint64_t from = s.written;
  s.written = written;
  mark_on_media(segment, from, written);
}

// A read may not run more than a segment ahead of what its requests have sent. Only requests
// that have had their turn at the arm count: one still waiting for its turn cannot send, and
// holding the arm for it would wait for ever (it reads its blocks again when its turn comes).
std::uint64_t HddModel::read_limit(double t_ns) {
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
  const int segment = static_cast<int>(arm_->access().segment);
  for (const std::uint32_t i : live_) {
    const Request& r = requests_[i];
    if (r.op != Op::kRead || r.segment != segment || r.out >= r.blocks || !r.activated)
      continue;
    std::uint64_t sent = r.out;
    if (r.burst > 0 && port_->bursting() && port_->owner() == i)
      sent += port_->crossed_by(t_ns);
    limit = std::min(limit, r.lba + sent + cache_->capacity());
  }
  return limit;
}

// When block `lbn`'s data is in the segment the arm writes out.
double HddModel::data_ready_ns(std::uint64_t lbn) {
  const int segment = static_cast<int>(arm_->access().segment);
  const hdd::Segment& s = (*cache_)[segment];
  for (const std::uint32_t i : live_) {
    const Request& r = requests_[i];
    if (r.op != Op::kWrite || r.segment != segment || lbn < r.lba || lbn >= r.end())
      continue;
    if (lbn < r.lba + r.out)
      return 0;
    if (r.burst > 0 && port_->bursting() && port_->owner() == i)
      return port_->crossed_ns(lbn);
    return hdd::kNever;
  }
  // No writer in flight owns it: it came with a write already complete (write-back).
  return lbn < s.end ? 0 : hdd::kNever;
}

void HddModel::arm_progress() {
  if (!arm_->busy())
    return;
  sync_reading_segment();
  sync_writing_segment();
  notify_segment(static_cast<int>(arm_->access().segment));
}

void HddModel::arm_finished() {
  const hdd::ArmAccess& a = arm_->access();
  const int segment = static_cast<int>(a.segment);
  hdd::Segment& s = (*cache_)[segment];
  if (!a.write) {
    cache_->grow(segment, a.next);
    s.state = settings_.cache.caching || s.users > 0 ? SegmentState::kClean : SegmentState::kEmpty;
    if (reading_segment_ == segment)
      reading_segment_ = -1;
    notify_segment(segment);
  } else {
    advance_written(segment, a.next);
    if (writing_segment_ == segment)
      writing_segment_ = -1;
    destage_queued_[static_cast<std::size_t>(segment)] = 0;
    if (s.written >= s.end) {
      const bool keep = settings_.cache.caching && settings_.cache.read_hits_on_write_data;
      s.state = keep || s.users > 0 ? SegmentState::kClean : SegmentState::kEmpty;
    } else {
      s.state = SegmentState::kDirty;
      if (settings_.cache.destage_at_once)
        queue_destage(segment, engine().now());
    }
    segment_on_media(segment);
    writes_on_media(segment);
  }
  retry_segment_waiters();
  start_arm();
}

// The arm's work on a segment moved on: commands waiting on it look again.
void HddModel::notify_segment(int segment) {
  for (std::size_t k = 0; k < live_.size(); ++k) {
    const std::uint32_t i = live_[k];
    Request& r = requests_[i];
    if (r.segment != segment)
      continue;
    if (r.op == Op::kRead)
      check_read(i);
    else if (r.op == Op::kWrite && r.phase != Phase::kData)
      check_write(i);
  }
}

}  // namespace blocksim

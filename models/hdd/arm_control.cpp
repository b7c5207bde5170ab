#include "models/hdd/arm_control.hpp"

#include <algorithm>

namespace blocksim::hdd {

ArmControl::ArmControl(Engine& engine, const Mechanics& mechanics, SegmentCache& cache, const Settings& settings,
                       ArmHost& host)
    : engine_(engine), cache_(cache), settings_(settings), host_(host), block_count_(mechanics.layout().block_count()),
      scheduler_(settings.scheduler, settings.starvation_limit, mechanics),
      arm_(engine, mechanics, static_cast<ArmClient&>(*this)) {}

ArmStop ArmControl::stop_rule(const Command& c) {
  if (!arm_.busy())
    return ArmStop::kStop;
  const ArmAccess& a = arm_.access();
  const CacheSettings& cache = settings_.cache;
  Segment& s = cache_[static_cast<int>(a.segment)];
  if (a.write) {
    const bool append = c.op == Op::kWrite && c.hit == Hit::kAppend && s.end == c.lba &&
                        (cache.write_policy != WritePolicy::kWriteBackAppends || scheduler_.empty());
    return append ? ArmStop::kSwap : ArmStop::kNo;
  }
  const bool hit_here = c.op == Op::kRead && cache.caching && c.lba >= s.start &&
                        (c.lba < s.end || (cache.almost_read_hits && c.lba == s.end) ||
                         (cache.stream_read_hits && c.lba < s.max_read_ahead));
  if (hit_here)
    return ArmStop::kSwap;
  if (c.op == Op::kWrite && cache.write_stops_read_ahead && c.lba < s.max_read_ahead && s.start < c.end()) {
    s.max_read_ahead = s.min_read_ahead = std::max(s.end, a.foreground_end);  // its read-ahead ends here
    arm_.set_end(std::max(a.next, a.foreground_end), a.foreground_end);
  }
  if (s.users > 0 && settings_.preseek_level < 2)
    return ArmStop::kNo;  // the read it serves has not sent its completion
  if (arm_.progress_at(engine_.now()) < a.foreground_end)
    return ArmStop::kNo;  // still reading blocks a command waits for
  if (s.end < s.min_read_ahead) {
    s.max_read_ahead = s.min_read_ahead;
    arm_.set_end(s.min_read_ahead, a.foreground_end);
    return ArmStop::kNo;
  }
  return ArmStop::kStop;
}

// DiskSim stops the read-ahead as a command that needs the arm arrives: the sectors the head would
// have read while the command is processed are not read. A read stops it at once (arrive_read);
// a write through this, as an event of its own at that instant, after the write has taken its
// segment (stopping it before that left a single-segment drive with prebuffered appends waiting
// for good: HddRobustness combination 25), unless the arm has started another access since; then
// the arm looks for its next job.
void ArmControl::stop_read_ahead_soon() {
  const std::uint64_t serial = serial_;
  engine_.at(engine_.now(), [this, serial] {
    if (serial != serial_ || !arm_.busy() || arm_.access().write)
      return;
    stop_read_ahead();
    start_next();
  });
}

void ArmControl::stop_read_ahead() {
  if (!arm_.busy() || arm_.access().write)
    return;
  const int segment = active_segment();
  arm_.stop(engine_.now(), settings_.cache.stop_in_sector, settings_.cache.read_ahead_release_follows_overhead);
  Segment& s = cache_[segment];
  cache_.grow(segment, arm_.access().next);
  cache_.set_state(segment, settings_.cache.caching || s.users > 0 ? SegmentState::kClean : SegmentState::kEmpty);
  s.read_ahead_only = false;
  s.max_read_ahead = std::min(s.max_read_ahead, s.end);
  reading_segment_ = -1;
  host_.retry_segment_waiters();
}

void ArmControl::add_job(std::uint32_t id, std::uint64_t lbn, bool write, SimTime ready, bool needs_segment,
                         bool starts_in_cache) {
  // Someone else waits for the arm: the read in progress reads no further ahead than its request.
  if (arm_.busy() && !arm_.access().write && arm_.progress_at(engine_.now()) < arm_.access().foreground_end)
    arm_.set_end(arm_.access().foreground_end, arm_.access().foreground_end);
  MediaJob job;
  job.id = id;
  job.lbn = std::min(lbn, block_count_ - 1);
  job.write = write;
  job.needs_segment = needs_segment;
  job.starts_in_cache = starts_in_cache;
  job.ready = ready;
  job.enqueued = engine_.now();
  scheduler_.add(job);
}

void ArmControl::start_next() {
  while (!arm_.busy()) {
    // Preseek level 0: the arm waits for the completion of the read it served, unless the port is
    // held by a command waiting for the media (that completion could never be sent).
    if (held_ && settings_.preseek_level == 0 && !host_.port_waits_for_media())
      return;
    auto job = scheduler_.take(arm_.track(), arm_.free_ns(), engine_.now(), cache_.has_free_segment());
    if (!job) {
      host_.arm_out_of_work();
      return;
    }
    host_.arm_took_job();
    host_.begin_job(*job);
  }
}

void ArmControl::start_read(const ArmAccess& access, SimTime not_before) {
  cache_.set_state(static_cast<int>(access.segment), SegmentState::kReading);
  reading_segment_ = static_cast<int>(access.segment);
  ++media_reads_;
  start(access, not_before);
}

void ArmControl::claim_for_write_out(int segment) {
  cache_.set_state(segment, SegmentState::kWriting);
  writing_segment_ = segment;
  ++media_writes_;
}

void ArmControl::start(const ArmAccess& access, SimTime not_before) {
  ++serial_;
  arm_.start(access, not_before);
}

void ArmControl::hold_for(std::uint32_t command) {
  held_ = true;
  holder_ = command;
}

void ArmControl::sync_reading_segment() {
  if (reading_segment_ < 0 || !arm_.busy() || arm_.access().write)
    return;
  cache_.grow(reading_segment_, arm_.progress_at(engine_.now()));
}

void ArmControl::sync_writing_segment() {
  if (writing_segment_ < 0 || !arm_.busy() || !arm_.access().write)
    return;
  host_.written_to(writing_segment_, arm_.progress_at(engine_.now()));
}

std::uint64_t ArmControl::read_limit(double t_ns) { return host_.read_room_limit(active_segment(), t_ns); }

double ArmControl::data_ready_ns(std::uint64_t lbn) { return host_.write_data_ready_ns(active_segment(), lbn); }

void ArmControl::arm_progress() {
  if (!arm_.busy())
    return;
  sync_reading_segment();
  sync_writing_segment();
  host_.segment_moved(active_segment());
}

void ArmControl::arm_finished() {
  const ArmAccess& a = arm_.access();
  const int segment = static_cast<int>(a.segment);
  if (!a.write) {
    Segment& s = cache_[segment];
    cache_.grow(segment, a.next);
    cache_.set_state(segment, settings_.cache.caching || s.users > 0 ? SegmentState::kClean : SegmentState::kEmpty);
    if (reading_segment_ == segment)
      reading_segment_ = -1;
    host_.segment_moved(segment);
  } else {
    host_.written_to(segment, a.next);
    if (writing_segment_ == segment)
      writing_segment_ = -1;
    host_.write_out_ended(segment);
  }
  host_.retry_segment_waiters();
  start_next();
}

}  // namespace blocksim::hdd

// HddModel: the drive's side of the arm's work (hdd::ArmHost). What a job the scheduler picked
// means, how far a read may fill the segment the arm reads into and when a write's data is in
// (both from the commands moving data over the port), and which commands look again as the
// arm's work on a segment moves on.
#include <algorithm>
#include <limits>

#include "models/hdd/hdd_device.hpp"

namespace blocksim {

void HddModel::add_job(std::uint32_t id, std::uint64_t lbn, bool write, SimTime ready) {
  const bool read = !write && (id & hdd::ArmControl::kWriteOutJob) == 0;
  arm_.add_job(id, lbn, write, ready, read && commands_[id].segment < 0, read && commands_[id].hit != hdd::Hit::kMiss);
}

void HddModel::begin_job(const hdd::MediaJob& job) {
  if (job.id & hdd::ArmControl::kWriteOutJob)
    begin_destage(static_cast<int>(job.id & ~hdd::ArmControl::kWriteOutJob), job.ready);
  else if (commands_[job.id].op == Op::kRead)
    begin_read(job.id, job.ready);
  else
    begin_write(job.id, job.ready);
}

// A write that disconnected (the arm was busy) gets its turn: it takes a segment and the arm
// starts writing while its data comes in.
void HddModel::begin_write(std::uint32_t index, SimTime not_before) {
  Command& r = commands_[index];
  if (r.segment < 0 && !take_write_segment(index)) {
    destage_.wait_for_segment(index);
    return;
  }
  if (!destage_.queued(r.segment)) {
    destage_.mark_queued(r.segment);
    begin_destage(r.segment, not_before);
  } else {
    r.activated = true;
    check_write(index);
  }
}

bool HddModel::port_waits_for_media() const {
  return port_->connected() && commands_[port_->owner()].phase == Phase::kHoldWait;
}

// A read may not run more than a segment ahead of what its requests have sent. Only requests
// that have had their turn at the arm count: one still waiting for its turn cannot send, and
// holding the arm for it would wait for ever (it reads its blocks again when its turn comes).
std::uint64_t HddModel::read_room_limit(int segment, double t_ns) {
  std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
  for (const std::uint32_t i : commands_.live()) {
    const Command& r = commands_[i];
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
double HddModel::write_data_ready_ns(int segment, std::uint64_t lbn) {
  const hdd::Segment& s = (*cache_)[segment];
  for (const std::uint32_t i : commands_.live()) {
    const Command& r = commands_[i];
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

void HddModel::write_out_ended(int segment) {
  destage_.write_out_ended(segment);
  writes_on_media(segment);
}

void HddModel::segment_moved(int segment) {
  for (std::size_t k = 0; k < commands_.live().size(); ++k) {
    const std::uint32_t i = commands_.live()[k];
    Command& r = commands_[i];
    if (r.segment != segment)
      continue;
    if (r.op == Op::kRead)
      check_read(i);
    else if (r.op == Op::kWrite && r.phase != Phase::kData)
      check_write(i);
  }
}

}  // namespace blocksim

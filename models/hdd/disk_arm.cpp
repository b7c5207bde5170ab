#include "models/hdd/disk_arm.hpp"

#include <algorithm>
#include <cmath>

namespace blocksim::hdd {

namespace {
constexpr double kEpsilonNs = 1e-6;
// Events run at whole nanoseconds: a block due within half a nanosecond of an event is done by it.
constexpr double kRoundingNs = 0.51;
}

DiskArm::DiskArm(Engine& engine, const Mechanics& mechanics, ArmClient& client)
    : engine_(engine), mechanics_(mechanics), client_(client) {}

void DiskArm::start(const ArmAccess& access, SimTime not_before) {
  access_ = access;
  active_ = true;
  stalled_ = false;
  chunk_planned_ = false;
  first_move_ = true;
  ++generation_;
  const double now = static_cast<double>(engine_.now());
  const double still_owed = std::max(0.0, owed_until_ - now);
  owed_until_ = 0;
  const double t = std::max(std::max(now, static_cast<double>(not_before)) + still_owed, free_ns_);
  plan(t);
}

void DiskArm::set_end(std::uint64_t end, std::uint64_t foreground_end) {
  access_.end = std::max(end, access_.next);
  access_.foreground_end = foreground_end;
  if (active_ && chunk_planned_ && chunk_.last >= access_.end)
    truncate_chunk(access_.end - 1);
}

void DiskArm::limit_chunk(std::uint64_t limit) {
  if (active_ && chunk_planned_ && !access_.write && chunk_.last >= limit)
    truncate_chunk(limit > 0 ? limit - 1 : 0);
}

// The chunk in progress ends at `last` instead, or at what it has already done if that is later.
void DiskArm::truncate_chunk(std::uint64_t last) {
  const std::uint64_t done = done_by(chunk_, static_cast<double>(engine_.now()));
  last = std::max({last, chunk_.first + (done > 0 ? done - 1 : 0), chunk_.first});
  if (last >= chunk_.last)
    return;
  ++chunk_version_;
  chunk_.last = last;
  chunk_.contiguous = sector_of(chunk_.last) - chunk_.first_sector == chunk_.last - chunk_.first;
  if (chunk_.split != 0 && chunk_.split > chunk_.last)
    chunk_.split = 0;  // the truncated run ends before the head's landing point: read in order
  const std::uint64_t generation = ++generation_;
  engine_.at(static_cast<SimTime>(std::llround(block_done(chunk_, chunk_.last))),
             [this, generation] { chunk_done(generation); });
}

void DiskArm::plan(double t_ns, bool resumed) {
  const Layout& layout = mechanics_.layout();
  const PhysicalSector where = layout.locate(access_.next);
  const Track dest{where.cylinder, where.head};
  if (!access_.write && access_.next >= access_.foreground_end) {
    const bool seek = dest.cylinder != track_.cylinder;
    if ((access_.stop_read_ahead_at_cylinder && seek) || (access_.stop_read_ahead_at_track && (seek || !(dest == track_)))) {
      finish(t_ns);
      return;
    }
  }
  Chunk chunk;
  chunk.track = dest;
  chunk.first = access_.next;
  chunk.first_sector = where.sector;
  chunk.resumed = resumed;
  double move = mechanics_.move_ns(track_, dest, access_.write);
  if (first_move_) {
    move = std::max(move, access_.min_first_move_ns);
    first_move_ = false;
  }
  chunk.arrive = t_ns + move;
  chunk.sector = mechanics_.sector_ns(dest);
  chunk.start = chunk.arrive + mechanics_.wait_for(chunk.arrive, layout.sector_angle(where));
  track_ = dest;
  plan_run(chunk, where);
  bool runnable = true;
  if (access_.write) {
    runnable = apply_write_gate(chunk);
  } else {
    const std::uint64_t limit = client_.read_limit(chunk.start);
    if (limit <= chunk.first) {
      runnable = false;
    } else if (limit <= chunk.last) {
      chunk.last = limit - 1;
      chunk.contiguous = sector_of(chunk.last) - chunk.first_sector == chunk.last - chunk.first;
    }
  }
  if (!runnable) {
    stalled_ = true;
    chunk_planned_ = false;
    free_ns_ = chunk.arrive;  // the arm waits on the track for room or data
    client_.arm_progress();   // what it did so far may make the room or bring the data
    return;
  }
  if (access_.zero_latency)
    apply_zero_latency(chunk);
  chunk_ = chunk;
  ++chunk_version_;
  chunk_planned_ = true;
  stalled_ = false;
  const std::uint64_t generation = generation_;
  engine_.at(static_cast<SimTime>(std::llround(block_done(chunk_, chunk_.last))),
             [this, generation] { chunk_done(generation); });
  client_.arm_progress();
}

// The blocks from `where` on that follow each other round this track, up to the access's end.
bool DiskArm::plan_run(Chunk& chunk, const PhysicalSector& where) {
  const Layout& layout = mechanics_.layout();
  if (!layout.has_remaps()) {
    const TrackBlocks blocks = layout.track_blocks(chunk.track);
    chunk.last = std::min(access_.end - 1, blocks.last);
  } else {
    // A remapped block lives on another track: walk block by block.
    chunk.last = chunk.first;
    std::uint32_t sector = where.sector;
    const std::uint32_t spt = layout.sectors_per_track(chunk.track);
    for (std::uint64_t lbn = chunk.first + 1; lbn < access_.end && lbn - chunk.first < spt; ++lbn) {
      const PhysicalSector next = layout.locate(lbn);
      if (next.cylinder != chunk.track.cylinder || next.head != chunk.track.head || next.sector <= sector)
        break;
      sector = next.sector;
      chunk.last = lbn;
    }
  }
  chunk.contiguous = sector_of(chunk.last) - chunk.first_sector == chunk.last - chunk.first;
  return true;
}

// A write puts down only sectors whose data is in the buffer when the head reaches them; a first
// sector without data is caught on a later revolution.
bool DiskArm::apply_write_gate(Chunk& chunk) {
  const double ready = client_.data_ready_ns(chunk.first);
  if (ready == kNever)
    return false;
  if (ready > chunk.start + kEpsilonNs)
    chunk.start += std::ceil((ready - chunk.start) / mechanics_.period_ns()) * mechanics_.period_ns();
  for (std::uint64_t lbn = chunk.first + 1; lbn <= chunk.last; ++lbn) {
    const double offset = chunk.contiguous ? static_cast<double>(lbn - chunk.first)
                                           : static_cast<double>(sector_of(lbn) - chunk.first_sector);
    if (client_.data_ready_ns(lbn) > chunk.start + offset * chunk.sector + kEpsilonNs) {
      chunk.last = lbn - 1;
      chunk.contiguous = sector_of(chunk.last) - chunk.first_sector == chunk.last - chunk.first;
      break;
    }
  }
  return true;
}

// Zero-latency access: if the head lands inside the run, it takes the sectors from there to the
// run's end first, then the run's beginning when it comes round; in order, the run is complete
// one revolution after landing.
void DiskArm::apply_zero_latency(Chunk& chunk) const {
  const Layout& layout = mechanics_.layout();
  const std::uint32_t spt = layout.sectors_per_track(chunk.track);
  const double base = layout.sector_angle({chunk.track.cylinder, chunk.track.head, 0});
  double position = (mechanics_.angle_at(chunk.arrive) - base) * spt;
  position -= std::floor(position / spt) * spt;
  auto boundary = static_cast<std::uint32_t>(std::ceil(position - 1e-9)) % spt;
  const double boundary_time = chunk.arrive + std::fmod(boundary - position + spt, spt) / spt * mechanics_.period_ns();
  const std::uint32_t last_sector = sector_of(chunk.last);
  if (boundary <= chunk.first_sector || boundary > last_sector)
    return;
  std::uint64_t split = chunk.first + (boundary - chunk.first_sector);
  if (!chunk.contiguous) {
    split = chunk.first;
    while (split <= chunk.last && sector_of(split) < boundary)
      ++split;
  }
  chunk.split = split;
  chunk.split_start = boundary_time;
  chunk.start = boundary_time + static_cast<double>(spt - boundary + chunk.first_sector) * chunk.sector;
}

double DiskArm::block_done(const Chunk& chunk, std::uint64_t lbn) const {
  if (chunk.split != 0 && lbn >= chunk.split)
    lbn = chunk.split - 1;  // in order, it waits for the run's beginning, read on the second pass
  const double offset = chunk.contiguous ? static_cast<double>(lbn - chunk.first)
                                         : static_cast<double>(sector_of(lbn) - chunk.first_sector);
  return chunk.start + (offset + 1) * chunk.sector;
}

std::uint64_t DiskArm::done_by(const Chunk& chunk, double t_ns) const {
  t_ns += kRoundingNs;
  const std::uint64_t count = chunk.last - chunk.first + 1;
  if (t_ns + kEpsilonNs >= block_done(chunk, chunk.last))
    return count;
  const std::uint64_t limit = chunk.split != 0 ? chunk.split - chunk.first : count;
  if (chunk.contiguous) {
    const double n = std::floor((t_ns - chunk.start) / chunk.sector + 1e-9);
    return n <= 0 ? 0 : std::min<std::uint64_t>(static_cast<std::uint64_t>(n), limit);
  }
  std::uint64_t lo = 0, hi = limit;  // blocks done: the largest n with block_done(first + n - 1) <= t
  while (lo < hi) {
    const std::uint64_t mid = (lo + hi + 1) / 2;
    if (block_done(chunk, chunk.first + mid - 1) <= t_ns + kEpsilonNs)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

std::uint64_t DiskArm::progress_at(SimTime t) const {
  if (!active_ || stalled_ || !chunk_planned_)
    return access_.next;
  if (progress_version_ != chunk_version_ || progress_time_ != t) {
    progress_version_ = chunk_version_;
    progress_time_ = t;
    progress_blocks_ = done_by(chunk_, static_cast<double>(t));
  }
  return chunk_.first + progress_blocks_;
}

double DiskArm::done_ns(std::uint64_t lbn) const {
  if (lbn < access_.next)
    return 0;
  if (active_ && chunk_planned_ && lbn <= chunk_.last)
    return block_done(chunk_, lbn);
  return kNever;
}

SimTime DiskArm::stop(SimTime now, bool in_sector, bool follows_overhead) {
  const double t = static_cast<double>(now);
  if (!active_)
    return static_cast<SimTime>(std::llround(std::max(t, free_ns_)));
  double free_at = t;
  if (stalled_) {
    free_at = std::max(t, free_ns_);
  } else if (chunk_planned_) {
    const double first_sector = chunk_.split != 0 ? chunk_.split_start : chunk_.start;
    const double reference = chunk_.split != 0 && t >= chunk_.start ? chunk_.start : first_sector;
    if (t < chunk_.arrive) {
      free_at = chunk_.arrive;  // a seek in progress runs to its end
    } else if (t < first_sector) {
      // Waiting for the first sector to come round: a read-ahead that had stopped for room and went
      // on gives the arm up at once (DiskSim's prefetch has ended there); one that moved on to
      // this track holds it to the sector unless it may stop inside one.
      free_at = in_sector || chunk_.resumed ? t : first_sector;
    } else if (!in_sector) {
      free_at = reference + std::ceil((t - reference) / chunk_.sector - 1e-9) * chunk_.sector;
    }
    access_.next = chunk_.first + done_by(chunk_, free_at);
  }
  if (follows_overhead && free_at > t)
    owed_until_ = free_at;
  ++generation_;
  active_ = false;
  stalled_ = false;
  chunk_planned_ = false;
  free_ns_ = free_at;
  return static_cast<SimTime>(std::llround(free_at));
}

void DiskArm::retry() {
  if (!active_ || !stalled_)
    return;
  plan(std::max(static_cast<double>(engine_.now()), free_ns_), true);
}

void DiskArm::chunk_done(std::uint64_t generation) {
  if (generation != generation_ || !chunk_planned_)
    return;
  const double t = block_done(chunk_, chunk_.last);
  access_.next = chunk_.last + 1;
  chunk_planned_ = false;
  if (access_.next >= access_.end)
    finish(t);
  else
    plan(t);
}

void DiskArm::finish(double t_ns) {
  active_ = false;
  stalled_ = false;
  chunk_planned_ = false;
  free_ns_ = t_ns;
  client_.arm_finished();
}

}  // namespace blocksim::hdd

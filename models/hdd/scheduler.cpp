#include "models/hdd/scheduler.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace blocksim::hdd {

Scheduler::Scheduler(SchedulerKind kind, SimTime starvation_limit, const Mechanics& mechanics)
    : kind_(kind), starvation_limit_(starvation_limit), mechanics_(mechanics) {}

void Scheduler::add(MediaJob job) {
  job.where = mechanics_.layout().locate(job.lbn);
  if (kind_ == SchedulerKind::kSptf || kind_ == SchedulerKind::kSpctf)
    job.angle = mechanics_.layout().sector_angle(job.where);
  jobs_.push_back(job);
}

bool Scheduler::contains(std::uint32_t id) const {
  return std::any_of(jobs_.begin(), jobs_.end(), [id](const MediaJob& j) { return j.id == id; });
}

void Scheduler::remove(std::uint32_t id) {
  jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(), [id](const MediaJob& j) { return j.id == id; }),
              jobs_.end());
}

std::optional<MediaJob> Scheduler::take(const Track& track, double free_ns, SimTime now, bool segment_free) {
  const auto index = pick(track, free_ns, now, segment_free);
  if (!index)
    return std::nullopt;
  MediaJob job = jobs_[*index];
  jobs_.erase(jobs_.begin() + static_cast<std::ptrdiff_t>(*index));
  sweep_.moved_to(job.lbn);
  return job;
}

std::optional<std::size_t> Scheduler::pick_elevator(bool segment_free) const {
  // The lowest job at or above the last one's block and the highest below it, the older of jobs
  // at one block (jobs_ is in arrival order).
  std::optional<std::size_t> up, down;
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    const MediaJob& j = jobs_[i];
    if (!segment_free && j.needs_segment)
      continue;
    if (j.lbn >= sweep_.position()) {
      if (!up || j.lbn < jobs_[*up].lbn)
        up = i;
    } else if (!down || j.lbn > jobs_[*down].lbn) {
      down = i;
    }
  }
  return sweep_.takes_up(up ? std::optional(jobs_[*up].lbn) : std::nullopt, down.has_value()) ? up : down;
}

std::optional<std::size_t> Scheduler::pick(const Track& track, double free_ns, SimTime now, bool segment_free) const {
  auto eligible = [segment_free](const MediaJob& j) { return segment_free || !j.needs_segment; };
  // Jobs kept waiting too long go first, the oldest of them (jobs_ is in arrival order).
  if (starvation_limit_ > 0)
    for (std::size_t i = 0; i < jobs_.size(); ++i)
      if (eligible(jobs_[i]) && now - jobs_[i].enqueued >= starvation_limit_)
        return i;
  if (kind_ == SchedulerKind::kElevator)
    return pick_elevator(segment_free);
  std::optional<std::size_t> best;
  double best_cost = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < jobs_.size(); ++i) {
    const MediaJob& j = jobs_[i];
    if (!eligible(j))
      continue;
    double cost = 0;
    switch (kind_) {
      case SchedulerKind::kFifo:
      case SchedulerKind::kElevator:  // chosen by pick_elevator above
        cost = static_cast<double>(i);
        break;
      case SchedulerKind::kSstf:
        cost = static_cast<double>(std::abs(static_cast<std::int64_t>(j.where.cylinder) - track.cylinder));
        break;
      case SchedulerKind::kClook: {
        // The nearest job at or beyond the arm's cylinder going up; if none, the lowest one.
        const bool ahead = j.where.cylinder >= track.cylinder;
        cost = (ahead ? 0.0 : 1e12) + static_cast<double>(j.where.cylinder) * 1e3 +
               static_cast<double>(j.where.head) + static_cast<double>(j.where.sector) * 1e-6;
        break;
      }
      case SchedulerKind::kSptf:
      case SchedulerKind::kSpctf: {
        // SPCTF: DiskSim estimates a read that starts in the cache at 1e-9 ms (0 for a whole hit).
        if (kind_ == SchedulerKind::kSpctf && j.starts_in_cache)
          break;
        const double leave = std::max(free_ns, static_cast<double>(j.ready));
        cost = (leave - free_ns) + mechanics_.positioning_ns(track, leave, j.where, j.angle, j.write);
        break;
      }
    }
    if (cost < best_cost) {
      best_cost = cost;
      best = i;
    }
  }
  return best;
}

}  // namespace blocksim::hdd

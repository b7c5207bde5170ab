#include "models/hdd/scheduler.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <tuple>

namespace blocksim::hdd {

Scheduler::Scheduler(SchedulerKind kind, SimTime starvation_limit, const Mechanics& mechanics)
    : kind_(kind), starvation_limit_(starvation_limit), mechanics_(mechanics) {}

void Scheduler::add(MediaJob job) {
  job.where = mechanics_.layout().locate(job.lbn);
  jobs_.push_back(job);
}

bool Scheduler::contains(std::uint32_t id) const {
  return std::any_of(jobs_.begin(), jobs_.end(), [id](const MediaJob& j) { return j.id == id; });
}

void Scheduler::remove(std::uint32_t id) {
  jobs_.erase(std::remove_if(jobs_.begin(), jobs_.end(), [id](const MediaJob& j) { return j.id == id; }),
              jobs_.end());
}

std::optional<MediaJob> Scheduler::take(const Track& track, double free_ns, SimTime now) {
  if (jobs_.empty())
    return std::nullopt;
  const std::size_t index = pick(track, free_ns, now);
  MediaJob job = jobs_[index];
  jobs_.erase(jobs_.begin() + static_cast<std::ptrdiff_t>(index));
  return job;
}

std::size_t Scheduler::pick(const Track& track, double free_ns, SimTime now) const {
  // Jobs kept waiting too long go first, the oldest of them (jobs_ is in arrival order).
  if (starvation_limit_ > 0)
    for (std::size_t i = 0; i < jobs_.size(); ++i)
      if (now - jobs_[i].enqueued >= starvation_limit_)
        return i;
  std::size_t best = 0;
  switch (kind_) {
    case SchedulerKind::kFifo: return 0;
    case SchedulerKind::kSstf: {
      auto distance = [&](const MediaJob& j) { return std::abs(static_cast<std::int64_t>(j.where.cylinder) - track.cylinder); };
      for (std::size_t i = 1; i < jobs_.size(); ++i)
        if (distance(jobs_[i]) < distance(jobs_[best]))
          best = i;
      return best;
    }
    case SchedulerKind::kClook: {
      // The nearest job at or beyond the arm's cylinder, going up; if none, the lowest one.
      auto key = [&](const MediaJob& j) {
        const bool ahead = j.where.cylinder >= track.cylinder;
        return std::make_tuple(ahead ? 0 : 1, j.where.cylinder, j.lbn);
      };
      for (std::size_t i = 1; i < jobs_.size(); ++i)
        if (key(jobs_[i]) < key(jobs_[best]))
          best = i;
      return best;
    }
    case SchedulerKind::kSptf: {
      double best_time = std::numeric_limits<double>::infinity();
      for (std::size_t i = 0; i < jobs_.size(); ++i) {
        const double leave = std::max(free_ns, static_cast<double>(jobs_[i].ready));
        const double t = (leave - free_ns) + mechanics_.positioning_ns(track, leave, jobs_[i].where, jobs_[i].write);
        if (t < best_time) {
          best_time = t;
          best = i;
        }
      }
      return best;
    }
  }
  return best;
}

}  // namespace blocksim::hdd

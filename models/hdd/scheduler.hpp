// The controller's choice of the next media job among those waiting: first come first served,
// shortest seek (cylinder distance) first, C-LOOK (ascending cylinders, then back to the lowest),
// DiskSim's elevator by block address (sim/core/elevator_sweep.hpp; older before younger at one
// block), or shortest positioning time first (seek plus rotational latency, from the arm's track
// and the platter's angle when the arm is free). With a starvation limit, a job waiting longer
// than it is served before any younger one, oldest first. Owns the waiting jobs (a few, bounded
// by the queue depth and the write segments); keeps a reference to the mechanics.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/hdd/hdd_settings.hpp"
#include "models/hdd/mechanics.hpp"
#include "sim/core/elevator_sweep.hpp"

namespace blocksim::hdd {

struct MediaJob {
  std::uint32_t id = 0;        // the drive's handle (a request, or a segment to write out)
  std::uint64_t lbn = 0;       // where the job's media work starts
  bool write = false;
  bool needs_segment = false;  // a read that has no segment to read into yet
  SimTime ready = 0;           // its command processing ends then; the arm cannot start before
  SimTime enqueued = 0;
  PhysicalSector where;        // lbn's place, looked up once
  double angle = 0;            // where's angle on its track (SPTF: looked up once, not at every pick)
  bool starts_in_cache = false;  // a read whose first blocks the cache holds (SPCTF takes it first)
};

class Scheduler {
 public:
  Scheduler(SchedulerKind kind, SimTime starvation_limit, const Mechanics& mechanics);

  void add(MediaJob job);
  bool empty() const { return jobs_.empty(); }
  std::size_t size() const { return jobs_.size(); }
  bool contains(std::uint32_t id) const;
  void remove(std::uint32_t id);
  // Picks and removes the next job for an arm on `track` that is free at `free_ns`; with
  // `segment_free` false, jobs that need a segment wait.
  std::optional<MediaJob> take(const Track& track, double free_ns, SimTime now, bool segment_free = true);

 private:
  std::optional<std::size_t> pick(const Track& track, double free_ns, SimTime now, bool segment_free) const;
  std::optional<std::size_t> pick_elevator(bool segment_free) const;

  SchedulerKind kind_;
  SimTime starvation_limit_;
  const Mechanics& mechanics_;
  std::vector<MediaJob> jobs_;  // in arrival order
  ElevatorSweep sweep_;  // the elevator's position and direction, from the jobs taken
};

}  // namespace blocksim::hdd

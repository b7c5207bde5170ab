// The elevator (LOOK) by block address, as DiskSim's ELEVATOR_LBN keeps it (disksim_ioqueue.c),
// for the driver's queue and a drive's own scheduler alike: a position, the first block of the
// last request taken, and a direction. The next request is the nearest at or past the position in
// the sweep's direction, one at the position itself first whichever way the sweep goes; the sweep
// turns when nothing lies ahead, and keeps its direction while nothing waits. The caller finds
// the candidates; this holds the rule and the state.
#pragma once

#include <cstdint>
#include <optional>

namespace blocksim {

class ElevatorSweep {
 public:
  // The first block of the last request taken (DiskSim's queue starts at block 0, going up).
  std::uint64_t position() const { return position_; }

  // Given the lowest waiting block at or above the position (if any), and whether any waits
  // below it: true to take the one above.
  bool takes_up(std::optional<std::uint64_t> nearest_up, bool any_below) const {
    return !any_below || (nearest_up && (sweeping_up_ || *nearest_up == position_));
  }

  // A request from `block` was taken (by whatever rule): the sweep goes on from there.
  void moved_to(std::uint64_t block) {
    if (block != position_)
      sweeping_up_ = block > position_;
    position_ = block;
  }

 private:
  std::uint64_t position_ = 0;
  bool sweeping_up_ = true;
};

}  // namespace blocksim

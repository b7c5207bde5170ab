// DriverQueue: the block storage driver's own queue, as an operating system's I/O scheduler keeps
// one (BSD's disksort, Linux's elevators, DiskSim's device driver queue). When the driver keeps
// at most a given number of calls at the device, every call passes through here and the
// scheduler chooses which goes next; a call sent at once (the queue held only it) still moves the
// scheduler's position and sweep, as in DiskSim's ioqueue (disksim_ioqueue.c), which every
// request passes. It orders by block address alone: the driver knows nothing of the geometry.
//   kFcfs      arrival order
//   kElevator  from the first block of the last call sent: the nearest at or past it in the
//              sweep's direction, a call at that very block first; the sweep turns when nothing
//              lies ahead (LOOK) and keeps its direction while the queue is empty
//   kCLook     from the first block of the last call sent: the nearest at or above it, else the
//              lowest (one-way sweeps)
//   kSstf      from the block after the last call sent: the nearest either way; at one distance
//              up and down, up first, then down, alternating from tie to tie
// Among calls at the same block the older goes first. Owns the waiting calls' slots and blocks;
// choosing costs O(log n).
#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <tuple>

#include "sim/core/elevator_sweep.hpp"

namespace blocksim {

enum class DriverScheduler { kFcfs, kElevator, kCLook, kSstf };

class DriverQueue {
 public:
  explicit DriverQueue(DriverScheduler scheduler = DriverScheduler::kFcfs) : scheduler_(scheduler) {}

  // A call of `blocks` blocks from `block`.
  void push(std::uint32_t slot, std::uint64_t block, std::uint64_t blocks);
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // Removes and returns the slot of the call to send next; it becomes the last call sent. The
  // queue must not be empty.
  std::uint32_t pop();

 private:
  // (block, arrival number, slot, blocks): unique, ordered by block then age.
  using Entry = std::tuple<std::uint64_t, std::uint64_t, std::uint32_t, std::uint64_t>;
  using ByBlock = std::set<Entry>;

  ByBlock::iterator at_or_above(std::uint64_t block) { return by_block_.lower_bound({block, 0, 0, 0}); }
  // The oldest call at the highest block below `block`, or end().
  ByBlock::iterator below(std::uint64_t block);
  ByBlock::iterator choose();
  std::uint32_t take(ByBlock::iterator it);

  DriverScheduler scheduler_;
  std::deque<std::uint32_t> fcfs_;
  ByBlock by_block_;
  std::uint64_t arrivals_ = 0;
  std::size_t size_ = 0;
  // DiskSim's ioqueue starts at block 0, sweeping up, with no tie taken yet.
  ElevatorSweep sweep_;         // from the first block of the last call sent
  std::uint64_t last_end_ = 0;  // the block after that call
  bool tie_goes_down_ = false;
};

}  // namespace blocksim

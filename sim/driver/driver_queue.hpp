// DriverQueue: the block storage driver's own queue, as an operating system's I/O scheduler keeps
// one (BSD's disksort, Linux's elevators, DiskSim's device driver queue). When the driver keeps
// at most a given number of calls at the device, the calls beyond it wait here, and when the
// device answers one the scheduler chooses which goes next. It orders by block address alone:
// the driver knows nothing of the drive's geometry.
//   kFcfs      arrival order
//   kElevator  the nearest block at or past the last one sent, in the sweep's direction; the
//              sweep turns when nothing lies ahead (LOOK)
//   kCLook     the nearest block at or above the last one sent, else the lowest (one-way sweeps)
//   kSstf      the nearest block to the last one sent, either way
// Among calls at the same block the older goes first; kSstf takes the lower of two at one
// distance. Owns the waiting calls' slots and blocks; choosing costs O(log n).
#pragma once

#include <cstdint>
#include <deque>
#include <set>
#include <tuple>

namespace blocksim {

enum class DriverScheduler { kFcfs, kElevator, kCLook, kSstf };

class DriverQueue {
 public:
  explicit DriverQueue(DriverScheduler scheduler = DriverScheduler::kFcfs) : scheduler_(scheduler) {}

  void push(std::uint32_t slot, std::uint64_t block);
  bool empty() const { return size_ == 0; }
  std::size_t size() const { return size_; }
  // Removes and returns the slot of the call to send next, the last call sent having started at
  // `last_block`. The queue must not be empty.
  std::uint32_t pop(std::uint64_t last_block);

 private:
  // (block, arrival number, slot): unique, ordered by block then age.
  using Entry = std::tuple<std::uint64_t, std::uint64_t, std::uint32_t>;
  using ByBlock = std::set<Entry>;

  ByBlock::iterator at_or_above(std::uint64_t block) { return by_block_.lower_bound({block, 0, 0}); }
  // The oldest call at the highest block below `block`, or end().
  ByBlock::iterator below(std::uint64_t block);
  std::uint32_t take(ByBlock::iterator it);

  DriverScheduler scheduler_;
  std::deque<std::uint32_t> fcfs_;
  ByBlock by_block_;
  std::uint64_t arrivals_ = 0;
  std::size_t size_ = 0;
  bool sweeping_up_ = true;
};

}  // namespace blocksim

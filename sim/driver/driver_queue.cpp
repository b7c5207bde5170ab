#include "sim/driver/driver_queue.hpp"

#include <iterator>

namespace blocksim {

void DriverQueue::push(std::uint32_t slot, std::uint64_t block) {
  ++size_;
  if (scheduler_ == DriverScheduler::kFcfs)
    fcfs_.push_back(slot);
  else
    by_block_.emplace(block, arrivals_++, slot);
}

DriverQueue::ByBlock::iterator DriverQueue::below(std::uint64_t block) {
  auto it = at_or_above(block);
  if (it == by_block_.begin())
    return by_block_.end();
  const std::uint64_t highest = std::get<0>(*std::prev(it));
  return at_or_above(highest);
}

std::uint32_t DriverQueue::take(ByBlock::iterator it) {
  const std::uint32_t slot = std::get<2>(*it);
  by_block_.erase(it);
  --size_;
  return slot;
}

std::uint32_t DriverQueue::pop(std::uint64_t last_block) {
  switch (scheduler_) {
    case DriverScheduler::kFcfs: {
      const std::uint32_t slot = fcfs_.front();
      fcfs_.pop_front();
      --size_;
      return slot;
    }
    case DriverScheduler::kCLook: {
      const auto up = at_or_above(last_block);
      return take(up != by_block_.end() ? up : by_block_.begin());
    }
    case DriverScheduler::kElevator: {
      if (sweeping_up_) {
        const auto up = at_or_above(last_block);
        if (up != by_block_.end())
          return take(up);
        sweeping_up_ = false;
        return take(below(last_block));
      }
      const auto down = below(last_block + 1);  // at or below the last block
      if (down != by_block_.end())
        return take(down);
      sweeping_up_ = true;
      return take(at_or_above(last_block));
    }
    case DriverScheduler::kSstf: {
      const auto up = at_or_above(last_block);
      const auto down = below(last_block);
      if (up == by_block_.end())
        return take(down);
      if (down == by_block_.end())
        return take(up);
      return take(std::get<0>(*up) - last_block < last_block - std::get<0>(*down) ? up : down);
    }
  }
  return take(by_block_.begin());
}

}  // namespace blocksim

#include "sim/driver/driver_queue.hpp"

#include <iterator>

namespace blocksim {

void DriverQueue::push(std::uint32_t slot, std::uint64_t block, std::uint64_t blocks) {
  ++size_;
  if (scheduler_ == DriverScheduler::kFcfs)
    fcfs_.push_back(slot);
  else
    by_block_.emplace(block, arrivals_++, slot, blocks);
}

DriverQueue::ByBlock::iterator DriverQueue::below(std::uint64_t block) {
  auto it = at_or_above(block);
  if (it == by_block_.begin())
    return by_block_.end();
  const std::uint64_t highest = std::get<0>(*std::prev(it));
  return at_or_above(highest);
}

std::uint32_t DriverQueue::take(ByBlock::iterator it) {
  const std::uint64_t block = std::get<0>(*it);
  const std::uint32_t slot = std::get<2>(*it);
  sweep_.moved_to(block);
  last_end_ = block + std::get<3>(*it);
  by_block_.erase(it);
  --size_;
  return slot;
}

DriverQueue::ByBlock::iterator DriverQueue::choose() {
  switch (scheduler_) {
    case DriverScheduler::kCLook: {
      const auto up = at_or_above(sweep_.position());
      return up != by_block_.end() ? up : by_block_.begin();
    }
    case DriverScheduler::kElevator: {
      const auto up = at_or_above(sweep_.position());
      const auto down = below(sweep_.position());
      const auto nearest_up = up != by_block_.end() ? std::optional(std::get<0>(*up)) : std::nullopt;
      return sweep_.takes_up(nearest_up, down != by_block_.end()) ? up : down;
    }
    case DriverScheduler::kSstf: {
      const auto up = at_or_above(last_end_);
      const auto down = below(last_end_);
      if (up == by_block_.end())
        return down;
      if (down == by_block_.end())
        return up;
      const std::uint64_t up_distance = std::get<0>(*up) - last_end_;
      const std::uint64_t down_distance = last_end_ - std::get<0>(*down);
      if (up_distance != down_distance)
        return up_distance < down_distance ? up : down;
      const bool go_down = tie_goes_down_;
      tie_goes_down_ = !tie_goes_down_;
      return go_down ? down : up;
    }
    case DriverScheduler::kFcfs: break;
  }
  return by_block_.begin();
}

std::uint32_t DriverQueue::pop() {
  if (scheduler_ == DriverScheduler::kFcfs) {
    const std::uint32_t slot = fcfs_.front();
    fcfs_.pop_front();
    --size_;
    return slot;
  }
  return take(choose());
}

}  // namespace blocksim

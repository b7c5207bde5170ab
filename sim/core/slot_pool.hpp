// A pool of per-request records addressed by a 32-bit index, reused through a free list, so memory
// follows the requests in flight and not the length of the run. A record stays at the same
// address while acquired (the storage is a deque), so a pointer into it can travel with a request.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

namespace blocksim {

template <class T>
class SlotPool {
 public:
  std::uint32_t acquire() {
    std::uint32_t index;
    if (free_.empty()) {
      index = static_cast<std::uint32_t>(slots_.size());
      slots_.emplace_back();
      held_.push_back(1);
    } else {
      index = free_.back();
      free_.pop_back();
      slots_[index] = T{};
      held_[index] = 1;
    }
    ++in_use_;
    return index;
  }

  void release(std::uint32_t index) {
    free_.push_back(index);
    held_[index] = 0;
    --in_use_;
  }

  T& operator[](std::uint32_t index) { return slots_[index]; }
  const T& operator[](std::uint32_t index) const { return slots_[index]; }
  std::size_t in_use() const { return in_use_; }
  // Every record ever handed out, free or not (indices 0 .. size-1), for a caller that walks them.
  std::size_t size() const { return slots_.size(); }
  // Whether record `index` is acquired now (for a caller that walks them).
  bool held(std::uint32_t index) const { return held_[index] != 0; }

 private:
  std::deque<T> slots_;
  std::vector<std::uint32_t> free_;
  std::vector<std::uint8_t> held_;
  std::size_t in_use_ = 0;
};

}  // namespace blocksim

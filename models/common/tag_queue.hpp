// The host side of a device's command queue: at most `depth` commands are inside the device (hold
// a tag); the rest wait here in arrival order. The device calls admit_or_wait() when a request
// arrives and release() when one completes, and starts whatever either hands back.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

namespace blocksim {

class TagQueue {
 public:
  explicit TagQueue(std::uint32_t depth) : depth_(depth) {}

  // True: the request holds a tag now. False: it waits.
  bool admit_or_wait(std::uint32_t request) {
    if (inside_ < depth_) {
      ++inside_;
      return true;
    }
    waiting_.push_back(request);
    return false;
  }

  // Frees a tag; returns the waiting request that takes it, if any.
  std::optional<std::uint32_t> release() {
    if (waiting_.empty()) {
      --inside_;
      return std::nullopt;
    }
    const std::uint32_t next = waiting_.front();
    waiting_.pop_front();
    return next;
  }

  std::uint32_t depth() const { return depth_; }
  std::uint32_t inside() const { return inside_; }
  std::size_t waiting() const { return waiting_.size(); }

 private:
  std::uint32_t depth_;
  std::uint32_t inside_ = 0;
  std::deque<std::uint32_t> waiting_;
};

}  // namespace blocksim

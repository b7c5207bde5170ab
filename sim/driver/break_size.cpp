#include "sim/driver/break_size.hpp"

#include <algorithm>

namespace blocksim {

namespace {

// Walks the buffer's segments and their pieces, counting both against the limits.
class SegmentWalk {
 public:
  SegmentWalk(const BreakUpLimits& limits, std::uint64_t cap) : limits_(limits), cap_(cap) {}

  // Adds one physical segment at `address` (offset within its page) of `length` bytes; false
  // once the walk must stop.
  bool add_segment(std::uint64_t address, std::uint64_t length) {
    const std::uint64_t align = std::max<std::uint64_t>(limits_.min_segment_alignment, 1);
    if (address % align != 0 || length % align != 0) {
      // Split into one-page pieces: the first ends at the page boundary.
      while (length > 0) {
        const std::uint64_t piece = std::min(length, kPageBytes - address % kPageBytes);
        if (!add_piece(piece))
          return false;
        address += piece;
        length -= piece;
      }
      return true;
    }
    const std::uint64_t max_piece = limits_.max_segment_byte_count ? limits_.max_segment_byte_count : length;
    while (length > 0) {
      const std::uint64_t piece = std::min(length, max_piece);
      if (!add_piece(piece))
        return false;
      length -= piece;
    }
    return true;
  }

  std::uint64_t bytes() const { return std::min(bytes_, cap_); }

 private:
  bool add_piece(std::uint64_t piece) {
    bytes_ += piece;
    ++segments_;
    return bytes_ < cap_ && (limits_.max_segment_count == 0 || segments_ < limits_.max_segment_count);
  }

  const BreakUpLimits& limits_;
  std::uint64_t cap_;
  std::uint64_t bytes_ = 0;
  std::uint64_t segments_ = 0;
};

}  // namespace

std::uint64_t break_size(const IOMemoryDescriptor& buffer, const BreakUpLimits& limits, std::uint64_t block_size) {
  std::uint64_t cap = buffer.length;
  if (limits.max_byte_count)
    cap = std::min(cap, limits.max_byte_count);
  if (limits.max_block_count)
    cap = std::min(cap, limits.max_block_count * block_size);
  SegmentWalk walk(limits, cap);
  if (buffer.segment_bytes == 0) {
    walk.add_segment(0, buffer.length);
  } else {
    std::uint64_t address = buffer.segment_phase;
    std::uint64_t left = buffer.length;
    while (left > 0) {
      const std::uint64_t length = std::min(left, buffer.segment_bytes - address % buffer.segment_bytes);
      if (!walk.add_segment(address % kPageBytes, length))
        break;
      left -= length;
      address = 0;
    }
  }
  return walk.bytes() / block_size * block_size;
}

}  // namespace blocksim

// A set of block ranges, each with a small value (a fault's retry count), kept as sorted,
// disjoint [first, end) intervals: the sectors a fault covers. Adding a range over others
// replaces their value there; erasing cuts ranges apart. A handful of ranges is the usual size.
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>

namespace blocksim {

class BlockRanges {
 public:
  void add(std::uint64_t first, std::uint64_t count, std::uint32_t value) {
    if (count == 0)
      return;
    erase(first, count);
    ranges_[first] = Range{first + count, value};
  }

  // Removes [first, first + count) and returns how many blocks were covered.
  std::uint64_t erase(std::uint64_t first, std::uint64_t count) {
    const std::uint64_t end = first + count;
    std::uint64_t removed = 0;
    auto it = ranges_.lower_bound(first);
    if (it != ranges_.begin() && std::prev(it)->second.end > first)
      --it;
    while (it != ranges_.end() && it->first < end) {
      const std::uint64_t start = it->first;
      const Range range = it->second;
      it = ranges_.erase(it);
      removed += std::min(range.end, end) - std::max(start, first);
      if (start < first)
        ranges_[start] = Range{first, range.value};
      if (range.end > end)
        it = ranges_.emplace(end, Range{range.end, range.value}).first;
    }
    return removed;
  }

  // The value of the first range that [first, first + count) touches, if any.
  bool find(std::uint64_t first, std::uint64_t count, std::uint32_t* value) const {
    auto it = ranges_.lower_bound(first);
    if (it != ranges_.begin() && std::prev(it)->second.end > first)
      --it;
    if (it == ranges_.end() || it->first >= first + count)
      return false;
    if (value)
      *value = it->second.value;
    return true;
  }

  std::uint64_t blocks() const {
    std::uint64_t n = 0;
    for (const auto& [start, range] : ranges_)
      n += range.end - start;
    return n;
  }
  bool empty() const { return ranges_.empty(); }

 private:
  struct Range {
    std::uint64_t end;
    std::uint32_t value;
  };
  std::map<std::uint64_t, Range> ranges_;  // first block -> range
};

}  // namespace blocksim

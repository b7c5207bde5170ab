// A fixed-capacity hash map from a 32-bit key (a logical unit, a translation page) to a 32-bit
// value (an entry index), with open addressing and linear probing, so that a cache lookup costs
// no allocation. Deletion shifts the following entries back (no tombstones).
#pragma once

#include <cstdint>
#include <vector>

namespace blocksim::ssd {

class UnitIndex {
 public:
  static constexpr std::uint32_t kAbsent = 0xFFFFFFFFu;

  // Room for `max_entries` at a load factor of at most one half.
  explicit UnitIndex(std::uint64_t max_entries) {
    std::uint64_t size = 16;
    shift_ = 60;
    while (size < 2 * max_entries) {
      size *= 2;
      --shift_;
    }
    keys_.assign(size, kAbsent);
    values_.assign(size, 0);
    mask_ = size - 1;
  }

  std::uint32_t find(std::uint32_t key) const {
    for (std::uint64_t i = hash(key);; i = (i + 1) & mask_) {
      if (keys_[i] == key)
        return values_[i];
      if (keys_[i] == kAbsent)
        return kAbsent;
    }
  }

  void insert(std::uint32_t key, std::uint32_t value) {
    std::uint64_t i = hash(key);
    while (keys_[i] != kAbsent && keys_[i] != key)
      i = (i + 1) & mask_;
    keys_[i] = key;
    values_[i] = value;
  }

  void erase(std::uint32_t key) {
    std::uint64_t i = hash(key);
    while (keys_[i] != key) {
      if (keys_[i] == kAbsent)
        return;
      i = (i + 1) & mask_;
    }
    // Shift back every following entry whose home lies at or before the hole.
    for (std::uint64_t j = (i + 1) & mask_; keys_[j] != kAbsent; j = (j + 1) & mask_) {
      const std::uint64_t home = hash(keys_[j]);
      if (((j - home) & mask_) >= ((j - i) & mask_)) {
        keys_[i] = keys_[j];
        values_[i] = values_[j];
        i = j;
      }
    }
    keys_[i] = kAbsent;
  }

  std::uint64_t memory_bytes() const { return keys_.size() * 2 * sizeof(std::uint32_t); }

 private:
  // Fibonacci hashing: the top bits of the product.
  std::uint64_t hash(std::uint32_t key) const { return (key * 0x9E3779B97F4A7C15ULL) >> shift_; }

  std::vector<std::uint32_t> keys_;
  std::vector<std::uint32_t> values_;
  std::uint64_t mask_ = 0;
  unsigned shift_ = 60;
};

}  // namespace blocksim::ssd

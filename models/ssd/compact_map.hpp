// The FTL's logical-to-physical table (mapping unit -> slot), kept compact: the logical space is
// cut into chunks of 4096 units; a chunk nobody wrote costs one null pointer, a chunk with a few
// changed units keeps them as a sorted list of (offset, slot) pairs, and a chunk with many turns
// into a plain array. Units without an entry of their own take their place from a base layout
// (the preconditioned sequential fill) or are unmapped. Memory follows the units rewritten, not
// the capacity: a 1 TB device that a workload touches in a million places needs megabytes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/ssd/sequential_layout.hpp"

namespace blocksim::ssd {

class CompactMap {
 public:
  explicit CompactMap(std::uint64_t units);

  // Units below layout->filled_units() map where the layout put them until set otherwise. The
  // layout must outlive the map.
  void set_base(const SequentialLayout* layout) { base_ = layout; }

  std::uint32_t get(std::uint64_t lpn) const;
  void set(std::uint64_t lpn, std::uint32_t psn);

  std::uint64_t units() const { return units_; }
  // Heap bytes held by the table (for the memory metric).
  std::uint64_t memory_bytes() const;

 private:
  static constexpr unsigned kChunkBits = 12;
  static constexpr std::uint32_t kChunkUnits = 1u << kChunkBits;
  static constexpr std::size_t kDenseAbove = 1024;  // entries: 6 bytes each sparse, 16 KiB dense

  struct Sparse {
    std::vector<std::uint16_t> offsets;  // sorted
    std::vector<std::uint32_t> slots;
  };
  // One chunk: neither (all base), a sparse list, or a dense array. The dense array is held here,
  // not behind another pointer: a lookup in it is one memory access fewer.
  struct Chunk {
    std::unique_ptr<std::uint32_t[]> dense;
    std::unique_ptr<Sparse> sparse;
  };

  std::uint32_t base(std::uint64_t lpn) const {
    return base_ && lpn < base_->filled_units() ? base_->slot_of(lpn) : kNoSlot;
  }
  void make_dense(Chunk& chunk, std::uint64_t first_lpn);

  std::uint64_t units_;
  const SequentialLayout* base_ = nullptr;
  std::vector<Chunk> chunks_;
};

}  // namespace blocksim::ssd

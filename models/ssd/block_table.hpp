// The state of every erase block: free, open (being written), closed (full) or a GC victim; its
// valid slot count, erase count, write pointer and when it was closed; which unit each of its
// slots holds and which of them are valid (the physical-to-logical table with a validity bit a
// slot, kept only for blocks written since preconditioning: GC asks a victim's every slot whether
// it is valid, and a bit here answers without a look-up in the logical-to-physical map, whose
// accesses miss the CPU's caches on a large drive); and, per plane, the free blocks (fewest erases first: dynamic wear
// levelling), the closed blocks listed by valid count (so greedy GC finds its victim at once) and
// in the order they closed (for FIFO GC).
// A block may be opened in SLC mode (the SLC cache): it then holds `slc_slots` slots, the first
// of its slot numbers, and is listed per plane in the order SLC blocks closed (folding takes the
// oldest first).
// Time here is a stamp: the count of slots written so far, so that ages mean the same with or
// without simulated time (preconditioning runs without it).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <vector>

#include "models/ssd/ssd_geometry.hpp"

namespace blocksim::ssd {

enum class BlockState : std::uint8_t { kFree, kOpen, kClosed, kVictim };

class BlockTable {
 public:
  explicit BlockTable(const SsdGeometry& geometry);

  BlockState state(std::uint32_t block) const { return state_[block]; }
  std::uint32_t valid(std::uint32_t block) const { return valid_[block]; }
  std::uint32_t erase_count(std::uint32_t block) const { return erases_[block]; }
  std::uint32_t written(std::uint32_t block) const { return written_[block]; }
  std::uint64_t closed_at(std::uint32_t block) const { return closed_at_[block]; }
  // Written since preconditioning: slot owners are in the explicit table.
  bool explicit_owners(std::uint32_t block) const { return owners_[block] != nullptr; }
  std::uint32_t owner(std::uint32_t block, std::uint32_t index) const { return owners_[block][index]; }
  void set_owner(std::uint32_t block, std::uint32_t index, std::uint32_t lpn) { owners_[block][index] = lpn; }
  // Whether the map points at the slot; blocks with explicit owners only (the FTL keeps it).
  bool slot_valid(std::uint32_t block, std::uint32_t index) const {
    return (owners_[block][g_.slots_per_block() + index / 32] >> (index % 32)) & 1u;
  }
  void set_slot_valid(std::uint32_t block, std::uint32_t index, bool valid) {
    std::uint32_t& word = owners_[block][g_.slots_per_block() + index / 32];
    word = valid ? word | (1u << (index % 32)) : word & ~(1u << (index % 32));
  }

  std::uint32_t free_count(std::uint32_t plane) const { return static_cast<std::uint32_t>(free_[plane].size()); }
  // Takes the plane's free block with the fewest erases and opens it (in SLC mode if `slc`).
  std::uint32_t open_free_block(std::uint32_t plane, bool slc = false);
  // Slots an SLC block holds (set once, before any block opens in SLC mode).
  void set_slc_slots(std::uint32_t slots) { slc_slots_ = slots; }
  bool slc(std::uint32_t block) const { return slc_[block] != 0; }
  // Slots the block holds when full.
  std::uint32_t capacity(std::uint32_t block) const { return slc_[block] ? slc_slots_ : g_.slots_per_block(); }
  // Blocks in SLC mode now (open, closed or victims).
  std::uint64_t slc_blocks() const { return slc_blocks_; }
  // The plane's SLC block that closed first and is still closed (kNoBlock: none).
  std::uint32_t oldest_closed_slc(std::uint32_t plane);
  void advance_write_pointer(std::uint32_t block) { ++written_[block]; }
  void close(std::uint32_t block, std::uint64_t stamp);
  void add_valid(std::uint32_t block, int delta);
  void mark_victim(std::uint32_t block);
  void erase(std::uint32_t block);

  // Preconditioning: a block filled by the sequential layout, closed with `valid` slots; then
  // rebuild_free() lists the blocks still free.
  void close_preconditioned(std::uint32_t block, std::uint32_t valid, std::uint64_t stamp);
  void rebuild_free();

  // Closed blocks of a plane, fewest valid first (kNoBlock: none).
  std::uint32_t fewest_valid_closed(std::uint32_t plane);
  // Calls fn(block) for every closed block of the plane.
  template <class F>
  void for_each_closed(std::uint32_t plane, F&& fn) const {
    const std::size_t base = static_cast<std::size_t>(plane) * (g_.slots_per_block() + 1);
    for (std::uint32_t v = 0; v <= g_.slots_per_block(); ++v)
      for (std::uint32_t b = bucket_head_[base + v]; b != kNoBlock; b = next_[b])
        fn(b);
  }
  // The closed block of the plane that closed first and still has an invalid slot.
  std::uint32_t oldest_closed_with_garbage(std::uint32_t plane);

  std::uint64_t memory_bytes() const;

 private:
  // An owner table: a slot's owner each, then its validity bits.
  std::uint32_t table_words() const { return g_.slots_per_block() + (g_.slots_per_block() + 31) / 32; }
  void bucket_insert(std::uint32_t block);
  void bucket_remove(std::uint32_t block);
  std::size_t bucket_index(std::uint32_t block) const {
    return static_cast<std::size_t>(g_.plane_of_block(block)) * (g_.slots_per_block() + 1) + valid_[block];
  }

  SsdGeometry g_;
  std::vector<BlockState> state_;
  std::vector<std::uint32_t> valid_;
  std::vector<std::uint32_t> erases_;
  std::vector<std::uint32_t> written_;
  std::vector<std::uint64_t> closed_at_;
  std::vector<std::unique_ptr<std::uint32_t[]>> owners_;
  std::vector<std::unique_ptr<std::uint32_t[]>> spare_owner_tables_;

  // Per plane: free blocks as a min-heap of (erase count, block).
  using FreeEntry = std::pair<std::uint32_t, std::uint32_t>;
  std::vector<std::priority_queue<FreeEntry, std::vector<FreeEntry>, std::greater<>>> free_;
  // Closed blocks in doubly linked lists, one per (plane, valid count).
  std::vector<std::uint32_t> bucket_head_;
  std::vector<std::uint32_t> prev_, next_;
  std::vector<std::uint32_t> lowest_bucket_;  // per plane: no closed block has fewer valid slots
  // Per plane: closed blocks in closing order, (block, stamp); stale entries are skipped.
  std::vector<std::deque<std::pair<std::uint32_t, std::uint64_t>>> closing_order_;
  // The SLC cache: per block whether it is in SLC mode; per plane closed SLC blocks in closing
  // order, (block, stamp), stale entries skipped.
  std::uint32_t slc_slots_ = 0;
  std::vector<std::uint8_t> slc_;
  std::uint64_t slc_blocks_ = 0;
  std::vector<std::deque<std::pair<std::uint32_t, std::uint64_t>>> slc_closing_order_;
};

}  // namespace blocksim::ssd

// A sparse store of fixed-size blocks, addressed by LBA: only blocks that were written take
// memory, so a device of any capacity costs nothing until it is used. A block that holds zeros is
// not kept either, unless the store is told to keep zero blocks (a cache must remember that it
// holds zeros, since they hide older bytes on the media below it).
#pragma once

#include <cstdint>
#include <map>
#include <vector>

namespace blocksim {

class BlockStore {
 public:
  enum class ZeroBlocks { kDrop, kKeep };

  explicit BlockStore(std::uint32_t block_size, ZeroBlocks zeros = ZeroBlocks::kDrop);

  std::uint32_t block_size() const { return block_size_; }
  // Blocks held (in kKeep mode, zero blocks count).
  std::size_t size() const { return index_.size(); }
  bool contains(std::uint64_t lba) const { return index_.count(lba) != 0; }
  // The block's bytes, or null when it is not held or holds zeros. Valid until the next change.
  const std::uint8_t* find(std::uint64_t lba) const;
  // Copies block `lba` to `out` (block_size bytes): zeros when it is not held.
  void read(std::uint64_t lba, std::uint8_t* out) const;
  // Stores one block; `data` null means zeros.
  void put(std::uint64_t lba, const std::uint8_t* data);
  void erase(std::uint64_t lba);
  // Erases every block in [lba, lba + count).
  void erase_range(std::uint64_t lba, std::uint64_t count);
  void clear();

  // Calls fn(lba, bytes or null for zeros) for every held block in [lba, lba + count), in order.
  template <class Fn>
  void for_each_in(std::uint64_t lba, std::uint64_t count, Fn&& fn) const {
    for (auto it = index_.lower_bound(lba); it != index_.end() && it->first - lba < count; ++it)
      fn(it->first, it->second == kZeroSlot ? nullptr : slot_bytes(it->second));
  }

 private:
  static constexpr std::uint32_t kZeroSlot = 0xFFFFFFFF;
  const std::uint8_t* slot_bytes(std::uint32_t slot) const { return arena_.data() + std::size_t{slot} * block_size_; }
  std::uint8_t* slot_bytes(std::uint32_t slot) { return arena_.data() + std::size_t{slot} * block_size_; }
  std::uint32_t take_slot();
  void free_slot(std::uint32_t slot);

  std::uint32_t block_size_;
  ZeroBlocks zeros_;
  std::map<std::uint64_t, std::uint32_t> index_;  // lba -> slot in the arena, or kZeroSlot
  std::vector<std::uint8_t> arena_;
  std::vector<std::uint32_t> free_slots_;
};

}  // namespace blocksim

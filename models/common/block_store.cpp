#include "models/common/block_store.hpp"

#include <algorithm>
#include <cstring>

namespace blocksim {

namespace {
bool all_zero(const std::uint8_t* data, std::uint32_t n) {
  return std::all_of(data, data + n, [](std::uint8_t b) { return b == 0; });
}
}  // namespace

BlockStore::BlockStore(std::uint32_t block_size, ZeroBlocks zeros) : block_size_(block_size), zeros_(zeros) {}

const std::uint8_t* BlockStore::find(std::uint64_t lba) const {
  auto it = index_.find(lba);
  if (it == index_.end() || it->second == kZeroSlot)
    return nullptr;
  return slot_bytes(it->second);
}

void BlockStore::read(std::uint64_t lba, std::uint8_t* out) const {
  if (const std::uint8_t* bytes = find(lba))
    std::memcpy(out, bytes, block_size_);
  else
    std::memset(out, 0, block_size_);
}

void BlockStore::put(std::uint64_t lba, const std::uint8_t* data) {
  const bool zero = data == nullptr || all_zero(data, block_size_);
  if (zero && zeros_ == ZeroBlocks::kDrop) {
    erase(lba);
    return;
  }
  auto [it, inserted] = index_.try_emplace(lba, kZeroSlot);
  if (zero) {
    if (it->second != kZeroSlot)
      free_slot(it->second);
    it->second = kZeroSlot;
    return;
  }
  if (it->second == kZeroSlot) {
    const std::uint32_t slot = take_slot();  // may move the arena; `it` stays valid (map node)
    it->second = slot;
  }
  std::memcpy(slot_bytes(it->second), data, block_size_);
}

void BlockStore::erase(std::uint64_t lba) {
  auto it = index_.find(lba);
  if (it == index_.end())
    return;
  if (it->second != kZeroSlot)
    free_slot(it->second);
  index_.erase(it);
}

void BlockStore::erase_range(std::uint64_t lba, std::uint64_t count) {
  auto it = index_.lower_bound(lba);
  while (it != index_.end() && it->first - lba < count) {
    if (it->second != kZeroSlot)
      free_slot(it->second);
    it = index_.erase(it);
  }
}

void BlockStore::clear() {
  index_.clear();
  arena_.clear();
  arena_.shrink_to_fit();
  free_slots_.clear();
}

std::uint32_t BlockStore::take_slot() {
  if (!free_slots_.empty()) {
    const std::uint32_t slot = free_slots_.back();
    free_slots_.pop_back();
    return slot;
  }
  const auto slot = static_cast<std::uint32_t>(arena_.size() / block_size_);
  arena_.resize(arena_.size() + block_size_);
  return slot;
}

void BlockStore::free_slot(std::uint32_t slot) { free_slots_.push_back(slot); }

}  // namespace blocksim

#include "models/ssd/compact_map.hpp"

#include <algorithm>

namespace blocksim::ssd {

CompactMap::CompactMap(std::uint64_t units)
    : units_(units), chunks_((units + kChunkUnits - 1) / kChunkUnits) {}

std::uint32_t CompactMap::get(std::uint64_t lpn) const {
  const Chunk* chunk = chunks_[lpn >> kChunkBits].get();
  if (chunk == nullptr)
    return base(lpn);
  const auto offset = static_cast<std::uint16_t>(lpn & (kChunkUnits - 1));
  if (chunk->dense)
    return chunk->dense[offset];
  const auto it = std::lower_bound(chunk->offsets.begin(), chunk->offsets.end(), offset);
  if (it != chunk->offsets.end() && *it == offset)
    return chunk->slots[static_cast<std::size_t>(it - chunk->offsets.begin())];
  return base(lpn);
}

void CompactMap::set(std::uint64_t lpn, std::uint32_t psn) {
  auto& owner = chunks_[lpn >> kChunkBits];
  const auto offset = static_cast<std::uint16_t>(lpn & (kChunkUnits - 1));
  const bool is_base = psn == base(lpn);
  if (owner == nullptr) {
    if (is_base)
      return;
    owner = std::make_unique<Chunk>();
  }
  Chunk& chunk = *owner;
  if (chunk.dense) {
    chunk.dense[offset] = psn;
    return;
  }
  const auto it = std::lower_bound(chunk.offsets.begin(), chunk.offsets.end(), offset);
  const auto index = static_cast<std::size_t>(it - chunk.offsets.begin());
  const bool present = it != chunk.offsets.end() && *it == offset;
  if (present && is_base) {
    chunk.offsets.erase(it);
    chunk.slots.erase(chunk.slots.begin() + static_cast<std::ptrdiff_t>(index));
    if (chunk.offsets.empty())
      owner.reset();
    return;
  }
  if (present) {
    chunk.slots[index] = psn;
    return;
  }
  if (is_base)
    return;
  chunk.offsets.insert(it, offset);
  chunk.slots.insert(chunk.slots.begin() + static_cast<std::ptrdiff_t>(index), psn);
  if (chunk.offsets.size() > kDenseAbove)
    make_dense(chunk, lpn & ~static_cast<std::uint64_t>(kChunkUnits - 1));
}

void CompactMap::make_dense(Chunk& chunk, std::uint64_t first_lpn) {
  chunk.dense = std::make_unique<std::uint32_t[]>(kChunkUnits);
  for (std::uint32_t i = 0; i < kChunkUnits; ++i)
    chunk.dense[i] = first_lpn + i < units_ ? base(first_lpn + i) : kNoSlot;
  for (std::size_t i = 0; i < chunk.offsets.size(); ++i)
    chunk.dense[chunk.offsets[i]] = chunk.slots[i];
  std::vector<std::uint16_t>().swap(chunk.offsets);
  std::vector<std::uint32_t>().swap(chunk.slots);
}

std::uint64_t CompactMap::memory_bytes() const {
  std::uint64_t bytes = chunks_.capacity() * sizeof(chunks_[0]);
  for (const auto& chunk : chunks_) {
    if (!chunk)
      continue;
    bytes += sizeof(Chunk);
    if (chunk->dense)
      bytes += kChunkUnits * sizeof(std::uint32_t);
    bytes += chunk->offsets.capacity() * sizeof(std::uint16_t) + chunk->slots.capacity() * sizeof(std::uint32_t);
  }
  return bytes;
}

}  // namespace blocksim::ssd

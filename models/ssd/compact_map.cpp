#include "models/ssd/compact_map.hpp"

#include <algorithm>

namespace blocksim::ssd {

CompactMap::CompactMap(std::uint64_t units)
    : units_(units), chunks_((units + kChunkUnits - 1) / kChunkUnits) {}

std::uint32_t CompactMap::get(std::uint64_t lpn) const {
  const Chunk& chunk = chunks_[lpn >> kChunkBits];
  const auto offset = static_cast<std::uint16_t>(lpn & (kChunkUnits - 1));
  if (chunk.dense)
    return chunk.dense[offset];
  if (chunk.sparse) {
    const auto& offsets = chunk.sparse->offsets;
    const auto it = std::lower_bound(offsets.begin(), offsets.end(), offset);
    if (it != offsets.end() && *it == offset)
      return chunk.sparse->slots[static_cast<std::size_t>(it - offsets.begin())];
  }
  return base(lpn);
}

void CompactMap::set(std::uint64_t lpn, std::uint32_t psn) {
  Chunk& chunk = chunks_[lpn >> kChunkBits];
  const auto offset = static_cast<std::uint16_t>(lpn & (kChunkUnits - 1));
  if (chunk.dense) {
    chunk.dense[offset] = psn;
    return;
  }
  const bool is_base = psn == base(lpn);
  if (!chunk.sparse) {
    if (is_base)
      return;
    chunk.sparse = std::make_unique<Sparse>();
  }
  auto& offsets = chunk.sparse->offsets;
  auto& slots = chunk.sparse->slots;
  const auto it = std::lower_bound(offsets.begin(), offsets.end(), offset);
  const auto index = static_cast<std::size_t>(it - offsets.begin());
  const bool present = it != offsets.end() && *it == offset;
  if (present && is_base) {
    offsets.erase(it);
    slots.erase(slots.begin() + static_cast<std::ptrdiff_t>(index));
    if (offsets.empty())
      chunk.sparse.reset();
    return;
  }
  if (present) {
    slots[index] = psn;
    return;
  }
  if (is_base)
    return;
  offsets.insert(it, offset);
  slots.insert(slots.begin() + static_cast<std::ptrdiff_t>(index), psn);
  if (offsets.size() > kDenseAbove)
    make_dense(chunk, lpn & ~static_cast<std::uint64_t>(kChunkUnits - 1));
}

void CompactMap::make_dense(Chunk& chunk, std::uint64_t first_lpn) {
  chunk.dense = std::make_unique<std::uint32_t[]>(kChunkUnits);
  for (std::uint32_t i = 0; i < kChunkUnits; ++i)
    chunk.dense[i] = first_lpn + i < units_ ? base(first_lpn + i) : kNoSlot;
  for (std::size_t i = 0; i < chunk.sparse->offsets.size(); ++i)
    chunk.dense[chunk.sparse->offsets[i]] = chunk.sparse->slots[i];
  chunk.sparse.reset();
}

std::uint64_t CompactMap::memory_bytes() const {
  std::uint64_t bytes = chunks_.capacity() * sizeof(Chunk);
  for (const auto& chunk : chunks_) {
    if (chunk.dense)
      bytes += kChunkUnits * sizeof(std::uint32_t);
    if (chunk.sparse)
      bytes += sizeof(Sparse) + chunk.sparse->offsets.capacity() * sizeof(std::uint16_t) +
               chunk.sparse->slots.capacity() * sizeof(std::uint32_t);
  }
  return bytes;
}

}  // namespace blocksim::ssd

#include "models/ssd/wear_leveling.hpp"

#include <algorithm>

namespace blocksim::ssd {

EraseSpread plane_erase_spread(const BlockTable& blocks, const SsdGeometry& geometry, std::uint32_t plane) {
  const std::uint32_t first = plane * geometry.blocks_per_plane;
  EraseSpread spread{blocks.erase_count(first), blocks.erase_count(first)};
  for (std::uint32_t b = first + 1; b < first + geometry.blocks_per_plane; ++b) {
    spread.min = std::min(spread.min, blocks.erase_count(b));
    spread.max = std::max(spread.max, blocks.erase_count(b));
  }
  return spread;
}

EraseSpread device_erase_spread(const BlockTable& blocks, const SsdGeometry& geometry) {
  EraseSpread spread = plane_erase_spread(blocks, geometry, 0);
  for (std::uint32_t plane = 1; plane < geometry.planes(); ++plane) {
    const EraseSpread p = plane_erase_spread(blocks, geometry, plane);
    spread.min = std::min(spread.min, p.min);
    spread.max = std::max(spread.max, p.max);
  }
  return spread;
}

std::uint32_t block_to_level(const BlockTable& blocks, const SsdGeometry& geometry, std::uint32_t plane,
                             std::uint32_t threshold) {
  const std::uint32_t first = plane * geometry.blocks_per_plane;
  std::uint32_t max_erases = 0;
  std::uint32_t coldest = kNoBlock;
  for (std::uint32_t b = first; b < first + geometry.blocks_per_plane; ++b) {
    max_erases = std::max(max_erases, blocks.erase_count(b));
    if (blocks.state(b) == BlockState::kClosed &&
        (coldest == kNoBlock || blocks.erase_count(b) < blocks.erase_count(coldest)))
      coldest = b;
  }
  if (coldest == kNoBlock || max_erases - blocks.erase_count(coldest) <= threshold)
    return kNoBlock;
  return coldest;
}

}  // namespace blocksim::ssd

// Wear levelling. Dynamic: free blocks are handed out fewest erases first (BlockTable does it).
// Static: blocks that hold cold data never come up as GC victims and stop ageing while the rest
// wear out; when a plane's erase counts spread further than the threshold, the closed block with
// the fewest erases is collected like a GC victim, its data moved, and it rejoins the free pool
// to take hot data.
#pragma once

#include <cstdint>

#include "models/ssd/block_table.hpp"

namespace blocksim::ssd {

struct EraseSpread {
  std::uint32_t min = 0;
  std::uint32_t max = 0;
};

EraseSpread plane_erase_spread(const BlockTable& blocks, const SsdGeometry& geometry, std::uint32_t plane);
EraseSpread device_erase_spread(const BlockTable& blocks, const SsdGeometry& geometry);

// The block static wear levelling moves in `plane` (kNoBlock: none), for a threshold > 0.
std::uint32_t block_to_level(const BlockTable& blocks, const SsdGeometry& geometry, std::uint32_t plane,
                             std::uint32_t threshold);

}  // namespace blocksim::ssd

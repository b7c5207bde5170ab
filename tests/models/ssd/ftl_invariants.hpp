// Test support: the FTL's bookkeeping holds: every block's valid count is the number of its slots
// the map points at, every mapped unit's slot names it as its owner, and a slot is valid
// (Ftl::is_valid, answered by the block table's validity bits) exactly when the map points at it.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "models/ssd/ftl.hpp"

namespace blocksim::testing {

inline void expect_consistent(const ssd::Ftl& ftl) {
  const ssd::SsdGeometry& g = ftl.geometry();
  std::vector<std::uint32_t> valid(g.blocks(), 0);
  std::vector<bool> pointed_at(g.slots(), false);
  for (std::uint64_t lpn = 0; lpn < g.logical_units; ++lpn) {
    const std::uint32_t psn = ftl.lookup(lpn);
    if (psn == ssd::kNoSlot)
      continue;
    ASSERT_EQ(ftl.owner(psn), lpn);
    ++valid[g.block_of(psn)];
    pointed_at[psn] = true;
  }
  for (std::uint32_t block = 0; block < g.blocks(); ++block)
    ASSERT_EQ(ftl.blocks().valid(block), valid[block]) << "block " << block;
  for (std::uint64_t psn = 0; psn < g.slots(); ++psn)
    ASSERT_EQ(ftl.is_valid(static_cast<std::uint32_t>(psn)), pointed_at[psn]) << "slot " << psn;
}

}  // namespace blocksim::testing

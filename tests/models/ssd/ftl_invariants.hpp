// Test support: the FTL's bookkeeping holds: every block's valid count is the number of its slots
// the map points at, and every mapped unit's slot names it as its owner.
#pragma once

#include <gtest/gtest.h>

#include <vector>

#include "models/ssd/ftl.hpp"

namespace blocksim::testing {

inline void expect_consistent(const ssd::Ftl& ftl) {
  const ssd::SsdGeometry& g = ftl.geometry();
  std::vector<std::uint32_t> valid(g.blocks(), 0);
  for (std::uint64_t lpn = 0; lpn < g.logical_units; ++lpn) {
    const std::uint32_t psn = ftl.lookup(lpn);
    if (psn == ssd::kNoSlot)
      continue;
    ASSERT_EQ(ftl.owner(psn), lpn);
    ++valid[g.block_of(psn)];
  }
  for (std::uint32_t block = 0; block < g.blocks(); ++block)
    ASSERT_EQ(ftl.blocks().valid(block), valid[block]) << "block " << block;
}

}  // namespace blocksim::testing

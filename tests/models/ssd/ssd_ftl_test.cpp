// The FTL's pieces without time: the sequential layout and its inverse, the compact map against a
// plain array, and the FTL's bookkeeping (every block's valid count equals the slots the map
// points at) through random writes, trims and garbage collection.
#include <gtest/gtest.h>

#include <unordered_map>
#include <vector>

#include "models/ssd/compact_map.hpp"
#include "models/ssd/ftl.hpp"
#include "models/ssd/preconditioner.hpp"
#include "models/ssd/sequential_layout.hpp"
#include "models/ssd/unit_index.hpp"
#include "sim/core/random.hpp"
#include "tests/models/ssd/ftl_invariants.hpp"

namespace blocksim::ssd {
namespace {

SsdGeometry small_geometry() {
  SsdGeometry g;
  g.channels = 2;
  g.dies_per_channel = 2;
  g.planes_per_die = 2;
  g.blocks_per_plane = 24;
  g.pages_per_block = 12;
  g.pages_per_program = 3;
  g.slots_per_page = 4;
  g.page_bytes = 16384;
  g.unit_bytes = 4096;
  g.logical_units = 6 * 1024;  // of 8 planes x 24 x 48 = 9216 slots
  return g;
}

TEST(SsdSequentialLayout, EveryUnitHasItsOwnSlotAndBack) {
  const SsdGeometry g = small_geometry();
  const std::uint64_t filled = 5000;  // not a whole number of die units
  SequentialLayout layout(g, filled);
  std::vector<int> used(g.slots(), 0);
  for (std::uint64_t lpn = 0; lpn < filled; ++lpn) {
    const std::uint32_t psn = layout.slot_of(lpn);
    ASSERT_LT(psn, g.slots());
    ++used[psn];
    EXPECT_EQ(layout.unit_in(psn), lpn);
  }
  std::uint64_t per_plane_total = 0;
  for (std::uint32_t plane = 0; plane < g.planes(); ++plane) {
    const std::uint64_t slots = layout.plane_slots_used(plane);
    per_plane_total += slots;
    // A prefix of the plane's slots, and nothing after it.
    const std::uint32_t first = g.first_slot(plane * g.blocks_per_plane);
    for (std::uint64_t i = 0; i < g.blocks_per_plane * g.slots_per_block(); ++i)
      EXPECT_EQ(used[first + i], i < slots ? 1 : 0) << "plane " << plane << " slot " << i;
  }
  EXPECT_EQ(per_plane_total, filled);
  // Consecutive units fill a die's program unit, then move to the next channel.
  EXPECT_EQ(g.die_of(layout.slot_of(0)), 0u);
  EXPECT_EQ(g.die_of(layout.slot_of(g.die_program_slots())), 1u);
  EXPECT_EQ(g.channel_of_die(1), 1u);
}

TEST(SsdCompactMap, AgreesWithAPlainArrayAndStaysSmallWhenSparse) {
  const SsdGeometry g = small_geometry();
  SequentialLayout layout(g, 3000);
  CompactMap map(1 << 20);
  map.set_base(&layout);
  std::vector<std::uint32_t> plain(1 << 20, kNoSlot);
  for (std::uint32_t lpn = 0; lpn < 3000; ++lpn)
    plain[lpn] = layout.slot_of(lpn);
  Rng rng(1, 1);
  // Sparse everywhere, then dense in one chunk.
  for (int i = 0; i < 20000; ++i) {
    const auto lpn = static_cast<std::uint32_t>(i < 10000 ? rng.below(1 << 20) : rng.below(4096));
    const auto psn = static_cast<std::uint32_t>(rng.below(3) == 0 ? kNoSlot : rng.below(1u << 30));
    map.set(lpn, psn);
    plain[lpn] = psn;
  }
  // Setting the base value back removes an entry.
  map.set(5, layout.slot_of(5));
  plain[5] = layout.slot_of(5);
  for (std::uint32_t lpn = 0; lpn < plain.size(); ++lpn)
    ASSERT_EQ(map.get(lpn), plain[lpn]) << lpn;
  EXPECT_LT(map.memory_bytes(), 400'000u) << "a plain table would take 4 MiB";
}

TEST(SsdUnitIndex, AgreesWithAHashMapThroughInsertsAndErases) {
  UnitIndex index(5000);
  std::unordered_map<std::uint32_t, std::uint32_t> reference;
  Rng rng(2, 2);
  for (int i = 0; i < 200000; ++i) {
    const auto key = static_cast<std::uint32_t>(rng.below(8000));
    if (rng.below(2) == 0 && reference.size() < 5000) {
      index.insert(key, static_cast<std::uint32_t>(i));
      reference[key] = static_cast<std::uint32_t>(i);
    } else {
      index.erase(key);
      reference.erase(key);
    }
  }
  for (std::uint32_t key = 0; key < 8000; ++key) {
    const auto it = reference.find(key);
    EXPECT_EQ(index.find(key), it == reference.end() ? UnitIndex::kAbsent : it->second);
  }
}

TEST(SsdFtl, BookkeepingHoldsThroughWritesTrimsAndCollections) {
  const SsdGeometry g = small_geometry();
  GcConfig gc;
  Ftl ftl(g, gc);
  Rng rng(3, 3);
  const PreconditionResult result = precondition(ftl, 0.9, 2, rng);
  EXPECT_EQ(result.filled_units, static_cast<std::uint64_t>(0.9 * g.logical_units));
  EXPECT_GT(result.gc_victims, 0u);
  testing::expect_consistent(ftl);
  for (std::uint32_t plane = 0; plane < g.planes(); ++plane)
    EXPECT_GT(ftl.free_blocks(plane), gc.foreground_threshold);

  for (std::uint32_t lpn = 100; lpn < 700; ++lpn)
    ftl.unmap(lpn);
  EXPECT_EQ(ftl.counters().trimmed, 600u);
  // More random writes into the planes in turn, collecting as the preconditioner does.
  for (int i = 0; i < 20000; ++i) {
    const auto plane = static_cast<std::uint32_t>(i % g.planes());
    while (!ftl.has_room(plane, Writer::kHost))
      ASSERT_TRUE(collect_now(ftl, plane));
    ftl.map(static_cast<std::uint32_t>(rng.below(g.logical_units)), ftl.take_slot(plane), Writer::kHost);
    while (ftl.free_blocks(plane) <= gc.foreground_threshold && collect_now(ftl, plane)) {
    }
  }
  testing::expect_consistent(ftl);
  EXPECT_GT(ftl.counters().gc_slots, 0u);
  EXPECT_GT(ftl.counters().erases, 0u);
}

TEST(SsdFtl, GreedyPicksTheBlockWithFewestValidSlots) {
  SsdGeometry g = small_geometry();
  GcConfig gc;
  Ftl ftl(g, gc);
  ftl.apply_sequential_fill(g.logical_units);
  // Invalidate 5 slots in plane 0's block 1 and 2 in its block 0.
  for (std::uint32_t i = 0; i < 5; ++i)
    ftl.unmap(ftl.owner(g.first_slot(1) + i));
  for (std::uint32_t i = 0; i < 2; ++i)
    ftl.unmap(ftl.owner(g.first_slot(0) + i));
  EXPECT_EQ(ftl.choose_victim(0), 1u);
}

}  // namespace
}  // namespace blocksim::ssd

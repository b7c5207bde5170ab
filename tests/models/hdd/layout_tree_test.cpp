// A layout given as a tree (HddLayoutTree, DiskSim's dm_layout_g4) against a mapping worked out by
// hand: 2 surfaces, a band of 4 cylinders walked down on head 0 (10-sector tracks, each turned a
// quarter from the last) and back up on head 1 (8-sector tracks, an eighth apart), the band twice
// over 8 cylinders (the second turned 0.1), and two slipped sectors on head 0's second track.
#include <gtest/gtest.h>

#include <google/protobuf/text_format.h>

#include "models/hdd/hdd_check.hpp"
#include "models/hdd/layout.hpp"

namespace blocksim::hdd {
namespace {

Layout make(const std::string& text) {
  proto::HddLayout config;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &config)) << text;
  return Layout(config);
}

// Slots 0-39: head 0, cylinders 3, 2, 1, 0; slots 40-71: head 1, cylinders 0, 1, 2, 3; then the
// same on cylinders 4-7 from slot 72. Slots 12 and 13 (cylinder 2, head 0, sectors 2 and 3) are
// slipped; 144 slots - 2 slips = 142, of which the drive uses 141 blocks.
const char kTree[] = R"(surfaces: 2 tree {
  blocks: 141
  track_sectors: [10, 8]
  index {
    tracks: true
    slot: [0, 40] cylinder: [3, 0] angle: [0, 0.5] slots: [10, 8] cylinders: [1, 1]
    angle_step: [0.25, 0.125] run_slots: [40, 32] run_cylinders: [-4, 4] child: [0, 1] head: [0, 1]
  }
  index {
    slot: [0] cylinder: [0] angle: [0] slots: [72] cylinders: [4] angle_step: [0.1]
    run_slots: [144] run_cylinders: [8] child: [0]
  }
  slip: [12] slip_count: [2]
})";

TEST(HddLayoutTree, LocatesBlocksDownTheTreeAndPastSlips) {
  const Layout layout = make(kTree);
  EXPECT_EQ(layout.block_count(), 141u);
  EXPECT_EQ(layout.cylinders(), 8u);
  EXPECT_EQ(layout.locate(0), (PhysicalSector{3, 0, 0}));
  EXPECT_EQ(layout.locate(11), (PhysicalSector{2, 0, 1}));   // slot 11, before the slip
  EXPECT_EQ(layout.locate(12), (PhysicalSector{2, 0, 4}));   // slot 14, past it
  EXPECT_EQ(layout.locate(38), (PhysicalSector{0, 1, 0}));   // slot 40: head 1's run
  EXPECT_EQ(layout.locate(70), (PhysicalSector{7, 0, 0}));   // slot 72: the second band, cylinder 4 + 3
  EXPECT_EQ(layout.locate(140), (PhysicalSector{7, 1, 6}));  // slot 142: 4 + 3, sector 142 - 72 - 40 - 24
}

TEST(HddLayoutTree, BlockAtIsTheInverseAndSkipsSlipsAndUnusedSlots) {
  const Layout layout = make(kTree);
  EXPECT_EQ(layout.block_at({2, 0, 2}), std::nullopt);  // slipped
  EXPECT_EQ(layout.block_at({2, 0, 4}), 12u);
  EXPECT_EQ(layout.block_at({0, 1, 0}), 38u);
  EXPECT_EQ(layout.block_at({7, 1, 7}), std::nullopt);  // slot 143 would be block 141: beyond the drive
  EXPECT_EQ(layout.block_at({0, 1, 8}), std::nullopt);  // past the track's 8 sectors
  EXPECT_EQ(layout.block_at({8, 0, 0}), std::nullopt);  // no such cylinder
  for (std::uint64_t lbn = 0; lbn < layout.block_count(); ++lbn)
    EXPECT_EQ(layout.block_at(layout.locate(lbn)), lbn) << lbn;
}

TEST(HddLayoutTree, TrackBlocksSectorsAndAngles) {
  const Layout layout = make(kTree);
  const TrackBlocks slipped = layout.track_blocks({2, 0});  // slots 10-19 less 12, 13
  EXPECT_FALSE(slipped.empty);
  EXPECT_EQ(slipped.first, 10u);
  EXPECT_EQ(slipped.last, 17u);
  const TrackBlocks last = layout.track_blocks({7, 1});  // slots 136-143: blocks 134-140
  EXPECT_EQ(last.first, 134u);
  EXPECT_EQ(last.last, 140u);
  EXPECT_TRUE(layout.track_blocks({8, 1}).empty);
  EXPECT_EQ(layout.sectors_per_track({5, 0}), 10u);
  EXPECT_EQ(layout.sectors_per_track({5, 1}), 8u);
  // Cylinder 1, head 0: two tracks down from cylinder 3, 2 x 0.25; sector 3 of 10 adds 0.3.
  EXPECT_NEAR(layout.sector_angle({1, 0, 3}), 0.8, 1e-12);
  // Cylinder 6, head 1: second band (0.1), third track up (0.5 + 2 x 0.125), sector 4 of 8 (0.5):
  // 1.35, that is 0.35.
  EXPECT_NEAR(layout.sector_angle({6, 1, 4}), 0.35, 1e-12);
}

TEST(HddLayoutTree, InconsistentTreesAreRefused) {
  proto::HddLayout config;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(kTree, &config));
  auto both = config;
  both.add_zone()->set_sectors_per_track(10);
  EXPECT_THROW(Layout{both}, ConfigError);
  auto overlap = config;
  overlap.mutable_tree()->mutable_index(0)->set_cylinder(1, 3);  // head 1 up from 3 over 4 cylinders: fine
  overlap.mutable_tree()->mutable_index(0)->set_head(1, 0);      // but on head 0 it overlaps head 0's run
  EXPECT_THROW(Layout{overlap}, ConfigError);
  auto short_tree = config;
  short_tree.mutable_tree()->set_blocks(143);  // 142 slots hold blocks
  EXPECT_THROW(Layout{short_tree}, ConfigError);
  auto wide = config;
  wide.mutable_tree()->mutable_index(0)->set_slots(1, 9);  // 9 blocks on an 8-sector pattern
  EXPECT_THROW(Layout{wide}, ConfigError);
}

}  // namespace
}  // namespace blocksim::hdd

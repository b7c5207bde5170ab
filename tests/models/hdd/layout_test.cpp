// The HDD layout against mappings worked out by hand on small drives: 10 cylinders, 2 surfaces,
// 10 sectors per track (200 physical sectors), with each sparing scheme, slips, a remap,
// reserved sectors, serpentine order and skews.
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

const char kZone[] = "zone { first_cylinder: 0 last_cylinder: 9 sectors_per_track: 10 ";

TEST(HddLayout, ConventionalFillsATrackThenTheNextSurfaceThenTheNextCylinder) {
  const Layout layout = make(std::string("surfaces: 2 ") + kZone + "}");
  EXPECT_EQ(layout.block_count(), 200u);
  EXPECT_EQ(layout.locate(0), (PhysicalSector{0, 0, 0}));
  EXPECT_EQ(layout.locate(9), (PhysicalSector{0, 0, 9}));
  EXPECT_EQ(layout.locate(10), (PhysicalSector{0, 1, 0}));
  EXPECT_EQ(layout.locate(20), (PhysicalSector{1, 0, 0}));
  EXPECT_EQ(layout.locate(199), (PhysicalSector{9, 1, 9}));
  EXPECT_EQ(layout.block_at({1, 1, 3}), 33u);
  const TrackBlocks track = layout.track_blocks({1, 1});
  EXPECT_FALSE(track.empty);
  EXPECT_EQ(track.first, 30u);
  EXPECT_EQ(track.last, 39u);
}

TEST(HddLayout, SerpentineRunsOddCylindersFromTheLastSurface) {
  const Layout layout = make(std::string("surfaces: 2 mapping: SERPENTINE_PER_ZONE ") + kZone + "}");
  EXPECT_EQ(layout.locate(10), (PhysicalSector{0, 1, 0}));
  EXPECT_EQ(layout.locate(20), (PhysicalSector{1, 1, 0}));  // cylinder 1 starts where cylinder 0 ended
  EXPECT_EQ(layout.locate(30), (PhysicalSector{1, 0, 0}));
  EXPECT_EQ(layout.locate(40), (PhysicalSector{2, 0, 0}));
}

TEST(HddLayout, SpareSectorsPerTrackAbsorbASlipInTheirTrack) {
  // 8 data sectors a track; slot 3 (cylinder 0, surface 0, sector 3) is slipped.
  const Layout layout = make(std::string("surfaces: 2 sparing: SPARE_SECTORS_PER_TRACK ") + kZone + "spares: 2 slip: 3 }");
  EXPECT_EQ(layout.block_count(), 160u);  // 10 cylinders * 2 surfaces * 8
  EXPECT_EQ(layout.locate(2), (PhysicalSector{0, 0, 2}));
  EXPECT_EQ(layout.locate(3), (PhysicalSector{0, 0, 4}));
  EXPECT_EQ(layout.locate(7), (PhysicalSector{0, 0, 8}));
  EXPECT_EQ(layout.locate(8), (PhysicalSector{0, 1, 0}));  // the next track is untouched
  EXPECT_EQ(layout.locate(16), (PhysicalSector{1, 0, 0}));
  EXPECT_FALSE(layout.block_at({0, 0, 3}));                // the slip
  EXPECT_FALSE(layout.block_at({0, 1, 9}));                // a spare
}

TEST(HddLayout, SparesAtTheEndOfTheDiskLetASlipPushEveryLaterBlock) {
  const Layout layout = make(std::string("surfaces: 2 sparing: SPARE_SECTORS_AT_END_OF_DISK ") + kZone + "slip: 3 }");
  EXPECT_EQ(layout.block_count(), 199u);
  EXPECT_EQ(layout.locate(3), (PhysicalSector{0, 0, 4}));
  EXPECT_EQ(layout.locate(9), (PhysicalSector{0, 1, 0}));
  EXPECT_EQ(layout.locate(198), (PhysicalSector{9, 1, 9}));
}

TEST(HddLayout, ZoneSparesSitAtTheZonesEnd) {
  const Layout layout = make(std::string("surfaces: 2 sparing: SPARE_SECTORS_PER_ZONE ") + kZone + "spares: 5 slip: 3 }");
  EXPECT_EQ(layout.block_count(), 195u);
  EXPECT_EQ(layout.locate(3), (PhysicalSector{0, 0, 4}));
  EXPECT_EQ(layout.locate(194), (PhysicalSector{9, 1, 5}));  // slot 195: after the slip, before 4 unused spares
}

TEST(HddLayout, SpareTracksTakeWholeSlippedTracks) {
  const Layout layout = make(std::string("surfaces: 2 sparing: SPARE_TRACKS_PER_ZONE ") + kZone + "spares: 1 slip: 0 }");
  EXPECT_EQ(layout.block_count(), 190u);
  EXPECT_EQ(layout.locate(0), (PhysicalSector{0, 1, 0}));
  EXPECT_EQ(layout.locate(189), (PhysicalSector{9, 1, 9}));  // the spare track is used up
}

TEST(HddLayout, ReservedSectorsAndRemappedDefects) {
  const Layout reserved = make(std::string("surfaces: 2 ") + kZone + "reserved_sectors: 15 }");
  EXPECT_EQ(reserved.block_count(), 185u);
  EXPECT_EQ(reserved.locate(0), (PhysicalSector{0, 1, 5}));
  EXPECT_FALSE(reserved.block_at({0, 0, 7}));

  // One zone spare (slot 199) stands in for the defect at slot 5.
  const Layout remapped =
      make(std::string("surfaces: 2 sparing: SPARE_SECTORS_PER_ZONE ") + kZone + "spares: 1 remap { defect: 5 spare: 199 } }");
  EXPECT_TRUE(remapped.has_remaps());
  EXPECT_EQ(remapped.locate(5), (PhysicalSector{9, 1, 9}));
  EXPECT_EQ(remapped.locate(6), (PhysicalSector{0, 0, 6}));
  EXPECT_FALSE(remapped.block_at({0, 0, 5}));
  EXPECT_EQ(remapped.block_at({9, 1, 9}), 5u);
}

TEST(HddLayout, SkewsPlaceEachTracksFirstBlock) {
  // offset 2, track skew 3, cylinder skew 5 (sectors of 1/10 revolution). The first block of a
  // track sits at offset + (surface + (surfaces - 1) * cylinder) * track skew + cylinder * cylinder
  // skew: (0,0) 2; (0,1) 2+3 = 5; (1,0) 2+3+5 = 10 = 0; (1,1) 2+6+5 = 13 = 3.
  const Layout layout = make(std::string("surfaces: 2 ") + kZone + "first_sector_offset: 2 track_skew: 3 cylinder_skew: 5 }");
  EXPECT_DOUBLE_EQ(layout.sector_angle(layout.locate(0)), 0.2);
  EXPECT_DOUBLE_EQ(layout.sector_angle(layout.locate(10)), 0.5);
  EXPECT_DOUBLE_EQ(layout.sector_angle(layout.locate(20)), 0.0);
  EXPECT_DOUBLE_EQ(layout.sector_angle(layout.locate(30)), 0.3);
  EXPECT_DOUBLE_EQ(layout.sector_angle(layout.locate(34)), 0.7);  // four sectors on
}

TEST(HddLayout, ZonesChangeSectorsPerTrackAndMayLeaveCylindersOut) {
  const Layout layout = make(
      "surfaces: 1 zone { first_cylinder: 0 last_cylinder: 1 sectors_per_track: 20 } "
      "zone { first_cylinder: 3 last_cylinder: 4 sectors_per_track: 10 }");
  EXPECT_EQ(layout.block_count(), 60u);
  EXPECT_EQ(layout.locate(40), (PhysicalSector{3, 0, 0}));  // cylinder 2 holds nothing
  EXPECT_EQ(layout.sectors_per_track({4, 0}), 10u);
}

TEST(HddLayout, InconsistentZonesAreRefusedWithTheirField) {
  proto::HddLayout config;
  google::protobuf::TextFormat::ParseFromString(
      "surfaces: 1 zone { first_cylinder: 0 last_cylinder: 5 sectors_per_track: 10 } "
      "zone { first_cylinder: 5 last_cylinder: 9 sectors_per_track: 10 }",
      &config);
  try {
    Layout layout(config);
    FAIL() << "overlapping zones accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.path(), (ConfigPath{{"zone", 1}, {"first_cylinder", -1}}));
  }
}

}  // namespace
}  // namespace blocksim::hdd

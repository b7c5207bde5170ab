// The HDD's cache rules on four 256-block segments and a layout of 100-block tracks, two to a
// cylinder (blocks 0-99 on head 0 of cylinder 0, 100-199 on head 1): hits and misses counted as
// reads arrive, read-ahead bounds worked out by hand, the water marks, and what the arm reads
// for a read that has its turn.
#include <gtest/gtest.h>

#include <google/protobuf/text_format.h>

#include <memory>

#include "models/hdd/cache_rules.hpp"

namespace blocksim::hdd {
namespace {

class HddCacheRules : public ::testing::Test {
 protected:
  void SetUp() override {
    proto::HddLayout config;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(
        "surfaces: 2 zone { first_cylinder: 0 last_cylinder: 999 sectors_per_track: 100 }", &config));
    layout_ = std::make_unique<Layout>(config);
    settings_.segments = 4;
    settings_.segment_sectors = 256;
    settings_.read_ahead = ReadAhead::kSegmentFull;
    cache_ = std::make_unique<SegmentCache>(settings_);
    rules_ = std::make_unique<CacheRules>(*cache_, settings_, *layout_);
  }
  static Command read(std::uint64_t lba, std::uint64_t blocks) {
    Command c;
    c.op = Op::kRead;
    c.lba = lba;
    c.blocks = blocks;
    return c;
  }
  // Segment `index` holds clean blocks [start, end).
  void holding(int index, std::uint64_t start, std::uint64_t end) {
    cache_->reset(index, start, SegmentState::kClean);
    cache_->grow(index, end);
  }

  CacheSettings settings_;
  std::unique_ptr<Layout> layout_;
  std::unique_ptr<SegmentCache> cache_;
  std::unique_ptr<CacheRules> rules_;
};

TEST_F(HddCacheRules, ArrivingReadsAreCountedAsWholeHitsPartialHitsOrMisses) {
  holding(2, 100, 200);
  EXPECT_EQ(rules_->choose_on_arrival(read(120, 8), true).hit, Hit::kWhole);
  EXPECT_EQ(rules_->choose_on_arrival(read(190, 20), true).hit, Hit::kPartial);
  const SegmentChoice miss = rules_->choose_on_arrival(read(5000, 8), true);
  EXPECT_EQ(miss.hit, Hit::kMiss);
  EXPECT_NE(miss.segment, 2);  // not the segment holding data
  EXPECT_EQ(rules_->hits(), 1u);
  EXPECT_EQ(rules_->partial_hits(), 1u);
  EXPECT_EQ(rules_->misses(), 1u);
}

TEST_F(HddCacheRules, ReadAheadBounds) {
  const Command r = read(10, 8);  // ends at block 18
  const Segment& s = (*cache_)[0];
  settings_.max_read_ahead = 128;
  EXPECT_EQ(rules_->read_ahead_limit(r, s), 18u + 128);
  settings_.max_read_ahead = 0;
  EXPECT_EQ(rules_->read_ahead_limit(r, s), 18u + 256);  // a segment's worth past the read
  settings_.read_ahead = ReadAhead::kNone;
  settings_.min_read_ahead = 4;
  EXPECT_EQ(rules_->read_ahead_limit(r, s), 22u);
  // To the end of the read's last track; a segment that began on the track before (a stream
  // crossing tracks) reads one more track.
  settings_.read_ahead = ReadAhead::kNextTrackEnd;
  EXPECT_EQ(rules_->read_ahead_limit(r, s), 100u);
  holding(1, 90, 158);
  EXPECT_EQ(rules_->read_ahead_limit(read(150, 8), (*cache_)[1]), 300u);
  // Never past the last block (1000 cylinders of 200 blocks).
  settings_.read_ahead = ReadAhead::kSegmentFull;
  EXPECT_EQ(rules_->read_ahead_limit(read(199'990, 8), s), 200'000u);
}

TEST_F(HddCacheRules, WaterMarks) {
  settings_.read_water_mark = 0.5;
  EXPECT_EQ(rules_->read_water_mark(8), 4u);
  EXPECT_EQ(rules_->read_water_mark(1000), 128u);  // capped at a segment: 256 x 0.5
  EXPECT_EQ(rules_->read_water_mark(1), 1u);       // at least a block
  settings_.water_mark_of_request = false;
  settings_.read_water_mark = 0.3;
  EXPECT_EQ(rules_->read_water_mark(8), 77u);  // 256 x 0.3 = 76.8, rounded up
  settings_.write_water_mark = 0.25;
  EXPECT_EQ(rules_->write_water_mark(10), 2u);  // 2.5, rounded down
  EXPECT_EQ(rules_->write_water_mark(2), 1u);   // at least a block
}

TEST_F(HddCacheRules, APartialHitHasWhatTheSegmentHoldsOfItAvailable) {
  holding(0, 96, 110);
  Command r = read(100, 16);
  r.segment = 0;
  EXPECT_EQ(rules_->available(r), 10u);  // blocks 100..109
  settings_.immediate_partial_transfer = false;
  settings_.read_water_mark = 0.75;  // 12 of its 16 blocks
  r.hit = Hit::kPartial;
  EXPECT_FALSE(rules_->enough_buffered(r));
  settings_.read_water_mark = 0.5;  // 8
  EXPECT_TRUE(rules_->enough_buffered(r));
}

TEST_F(HddCacheRules, AMissReadsItsBlocksThenAheadUnlessOtherJobsWait) {
  settings_.max_read_ahead = 128;
  Command r = read(1000, 8);
  r.segment = 3;
  rules_->claim(3, Hit::kMiss, r.lba);
  EXPECT_EQ((*cache_)[3].users, 1u);
  rules_->extend_read_ahead(r);
  EXPECT_EQ((*cache_)[3].max_read_ahead, 1136u);
  ReadPlan plan = rules_->plan_read(r, false);
  EXPECT_TRUE(plan.start && plan.for_command);
  EXPECT_EQ(plan.access.segment, 3u);
  EXPECT_EQ(plan.access.next, 1000u);
  EXPECT_EQ(plan.access.foreground_end, 1008u);
  EXPECT_EQ(plan.access.end, 1136u);
  plan = rules_->plan_read(r, true);
  EXPECT_EQ(plan.access.end, 1008u);
}

TEST_F(HddCacheRules, AWholeHitReadsAheadOnlyWhenAskedTo) {
  settings_.max_read_ahead = 128;
  holding(0, 0, 50);
  Command r = read(10, 8);
  r.segment = 0;
  rules_->extend_read_ahead(r);
  EXPECT_FALSE(rules_->plan_read(r, false).start);
  settings_.read_ahead_on_hit = true;
  const ReadPlan plan = rules_->plan_read(r, false);
  EXPECT_TRUE(plan.start);
  EXPECT_FALSE(plan.for_command);
  EXPECT_EQ(plan.access.next, 50u);
  EXPECT_EQ(plan.access.foreground_end, 50u);  // all of it read-ahead
  EXPECT_EQ(plan.access.end, 146u);
}

TEST_F(HddCacheRules, AReadLeavesASharedSegmentThatMovedPastItsNextBlock) {
  holding(0, 300, 400);
  Command r = read(10, 8);
  r.segment = 0;
  (*cache_)[0].users = 2;
  rules_->leave_moved_on_segment(r);
  EXPECT_EQ(r.segment, -1);
  EXPECT_EQ((*cache_)[0].users, 1u);
}

TEST_F(HddCacheRules, ACompletedReadReleasesItsSegment) {
  holding(0, 0, 100);
  Command r = read(0, 20);
  r.segment = 0;
  (*cache_)[0].users = 1;
  settings_.keep_request_data = -1;  // its blocks leave with it
  rules_->release(r);
  EXPECT_EQ((*cache_)[0].users, 0u);
  EXPECT_EQ((*cache_)[0].start, 20u);
}

}  // namespace
}  // namespace blocksim::hdd

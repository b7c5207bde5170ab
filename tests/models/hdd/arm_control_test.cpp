// The arm's client side on a small drive (6000 rpm: 100 sectors of 0.1 ms a track, the platter
// at angle 0 at time 0, the arm on cylinder 0): a free arm takes the scheduler's job and says
// when it has none; preseek level 0 holds the arm until the served read completes unless the
// port waits for the media; a read fills its segment and leaves it clean; a write-out puts its
// blocks on the media; DiskSim's rules for a command arriving while the arm reads.
#include <gtest/gtest.h>

#include <google/protobuf/text_format.h>

#include <limits>
#include <memory>
#include <vector>

#include "models/hdd/arm_control.hpp"

namespace blocksim::hdd {
namespace {

constexpr double kMs = 1e6;

struct RecordingHost final : ArmHost {
  bool port_waits_for_media() const override { return port_waits; }
  void begin_job(const MediaJob& job) override { begun.push_back(job.id); }
  void arm_out_of_work() override { ++out_of_work; }
  void arm_took_job() override { ++took; }
  void retry_segment_waiters() override { ++retries; }
  std::uint64_t read_room_limit(int, double) override { return std::numeric_limits<std::uint64_t>::max(); }
  double write_data_ready_ns(int, std::uint64_t) override { return 0; }
  void written_to(int, std::uint64_t written) override { written_up_to = written; }
  void write_out_ended(int segment) override {
    ended.push_back(segment);
    ended_at = engine->now();
  }
  void segment_moved(int segment) override {
    moved.push_back(segment);
    moved_at = engine->now();
  }

  Engine* engine = nullptr;
  bool port_waits = false;
  std::vector<std::uint32_t> begun;
  int out_of_work = 0, took = 0, retries = 0;
  std::uint64_t written_up_to = 0;
  std::vector<int> ended, moved;
  SimTime ended_at = -1, moved_at = -1;
};

class HddArmControl : public ::testing::Test {
 protected:
  void SetUp() override {
    proto::HddDevice config;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(R"(
        mechanics {
          rpm: 6000
          seek { table { point { cylinders: 1 time: "1ms" } point { cylinders: 999 time: "10.98ms" } } } }
        layout { surfaces: 2 zone { first_cylinder: 0 last_cylinder: 999 sectors_per_track: 100
                                    track_skew: 10 cylinder_skew: 20 } })",
                                                              &config));
    layout_ = std::make_unique<Layout>(config.layout());
    mechanics_ = std::make_unique<Mechanics>(config.mechanics(), *layout_);
    settings_.cache.segments = 2;
    settings_.cache.segment_sectors = 256;
    cache_ = std::make_unique<SegmentCache>(settings_.cache);
    host_.engine = &engine_;
    control_ = std::make_unique<ArmControl>(engine_, *mechanics_, *cache_, settings_, host_);
  }

  // Reads blocks [first, end) into segment `segment`.
  void read(int segment, std::uint64_t first, std::uint64_t end) {
    cache_->reset(segment, first, SegmentState::kClean);
    ArmAccess a;
    a.segment = static_cast<std::uint32_t>(segment);
    a.next = first;
    a.end = a.foreground_end = end;
    control_->start_read(a, 0);
  }

  Engine engine_;
  Settings settings_;
  RecordingHost host_;
  std::unique_ptr<Layout> layout_;
  std::unique_ptr<Mechanics> mechanics_;
  std::unique_ptr<SegmentCache> cache_;
  std::unique_ptr<ArmControl> control_;
};

TEST_F(HddArmControl, AFreeArmTakesTheNextJobOrSaysItHasNone) {
  control_->start_next();
  EXPECT_EQ(host_.out_of_work, 1);
  control_->add_job(7, 100, false, 0, false, false);
  control_->start_next();  // the host starts nothing: the arm stays free and asks again
  EXPECT_EQ(host_.begun, std::vector<std::uint32_t>{7});
  EXPECT_EQ(host_.took, 1);
  EXPECT_EQ(host_.out_of_work, 2);
  EXPECT_TRUE(control_->jobs().empty());
}

TEST_F(HddArmControl, PreseekLevelZeroHoldsTheArmUntilTheServedReadCompletes) {
  settings_.preseek_level = 0;
  control_->hold_for(3);
  control_->add_job(7, 100, false, 0, false, false);
  control_->start_next();
  EXPECT_TRUE(host_.begun.empty());
  host_.port_waits = true;  // that completion could never be sent: the arm goes on
  control_->start_next();
  EXPECT_EQ(host_.begun, std::vector<std::uint32_t>{7});
  host_.port_waits = false;
  control_->add_job(8, 100, false, 0, false, false);
  control_->completed(4);  // another command's completion does not free it
  control_->start_next();
  EXPECT_EQ(host_.begun.size(), 1u);
  control_->completed(3);
  control_->start_next();
  EXPECT_EQ(host_.begun, (std::vector<std::uint32_t>{7, 8}));
}

TEST_F(HddArmControl, AReadFillsItsSegmentAndLeavesItClean) {
  // Blocks 0..9 are sectors 0-9 of (0, 0), under the head from time 0: done at 1 ms.
  read(1, 0, 10);
  EXPECT_EQ((*cache_)[1].state, SegmentState::kReading);
  EXPECT_EQ(control_->reading_segment(), 1);
  engine_.run();
  EXPECT_EQ((*cache_)[1].state, SegmentState::kClean);
  EXPECT_EQ((*cache_)[1].end, 10u);
  EXPECT_EQ(control_->reading_segment(), -1);
  EXPECT_EQ(host_.moved.back(), 1);
  EXPECT_NEAR(static_cast<double>(host_.moved_at), 1.0 * kMs, 2);
  EXPECT_GE(host_.retries, 1);
  EXPECT_EQ(control_->media_reads(), 1u);
}

TEST_F(HddArmControl, AWriteOutPutsTheSegmentsBlocksOnTheMedia) {
  cache_->reset(0, 0, SegmentState::kDirty);
  cache_->grow(0, 10);
  control_->claim_for_write_out(0);
  EXPECT_EQ((*cache_)[0].state, SegmentState::kWriting);
  ArmAccess a;
  a.write = true;
  a.segment = 0;
  a.next = 0;
  a.end = a.foreground_end = 10;
  control_->start(a, 0);
  engine_.run();
  EXPECT_EQ(host_.written_up_to, 10u);
  EXPECT_EQ(host_.ended, std::vector<int>{0});
  EXPECT_NEAR(static_cast<double>(host_.ended_at), 1.0 * kMs, 2);
  EXPECT_EQ(control_->media_writes(), 1u);
}

TEST_F(HddArmControl, ACommandJoinsAReadOfItsBlocksAndMayNotStopAReadStillServingOne) {
  Command hit;
  hit.op = Op::kRead;
  hit.lba = 2;
  hit.blocks = 8;
  EXPECT_EQ(control_->stop_rule(hit), ArmStop::kStop);  // an idle arm
  read(0, 0, 50);
  engine_.run_until(static_cast<SimTime>(0.5 * kMs));
  control_->sync_reading_segment();
  EXPECT_EQ((*cache_)[0].end, 5u);  // blocks 0..4 are in by 0.5 ms
  EXPECT_EQ(control_->stop_rule(hit), ArmStop::kSwap);  // its first block is in the segment
  Command next = hit;
  next.lba = 5;  // the block the head reads next: a hit only with almost_read_hits
  EXPECT_NE(control_->stop_rule(next), ArmStop::kSwap);
  settings_.cache.almost_read_hits = true;
  EXPECT_EQ(control_->stop_rule(next), ArmStop::kSwap);
  Command elsewhere;
  elsewhere.op = Op::kRead;
  elsewhere.lba = 5000;
  elsewhere.blocks = 8;
  (*cache_)[0].users = 1;  // the read it serves has not completed
  EXPECT_EQ(control_->stop_rule(elsewhere), ArmStop::kNo);
}

}  // namespace
}  // namespace blocksim::hdd

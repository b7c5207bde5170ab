// The HDD's write-out of its write cache, driven through a host that records what it is asked:
// one job per dirty segment, the water marks (high: 3 of 4 write segments, low: 1), the idle
// write-out of the least recently used dirty segment, a flush that waits for the data dirty when
// it came and not for later data, segment waiters served oldest first, and durability: blocks a
// newer dirty copy shadows stay volatile.
#include <gtest/gtest.h>

#include <utility>
#include <vector>

#include "models/hdd/write_destage.hpp"

namespace blocksim::hdd {
namespace {

struct RecordingHost : DestageHost {
  void add_write_out_job(int segment, std::uint64_t lbn, SimTime ready) override {
    jobs.push_back({segment, lbn, ready});
  }
  void start_arm() override { ++arm_starts; }
  bool arm_has_work() const override { return busy; }
  void sync_writing_segment() override {}
  bool segment_available(std::uint32_t command) override { return command != blocked; }
  void segment_waiter_resumed(std::uint32_t command) override { resumed.push_back(command); }
  void flush_met(std::uint32_t command) override { flushes_met.push_back(command); }
  bool keeps_data() const override { return true; }
  void made_durable(std::uint64_t first, std::uint64_t blocks) override { durable.emplace_back(first, blocks); }

  struct Job {
    int segment;
    std::uint64_t lbn;
    SimTime ready;
    bool operator==(const Job&) const = default;
  };
  std::vector<Job> jobs;
  int arm_starts = 0;
  bool busy = false;
  std::uint32_t blocked = 99;
  std::vector<std::uint32_t> resumed, flushes_met;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> durable;
};

class HddWriteDestage : public ::testing::Test {
 protected:
  static CacheSettings settings() {
    CacheSettings s;
    s.segments = 4;
    s.write_segments = 4;
    s.destage_at_once = false;
    s.destage_high = 0.75;
    s.destage_low = 0.25;
    s.destage_idle = 1000;
    return s;
  }
  // Segment `index` holds dirty blocks [start, end), none on the media yet.
  void dirty(int index, std::uint64_t start, std::uint64_t end) {
    cache_.reset(index, start, SegmentState::kDirty);
    cache_.grow(index, end);
    cache_.touch(index);
  }

  Engine engine_;
  CacheSettings settings_ = settings();
  SegmentCache cache_{settings_};
  RecordingHost host_;
  WriteDestage destage_{engine_, cache_, settings_, host_};
};

TEST_F(HddWriteDestage, ASegmentHasOneWriteOutJobAtATimeFromItsWrittenMark) {
  dirty(1, 100, 200);
  destage_.advance_written(1, 150);
  destage_.queue(1, 7);
  destage_.queue(1, 9);
  EXPECT_EQ(host_.jobs, (std::vector<RecordingHost::Job>{{1, 150, 7}}));
  destage_.write_out_ended(1);  // stopped at 150: still dirty, and may be queued again
  EXPECT_EQ(cache_[1].state, SegmentState::kDirty);
  EXPECT_FALSE(destage_.queued(1));
}

TEST_F(HddWriteDestage, WaterMarksStartAtThreeDirtySegmentsAndStopAtOne) {
  dirty(0, 0, 10);
  dirty(1, 100, 110);
  destage_.check_triggers();
  EXPECT_TRUE(host_.jobs.empty());  // 2 of 4: below ceil(0.75 x 4) = 3
  dirty(2, 200, 210);
  destage_.check_triggers();
  EXPECT_TRUE(destage_.destaging());
  EXPECT_EQ(host_.jobs.size(), 3u);
  for (int i : {0, 1}) {
    destage_.advance_written(i, cache_[i].end);
    destage_.write_out_ended(i);
  }
  destage_.check_triggers();  // 1 dirty: at floor(0.25 x 4) = 1, the write-out stops
  EXPECT_FALSE(destage_.destaging());
}

TEST_F(HddWriteDestage, AnIdleArmWritesOutTheLeastRecentlyUsedDirtySegment) {
  dirty(2, 200, 210);
  dirty(0, 0, 10);  // used after 2
  destage_.arm_out_of_work();
  engine_.run();
  EXPECT_EQ(host_.jobs, (std::vector<RecordingHost::Job>{{2, 200, 1000}}));
}

TEST_F(HddWriteDestage, AJobTakenSinceTheArmWentIdleCancelsTheIdleWriteOut) {
  dirty(0, 0, 10);
  destage_.arm_out_of_work();
  destage_.arm_took_job();
  engine_.run();
  EXPECT_TRUE(host_.jobs.empty());
}

TEST_F(HddWriteDestage, AFlushWaitsForTheDataDirtyWhenItCameNotForLaterData) {
  dirty(0, 0, 10);
  destage_.add_flush(5);
  EXPECT_EQ(host_.jobs, (std::vector<RecordingHost::Job>{{0, 0, 0}}));  // it starts the write-out
  cache_.grow(0, 20);  // a later write appends to the segment
  destage_.advance_written(0, 10);
  destage_.check_flushes();
  EXPECT_EQ(host_.flushes_met, std::vector<std::uint32_t>{5});
  EXPECT_EQ(destage_.pending_flushes(), 0u);
}

TEST_F(HddWriteDestage, SegmentWaitersGoOnOldestFirstUntilOneFindsNone) {
  destage_.wait_for_segment(1);
  destage_.wait_for_segment(2);
  destage_.wait_for_segment(3);
  host_.blocked = 2;
  destage_.retry_segment_waiters();
  EXPECT_EQ(host_.resumed, std::vector<std::uint32_t>{1});
  EXPECT_TRUE(destage_.waits_for_segment(2));
  EXPECT_TRUE(destage_.waits_for_segment(3));
}

TEST_F(HddWriteDestage, BlocksANewerDirtyCopyHoldsStayVolatile) {
  dirty(0, 0, 100);
  dirty(1, 40, 60);  // newer copy of 40..59
  destage_.advance_written(0, 100);
  EXPECT_EQ(host_.durable, (std::vector<std::pair<std::uint64_t, std::uint64_t>>{{0, 40}, {60, 40}}));

  Command write;
  write.write_back = true;
  write.segment = 1;
  write.lba = 40;
  write.blocks = 20;
  EXPECT_EQ(destage_.completed_write_durability(write), Durability::kVolatile);
  destage_.advance_written(1, 60);
  EXPECT_EQ(destage_.completed_write_durability(write), Durability::kDurable);
}

}  // namespace
}  // namespace blocksim::hdd

// The logs a split replay's parts write (ReplayPartLog) and their merge by time into what one
// process counts (merge_replay_parts): the events come back as written, whatever their size, and
// the in-flight peak is that of all parts' events together, worked out here by hand.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "sim/replay/replay_part.hpp"

namespace blocksim {
namespace {

class ReplayPartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::filesystem::temp_directory_path() /
              ("replay_part_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(folder_);
  }
  void TearDown() override { std::filesystem::remove_all(folder_); }

  std::string write(const std::string& name, const std::vector<ReplayPartEvent>& events, ReplayPartTally tally) {
    const std::string path = (folder_ / name).string();
    ReplayPartLog log(path);
    for (const auto& event : events)
      log.add(event);
    log.finish(tally);
    return path;
  }

  std::filesystem::path folder_;
};

ReplayPartEvent issue(SimTime t) { return {t, -1, 0, ReplayPartEvent::kIssue, 0}; }
ReplayPartEvent done(SimTime t) { return {t, -1, 0, ReplayPartEvent::kComplete, 0}; }
ReplayPartEvent compared(SimTime t, SimTime measured, SimTime simulated, bool from_dispatch) {
  return {t, measured, simulated, ReplayPartEvent::kComplete, from_dispatch ? 1U : 0U};
}

TEST_F(ReplayPartTest, TwoPartsMergeByTimeIntoOnePeak) {
  // Part 0: requests in flight over [10, 50) and [30, 60); part 1: [20, 40) and [40, 70). All
  // together: 1 at 10, 2 at 20, 3 at 30, 2 at 40 (a completion goes before an arrival at the
  // same instant, so the arrival at 40 finds 2, making 3 again), 2 at 50, 1 at 60, 0 at 70.
  const std::string a = write("a", {issue(10), issue(30), done(50), done(60)}, {2, 2, 0, 0, 0});
  const std::string b = write("b", {issue(20), done(40), issue(40), done(70)}, {2, 2, 1, 0, 0});
  const MergedReplayParts merged = merge_replay_parts({a, b});
  EXPECT_EQ(merged.tally.issued, 4U);
  EXPECT_EQ(merged.tally.completed, 4U);
  EXPECT_EQ(merged.tally.failed, 1U);
  EXPECT_EQ(merged.load.peak_in_flight, 3U);
  EXPECT_EQ(merged.load.peak_at, 30);
  EXPECT_EQ(merged.load.first_arrival, 10);
  EXPECT_EQ(merged.load.last_arrival, 40);
  EXPECT_EQ(merged.load.in_flight_at_last_arrival, 3U);
  EXPECT_EQ(merged.load.last_completion, 70);
  EXPECT_EQ(merged.load.comparison.count(), 0U);
}

TEST_F(ReplayPartTest, MeasuredLatenciesAndTimesOfAnySizeComeBackAsWritten) {
  // Times past what fits beside the flags take a word of their own; completions with measured
  // latencies carry both latencies; more events than one block of the log's buffer.
  const SimTime huge = (SimTime{1} << 62) + 12345;
  std::vector<ReplayPartEvent> events;
  for (SimTime i = 0; i < 20000; ++i) {
    events.push_back(issue(i * 10));
    events.push_back(compared(i * 10 + 5, 1000 + i, 2000 + 2 * i, i % 2 == 0));
  }
  events.push_back(issue(huge));
  events.push_back(compared(huge + 1, 7, 9, true));
  const MergedReplayParts merged = merge_replay_parts({write("a", events, {20001, 20001, 0, 0, 0})});
  EXPECT_EQ(merged.load.peak_in_flight, 1U);
  EXPECT_EQ(merged.load.last_arrival, huge);
  EXPECT_EQ(merged.load.last_completion, huge + 1);
  EXPECT_EQ(merged.load.comparison.count(), 20001U);
  EXPECT_EQ(merged.load.comparison.measured().min(), 7U);
  EXPECT_EQ(merged.load.comparison.measured().max(), 1000U + 19999U);
  EXPECT_EQ(merged.load.comparison.simulated().max(), 2000U + 2 * 19999U);
  EXPECT_EQ(merged.load.compared_from, MeasuredFrom::kDispatch);  // the last one's
}

TEST_F(ReplayPartTest, ALogCutInsideAnEventIsRefusedByName) {
  const std::string a = write("a", {compared(5, 100, 200, false)}, {1, 1, 0, 0, 0});
  std::filesystem::resize_file(a, 16);  // the first word and one latency of three words
  try {
    merge_replay_parts({a});
    FAIL() << "a damaged log was read";
  } catch (const std::runtime_error& error) {
    EXPECT_NE(std::string(error.what()).find(a), std::string::npos) << error.what();
  }
}

TEST_F(ReplayPartTest, AMissingTallyIsRefusedByName) {
  const std::string a = write("a", {issue(1), done(2)}, {1, 1, 0, 0, 0});
  std::filesystem::remove(a + ".tally");
  EXPECT_THROW(merge_replay_parts({a}), std::runtime_error);
}

}  // namespace
}  // namespace blocksim

// The timing modes on the reference device: open loop at the recorded times (from the first
// request), scaled times, a closed loop that never has more than its depth outstanding, repeats
// and request limits. Times are checked on the device's records, whose submit is the moment the
// replay issued the request.
#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/recording_sink.hpp"
#include "tests/support/temp_file.hpp"

namespace blocksim {
namespace {

// 4 KiB blocks, 64 tags, 64 media servers of 10 us: no request waits for another.
std::string scenario(const std::string& trace, const std::string& replay_fields) {
  return R"(
    device { name: "d" capacity: "1GiB" block_size: "4KiB" interface_rate: "100GB/s"
             reference { queue_depth: 64 media_servers: 64 service { fixed: "10us" } } }
    workload { replay { path: ")" + trace + "\" " + replay_fields + " } }";
}

// MQSim lines: arrival ns, device, lba (sectors), sectors, type.
const char* kTrace =
    "1000 0 0 8 1\n"
    "5000 0 8 8 0\n"
    "5000 0 16 8 1\n"
    "20000 0 24 8 1\n";

std::vector<SimTime> submits(const std::vector<CompletionRecord>& records) {
  std::vector<SimTime> times;
  for (const auto& r : records)
    times.push_back(r.submit);
  std::sort(times.begin(), times.end());
  return times;
}

TEST(ReplayTiming, AsRecordedFromTheFirstRequest) {
  testing::TempFile trace(kTrace);
  const auto records = testing::run_and_record(scenario(trace.path(), ""));
  EXPECT_EQ(submits(records), (std::vector<SimTime>{0, 4000, 4000, 19000}));
}

// One run per test: SimGrid allows one engine per process.
TEST(ReplayTiming, ScaledFaster) {
  testing::TempFile trace(kTrace);
  EXPECT_EQ(submits(testing::run_and_record(scenario(trace.path(), "scaled { factor: 0.5 }"))),
            (std::vector<SimTime>{0, 2000, 2000, 9500}));
}

TEST(ReplayTiming, ScaledSlower) {
  testing::TempFile trace(kTrace);
  EXPECT_EQ(submits(testing::run_and_record(scenario(trace.path(), "scaled { factor: 3 }"))),
            (std::vector<SimTime>{0, 12000, 12000, 57000}));
}

TEST(ReplayTiming, TimeGoingBackwardsIssuesAtOnce) {
  testing::TempFile trace("1000 0 0 8 1\n50000 0 8 8 1\n30000 0 16 8 1\n");
  const auto records = testing::run_and_record(scenario(trace.path(), ""));
  EXPECT_EQ(submits(records), (std::vector<SimTime>{0, 49000, 49000}));
}

TEST(ReplayTiming, ClosedLoopNeverExceedsItsDepth) {
  std::string lines;
  for (int i = 0; i < 500; ++i)
    lines += std::to_string(i * 1'000'000) + " 0 " + std::to_string(i * 8) + " 8 " + (i % 3 ? "1" : "0") + "\n";
  testing::TempFile trace(lines);
  const auto records = testing::run_and_record(scenario(trace.path(), "closed { queue_depth: 4 }"));
  ASSERT_EQ(records.size(), 500u);
  std::uint32_t deepest = 0;
  for (const auto& r : records)
    deepest = std::max(deepest, r.queue_depth);
  EXPECT_EQ(deepest, 3u);  // at most 4 outstanding: 3 others when one arrives
  // Recorded times (one a millisecond) are ignored: 500 requests 4 at a time take 125 rounds of
  // 10 us of service, plus the bus moving at most 4 x 4 KiB at 100 GB/s (164 ns) a round.
  const SimTime last = std::max_element(records.begin(), records.end(), [](auto& a, auto& b) {
                         return a.complete < b.complete;
                       })->complete;
  EXPECT_GE(last, 125 * 10'000);
  EXPECT_LE(last, 125 * (10'000 + 164));
}

TEST(ReplayTiming, RepeatStartsEachPassAfterThePrevious) {
  testing::TempFile trace(kTrace);
  // The second pass starts one mean gap (19000 / 3 ns) after the first pass's last request.
  const auto twice = testing::run_and_record(scenario(trace.path(), "repeat: 2"));
  const SimTime second = 19000 + 19000 / 3;
  EXPECT_EQ(submits(twice),
            (std::vector<SimTime>{0, 4000, 4000, 19000, second, second + 4000, second + 4000, second + 19000}));
}

TEST(ReplayTiming, RequestLimit) {
  testing::TempFile trace(kTrace);
  EXPECT_EQ(testing::run_and_record(scenario(trace.path(), "repeat: 2 requests: 6")).size(), 6u);
}

}  // namespace
}  // namespace blocksim

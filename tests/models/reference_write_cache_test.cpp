// The reference device's write cache, timed by hand: 100 us of media per request and 4 KiB of DMA
// over a 1 GB/s bus (4.096 us). A write into the enabled cache completes when its data is in
// (4.096 us); a write with the cache off, or with FUA, also goes to the media (104.096 us). Each
// write is judged by its own FUA flag, whether it started at once or waited for a tag, and
// whatever the request in its slot before it was.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

constexpr SimTime kDma = 4'096;
constexpr SimTime kMedia = 100'000;

std::string scenario(const std::string& cache, const std::string& job, int tags = 32) {
  return R"(
    bus { name: "bus" bandwidth: "1GB/s" }
    device { capacity: "64MiB" block_size: "4KiB" )" + cache + R"(
             reference { queue_depth: )" + std::to_string(tags) + R"( media_servers: 1 service { fixed: "100us" } } }
    workload { job { read_fraction: 0 block_size: "4KiB" )" + job + R"( requests: 200 } })";
}

TEST(ReferenceWriteCache, AWriteIntoTheCacheCompletesWhenItsDataIsIn) {
  const auto records = testing::run_and_record(scenario("write_cache { present: true }", ""));
  ASSERT_EQ(records.size(), 200u);
  for (const auto& r : records)
    EXPECT_EQ(r.complete - r.submit, kDma) << r.request_id;
}

// Every write of the run took `expected` from dispatch to completion.
void expect_each_write_takes(const std::string& text, SimTime expected) {
  const auto records = testing::run_and_record(text);
  ASSERT_EQ(records.size(), 200u);
  for (const auto& r : records)
    EXPECT_EQ(r.complete - r.dispatch, expected) << r.request_id;
}

// (SimGrid allows one engine per process: one run per test.)
TEST(ReferenceWriteCache, WithTheCacheOffAWriteGoesToTheMedia) {
  expect_each_write_takes(scenario("write_cache { present: true enabled: false }", ""), kDma + kMedia);
}

TEST(ReferenceWriteCache, WithoutACacheAWriteGoesToTheMedia) {
  expect_each_write_takes(scenario("", ""), kDma + kMedia);
}

TEST(ReferenceWriteCache, AForceUnitAccessWriteGoesToTheMedia) {
  expect_each_write_takes(scenario("write_cache { present: true }", "fua_fraction: 1"), kDma + kMedia);
}

// Half the writes with FUA; each is timed by its own flag, from dispatch to completion.
void expect_mixed_writes_timed_by_their_flags(const std::string& text, bool some_wait) {
  const auto records = testing::run_and_record(text);
  ASSERT_EQ(records.size(), 200u);
  int fua = 0, waited = 0;
  for (const auto& r : records) {
    const bool forced = r.flags & kFlagFua;
    fua += forced;
    waited += r.dispatch > r.submit;
    EXPECT_EQ(r.complete - r.dispatch, forced ? kDma + kMedia : kDma) << r.request_id;
  }
  EXPECT_GT(fua, 60);
  EXPECT_LT(fua, 140);
  EXPECT_EQ(waited > 0, some_wait);
}

// One at a time: every write starts at once, in the slot the write before it left.
TEST(ReferenceWriteCache, MixedWritesStartingAtOnce) {
  expect_mixed_writes_timed_by_their_flags(
      scenario("write_cache { present: true }", "fua_fraction: 0.5 closed { queue_depth: 1 }"), false);
}

// One tag, four writes outstanding: each waits for the tag, then has the device to itself.
TEST(ReferenceWriteCache, MixedWritesWaitingForATag) {
  expect_mixed_writes_timed_by_their_flags(
      scenario("write_cache { present: true }", "fua_fraction: 0.5 closed { queue_depth: 4 }", 1), true);
}

}  // namespace
}  // namespace blocksim

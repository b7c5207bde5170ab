// Every command completes exactly once, whatever the mix: the shipped drives under deep queues,
// each scheduler, reads and writes of many sizes, sequential and random, FUA, write-back and
// write-through, few and many segments. A lost or doubled completion shows as a count that is off.
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

std::string profile(const std::string& name) {
  return std::string(BLOCKSIM_SOURCE_DIR) + "/scenarios/profiles/" + name + ".textproto";
}

void check_all_complete(const std::string& drive, const std::string& hdd, const std::string& job, int requests) {
  const std::string text = "device { profile: \"" + profile(drive) + "\" hdd { " + hdd + " } }\n" +
                           "workload { job { " + job + " requests: " + std::to_string(requests) + " } }";
  const auto records = testing::run_and_record(text);
  ASSERT_EQ(records.size(), static_cast<std::size_t>(requests)) << text;
  std::set<std::uint64_t> ids;
  for (const auto& r : records) {
    EXPECT_EQ(r.status, kIOReturnSuccess);
    EXPECT_GE(r.complete, r.dispatch);
    ids.insert(r.request_id);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(requests)) << "a request completed twice";
}

const char kMixed[] =
    "read_fraction: 0.6 fua_fraction: 0.1 block_size_range { low: \"512\" high: \"256KiB\" } closed { queue_depth: 32 }";
const char kSequentialMixed[] =
    "read_fraction: 0.5 pattern: SEQUENTIAL block_size_range { low: \"512\" high: \"64KiB\" } closed { queue_depth: 16 }";

TEST(HddRobustness, SataUnderADeepMixedQueue) { check_all_complete("sata_7200rpm", "", kMixed, 3000); }
TEST(HddRobustness, SasSequentialMixed) { check_all_complete("sas_15k", "", kSequentialMixed, 3000); }
TEST(HddRobustness, SataWriteThroughClook) {
  check_all_complete("sata_7200rpm", "controller { scheduler: CLOOK } cache { write_policy: WRITE_THROUGH }", kMixed, 2000);
}
TEST(HddRobustness, DiskSimDriveWithATaggedQueue) {
  check_all_complete("hp_c3323a", "controller { queue_depth: 16 scheduler: SSTF }", kMixed, 1500);
}
TEST(HddRobustness, DiskSimWriteBackDriveWithATaggedQueue) {
  check_all_complete("atlas_III", "controller { queue_depth: 32 scheduler: SPTF }", kSequentialMixed, 3000);
}
TEST(HddRobustness, SingleSegmentDriveUnderAQueue) {
  check_all_complete("hp_c2490a", "controller { queue_depth: 8 }", kMixed, 1500);
}
TEST(HddRobustness, ZeroLatencyAndHoldBus) {
  check_all_complete("cheetah9LP",
                     "cache { zero_latency_read: true zero_latency_write: true } "
                     "host_interface { hold_bus_for_read: true hold_bus_for_write: true }",
                     kMixed, 2000);
}

// Many feature combinations, drawn from a fixed seed: queue depths, schedulers (SPCTF too),
// preseek levels, segment counts and sizes, read-ahead kinds, write policies, destage policies, the
// cache flags (DiskSim's stopped read-ahead rule too) and the bus-holding modes, on every shipped
// drive. One combination per test (one engine per process).
class HddCombination : public ::testing::TestWithParam<int> {};

TEST_P(HddCombination, AllComplete) {
  std::mt19937 rng(20240601u + static_cast<unsigned>(GetParam()));
  auto pick = [&rng](std::initializer_list<const char*> choices) {
    return std::string(choices.begin()[std::uniform_int_distribution<std::size_t>(0, choices.size() - 1)(rng)]);
  };
  auto coin = [&rng](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
  const std::string drive = pick({"sata_7200rpm", "sas_15k", "hp_c3323a", "hp_c2490a", "atlas_III", "cheetah9LP"});
  const std::string depth = pick({"1", "2", "8", "32"});
  // Features added later draw from a generator of their own, so the combinations above stay the ones
  // their numbers name.
  std::mt19937 later(7700u + static_cast<unsigned>(GetParam()));
  auto later_coin = [&later] { return std::uniform_int_distribution<int>(0, 1)(later) == 1; };
  std::string scheduler = pick({"FIFO", "SSTF", "CLOOK", "SPTF"});
  if (scheduler == "SPTF" && later_coin())
    scheduler = "SPCTF";
  std::string hdd = "controller { queue_depth: " + depth + " scheduler: " + scheduler +
                    " preseek_level: " + pick({"0", "1"}) + (coin(0.3) ? " starvation_limit: \"50ms\"" : "") + " }";
  hdd += " cache { segments: " + pick({"1", "2", "16"}) + " segment_sectors: " + pick({"64", "256", "1024"}) +
         " write_segments: " + pick({"1", "8"}) +
         " read_ahead: " + pick({"NO_READ_AHEAD", "TO_TRACK_END", "TO_SEGMENT_FULL", "TO_NEXT_TRACK_END"}) +
         " write_policy: " + pick({"WRITE_THROUGH", "WRITE_BACK", "WRITE_BACK_APPENDS"});
  if (coin(0.5))
    hdd += " destage { policy: " + pick({"AT_ONCE", "WATER_MARK"}) + " }";
  for (const char* flag : {"zero_latency_read", "zero_latency_write", "sneaky_full_read_hits", "write_prebuffering",
                           "read_ahead_on_hit", "caching", "combine_sequential_writes"})
    if (coin(0.3))
      hdd += std::string(" ") + flag + ": " + pick({"true", "false"});
  if (coin(0.3))
    hdd += " read_water_mark: " + pick({"0", "0.5", "1"}) + " write_water_mark: " + pick({"0", "0.5", "1"});
  if (later_coin())
    hdd += " read_ahead_release_follows_overhead: true";
  hdd += " } host_interface {";
  if (coin(0.3))
    hdd += " hold_bus_for_read: true";
  if (coin(0.3))
    hdd += " hold_bus_for_write: true";
  if (depth == "1" && coin(0.3))
    hdd += " never_disconnect: true";
  hdd += " }";
  const std::string job = "read_fraction: " + pick({"0", "0.3", "1"}) + " pattern: " + pick({"RANDOM", "SEQUENTIAL"}) +
                          " fua_fraction: " + pick({"0", "0.2"}) + " block_size_range { low: \"512\" high: \"" +
                          pick({"4KiB", "64KiB", "512KiB"}) + "\" } closed { queue_depth: " + pick({"1", "4", "32"}) + " }";
  check_all_complete(drive, hdd, job, 300);
}

INSTANTIATE_TEST_SUITE_P(HddRobustness, HddCombination, ::testing::Range(0, 40));

}  // namespace
}  // namespace blocksim

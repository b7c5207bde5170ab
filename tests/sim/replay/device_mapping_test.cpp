// Mapping a trace's devices onto the scenario's (ONE, EACH, explicit entries) and its byte ranges
// onto a device: widened to whole blocks, and past the end wrapped or scaled, by hand-worked
// offsets.
#include <gtest/gtest.h>

#include <algorithm>

#include "sim/scenario/scenario_error.hpp"
#include "tests/support/recording_sink.hpp"
#include "tests/support/temp_file.hpp"

namespace blocksim {
namespace {

std::string devices() {
  return R"(
    device { name: "a" capacity: "1MiB" block_size: "4KiB" interface_rate: "1GB/s" reference { service { fixed: "1us" } } }
    device { name: "b" capacity: "1MiB" block_size: "4KiB" interface_rate: "1GB/s" reference { service { fixed: "1us" } } }
    device { name: "c" capacity: "1MiB" block_size: "4KiB" interface_rate: "1GB/s" reference { service { fixed: "1us" } } }
  )";
}

// Trace devices 7, 3, 7, 9 (MQSim lines, one request each 1 ms).
const char* kFourDevices = "0 7 0 8 1\n1000000 3 8 8 1\n2000000 7 16 8 1\n3000000 9 24 8 1\n";

std::vector<std::uint32_t> devices_in_order(std::vector<CompletionRecord> records) {
  std::sort(records.begin(), records.end(), [](auto& x, auto& y) { return x.submit < y.submit; });
  std::vector<std::uint32_t> order;
  for (const auto& r : records)
    order.push_back(r.device);
  return order;
}

TEST(DeviceMapping, OneDeviceTakesEverything) {
  testing::TempFile trace(kFourDevices);
  const auto records =
      testing::run_and_record(devices() + "workload { device: \"b\" replay { path: \"" + trace.path() + "\" } }");
  EXPECT_EQ(devices_in_order(records), (std::vector<std::uint32_t>{1, 1, 1, 1}));
}

TEST(DeviceMapping, EachInOrderOfAppearance) {
  testing::TempFile trace(kFourDevices);
  const auto records =
      testing::run_and_record(devices() + "workload { replay { path: \"" + trace.path() + "\" mapping: EACH } }");
  EXPECT_EQ(devices_in_order(records), (std::vector<std::uint32_t>{0, 1, 0, 2}));
}

TEST(DeviceMapping, ExplicitEntriesOverride) {
  testing::TempFile trace(kFourDevices);
  const auto records = testing::run_and_record(devices() + "workload { replay { path: \"" + trace.path() +
                                               "\" map { trace_device: \"3\" device: \"c\" } } }");
  EXPECT_EQ(devices_in_order(records), (std::vector<std::uint32_t>{0, 2, 0, 0}));
}

TEST(DeviceMapping, MapNamingNoDeviceIsAScenarioError) {
  testing::TempFile trace(kFourDevices);
  EXPECT_THROW(testing::scenario_from_text(devices() + "workload { replay { path: \"" + trace.path() +
                                           "\" map { trace_device: \"3\" device: \"z\" } } }"),
               blocksim::ScenarioError);
}

std::vector<CompletionRecord> one_request(const std::string& line, const std::string& fields) {
  testing::TempFile trace(line);
  return testing::run_and_record(devices() + "workload { replay { path: \"" + trace.path() + "\" " + fields + " } }");
}

TEST(DeviceMapping, WidensToWholeBlocks) {
  // 1 KiB at byte 512 covers block 0 of 4 KiB.
  const auto records = one_request("0 0 1 2 1\n", "");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].lba, 0u);
  EXPECT_EQ(records[0].blocks, 1u);
}

TEST(DeviceMapping, WidensAcrossABlockBoundary) {
  // 4 KiB at byte 2048 straddles blocks 0 and 1.
  const auto straddling = one_request("0 0 4 8 1\n", "");
  ASSERT_EQ(straddling.size(), 1u);
  EXPECT_EQ(straddling[0].lba, 0u);
  EXPECT_EQ(straddling[0].blocks, 2u);
}

TEST(DeviceMapping, WrapTakesTheOffsetModuloTheCapacity) {
  // 3 MiB + 8 KiB on a 1 MiB device: 8 KiB, block 2.
  const auto records = one_request("0 0 6160 8 1\n", "lba: WRAP");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].lba, 2u);
}

// A request that would run over the end after wrapping ends at the capacity instead.
TEST(DeviceMapping, WrapMovesARequestBackFromTheEnd) {
  // 4 KiB at 2 MiB - 2 KiB: widened to blocks [511, 513), wrapped to [255, 257), which runs past
  // block 256, so moved back to [254, 256).
  const auto at_end = one_request("0 0 4092 8 1\n", "lba: WRAP");
  ASSERT_EQ(at_end.size(), 1u);
  EXPECT_EQ(at_end[0].lba, 254u);
  EXPECT_EQ(at_end[0].blocks, 2u);
}

TEST(DeviceMapping, ScaleShrinksTheTraceOntoTheDevice) {
  // The trace device reaches 4 MiB (its second request ends there); on a 1 MiB device offsets
  // are multiplied by 1/4: 2 MiB -> 512 KiB (block 128); 4 MiB - 4 KiB -> 1 MiB - 1 KiB, down to
  // a whole block: 255.
  const auto records = one_request("0 0 4096 8 1\n1 0 8184 8 1\n", "lba: SCALE");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(devices_in_order(records).size(), 2u);
  auto sorted = records;
  std::sort(sorted.begin(), sorted.end(), [](auto& x, auto& y) { return x.submit < y.submit; });
  EXPECT_EQ(sorted[0].lba, 128u);
  EXPECT_EQ(sorted[1].lba, 255u);
}

}  // namespace
}  // namespace blocksim

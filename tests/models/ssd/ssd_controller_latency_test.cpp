// The controller's two kinds of time, against a hand calculation. The firmware time
// (command_time, write_command_time) is served in sequence on `processors` cores; the
// latency-only parts (command_latency, and write_buffer_latency for writes) hold no processor
// and overlap with other commands. So, with S the firmware time, L the latency-only time and
// d the link transfer:
//   at depth 1:      latency = S + L + d (+ tR + the channel transfer for a read)
//   at depth n:      rate = min(processors / S, n / (S + L + d))
// (d grows when transfers share the link: see expect_rates)
// (a closed loop of n commands through one FCFS station of `processors` servers and a pure
// delay, all times fixed: the n commands spread out and never wait while the processors have
// room, and the processors never idle once they have not).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "tests/models/ssd/ssd_rig.hpp"
#include "tests/models/ssd/steady_rate.hpp"

namespace blocksim {
namespace {

// One channel, one die, one plane (every flash time exact); a 64 MiB DRAM cache holds every
// write of a run, so writes never wait for flash.
std::string device(const std::string& controller, double fill = 0) {
  return R"(
  capacity: "256MiB" block_size: "512"
  ssd {
    controller { )" +
         controller + R"( }
    nand { cell: MLC channels: 1 dies_per_channel: 1 planes_per_die: 1 pages_per_block: 64 page_size: "16KiB"
           read_time: "50us" program_time: "500us" erase_time: "3ms" channel_rate: "400MB/s" }
    precondition { fill: )" +
         std::to_string(fill) + R"( }
  })";
}

constexpr const char* kSplit =
    R"(command_time: "4us" write_command_time: "6us" command_latency: "3us" write_buffer_latency: "20us")";
constexpr double kReadFirmware = 4e-6, kWriteFirmware = 6e-6, kCommandLatency = 3e-6, kWriteBuffer = 20e-6;
constexpr double kRead = 50e-6, kChannel = 400e6, kLink = 8e9;  // the rig's link

SimTime ns(double seconds) { return static_cast<SimTime>(seconds * 1e9 + 0.5); }
SimTime latency(const CompletionRecord& r) { return r.complete - r.submit; }

TEST(SsdControllerLatency, Depth1WritePaysFirmwareLinkAndBothLatencyParts) {
  testing::SsdRig rig(device(kSplit));
  rig.random_io(true, 0, 256ull << 20, 4096, 200, 1, 1);
  const SimTime expected = ns(kWriteFirmware) + ns(kCommandLatency) + ns(kWriteBuffer) + ns(4096 / kLink);
  for (const auto& r : rig.records())
    ASSERT_EQ(latency(r), expected);
}

TEST(SsdControllerLatency, Depth1ReadPaysFirmwareTrChannelLinkAndTheCommandLatency) {
  testing::SsdRig rig(device(kSplit, 1));
  rig.random_io(false, 0, 256ull << 20, 4096, 200, 1, 2);
  const SimTime expected =
      ns(kReadFirmware) + ns(kRead) + ns(4096 / kChannel) + ns(4096 / kLink) + ns(kCommandLatency);
  for (const auto& r : rig.records())
    ASSERT_EQ(latency(r), expected) << "reads do not pay the write-buffer path";
}

// Write rates at each depth, one phase a depth on one device (SimGrid allows one engine per
// process); each phase ends with the device idle and its cache written back.
std::vector<double> write_rates(const std::string& controller, const std::vector<std::uint32_t>& depths) {
  testing::SsdRig rig(device(controller));
  std::vector<double> rates;
  for (std::size_t i = 0; i < depths.size(); ++i) {
    const std::size_t before = rig.records().size();
    rig.random_io(true, 0, 256ull << 20, 4096, 6000, depths[i], 3 + i);
    const std::vector<CompletionRecord> phase(rig.records().begin() + static_cast<std::ptrdiff_t>(before),
                                              rig.records().end());
    rates.push_back(testing::steady_rate(phase).requests_per_second);
  }
  return rates;
}

void expect_rates(std::uint32_t processors) {
  const std::string controller = std::string(kSplit) + " processors: " + std::to_string(processors);
  const std::vector<std::uint32_t> depths = {1, 2, 4, 8, 16, 32};
  const std::vector<double> rates = write_rates(controller, depths);
  for (std::size_t i = 0; i < depths.size(); ++i) {
    // The loop starts its commands at once, so they run in groups of min(processors, depth), in
    // step, and the transfers of a group share the link: each takes group x d.
    const double group = std::min<double>(processors, depths[i]);
    const double cycle = kWriteFirmware + kCommandLatency + kWriteBuffer + group * 4096 / kLink;
    const double expected = std::min(processors / kWriteFirmware, depths[i] / cycle);
    std::printf("%u processor(s), depth %2u: %8.0f IOPS, hand calculation %8.0f (%+.2f %%)\n", processors, depths[i],
                rates[i], expected, 100 * (rates[i] / expected - 1));
    EXPECT_NEAR(rates[i] / expected, 1.0, 0.01) << "depth " << depths[i];
  }
}

// Latency-bound up to depth 4 (4 / 29.5 us = 136 K IOPS), processor-bound from depth 8 on
// (1 / 6 us = 167 K).
TEST(SsdControllerLatency, WriteRateIsTheLesserOfProcessorAndLatencyBoundsOneProcessor) { expect_rates(1); }
// Two processors: latency-bound to depth 8 (8 / 30.02 us = 266 K), processor-bound at 16
// (2 / 6 us = 333 K).
TEST(SsdControllerLatency, WriteRateIsTheLesserOfProcessorAndLatencyBoundsTwoProcessors) { expect_rates(2); }

// The same depth-1 latency spent all in sequence (one firmware time of 29 us) caps the rate at
// depth at 1 / 29 us = 34 K IOPS, against 167 K with the split: one parameter set cannot give
// both the depth-1 latency and the rate at depth without it.
TEST(SsdControllerLatency, AllInSequenceGivesTheSameDepth1LatencyButALowerRate) {
  const double all = kWriteFirmware + kCommandLatency + kWriteBuffer;
  const std::vector<double> rates = write_rates("write_command_time: \"29us\"", {1, 32});
  const double depth1 = 1 / (all + 4096 / kLink);
  EXPECT_NEAR(rates[0] / depth1, 1.0, 0.001);
  EXPECT_NEAR(rates[1] * all, 1.0, 0.01);
}

}  // namespace
}  // namespace blocksim

// A die slowing down (docs/faults.md, slow_down { device die speed }): its array operations take
// 1/speed as long, its channel transfers do not. One channel, one die, one plane, every page
// mapped: a lone 4 KiB read takes tR + 4 KiB on the channel + 4 KiB over the link; at half speed,
// 2 tR + the same transfers.
#include <gtest/gtest.h>

#include "tests/models/ssd/ssd_rig.hpp"

namespace blocksim {
namespace {

constexpr const char* kOneDie = R"(
  capacity: "256MiB" block_size: "512"
  ssd {
    nand { cell: MLC channels: 1 dies_per_channel: 1 planes_per_die: 1 pages_per_block: 64 page_size: "16KiB"
           read_time: "50us" program_time: "500us" erase_time: "3ms" channel_rate: "400MB/s" }
    precondition { fill: 1 }
  })";
constexpr double kRead = 50e3, kChannel = 400e6, kLink = 8e9;

double mean_read_latency(testing::SsdRig& rig, std::size_t from) {
  double total = 0;
  std::size_t n = 0;
  for (std::size_t i = from; i < rig.records().size(); ++i, ++n)
    total += static_cast<double>(rig.records()[i].complete - rig.records()[i].submit);
  return total / static_cast<double>(n);
}

TEST(SsdDieSpeed, AHalfSpeedDieTakesTwiceTheReadTime) {
  testing::SsdRig rig(kOneDie);
  const double transfers = 4096 / kChannel * 1e9 + 4096 / kLink * 1e9;
  rig.random_io(false, 0, 256ull << 20, 4096, 200, 1, 3);
  EXPECT_NEAR(mean_read_latency(rig, 0), kRead + transfers, 1.0);
  ASSERT_EQ(rig.device().set_component_speed(0, 0.5), kIOReturnSuccess);
  const std::size_t before = rig.records().size();
  rig.random_io(false, 0, 256ull << 20, 4096, 200, 1, 4);
  EXPECT_NEAR(mean_read_latency(rig, before), 2 * kRead + transfers, 1.0);
  EXPECT_EQ(rig.device().set_component_speed(1, 0.5), kIOReturnBadArgument);  // it has one die
}

}  // namespace
}  // namespace blocksim

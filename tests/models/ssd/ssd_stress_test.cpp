// Mixed traffic on each combination of the SSD's features: random writes of several sizes, trims
// of random ranges, random reads, a FUA write, writes and reads of five blocks at a time. Every request must complete successfully (the
// rig checks), and afterwards the FTL's bookkeeping must hold (valid counts match the map).
#include <gtest/gtest.h>

#include <string>

#include "tests/models/ssd/ftl_invariants.hpp"
#include "tests/models/ssd/ssd_rig.hpp"

namespace blocksim {
namespace {

std::string device(const std::string& block_size, const std::string& extra, const std::string& cache = "") {
  return R"(
    capacity: "96MiB" block_size: ")" + block_size + R"("
    ssd {
      nand { cell: TLC channels: 2 dies_per_channel: 2 planes_per_die: 2 blocks_per_plane: 80 pages_per_block: 12
             page_size: "16KiB" }
      cache { capacity: "1MiB" )" + cache + R"( }
      precondition { fill: 0.9 random_overwrites: 1 }
      )" + extra + R"(
    })";
}

class SsdStress : public ::testing::TestWithParam<std::pair<const char*, std::string>> {};

TEST_P(SsdStress, EverythingCompletesAndTheBooksBalance) {
  testing::SsdRig rig(GetParam().second, "2GB/s");
  const std::uint64_t span = 96ull << 20;
  rig.random_io(true, 0, span, 4096, 20'000, 32, 1);
  Rng rng(4, 4);
  const std::uint64_t blocks = span / rig.block_size();
  for (int i = 0; i < 20; ++i) {
    const std::uint64_t first = rng.below(blocks - 2048);
    rig.unmap(first, 1 + rng.below(2048));
  }
  rig.random_io(false, 0, span, 4096, 5'000, 16, 2);
  rig.random_io(true, 0, span, 16384, 5'000, 8, 3);
  rig.transfer(true, 0, 8192 / rig.block_size(), nullptr, kIOStorageOptionForceUnitAccess);
  rig.random_io(true, 0, span / 4, 8192, 10'000, 32, 5);
  // Five blocks at a time: with 512-byte blocks, units written in part (read-modify-write).
  rig.random_io(true, 0, span, 5 * rig.block_size(), 5'000, 16, 6);
  rig.random_io(false, 0, span, 5 * rig.block_size(), 5'000, 16, 7);
  testing::expect_consistent(rig.device().ftl());
  std::vector<DeviceMetric> metrics;
  rig.device().collect_metrics(&metrics);
  for (const auto& m : metrics)
    if (m.name == "ssd.gc_runs") {
      EXPECT_GT(m.value, 0) << "the mix should have needed garbage collection";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Features, SsdStress,
    ::testing::Values(
        std::make_pair("greedy", device("4KiB", "")),
        std::make_pair("cost_benefit_copyback", device("4KiB", "ftl { gc { policy: COST_BENEFIT copyback: true } }")),
        std::make_pair("fifo_wear_levelling",
                       device("4KiB", "ftl { gc { policy: FIFO } wear_leveling { static_threshold: 2 } }")),
        std::make_pair("mapping_cache", device("4KiB", R"(mapping_cache { capacity: "64KiB" })")),
        std::make_pair("sata_write_through",
                       device("4KiB", "host_interface { sata {} }", "write_cache: false")),
        std::make_pair("weighted_round_robin",
                       device("4KiB", "host_interface { nvme { queue_pairs: 4 arbitration: WEIGHTED_ROUND_ROBIN "
                                      "high_queues: 1 low_queues: 1 } } controller { max_commands: 8 "
                                      "command_time: \"2us\" processors: 2 }")),
        std::make_pair("sectors_of_512_bytes", device("512", "ftl { gc { background_threshold: 6 } }"))),
    [](const auto& info) { return std::string(info.param.first); });

}  // namespace
}  // namespace blocksim

// Steady-state write amplification under uniform random single-unit overwrites against analytic
// models worked out here, independently of the model's code (model-facts.md §4.1):
//   greedy: the mean-field fixed point of the valid-count distribution (Van Houdt's framework):
//     F = (1 - rho b / j) / (rho b (H_b - H_j) - rho b (b - j) / j) for the smallest level j with
//     x_j >= 0 and the decay flux d <= F; WA = b F.
//   FIFO: the least-recently-written equation x = exp(-alpha (1 - x)), WA = 1 / (1 - x).
// rho is user units over the physical units in play: every block but the free ones GC keeps
// (foreground_threshold 2; the pool moves between 1 and 3 as collections start and end, so
// 2.5 blocks per plane). The device's DRAM cache is kept small: a large write-back cache holds
// each rewritten unit back for a while, which breaks the models' memoryless assumption (and
// lowers write amplification by a few per cent).
// The device is preconditioned to the steady state (sequential fill, then 3 x U random
// overwrites without time) and measured over timed random 4 KiB writes at queue depth 32.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "tests/models/ssd/ssd_rig.hpp"

namespace blocksim {
namespace {

constexpr int kPlanes = 4;
constexpr int kBlocksPerPlane = 1024;
constexpr int kSlotsPerBlock = 64;
constexpr double kFreeBlocksHeld = 2.5;  // per plane, see above
constexpr std::uint64_t kUnit = 4096;

double harmonic(int n) {
  double h = 0;
  for (int i = 1; i <= n; ++i)
    h += 1.0 / i;
  return h;
}

// Mean-field greedy write amplification for utilisation rho and b units per block.
double greedy_mean_field(double rho, int b) {
  const double hb = harmonic(b);
  for (int j = 1; j <= b; ++j) {
    const double hj = harmonic(j);
    const double denominator = rho * b * (hb - hj) - rho * b * (b - j) / j;
    if (denominator == 0)
      continue;
    const double f = (1 - rho * b / j) / denominator;
    const double xj = 1 - rho * b * f * (hb - hj);
    const double decay = xj * j / (rho * b);
    if (f > 0 && xj >= 0 && decay <= f)
      return b * f;
  }
  return 0;
}

// FIFO / least recently written: the root in (0, 1) of x = exp(-alpha (1 - x)), by bisection.
double fifo_write_amplification(double rho) {
  const double alpha = 1 / rho;
  double low = 0, high = 1 - 1e-12;
  for (int i = 0; i < 200; ++i) {
    const double x = (low + high) / 2;
    (x - std::exp(-alpha * (1 - x)) < 0 ? low : high) = x;
  }
  return 1 / (1 - (low + high) / 2);
}

double physical_units_in_play() { return kPlanes * (kBlocksPerPlane - kFreeBlocksHeld) * kSlotsPerBlock; }

std::string device_text(std::uint64_t user_units, const std::string& policy) {
  return R"(
    capacity: ")" + std::to_string(user_units * kUnit) + R"(" block_size: "4KiB"
    ssd {
      nand { cell: SLC channels: 2 dies_per_channel: 1 planes_per_die: 2 blocks_per_plane: 1024
             pages_per_block: 64 page_size: "4KiB" }
      cache { capacity: "256KiB" }
      ftl { gc { policy: )" + policy + R"( foreground_threshold: 2 background_threshold: 2 } }
      precondition { fill: 1 random_overwrites: 3 }
    })";
}

// Flash units programmed per host unit programmed over a phase of random writes.
struct Phase {
  ssd::FtlCounters before;
  explicit Phase(const ssd::Ftl& ftl) : before(ftl.counters()) {}
  double write_amplification(const ssd::Ftl& ftl) const {
    const ssd::FtlCounters& after = ftl.counters();
    const double host = static_cast<double>(after.host_slots - before.host_slots);
    const double all = host + static_cast<double>(after.gc_slots - before.gc_slots) +
                       static_cast<double>(after.pad_slots - before.pad_slots);
    return all / host;
  }
};

double measure(testing::SsdRig& rig, std::uint64_t span_units, std::uint64_t writes, std::uint64_t stream) {
  Phase phase(rig.device().ftl());
  rig.random_io(true, 0, span_units * kUnit, kUnit, writes, 32, stream);
  return phase.write_amplification(rig.device().ftl());
}

void check_greedy(double over_provisioning) {
  const auto user_units = static_cast<std::uint64_t>(physical_units_in_play() / (1 + over_provisioning));
  const double rho = user_units / physical_units_in_play();
  const double expected = greedy_mean_field(rho, kSlotsPerBlock);
  testing::SsdRig rig(device_text(user_units, "GREEDY"));
  const double measured = measure(rig, user_units, 150'000, 1);
  std::printf("greedy, OP %.2f (rho %.4f, b %d): WA %.3f, mean-field %.3f (%+.2f %%)\n", over_provisioning, rho,
              kSlotsPerBlock, measured, expected, 100 * (measured / expected - 1));
  EXPECT_NEAR(measured / expected, 1.0, 0.05);
}

// The oracle itself against model-facts.md §4.1's table (b = 64, OP convention).
TEST(SsdWriteAmplification, MeanFieldReproducesThePublishedTable) {
  EXPECT_NEAR(greedy_mean_field(1 / 1.07, 64), 7.010, 0.001);
  EXPECT_NEAR(greedy_mean_field(1 / 1.28, 64), 2.403, 0.001);
  EXPECT_NEAR(fifo_write_amplification(1 / 1.07), 7.817, 0.001);
  EXPECT_NEAR(fifo_write_amplification(1 / 1.28), 2.481, 0.001);
}

TEST(SsdWriteAmplification, GreedyAtSevenPercentOverProvisioning) { check_greedy(0.07); }
TEST(SsdWriteAmplification, GreedyAtTwentyEightPercentOverProvisioning) { check_greedy(0.28); }

TEST(SsdWriteAmplification, FifoFollowsTheLeastRecentlyWrittenModel) {
  const double over_provisioning = 0.2;
  const auto user_units = static_cast<std::uint64_t>(physical_units_in_play() / (1 + over_provisioning));
  const double rho = user_units / physical_units_in_play();
  testing::SsdRig rig(device_text(user_units, "FIFO"));
  const double measured = measure(rig, user_units, 150'000, 1);
  const double expected = fifo_write_amplification(rho);
  std::printf("FIFO, OP %.2f: WA %.3f, LRW model %.3f (%+.2f %%); greedy model %.3f\n", over_provisioning, measured,
              expected, 100 * (measured / expected - 1), greedy_mean_field(rho, kSlotsPerBlock));
  EXPECT_NEAR(measured / expected, 1.0, 0.05);
}

// Cost-benefit has no closed form here; under uniform writes it may not beat greedy (greedy is
// optimal for memoryless workloads) and should not be worse than FIFO.
TEST(SsdWriteAmplification, CostBenefitLiesBetweenGreedyAndFifo) {
  const double over_provisioning = 0.2;
  const auto user_units = static_cast<std::uint64_t>(physical_units_in_play() / (1 + over_provisioning));
  const double rho = user_units / physical_units_in_play();
  testing::SsdRig rig(device_text(user_units, "COST_BENEFIT"));
  const double measured = measure(rig, user_units, 150'000, 1);
  std::printf("cost-benefit, OP %.2f: WA %.3f; greedy model %.3f, FIFO model %.3f\n", over_provisioning, measured,
              greedy_mean_field(rho, kSlotsPerBlock), fifo_write_amplification(rho));
  EXPECT_GT(measured, greedy_mean_field(rho, kSlotsPerBlock) * 0.99);
  EXPECT_LT(measured, fifo_write_amplification(rho) * 1.01);
}

// Trimming the upper half of the logical space, then writing only the lower half, leaves GC
// half the valid data in the same flash: the steady state is the model's at rho / 2.
TEST(SsdWriteAmplification, TrimOfHalfTheSpaceLowersItToTheModelsFigure) {
  const double over_provisioning = 0.1;
  const auto user_units = static_cast<std::uint64_t>(physical_units_in_play() / (1 + over_provisioning));
  const double rho = user_units / physical_units_in_play();
  testing::SsdRig rig(device_text(user_units, "GREEDY"));
  const double before = measure(rig, user_units, 100'000, 1);

  const std::uint64_t kept = user_units / 2;
  rig.unmap(kept, user_units - kept);  // 4 KiB blocks: block = unit
  EXPECT_EQ(rig.device().ftl().counters().trimmed, user_units - kept);
  rig.random_io(true, 0, kept * kUnit, kUnit, 3 * kept, 32, 2);  // to the new steady state
  const double after = measure(rig, kept, 100'000, 3);

  const double expected_before = greedy_mean_field(rho, kSlotsPerBlock);
  const double expected_after = greedy_mean_field(static_cast<double>(kept) / physical_units_in_play(), kSlotsPerBlock);
  std::printf("TRIM of half: WA %.3f -> %.3f; mean-field %.3f -> %.3f\n", before, after, expected_before,
              expected_after);
  EXPECT_NEAR(before / expected_before, 1.0, 0.05);
  EXPECT_NEAR(after / expected_after, 1.0, 0.05);
  EXPECT_LT(after, before / 2);
}

}  // namespace
}  // namespace blocksim

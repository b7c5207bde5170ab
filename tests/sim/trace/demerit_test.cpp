// The demerit against hand calculations: equal samples give 0; a shift inside the 1-us-wide
// buckets below 100 us moves every quantile by the shift; two point masses in buckets of
// different widths give the closed form of the RMS between two uniform spreads.
#include <gtest/gtest.h>

#include <cmath>

#include "sim/trace/demerit.hpp"
#include "sim/trace/latency_comparison.hpp"

namespace blocksim {
namespace {

TEST(DiskSimDistribution, EdgesAsStatdefsGrowThem) {
  // e_{i+1} = e_i + 1 + floor(e_i / 100): 1 us steps up to 100 us, then ~1 % (model-facts.md §3.2).
  EXPECT_EQ(DiskSimDistribution::edge_us(0), 0u);
  EXPECT_EQ(DiskSimDistribution::edge_us(100), 100u);
  EXPECT_EQ(DiskSimDistribution::edge_us(101), 102u);
  EXPECT_EQ(DiskSimDistribution::edge_us(300), 1071u);
  EXPECT_EQ(DiskSimDistribution::edge_us(500), 8162u);
  EXPECT_EQ(DiskSimDistribution::edge_us(600), 22151u);
  EXPECT_EQ(DiskSimDistribution::bucket_of(0), 1);       // [e_0, e_1) = [0, 1)
  EXPECT_EQ(DiskSimDistribution::bucket_of(100), 101);   // [100, 102)
  EXPECT_EQ(DiskSimDistribution::bucket_of(101), 101);
  EXPECT_EQ(DiskSimDistribution::bucket_of(~0ULL >> 1), 1749);
}

TEST(Demerit, EqualSamplesGiveZero) {
  DiskSimDistribution a, b;
  for (int i = 1; i <= 1000; ++i) {
    a.add(i * 37'000);
    b.add(i * 37'000);
  }
  EXPECT_DOUBLE_EQ(demerit_ms(a, b), 0.0);
}

TEST(Demerit, ShiftBelowHundredMicrosecondsIsTheShift) {
  // Values 10..49 us, simulated 7 us later: every CDF point moves 7 us right, so every inverse
  // moves by 0.007 ms.
  DiskSimDistribution real, sim;
  for (int us = 10; us < 50; ++us)
    for (int k = 0; k < 25; ++k) {
      real.add(us * 1000 + 300);
      sim.add((us + 7) * 1000 + 999);  // truncation to whole microseconds drops the rest
    }
  EXPECT_NEAR(demerit_ms(sim, real), 0.007, 1e-12);
}

TEST(Demerit, TwoPointMassesInBucketsOfDifferentWidth) {
  // All measured values in bucket [e_i, e_i + w1), all simulated in [e_j, e_j + w2): the inverse
  // CDFs are e_i + p w1 and e_j + p w2, so the demerit is sqrt(mean over p of (a + p b)^2) with
  // a = e_j - e_i, b = w2 - w1; over p uniform on (0, 1] that is sqrt(a^2 + a b + b^2 / 3).
  const std::uint64_t real_us = 50, sim_us = 5000;  // buckets 1 us and 50 us wide
  const int i = DiskSimDistribution::bucket_of(real_us) - 1;
  const int j = DiskSimDistribution::bucket_of(sim_us) - 1;
  const double a = static_cast<double>(DiskSimDistribution::edge_us(j)) - static_cast<double>(DiskSimDistribution::edge_us(i));
  const double w1 = static_cast<double>(DiskSimDistribution::edge_us(i + 1) - DiskSimDistribution::edge_us(i));
  const double w2 = static_cast<double>(DiskSimDistribution::edge_us(j + 1) - DiskSimDistribution::edge_us(j));
  ASSERT_EQ(w1, 1.0);
  ASSERT_EQ(w2, 50.0);
  const double b = w2 - w1;
  const double expected_ms = std::sqrt(a * a + a * b + b * b / 3) / 1000;
  DiskSimDistribution real, sim;
  for (int k = 0; k < 100; ++k) {
    real.add(static_cast<SimTime>(real_us) * 1000);
    sim.add(static_cast<SimTime>(sim_us) * 1000);
  }
  // The sum over 10,000 points differs from the integral by O(1/10,000).
  EXPECT_NEAR(demerit_ms(sim, real), expected_ms, expected_ms * 1e-3);
}

TEST(LatencyComparison, MeanErrorAndShareOfMean) {
  LatencyComparison comparison;
  for (int k = 0; k < 100; ++k)
    comparison.add(10'000'000 + k * 1000, 11'000'000 + k * 1000);  // measured mean 10.0495 ms, +1 ms
  EXPECT_NEAR(comparison.mean_error_percent(), 100.0 * 1.0 / 10.0495, 1e-9);
  EXPECT_EQ(comparison.count(), 100u);
  // A 1 ms shift over buckets ~100 us wide near 10 ms: within a bucket width of 1 ms.
  EXPECT_NEAR(comparison.demerit_ms(), 1.0, 0.11);
  EXPECT_NEAR(comparison.demerit_percent(), comparison.demerit_ms() / 10.0495 * 100, 1e-9);
}

}  // namespace
}  // namespace blocksim

// The summary's latency histogram against exact order statistics worked out here.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/core/random.hpp"
#include "sim/trace/latency_histogram.hpp"

namespace blocksim {
namespace {

TEST(LatencyHistogram, BucketsTileTheLineWithoutGaps) {
  for (std::uint32_t b = 1; b < 40'000; ++b)
    ASSERT_EQ(LatencyHistogram::bucket_low(b), LatencyHistogram::bucket_high(b - 1) + 1) << b;
  for (std::uint64_t v : {0ULL, 1ULL, 1023ULL, 1024ULL, 2047ULL, 2048ULL, 123456789ULL, 1ULL << 50}) {
    const auto b = LatencyHistogram::bucket_of(v);
    EXPECT_LE(LatencyHistogram::bucket_low(b), v);
    EXPECT_GE(LatencyHistogram::bucket_high(b), v);
  }
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  LatencyHistogram h;
  for (std::uint64_t v = 1; v <= 100; ++v)
    h.add(v);
  EXPECT_EQ(h.percentile(0.5), 50);  // rank ceil(0.5 * 100) = 50
  EXPECT_EQ(h.percentile(0.99), 99);
  EXPECT_EQ(h.percentile(1.0), 100);
  EXPECT_EQ(h.percentile(0.0), 1);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
  EXPECT_EQ(h.min(), 1u);
  EXPECT_EQ(h.max(), 100u);
}

TEST(LatencyHistogram, PercentilesWithinHalfAPerMilleOfExact) {
  Rng rng(3, 0);
  std::vector<std::uint64_t> values;
  LatencyHistogram h;
  for (int i = 0; i < 100'000; ++i) {
    const auto v = static_cast<std::uint64_t>(rng.exponential(250'000)) + 1;
    values.push_back(v);
    h.add(v);
  }
  std::sort(values.begin(), values.end());
  for (double p : {0.5, 0.9, 0.99, 0.999}) {
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
    const double exact = static_cast<double>(values[rank - 1]);
    EXPECT_NEAR(h.percentile(p) / exact, 1.0, 0.0005) << p;
  }
  EXPECT_EQ(h.max(), values.back());
}

// The sample standard deviation of 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations 32, over n - 1 = 7.
TEST(LatencyHistogram, SampleStandardDeviation) {
  LatencyHistogram h;
  EXPECT_EQ(h.stdev(), 0.0);
  h.add(7);
  EXPECT_EQ(h.stdev(), 0.0);  // one value: none
  LatencyHistogram eight;
  for (std::uint64_t v : {2, 4, 4, 4, 5, 5, 7, 9})
    eight.add(v);
  EXPECT_NEAR(eight.stdev(), std::sqrt(32.0 / 7.0), 1e-12);
  // Large values close together: a sum of squares would lose them; Welford's update keeps them.
  LatencyHistogram large;
  for (std::uint64_t v : {1'000'000'000'001ULL, 1'000'000'000'003ULL})
    large.add(v);
  EXPECT_NEAR(large.stdev(), std::sqrt(2.0), 1e-6);
}

}  // namespace
}  // namespace blocksim

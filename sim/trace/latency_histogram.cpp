#include "sim/trace/latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace blocksim {

namespace {
constexpr int kSubBucketBits = 10;
constexpr std::uint64_t kSubBuckets = 1ULL << kSubBucketBits;
}  // namespace

std::uint32_t LatencyHistogram::bucket_of(std::uint64_t value) {
  if (value < kSubBuckets)
    return static_cast<std::uint32_t>(value);
  const int exponent = std::bit_width(value) - 1;
  const int shift = exponent - kSubBucketBits;
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(shift) * kSubBuckets + (value >> shift));
}

std::uint64_t LatencyHistogram::bucket_low(std::uint32_t bucket) {
  if (bucket < kSubBuckets)
    return bucket;
  const std::uint64_t shift = bucket / kSubBuckets - 1;
  const std::uint64_t mantissa = bucket - shift * kSubBuckets;
  return mantissa << shift;
}

std::uint64_t LatencyHistogram::bucket_high(std::uint32_t bucket) {
  if (bucket < kSubBuckets)
    return bucket;
  const std::uint64_t shift = bucket / kSubBuckets - 1;
  const std::uint64_t mantissa = bucket - shift * kSubBuckets;
  return ((mantissa + 1) << shift) - 1;
}

void LatencyHistogram::add(std::uint64_t value) {
  const std::uint32_t bucket = bucket_of(value);
  if (bucket >= counts_.size())
    counts_.resize(bucket + 1, 0);
  ++counts_[bucket];
  if (count_ == 0 || value < min_)
    min_ = value;
  max_ = std::max(max_, value);
  ++count_;
  sum_ += value;
  const double x = static_cast<double>(value);
  const double delta = x - running_mean_;
  running_mean_ += delta / static_cast<double>(count_);
  squared_deviations_ += delta * (x - running_mean_);
}

double LatencyHistogram::stdev() const {
  return count_ > 1 ? std::sqrt(squared_deviations_ / static_cast<double>(count_ - 1)) : 0.0;
}

double LatencyHistogram::mean() const {
  return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0;
}

double LatencyHistogram::percentile(double p) const {
  if (count_ == 0)
    return 0;
  const auto rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil(p * static_cast<double>(count_))));
  std::uint64_t seen = 0;
  for (std::uint32_t bucket = 0; bucket < counts_.size(); ++bucket) {
    seen += counts_[bucket];
    if (seen >= rank) {
      const double mid = (static_cast<double>(bucket_low(bucket)) + static_cast<double>(bucket_high(bucket))) / 2;
      return std::clamp(mid, static_cast<double>(min_), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

}  // namespace blocksim

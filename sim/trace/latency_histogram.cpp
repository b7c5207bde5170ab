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
  sums_.sum += value;
  const unsigned __int128 square = static_cast<unsigned __int128>(value) * value;
  sums_.squares_overflowed |= __builtin_add_overflow(sums_.squares, square, &sums_.squares);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0)
    return;
  if (other.counts_.size() > counts_.size())
    counts_.resize(other.counts_.size(), 0);
  for (std::size_t bucket = 0; bucket < other.counts_.size(); ++bucket)
    counts_[bucket] += other.counts_[bucket];
  min_ = count_ == 0 ? other.min_ : std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  count_ += other.count_;
  sums_.sum += other.sums_.sum;
  sums_.squares_overflowed |= other.sums_.squares_overflowed;
  sums_.squares_overflowed |= __builtin_add_overflow(sums_.squares, other.sums_.squares, &sums_.squares);
}

LatencyHistogram LatencyHistogram::restore(const std::vector<std::pair<std::uint32_t, std::uint64_t>>& buckets,
                                           const Sums& sums, std::uint64_t min, std::uint64_t max) {
  LatencyHistogram histogram;
  for (const auto& [bucket, count] : buckets) {
    if (bucket >= histogram.counts_.size())
      histogram.counts_.resize(bucket + 1, 0);
    histogram.counts_[bucket] += count;
    histogram.count_ += count;
  }
  histogram.sums_ = sums;
  histogram.min_ = min;
  histogram.max_ = max;
  return histogram;
}

// Sum of (x - mean)^2 without cancellation: with q = floor(sum / n) and r = sum - n q (both exact),
// sum (x - q)^2 = squares - q (sum + r) exactly in integers, and the mean is q + r / n, so
// sum (x - mean)^2 = sum (x - q)^2 - r^2 / n.
double LatencyHistogram::stdev() const {
  if (count_ < 2)
    return 0.0;
  double deviations = 0;
  if (!sums_.squares_overflowed) {
    const unsigned __int128 q = sums_.sum / count_;
    const unsigned __int128 r = sums_.sum - q * count_;
    const auto about_q = static_cast<double>(sums_.squares - q * (sums_.sum + r));
    const double r_over = static_cast<double>(r);
    deviations = about_q - r_over * r_over / static_cast<double>(count_);
  } else {
    const double mid_mean = mean();
    for (std::uint32_t bucket = 0; bucket < counts_.size(); ++bucket) {
      if (counts_[bucket] == 0)
        continue;
      const double mid = (static_cast<double>(bucket_low(bucket)) + static_cast<double>(bucket_high(bucket))) / 2 - mid_mean;
      deviations += static_cast<double>(counts_[bucket]) * mid * mid;
    }
  }
  return std::sqrt(std::max(0.0, deviations) / static_cast<double>(count_ - 1));
}

double LatencyHistogram::mean() const {
  return count_ ? static_cast<double>(sums_.sum) / static_cast<double>(count_) : 0.0;
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

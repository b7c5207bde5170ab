// The demerit figure of Ruemmler and Wilkes (1994): the root-mean-square horizontal distance
// between two response-time CDFs, computed as DiskSim 4.0 does so that figures compare with
// DiskSim's (../shared/reference/model-facts.md §3.2-3.3, the `statdefs` file of the validation
// data):
//  - each sample is truncated to whole microseconds and counted in DiskSim's 1750 buckets, whose
//    edges are e_0 = 0, e_{i+1} = e_i + 1 + floor(e_i / 100) us (1 us wide up to 100 us, then about
//    1 % wide); values at or above e_1748 (about 2029 s) share the last bucket;
//  - each CDF is the list of points (e_i in ms, P(value < e_i)), the probability rounded to the 6
//    decimals DiskSim prints, cut after the first point that reaches 1;
//  - both CDFs are inverted by linear interpolation at p = 0.0001, 0.0002, ... 1 (10,000 points),
//    and the demerit is the RMS of the differences, in ms.
// Memory is the two bucket arrays, whatever the number of samples.
#pragma once

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/core/sim_time.hpp"

namespace blocksim {

class DiskSimDistribution {
 public:
  static constexpr int kBuckets = 1750;

  void add(SimTime ns);
  std::uint64_t count() const { return count_; }
  // The CDF points (x in ms, y) as DiskSim's rms program reads them.
  std::vector<std::pair<double, double>> cdf_points() const;

  // Edge i in microseconds.
  static std::uint64_t edge_us(int i);
  // The bucket a value of `us` microseconds falls in: the first i >= 1 with us < e_i, at most 1749.
  static int bucket_of(std::uint64_t us);

 private:
  std::array<std::uint64_t, kBuckets> counts_{};
  std::uint64_t count_ = 0;
};

// The demerit in ms between the simulated and the measured distributions; 0 if either is empty.
double demerit_ms(const DiskSimDistribution& simulated, const DiskSimDistribution& measured);

}  // namespace blocksim

#include "sim/trace/demerit.hpp"

#include <algorithm>
#include <cmath>

namespace blocksim {

namespace {

const std::array<std::uint64_t, DiskSimDistribution::kBuckets>& edges() {
  static const auto table = [] {
    std::array<std::uint64_t, DiskSimDistribution::kBuckets> e{};
    for (int i = 1; i < DiskSimDistribution::kBuckets; ++i)
      e[i] = e[i - 1] + 1 + e[i - 1] / 100;
    return e;
  }();
  return table;
}

// x(p) on a CDF given as points, by linear interpolation between the first point with y >= p
// and the one before it. `at` carries the search position from one p to the next (p increases).
double inverse(const std::vector<std::pair<double, double>>& cdf, double p, std::size_t& at) {
  while (at + 1 < cdf.size() && cdf[at].second < p)
    ++at;
  if (at == 0)
    return cdf[0].first;
  const auto [x0, y0] = cdf[at - 1];
  const auto [x1, y1] = cdf[at];
  if (y1 <= y0)
    return x1;
  return x0 + (p - y0) / (y1 - y0) * (x1 - x0);
}

}  // namespace

std::uint64_t DiskSimDistribution::edge_us(int i) { return edges().at(static_cast<std::size_t>(i)); }

int DiskSimDistribution::bucket_of(std::uint64_t us) {
  const auto& e = edges();
  const auto it = std::upper_bound(e.begin() + 1, e.end() - 1, us);
  return static_cast<int>(it - e.begin());
}

void DiskSimDistribution::add(SimTime ns) {
  const std::uint64_t us = ns > 0 ? static_cast<std::uint64_t>(ns) / 1000 : 0;
  ++counts_[static_cast<std::size_t>(bucket_of(us))];
  ++count_;
}

std::vector<std::pair<double, double>> DiskSimDistribution::cdf_points() const {
  std::vector<std::pair<double, double>> points;
  if (count_ == 0)
    return points;
  std::uint64_t below = 0;
  for (int i = 0; i < kBuckets; ++i) {
    below += counts_[static_cast<std::size_t>(i)];
    const double y = std::round(static_cast<double>(below) / static_cast<double>(count_) * 1e6) / 1e6;
    points.emplace_back(static_cast<double>(edge_us(i)) / 1000.0, y);
    if (y >= 1.0)
      break;
  }
  return points;
}

double demerit_ms(const DiskSimDistribution& simulated, const DiskSimDistribution& measured) {
  if (simulated.count() == 0 || measured.count() == 0)
    return 0;
  const auto sim = simulated.cdf_points();
  const auto real = measured.cdf_points();
  std::size_t at_sim = 0, at_real = 0;
  double sum = 0;
  int points = 0;
  // p advances by repeated addition, as DiskSim's rms does, which gives exactly 10,000 points.
  for (double p = 0.0001; p <= 1.0; p += 0.0001) {
    const double gap = inverse(sim, p, at_sim) - inverse(real, p, at_real);
    sum += gap * gap;
    ++points;
  }
  return std::sqrt(sum / points);
}

}  // namespace blocksim

#include "models/hdd/seek_curve.hpp"

#include "models/hdd/hdd_check.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>

#include "sim/core/units.hpp"

namespace blocksim::hdd {

namespace {
double ns(const std::string& text) { return static_cast<double>(units::duration_ns(text)); }

// The weights of the mean seek over C cylinders (below): one pass over every distance, the
// largest cost of building a disk, so computed once per cylinder count in a process (a replay
// of many devices builds many disks of one profile).
struct MeanSeekWeights {
  double sqrt = 0, linear = 0, constant = 0;
};

MeanSeekWeights mean_seek_weights(std::uint32_t cylinders) {
  static std::mutex mutex;
  static std::map<std::uint32_t, MeanSeekWeights> known;
  const std::lock_guard<std::mutex> lock(mutex);
  if (const auto it = known.find(cylinders); it != known.end())
    return it->second;
  const double C = cylinders;
  MeanSeekWeights weights;
  for (std::uint32_t d = 1; d < cylinders; ++d) {
    const double w = 2.0 * (C - d) / (C * C);
    weights.sqrt += w * std::sqrt(d - 1.0);
    weights.linear += w * (d - 1.0);
    weights.constant += w;
  }
  known.emplace(cylinders, weights);
  return weights;
}
}  // namespace

SeekCurve::SeekCurve(const proto::HddSeek& config, std::uint32_t cylinders) {
  for (const auto& t : config.short_seek())
    short_ns_.push_back(ns(t));
  switch (config.curve_case()) {
    case proto::HddSeek::kTable:
      kind_ = Kind::kTable;
      table_ = read_table(config.table(), "table");
      break;
    case proto::HddSeek::kFormula: {
      kind_ = Kind::kFormula;
      const auto& f = config.formula();
      boundary_ = f.boundary();
      sqrt_base_ = ns(f.sqrt_base());
      sqrt_factor_ = ns(f.sqrt_factor());
      linear_base_ = ns(f.linear_base());
      linear_factor_ = ns(f.linear_factor());
      if (f.has_single_cylinder())
        single_ns_ = ns(f.single_cylinder());
      break;
    }
    case proto::HddSeek::kThreePoint:
      kind_ = Kind::kThreePoint;
      fit_three_point(config.three_point(), cylinders);
      break;
    case proto::HddSeek::CURVE_NOT_SET:
      if (short_ns_.empty())
        throw ConfigError({{"seek", -1}}, "give a table, a formula or three_point");
      kind_ = Kind::kTable;
      table_.distances = {static_cast<std::uint32_t>(short_ns_.size())};
      table_.times_ns = {short_ns_.back()};
      break;
  }
  if (config.has_write_table())
    write_table_ = read_table(config.write_table(), "write_table");
}

SeekCurve::Table SeekCurve::read_table(const proto::HddSeekTable& config, const char* field) {
  Table table;
  for (const auto& point : config.point()) {
    table.distances.push_back(point.cylinders());
    table.times_ns.push_back(ns(point.time()));
  }
  if (table.distances.empty())
    throw ConfigError({{"seek", -1}, {field, -1}}, "needs at least one point");
  for (std::size_t i = 1; i < table.distances.size(); ++i)
    if (table.distances[i] <= table.distances[i - 1])
      throw ConfigError({{"seek", -1}, {field, -1}, {"point", static_cast<int>(i)}, {"cylinders", -1}},
                        "distances must increase");
  return table;
}

double SeekCurve::time_ns(std::uint32_t distance, bool write) const {
  if (!write || write_table_.distances.empty() || distance == 0)
    return time_ns(distance);
  return table_ns(write_table_, distance);
}

double SeekCurve::time_ns(std::uint32_t distance) const {
  if (distance == 0)
    return 0;
  if (distance <= short_ns_.size())
    return short_ns_[distance - 1];
  switch (kind_) {
    case Kind::kTable: return table_ns(table_, distance);
    case Kind::kFormula: return formula_ns(distance);
    case Kind::kThreePoint: {
      const double d = distance - 1.0;
      return a_ * std::sqrt(d) + b_ * d + c_;
    }
  }
  return 0;
}

// Linear between the two points around `distance`; an exact match returns its point; below the
// first point, from (0, 0); beyond the last, the last two points' line continued.
double SeekCurve::table_ns(const Table& table, std::uint32_t distance) {
  const auto& distances = table.distances;
  const auto& times = table.times_ns;
  auto i = static_cast<std::size_t>(std::lower_bound(distances.begin(), distances.end(), distance) -
                                    distances.begin());
  if (i < distances.size() && distances[i] == distance)
    return times[i];
  if (i == distances.size())
    i = distances.size() - 1;
  const double d1 = i == 0 ? 0.0 : distances[i - 1];
  const double t1 = i == 0 ? 0.0 : times[i - 1];
  const double d2 = distances[i];
  const double t2 = times[i];
  if (d2 == d1)
    return t2;
  return t1 + (distance - d1) * (t2 - t1) / (d2 - d1);
}

double SeekCurve::formula_ns(std::uint32_t distance) const {
  if (distance == 1 && single_ns_ >= 0)
    return single_ns_;
  if (distance < boundary_)
    return sqrt_base_ + sqrt_factor_ * std::sqrt(static_cast<double>(distance));
  return linear_base_ + linear_factor_ * distance;
}

// The mean seek over uniformly random start and end cylinders weights distance d by 2(C-d)/C^2
// (d > 0; d = 0 costs nothing and weighs 1/C). Both the full stroke and the mean are linear in
// (a, b), so the fit is a 2x2 solve.
void SeekCurve::fit_three_point(const proto::HddSeekThreePoint& config, std::uint32_t cylinders) {
  c_ = ns(config.single_cylinder());
  const double average = ns(config.average());
  const double full = ns(config.full_stroke());
  if (cylinders < 3)
    throw ConfigError({{"seek", -1}, {"three_point", -1}}, "needs at least three cylinders");
  const double max_d = static_cast<double>(cylinders) - 1;
  const MeanSeekWeights weights = mean_seek_weights(cylinders);
  const double w_sqrt = weights.sqrt, w_lin = weights.linear, w_const = weights.constant;
  // full:    a*sqrt(max_d-1) + b*(max_d-1) = full - c
  // average: a*w_sqrt + b*w_lin = average - c*w_const
  const double p = std::sqrt(max_d - 1), q = max_d - 1, r = full - c_;
  const double s = w_sqrt, t = w_lin, u = average - c_ * w_const;
  const double det = p * t - q * s;
  if (std::fabs(det) < 1e-12)
    throw ConfigError({{"seek", -1}, {"three_point", -1}}, "the figures admit no curve");
  a_ = (r * t - q * u) / det;
  b_ = (p * u - r * s) / det;
}

}  // namespace blocksim::hdd

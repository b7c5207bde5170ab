#include "models/hdd/mechanics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "sim/core/units.hpp"

namespace blocksim::hdd {

Mechanics::Mechanics(const proto::HddMechanics& config, const Layout& layout)
    : layout_(layout),
      seek_(config.seek(), layout.cylinders()),
      seek_scale_(config.seek_scale()),
      period_ns_(60e9 / config.rpm()),
      head_switch_ns_(static_cast<double>(units::duration_ns(config.head_switch()))),
      write_settle_ns_(static_cast<double>(units::duration_ns(config.write_settle()))) {}

double Mechanics::angle_at(double t_ns) const {
  const double turns = t_ns / period_ns_;
  return turns - std::floor(turns);
}

double Mechanics::wait_for(double t_ns, double angle) const {
  double gap = angle - angle_at(t_ns);
  if (gap < 0)
    gap += 1.0;
  // Within rounding of the target: it is under the head now.
  if (gap > 1.0 - 1e-9)
    gap = 0;
  return gap * period_ns_;
}

double Mechanics::move_ns(const Track& from, const Track& to, bool write) const {
  const auto distance = static_cast<std::uint32_t>(std::abs(static_cast<std::int64_t>(from.cylinder) - to.cylinder));
  const double switch_ns = from.head != to.head ? head_switch_ns_ : 0.0;
  double move = std::max(switch_ns, seek_ns(distance, write));
  if (move > 0 && write)
    move = std::max(0.0, move + write_settle_ns_);
  return move;
}

double Mechanics::positioning_ns(const Track& from, double t_ns, const PhysicalSector& where, double angle,
                                 bool write) const {
  const double move = move_ns(from, {where.cylinder, where.head}, write);
  return move + wait_for(t_ns + move, angle);
}

}  // namespace blocksim::hdd

// The timing of the mechanism: the platter's angle at any instant (it turns from the start of the
// run at `rpm`, so the angle decides every rotational latency), arm moves (seek curve times its
// scale, head switch, write settle), and the time each sector passes under the head. Pure
// arithmetic over the layout and the seek curve; keeps no state of its own besides them.
#pragma once

#include <cstdint>

#include "blocksim/hdd.pb.h"
#include "models/hdd/layout.hpp"
#include "models/hdd/seek_curve.hpp"

namespace blocksim::hdd {

class Mechanics {
 public:
  // Keeps a reference to `layout`, which must outlive it.
  Mechanics(const proto::HddMechanics& config, const Layout& layout);

  double period_ns() const { return period_ns_; }
  double sector_ns(const Track& track) const { return period_ns_ / layout_.sectors_per_track(track); }
  // Fraction of a revolution the platter has turned at time `t_ns` (0 at the start of the run).
  double angle_at(double t_ns) const;
  // From `t_ns`, the time until the start of `angle` (a fraction of a revolution) is under the head.
  double wait_for(double t_ns, double angle) const;

  // Arm move from one track to another: max(head switch, seek), plus write settle for a write
  // that moves at all (DiskSim's rule, and the physics of a write needing a steadier head).
  double move_ns(const Track& from, const Track& to, bool write) const;
  // The seek curve's time times mechanics.seek_scale.
  double seek_ns(std::uint32_t distance, bool write = false) const {
    return seek_scale_ * seek_.time_ns(distance, write);
  }

  // Positioning time to the start of `where`, at `angle` on its track (Layout::sector_angle), if
  // the arm leaves `from` at `t_ns`: move, then rotational latency. What SPTF compares.
  double positioning_ns(const Track& from, double t_ns, const PhysicalSector& where, double angle, bool write) const;

  const Layout& layout() const { return layout_; }

 private:
  const Layout& layout_;
  SeekCurve seek_;
  double seek_scale_;
  double period_ns_;
  double head_switch_ns_;
  double write_settle_ns_;
};

}  // namespace blocksim::hdd

// Where a sequential fill of the logical space puts each mapping unit, worked out rather than
// stored: units go to dies in die-sized program units (planes x pages per program x slots per
// page), die after die, consecutive dies on consecutive channels, and each plane's slots are
// used from its first block upward. Preconditioning lays its fill out this way, so the mapping
// of a filled device costs no memory until a unit is overwritten, and the FTL asks this layout
// for the owner of a slot in a block that has not been rewritten since.
#pragma once

#include <cstdint>

#include "models/ssd/ssd_geometry.hpp"

namespace blocksim::ssd {

class SequentialLayout {
 public:
  SequentialLayout(const SsdGeometry& geometry, std::uint64_t filled_units);

  std::uint64_t filled_units() const { return filled_; }
  // The slot of `lpn` (lpn < filled_units()).
  std::uint32_t slot_of(std::uint64_t lpn) const;
  // The unit the layout put in `psn`, or kNoSlot when the fill never reached it.
  std::uint32_t unit_in(std::uint32_t psn) const;
  // How many slots of `plane` the fill used: always a prefix of the plane's slot sequence.
  std::uint64_t plane_slots_used(std::uint32_t plane) const;

 private:
  SsdGeometry g_;
  std::uint64_t filled_;
  std::uint64_t die_unit_;    // slots per die program unit
  std::uint64_t plane_unit_;  // slots per plane program unit
};

}  // namespace blocksim::ssd

#include "models/ssd/sequential_layout.hpp"

#include <algorithm>

namespace blocksim::ssd {

SequentialLayout::SequentialLayout(const SsdGeometry& geometry, std::uint64_t filled_units)
    : g_(geometry),
      filled_(filled_units),
      die_unit_(geometry.die_program_slots()),
      plane_unit_(geometry.plane_program_slots()) {}

std::uint32_t SequentialLayout::slot_of(std::uint64_t lpn) const {
  const std::uint64_t unit = lpn / die_unit_;
  const std::uint64_t offset = lpn % die_unit_;
  const std::uint64_t die = unit % g_.dies();
  const std::uint64_t round = unit / g_.dies();
  const std::uint64_t plane = die * g_.planes_per_die + offset / plane_unit_;
  const std::uint64_t in_plane = offset % plane_unit_;
  // The plane's slot sequence: round r fills pages [r U_p, (r + 1) U_p).
  const std::uint64_t plane_slot = round * plane_unit_ + in_plane;
  const std::uint64_t plane_first = static_cast<std::uint64_t>(plane) * g_.blocks_per_plane * g_.slots_per_block();
  return static_cast<std::uint32_t>(plane_first + plane_slot);
}

std::uint32_t SequentialLayout::unit_in(std::uint32_t psn) const {
  const std::uint64_t plane_slots = static_cast<std::uint64_t>(g_.blocks_per_plane) * g_.slots_per_block();
  const std::uint64_t plane = psn / plane_slots;
  const std::uint64_t plane_slot = psn % plane_slots;
  const std::uint64_t round = plane_slot / plane_unit_;
  const std::uint64_t in_plane = plane_slot % plane_unit_;
  const std::uint64_t die = plane / g_.planes_per_die;
  const std::uint64_t plane_in_die = plane % g_.planes_per_die;
  const std::uint64_t unit = round * g_.dies() + die;
  const std::uint64_t lpn = unit * die_unit_ + plane_in_die * plane_unit_ + in_plane;
  return lpn < filled_ ? static_cast<std::uint32_t>(lpn) : kNoSlot;
}

std::uint64_t SequentialLayout::plane_slots_used(std::uint32_t plane) const {
  const std::uint64_t die = plane / g_.planes_per_die;
  const std::uint64_t plane_in_die = plane % g_.planes_per_die;
  const std::uint64_t full_units = filled_ / die_unit_;
  // Full die units on this die: units die, die + D, die + 2D ... below full_units.
  const std::uint64_t on_die = full_units > die ? (full_units - die + g_.dies() - 1) / g_.dies() : 0;
  std::uint64_t used = on_die * plane_unit_;
  const std::uint64_t rest = filled_ % die_unit_;
  if (rest != 0 && full_units % g_.dies() == die) {
    const std::uint64_t before = plane_in_die * plane_unit_;
    used += rest > before ? std::min(rest - before, plane_unit_) : 0;
  }
  return used;
}

}  // namespace blocksim::ssd

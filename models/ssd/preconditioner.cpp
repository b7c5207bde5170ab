#include "models/ssd/preconditioner.hpp"

#include <cmath>

namespace blocksim::ssd {

bool collect_now(Ftl& ftl, std::uint32_t plane) {
  const std::uint32_t victim = ftl.choose_victim(plane);
  if (victim == kNoBlock)
    return false;
  const SsdGeometry& g = ftl.geometry();
  const std::uint32_t first = g.first_slot(victim);
  for (std::uint32_t psn = first; psn < first + g.slots_per_block(); ++psn) {
    if (!ftl.is_valid(psn))
      continue;
    const std::uint32_t lpn = ftl.owner(psn);
    ftl.map(lpn, psn, ftl.take_slot(plane), Writer::kGc);
  }
  ftl.erase(victim);
  return true;
}

namespace {

// The next plane, round robin, that can take host data, collecting garbage where it must.
std::uint32_t plane_with_room(Ftl& ftl, std::uint32_t& cursor) {
  const std::uint32_t planes = ftl.geometry().planes();
  for (std::uint32_t tries = 0; tries < 2 * planes; ++tries) {
    const std::uint32_t plane = cursor;
    cursor = (cursor + 1) % planes;
    while (!ftl.has_room(plane, Writer::kHost))
      if (!collect_now(ftl, plane))
        break;
    if (ftl.has_room(plane, Writer::kHost))
      return plane;
  }
  return kNoBlock;
}

}  // namespace

bool place_without_time(Ftl& ftl, std::uint32_t lpn, std::uint32_t& cursor, std::uint64_t* gc_victims) {
  const std::uint32_t plane = plane_with_room(ftl, cursor);
  if (plane == kNoBlock)
    return false;  // every plane is full of valid data: cannot happen while capacity < usable flash
  ftl.map(lpn, ftl.take_slot(plane), Writer::kHost);
  const std::uint32_t threshold = ftl.gc_config().foreground_threshold;
  while (ftl.free_blocks(plane) <= threshold && collect_now(ftl, plane))
    ++*gc_victims;
  return true;
}

PreconditionResult precondition(Ftl& ftl, double fill, double random_overwrites, Rng& rng) {
  PreconditionResult result;
  const SsdGeometry& g = ftl.geometry();
  result.filled_units = static_cast<std::uint64_t>(std::floor(fill * static_cast<double>(g.logical_units)));
  if (result.filled_units > 0)
    ftl.apply_sequential_fill(result.filled_units);
  const auto writes =
      static_cast<std::uint64_t>(std::llround(random_overwrites * static_cast<double>(result.filled_units)));
  std::uint32_t cursor = 0;
  for (std::uint64_t i = 0; i < writes; ++i) {
    const auto lpn = static_cast<std::uint32_t>(rng.below(result.filled_units));
    if (!place_without_time(ftl, lpn, cursor, &result.gc_victims))
      break;
    ++result.overwrites;
  }
  ftl.align_open_blocks();
  ftl.reset_counters();
  return result;
}

}  // namespace blocksim::ssd

#include "models/hdd/layout.hpp"

#include "models/hdd/hdd_check.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace blocksim::hdd {

namespace {

using Sparing = proto::HddLayout::Sparing;

ConfigError zone_error(int zone, const std::string& field, const std::string& what) {
  return ConfigError({{"zone", zone}, {field, -1}}, what);
}

bool slips_go_to_end(Sparing sparing) {
  switch (sparing) {
    case proto::HddLayout::NO_SPARING:
    case proto::HddLayout::SPARE_SECTORS_PER_CYLINDER_SLIP_TO_END:
    case proto::HddLayout::SPARE_SECTORS_FRONT_OF_CYLINDER_SLIP_TO_END:
    case proto::HddLayout::SPARE_SECTORS_AT_END_OF_DISK:
    case proto::HddLayout::SPARE_SECTORS_PER_ZONE_SLIP_TO_END: return true;
    default: return false;
  }
}

// DiskSim's layout pushes a track's first sector one sector further per slip earlier in the zone
// for the per-cylinder and per-track schemes; the DIXtrac-extracted skews assume it.
bool slips_push_skew(Sparing sparing) {
  switch (sparing) {
    case proto::HddLayout::SPARE_SECTORS_PER_CYLINDER:
    case proto::HddLayout::SPARE_SECTORS_PER_TRACK:
    case proto::HddLayout::SPARE_SECTORS_PER_CYLINDER_SLIP_TO_END:
    case proto::HddLayout::SPARE_SECTORS_FRONT_OF_CYLINDER:
    case proto::HddLayout::SPARE_SECTORS_FRONT_OF_CYLINDER_SLIP_TO_END: return true;
    default: return false;
  }
}

}  // namespace

Layout::Layout(const proto::HddLayout& config)
    : surfaces_(config.surfaces()),
      mapping_(config.mapping()),
      sparing_(config.sparing()),
      sparing_range_(config.sparing_range()) {
  if (config.has_tree()) {
    if (config.zone_size() > 0)
      throw ConfigError({{"tree", -1}}, "give zones or a tree, not both");
    tree_.emplace(config.tree(), surfaces_);
    cylinders_ = tree_->cylinders();
    block_count_ = tree_->block_count();
    return;
  }
  if (config.zone_size() == 0)
    throw ConfigError({{"zone", -1}}, "a layout needs zones (or a tree)");
  std::uint64_t lbn = 0;
  for (int i = 0; i < config.zone_size(); ++i) {
    const auto& zone = config.zone(i);
    // Zones come in cylinder order; cylinders between two zones hold no blocks (DiskSim allows it).
    if (i > 0 && zone.first_cylinder() <= zones_.back().last_cylinder)
      throw zone_error(i, "first_cylinder", "zones must come in cylinder order without overlapping (" +
                                                std::to_string(zone.first_cylinder()) + " is not after " +
                                                std::to_string(zones_.back().last_cylinder) + ")");
    if (zone.last_cylinder() < zone.first_cylinder())
      throw zone_error(i, "last_cylinder", "is before first_cylinder");
    build_zone(zone, i, lbn);
    lbn += zones_.back().blocks;
  }
  cylinders_ = zones_.back().last_cylinder + 1;
  block_count_ = lbn;
  if (block_count_ == 0)
    throw ConfigError({{"zone", -1}}, "the layout holds no blocks");
}

void Layout::build_zone(const proto::HddZone& config, int index, std::uint64_t first_lbn) {
  Zone zone;
  zone.first_cylinder = config.first_cylinder();
  zone.last_cylinder = config.last_cylinder();
  zone.spt = config.sectors_per_track();
  zone.offset = config.first_sector_offset() % zone.spt;
  zone.track_skew = config.track_skew() % zone.spt;
  zone.cylinder_skew = config.cylinder_skew() % zone.spt;
  zone.reserved = config.reserved_sectors();
  zone.first_lbn = first_lbn;
  const std::uint64_t cylinders = zone.last_cylinder - zone.first_cylinder + 1;
  const std::uint64_t track_slots = zone.spt;
  const std::uint64_t cylinder_slots = track_slots * surfaces_;
  zone.slots = cylinders * cylinder_slots;

  switch (sparing_) {
    case proto::HddLayout::SPARE_SECTORS_PER_TRACK: zone.unit_slots = track_slots; break;
    case proto::HddLayout::SPARE_SECTORS_PER_CYLINDER:
    case proto::HddLayout::SPARE_SECTORS_PER_CYLINDER_SLIP_TO_END:
    case proto::HddLayout::SPARE_SECTORS_FRONT_OF_CYLINDER:
    case proto::HddLayout::SPARE_SECTORS_FRONT_OF_CYLINDER_SLIP_TO_END: zone.unit_slots = cylinder_slots; break;
    case proto::HddLayout::SPARE_SECTORS_PER_RANGE:
      zone.unit_slots = cylinder_slots * sparing_range_;
      break;
    default: zone.unit_slots = zone.slots; break;
  }
  zone.unit_slots = std::min(zone.unit_slots, zone.slots);
  zone.units = (zone.slots + zone.unit_slots - 1) / zone.unit_slots;
  zone.spares_in_front = sparing_ == proto::HddLayout::SPARE_SECTORS_FRONT_OF_CYLINDER ||
                         sparing_ == proto::HddLayout::SPARE_SECTORS_FRONT_OF_CYLINDER_SLIP_TO_END;
  const bool track_units = sparing_ == proto::HddLayout::SPARE_TRACKS_PER_ZONE;
  switch (sparing_) {
    case proto::HddLayout::NO_SPARING:
    case proto::HddLayout::SPARE_SECTORS_AT_END_OF_DISK: zone.unit_spares = 0; break;
    case proto::HddLayout::SPARE_TRACKS_PER_ZONE: zone.unit_spares = config.spares() * track_slots; break;
    default: zone.unit_spares = config.spares(); break;
  }
  if (zone.unit_spares >= zone.unit_slots)
    throw zone_error(index, "spares", "leave no room for data");
  zone.regular_data = zone.unit_slots - zone.unit_spares;

  const std::uint64_t slip_limit = track_units ? cylinders * surfaces_ : zone.slots;
  for (const std::uint64_t slip : config.slip()) {
    if (slip >= slip_limit)
      throw zone_error(index, "slip", std::to_string(slip) + " lies outside the zone");
    if (track_units)
      for (std::uint64_t s = 0; s < track_slots; ++s)
        zone.slips.push_back(slip * track_slots + s);
    else
      zone.slips.push_back(slip);
    if (!track_units)
      zone.skew_slips.push_back(slip);
  }
  std::sort(zone.slips.begin(), zone.slips.end());
  zone.slips.erase(std::unique(zone.slips.begin(), zone.slips.end()), zone.slips.end());
  std::sort(zone.skew_slips.begin(), zone.skew_slips.end());
  if (!slips_push_skew(sparing_))
    zone.skew_slips.clear();

  for (const auto& remap : config.remap()) {
    const std::uint64_t unit = track_units ? track_slots : 1;
    if (remap.defect() * unit >= zone.slots || remap.spare() * unit >= zone.slots)
      throw zone_error(index, "remap", "a defect or spare lies outside the zone");
    for (std::uint64_t s = 0; s < unit; ++s) {
      zone.remap.emplace_back(remap.defect() * unit + s, remap.spare() * unit + s);
      zone.unremap.emplace_back(remap.spare() * unit + s, remap.defect() * unit + s);
    }
  }
  std::sort(zone.remap.begin(), zone.remap.end());
  has_remaps_ = has_remaps_ || !zone.remap.empty();
  std::sort(zone.unremap.begin(), zone.unremap.end());

  build_units(zone, slips_go_to_end(sparing_));
  std::uint64_t usable = 0;
  if (zone.irregular.empty()) {
    usable = zone.units * zone.regular_data;
  } else {
    const auto& last = zone.irregular.back();
    usable = last.first_usable + last.data + (zone.units - last.unit - 1) * zone.regular_data;
  }
  if (usable <= zone.reserved)
    throw zone_error(index, "reserved_sectors", "leave no room for data");
  zone.blocks = usable - zone.reserved;
  zones_.push_back(std::move(zone));
}

// Lists, slot by slot, the units whose data does not follow the regular pattern: those holding
// slips, and a last partial unit.
void Layout::build_units(Zone& zone, bool slip_to_end) const {
  std::uint64_t deficit = 0;  // usable indices the irregular units so far hold fewer than regular ones
  auto add_unit = [&](std::uint64_t unit, std::vector<std::uint64_t>::const_iterator slip_begin,
                      std::vector<std::uint64_t>::const_iterator slip_end) {
    const std::uint64_t start = unit * zone.unit_slots;
    const std::uint64_t end = std::min(start + zone.unit_slots, zone.slots);
    const bool partial = end - start < zone.unit_slots;
    const auto holes = static_cast<std::uint64_t>(slip_end - slip_begin);
    const std::uint64_t spares = partial ? 0 : zone.unit_spares;
    const std::uint64_t candidates = end - start - holes;
    std::uint64_t data = slip_to_end ? end - start - spares - std::min(holes, end - start - spares)
                                     : std::min(end - start - spares, candidates);
    IrregularUnit irregular;
    irregular.unit = unit;
    irregular.first_usable = unit * zone.regular_data - deficit;
    irregular.data = data;
    // Data takes the first `data` slots that are not slips, or the last ones when spares lie in front.
    std::uint64_t skip = zone.spares_in_front ? candidates - data : 0;
    auto slip = slip_begin;
    std::uint64_t usable = irregular.first_usable;
    for (std::uint64_t slot = start; slot < end && usable < irregular.first_usable + data; ++slot) {
      if (slip != slip_end && *slip == slot) {
        ++slip;
        continue;
      }
      if (skip > 0) {
        --skip;
        continue;
      }
      if (!irregular.extents.empty() && irregular.extents.back().slot + irregular.extents.back().count == slot)
        ++irregular.extents.back().count;
      else
        irregular.extents.push_back({slot, usable, 1});
      ++usable;
    }
    deficit += zone.regular_data - std::min(zone.regular_data, data);
    if (data > zone.regular_data)
      deficit -= data - zone.regular_data;
    zone.irregular.push_back(std::move(irregular));
  };
  auto slip = zone.slips.cbegin();
  while (slip != zone.slips.cend()) {
    const std::uint64_t unit = *slip / zone.unit_slots;
    auto next = slip;
    while (next != zone.slips.cend() && *next / zone.unit_slots == unit)
      ++next;
    add_unit(unit, slip, next);
    slip = next;
  }
  const std::uint64_t last = zone.units - 1;
  if (zone.slots % zone.unit_slots != 0 && (zone.irregular.empty() || zone.irregular.back().unit != last))
    add_unit(last, zone.slips.cend(), zone.slips.cend());
}

const Layout::Zone& Layout::zone_of_lbn(std::uint64_t lbn) const {
  auto it = std::upper_bound(zones_.begin(), zones_.end(), lbn,
                             [](std::uint64_t value, const Zone& zone) { return value < zone.first_lbn; });
  return *(it - 1);
}

const Layout::Zone& Layout::zone_of_cylinder(std::uint32_t cylinder) const {
  auto it = std::upper_bound(zones_.begin(), zones_.end(), cylinder,
                             [](std::uint32_t value, const Zone& zone) { return value < zone.first_cylinder; });
  return *(it - 1);
}

std::uint64_t Layout::usable_to_slot(const Zone& zone, std::uint64_t usable) const {
  auto it = std::upper_bound(zone.irregular.begin(), zone.irregular.end(), usable,
                             [](std::uint64_t value, const IrregularUnit& unit) { return value < unit.first_usable; });
  std::uint64_t base_unit = 0, base_usable = 0;
  if (it != zone.irregular.begin()) {
    const IrregularUnit& unit = *(it - 1);
    if (usable < unit.first_usable + unit.data) {
      auto extent = std::upper_bound(unit.extents.begin(), unit.extents.end(), usable,
                                     [](std::uint64_t value, const Extent& e) { return value < e.usable; });
      --extent;
      return extent->slot + (usable - extent->usable);
    }
    base_unit = unit.unit + 1;
    base_usable = unit.first_usable + unit.data;
  }
  const std::uint64_t offset = usable - base_usable;
  const std::uint64_t unit = base_unit + offset / zone.regular_data;
  return unit * zone.unit_slots + (zone.spares_in_front ? zone.unit_spares : 0) + offset % zone.regular_data;
}

std::optional<std::uint64_t> Layout::slot_to_usable(const Zone& zone, std::uint64_t slot) const {
  const std::uint64_t unit = slot / zone.unit_slots;
  auto it = std::lower_bound(zone.irregular.begin(), zone.irregular.end(), unit,
                             [](const IrregularUnit& u, std::uint64_t value) { return u.unit < value; });
  if (it != zone.irregular.end() && it->unit == unit) {
    auto extent = std::upper_bound(it->extents.begin(), it->extents.end(), slot,
                                   [](std::uint64_t value, const Extent& e) { return value < e.slot; });
    if (extent == it->extents.begin())
      return std::nullopt;
    --extent;
    if (slot >= extent->slot + extent->count)
      return std::nullopt;
    return extent->usable + (slot - extent->slot);
  }
  const std::uint64_t local = slot - unit * zone.unit_slots;
  const std::uint64_t front = zone.spares_in_front ? zone.unit_spares : 0;
  if (local < front || local >= front + zone.regular_data)
    return std::nullopt;
  // Usable start of a regular unit: after the last irregular unit before it.
  std::uint64_t base_unit = 0, base_usable = 0;
  if (it != zone.irregular.begin()) {
    const IrregularUnit& before = *(it - 1);
    base_unit = before.unit + 1;
    base_usable = before.first_usable + before.data;
  }
  return base_usable + (unit - base_unit) * zone.regular_data + (local - front);
}

std::uint32_t Layout::surface_order(const Zone& zone, std::uint32_t cylinder, std::uint32_t head) const {
  bool reversed = false;
  if (mapping_ == proto::HddLayout::SERPENTINE_PER_ZONE)
    reversed = (cylinder - zone.first_cylinder) % 2 == 1;
  else if (mapping_ == proto::HddLayout::SERPENTINE)
    reversed = cylinder % 2 == 1;
  return reversed ? surfaces_ - 1 - head : head;
}

std::uint64_t Layout::slot_of(const Zone& zone, const PhysicalSector& where) const {
  const std::uint64_t order = surface_order(zone, where.cylinder, where.head);
  return ((static_cast<std::uint64_t>(where.cylinder - zone.first_cylinder) * surfaces_) + order) * zone.spt +
         where.sector;
}

PhysicalSector Layout::sector_of(const Zone& zone, std::uint64_t slot) const {
  const std::uint64_t track = slot / zone.spt;
  PhysicalSector where;
  where.sector = static_cast<std::uint32_t>(slot % zone.spt);
  where.cylinder = zone.first_cylinder + static_cast<std::uint32_t>(track / surfaces_);
  // The surface order is its own inverse.
  where.head = surface_order(zone, where.cylinder, static_cast<std::uint32_t>(track % surfaces_));
  return where;
}

PhysicalSector Layout::locate(std::uint64_t lbn) const {
  if (tree_)
    return tree_->locate(lbn);
  const Zone& zone = zone_of_lbn(lbn);
  std::uint64_t slot = usable_to_slot(zone, lbn - zone.first_lbn + zone.reserved);
  if (!zone.remap.empty()) {
    auto it = std::lower_bound(zone.remap.begin(), zone.remap.end(), std::make_pair(slot, std::uint64_t{0}));
    if (it != zone.remap.end() && it->first == slot)
      slot = it->second;
  }
  return sector_of(zone, slot);
}

std::optional<std::uint64_t> Layout::block_at(const PhysicalSector& where) const {
  if (tree_)
    return tree_->block_at(where);
  if (where.cylinder >= cylinders_ || where.head >= surfaces_)
    return std::nullopt;
  const Zone& zone = zone_of_cylinder(where.cylinder);
  if (where.sector >= zone.spt)
    return std::nullopt;
  std::uint64_t slot = slot_of(zone, where);
  if (!zone.remap.empty()) {
    auto defect = std::lower_bound(zone.remap.begin(), zone.remap.end(), std::make_pair(slot, std::uint64_t{0}));
    if (defect != zone.remap.end() && defect->first == slot)
      return std::nullopt;
    auto spare = std::lower_bound(zone.unremap.begin(), zone.unremap.end(), std::make_pair(slot, std::uint64_t{0}));
    if (spare != zone.unremap.end() && spare->first == slot)
      slot = spare->second;
  }
  const auto usable = slot_to_usable(zone, slot);
  if (!usable || *usable < zone.reserved)
    return std::nullopt;
  return zone.first_lbn + (*usable - zone.reserved);
}

TrackBlocks Layout::track_blocks(const Track& track) const {
  if (tree_)
    return tree_->track_blocks(track);
  TrackBlocks result;
  const Zone& zone = zone_of_cylinder(track.cylinder);
  const std::uint64_t first_slot = slot_of(zone, {track.cylinder, track.head, 0});
  std::optional<std::uint64_t> first, last;
  // Data slots of a track are contiguous but for slips and spares at its ends: scan in from both ends.
  for (std::uint64_t s = 0; s < zone.spt && !first; ++s) {
    const auto usable = slot_to_usable(zone, first_slot + s);
    if (usable && *usable >= zone.reserved)
      first = usable;
  }
  if (!first)
    return result;
  for (std::uint64_t s = zone.spt; s-- > 0 && !last;) {
    const auto usable = slot_to_usable(zone, first_slot + s);
    if (usable && *usable >= zone.reserved)
      last = usable;
  }
  result.empty = false;
  result.first = zone.first_lbn + (*first - zone.reserved);
  result.last = zone.first_lbn + (*last - zone.reserved);
  return result;
}

std::uint32_t Layout::sectors_per_track(const Track& track) const {
  if (tree_)
    return tree_->sectors_per_track(track);
  return zone_of_cylinder(track.cylinder).spt;
}

double Layout::sector_angle(const PhysicalSector& where) const {
  if (tree_)
    return tree_->sector_angle(where);
  const Zone& zone = zone_of_cylinder(where.cylinder);
  const std::uint64_t cylinder = where.cylinder - zone.first_cylinder;
  const std::uint64_t switches = surface_order(zone, where.cylinder, where.head) + (surfaces_ - 1) * cylinder;
  std::uint64_t skew = zone.offset + switches * zone.track_skew + cylinder * zone.cylinder_skew;
  if (!zone.skew_slips.empty()) {
    std::uint64_t tracks = cylinder * surfaces_;
    if (sparing_ == proto::HddLayout::SPARE_SECTORS_PER_TRACK)
      tracks += where.head;
    const std::uint64_t cutoff = tracks * zone.spt;
    skew += static_cast<std::uint64_t>(std::lower_bound(zone.skew_slips.begin(), zone.skew_slips.end(), cutoff) -
                                       zone.skew_slips.begin());
  }
  return static_cast<double>((skew + where.sector) % zone.spt) / zone.spt;
}

}  // namespace blocksim::hdd

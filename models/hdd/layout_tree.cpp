// LayoutTree: the walk from a slot (or a track) down the tree of indexes, and the slip list.
#include "models/hdd/layout_tree.hpp"

#include "models/hdd/hdd_check.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace blocksim::hdd {

namespace {

constexpr int kMaxDepth = 32;

ConfigError tree_error(const std::string& field, const std::string& what) {
  return ConfigError({{"tree", -1}, {field, -1}}, what);
}

ConfigError index_error(int index, const std::string& field, int entry, const std::string& what) {
  return ConfigError({{"tree", -1}, {"index", index}, {field, entry}}, what);
}

}  // namespace

LayoutTree::LayoutTree(const proto::HddLayoutTree& config, std::uint32_t surfaces) : blocks_(config.blocks()) {
  if (blocks_ == 0)
    throw tree_error("blocks", "the layout holds no blocks");
  if (config.track_sectors_size() == 0)
    throw tree_error("track_sectors", "needs at least one track pattern");
  for (int i = 0; i < config.track_sectors_size(); ++i) {
    if (config.track_sectors(i) == 0)
      throw ConfigError({{"tree", -1}, {"track_sectors", i}}, "a track needs at least one sector");
    track_sectors_.push_back(config.track_sectors(i));
  }
  if (config.index_size() == 0)
    throw tree_error("index", "needs at least one index (the last is the root)");
  for (int i = 0; i < config.index_size(); ++i)
    build_index(config.index(i), i, surfaces);
  for (const Entry& e : indexes_.back().entries)
    cylinders_ = std::max(cylinders_, e.high_cylinder + 1);

  if (config.slip_size() != config.slip_count_size())
    throw tree_error("slip_count", "needs one count per slip");
  std::uint64_t slipped = 0;
  for (int i = 0; i < config.slip_size(); ++i) {
    const std::uint64_t slot = config.slip(i);
    if (i > 0 && slot < slip_slot_.back() + slip_count_.back())
      throw ConfigError({{"tree", -1}, {"slip", i}}, "slips must be sorted and must not overlap");
    slip_lbn_.push_back(slot - slipped);
    slipped += config.slip_count(i);
    slip_slot_.push_back(slot);
    slip_count_.push_back(config.slip_count(i));
    slipped_after_.push_back(slipped);
  }
  std::uint32_t sector = 0;
  if (!place_of_slot(slot_of_lbn(blocks_ - 1), &sector))
    throw tree_error("blocks", "the tree does not reach block " + std::to_string(blocks_ - 1));
}

void LayoutTree::build_index(const proto::HddLayoutIndex& config, int number, std::uint32_t surfaces) {
  Index index;
  index.tracks = config.tracks();
  const int n = config.slot_size();
  const auto check_size = [&](int size, const char* field) {
    if (size != n)
      throw index_error(number, field, -1, "needs one value per entry (" + std::to_string(n) + ")");
  };
  check_size(config.cylinder_size(), "cylinder");
  check_size(config.angle_size(), "angle");
  check_size(config.slots_size(), "slots");
  check_size(config.cylinders_size(), "cylinders");
  check_size(config.angle_step_size(), "angle_step");
  check_size(config.run_slots_size(), "run_slots");
  check_size(config.run_cylinders_size(), "run_cylinders");
  check_size(config.child_size(), "child");
  if (index.tracks)
    check_size(config.head_size(), "head");
  if (n == 0)
    throw index_error(number, "slot", -1, "an index needs at least one entry");
  for (int i = 0; i < n; ++i) {
    Entry e;
    e.slot = config.slot(i);
    e.slots = config.slots(i);
    e.run_slots = config.run_slots(i);
    e.cylinder = config.cylinder(i);
    e.cylinders = config.cylinders(i);
    const std::int32_t run = config.run_cylinders(i);
    e.down = run < 0;
    e.run_cylinders = static_cast<std::uint32_t>(run < 0 ? -static_cast<std::int64_t>(run) : run);
    e.angle = config.angle(i);
    e.angle_step = config.angle_step(i);
    e.child = config.child(i);
    e.head = index.tracks ? config.head(i) : 0;
    if (e.slots == 0 || e.run_slots == 0)
      throw index_error(number, e.slots == 0 ? "slots" : "run_slots", i, "must be at least 1");
    if (e.cylinders == 0 || e.run_cylinders == 0)
      throw index_error(number, e.cylinders == 0 ? "cylinders" : "run_cylinders", i, "must not be 0");
    if (e.down && e.cylinders != 1)
      throw index_error(number, "cylinders", i, "a downward run must step one cylinder at a time");
    if (i > 0 && e.slot < index.entries.back().slot + index.entries.back().run_slots)
      throw index_error(number, "slot", i, "entries must come in slot order without overlapping");
    if (index.tracks) {
      if (e.child >= track_sectors_.size())
        throw index_error(number, "child", i, "names no track pattern");
      if (e.head >= surfaces)
        throw index_error(number, "head", i, "is beyond the drive's surfaces");
      if (e.slots > track_sectors_[e.child])
        throw index_error(number, "slots", i, "a track holds at most its pattern's sectors");
    } else if (e.child >= static_cast<std::uint32_t>(number)) {
      throw index_error(number, "child", i, "must name an index before this one");
    }
    if (e.down) {
      if (e.cylinder + 1 < e.run_cylinders)
        throw index_error(number, "run_cylinders", i, "runs below cylinder 0");
      e.low_cylinder = e.cylinder + 1 - e.run_cylinders;
      e.high_cylinder = e.cylinder;
    } else {
      e.low_cylinder = e.cylinder;
      e.high_cylinder = e.cylinder + e.run_cylinders - 1;
    }
    index.entries.push_back(e);
  }
  for (std::uint32_t i = 0; i < index.entries.size(); ++i)
    index.by_cylinder.push_back(i);
  const auto key = [&index](std::uint32_t i) {
    return std::make_pair(index.entries[i].head, index.entries[i].low_cylinder);
  };
  std::sort(index.by_cylinder.begin(), index.by_cylinder.end(),
            [&key](std::uint32_t a, std::uint32_t b) { return key(a) < key(b); });
  for (std::size_t k = 1; k < index.by_cylinder.size(); ++k) {
    const Entry& a = index.entries[index.by_cylinder[k - 1]];
    const Entry& b = index.entries[index.by_cylinder[k]];
    if (a.head == b.head && b.low_cylinder <= a.high_cylinder)
      throw index_error(number, "cylinder", static_cast<int>(index.by_cylinder[k]),
                        "two entries cover the same cylinder" + std::string(index.tracks ? " on one head" : ""));
  }
  indexes_.push_back(std::move(index));
}

std::optional<LayoutTree::Place> LayoutTree::place_of_slot(std::uint64_t slot, std::uint32_t* sector) const {
  const Index* index = &indexes_.back();
  std::uint64_t base = 0, limit = std::numeric_limits<std::uint64_t>::max(), rel = slot;
  std::int64_t cylinder = 0;
  double angle = 0;
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    const auto& entries = index->entries;
    auto it = std::upper_bound(entries.begin(), entries.end(), rel,
                               [](std::uint64_t s, const Entry& e) { return s < e.slot; });
    if (it == entries.begin())
      return std::nullopt;
    const Entry& e = *--it;
    if (rel >= e.slot + e.run_slots)
      return std::nullopt;
    const std::uint64_t q = (rel - e.slot) / e.slots;
    const std::uint64_t r = (rel - e.slot) % e.slots;
    const auto step = static_cast<std::int64_t>(q * e.cylinders);
    cylinder += e.down ? static_cast<std::int64_t>(e.cylinder) - step : static_cast<std::int64_t>(e.cylinder) + step;
    angle += e.angle + static_cast<double>(q) * e.angle_step;
    const std::uint64_t first = base + e.slot + q * e.slots;
    const std::uint64_t end = std::min({limit, base + e.slot + e.run_slots, first + e.slots});
    if (slot >= end)
      return std::nullopt;
    if (index->tracks) {
      *sector = static_cast<std::uint32_t>(r);
      return Place{first, end, {static_cast<std::uint32_t>(cylinder), e.head}, angle, track_sectors_[e.child]};
    }
    index = &indexes_[e.child];
    base = first;
    limit = end;
    rel = r;
  }
  return std::nullopt;
}

const LayoutTree::Entry* LayoutTree::entry_for_cylinder(const Index& index, std::uint32_t head,
                                                        std::uint32_t cylinder) const {
  const auto key = std::make_pair(head, cylinder);
  auto it = std::upper_bound(index.by_cylinder.begin(), index.by_cylinder.end(), key,
                             [&index](const std::pair<std::uint32_t, std::uint32_t>& k, std::uint32_t i) {
                               return k < std::make_pair(index.entries[i].head, index.entries[i].low_cylinder);
                             });
  if (it == index.by_cylinder.begin())
    return nullptr;
  const Entry& e = index.entries[*--it];
  if (e.head != head || cylinder > e.high_cylinder)
    return nullptr;
  return &e;
}

std::optional<LayoutTree::Place> LayoutTree::place_of_track(const Track& track) const {
  const Index* index = &indexes_.back();
  std::uint64_t base = 0, limit = std::numeric_limits<std::uint64_t>::max();
  std::uint32_t rel = track.cylinder;
  double angle = 0;
  for (int depth = 0; depth < kMaxDepth; ++depth) {
    const Entry* e = entry_for_cylinder(*index, index->tracks ? track.head : 0, rel);
    if (!e)
      return std::nullopt;
    const std::uint32_t distance = e->down ? e->cylinder - rel : rel - e->cylinder;
    const std::uint64_t q = distance / e->cylinders;
    angle += e->angle + static_cast<double>(q) * e->angle_step;
    const std::uint64_t first = base + e->slot + q * e->slots;
    const std::uint64_t end = std::min({limit, base + e->slot + e->run_slots, first + e->slots});
    if (first >= end)
      return std::nullopt;
    if (index->tracks)
      return Place{first, end, track, angle, track_sectors_[e->child]};
    index = &indexes_[e->child];
    base = first;
    limit = end;
    rel = distance % e->cylinders;
  }
  return std::nullopt;
}

std::uint64_t LayoutTree::slot_of_lbn(std::uint64_t lbn) const {
  auto it = std::upper_bound(slip_lbn_.begin(), slip_lbn_.end(), lbn);
  if (it == slip_lbn_.begin())
    return lbn;
  return lbn + slipped_after_[static_cast<std::size_t>(it - slip_lbn_.begin()) - 1];
}

std::optional<std::uint64_t> LayoutTree::lbn_of_slot(std::uint64_t slot) const {
  auto it = std::upper_bound(slip_slot_.begin(), slip_slot_.end(), slot);
  std::uint64_t lbn = slot;
  if (it != slip_slot_.begin()) {
    const auto i = static_cast<std::size_t>(it - slip_slot_.begin()) - 1;
    if (slot < slip_slot_[i] + slip_count_[i])
      return std::nullopt;
    lbn = slot - slipped_after_[i];
  }
  if (lbn >= blocks_)
    return std::nullopt;
  return lbn;
}

std::optional<std::size_t> LayoutTree::slip_run_at(std::uint64_t slot) const {
  const auto it = std::upper_bound(slip_slot_.begin(), slip_slot_.end(), slot);
  if (it == slip_slot_.begin())
    return std::nullopt;
  const auto i = static_cast<std::size_t>(it - slip_slot_.begin()) - 1;
  if (slot >= slip_slot_[i] + slip_count_[i])
    return std::nullopt;
  return i;
}

std::uint64_t LayoutTree::data_slot_from(std::uint64_t slot) const {
  while (const auto run = slip_run_at(slot))
    slot = slip_slot_[*run] + slip_count_[*run];
  return slot;
}

std::optional<std::uint64_t> LayoutTree::data_slot_until(std::uint64_t slot) const {
  while (const auto run = slip_run_at(slot)) {
    if (slip_slot_[*run] == 0)
      return std::nullopt;
    slot = slip_slot_[*run] - 1;
  }
  return slot;
}

PhysicalSector LayoutTree::locate(std::uint64_t lbn) const {
  if (lbn >= blocks_)
    throw std::out_of_range("block " + std::to_string(lbn) + " is beyond the layout's " + std::to_string(blocks_));
  std::uint32_t sector = 0;
  const auto place = place_of_slot(slot_of_lbn(lbn), &sector);
  if (!place)
    throw std::out_of_range("the layout tree does not reach block " + std::to_string(lbn));
  return {place->track.cylinder, place->track.head, sector};
}

std::optional<std::uint64_t> LayoutTree::block_at(const PhysicalSector& where) const {
  const auto place = place_of_track({where.cylinder, where.head});
  if (!place || where.sector >= place->end - place->first)
    return std::nullopt;
  return lbn_of_slot(place->first + where.sector);
}

TrackBlocks LayoutTree::track_blocks(const Track& track) const {
  TrackBlocks result;
  const auto place = place_of_track(track);
  if (!place)
    return result;
  const std::uint64_t first = data_slot_from(place->first);
  const auto last = data_slot_until(place->end - 1);
  if (!last || first > *last)
    return result;
  const auto first_lbn = lbn_of_slot(first);
  if (!first_lbn)
    return result;
  result.empty = false;
  result.first = *first_lbn;
  const auto last_lbn = lbn_of_slot(*last);
  result.last = last_lbn ? *last_lbn : blocks_ - 1;
  return result;
}

std::uint32_t LayoutTree::sectors_per_track(const Track& track) const {
  const auto place = place_of_track(track);
  return place ? place->spt : 1;
}

double LayoutTree::sector_angle(const PhysicalSector& where) const {
  const auto place = place_of_track({where.cylinder, where.head});
  if (!place)
    return 0;
  const double angle = place->angle + static_cast<double>(where.sector) / place->spt;
  return angle - std::floor(angle);
}

}  // namespace blocksim::hdd

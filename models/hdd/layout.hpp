// Where each logical block lies on the platters: zones of cylinders with their sectors per track,
// the order tracks are filled in (conventional or serpentine), spare sectors, slipped and remapped
// defects, and the angular position of every sector (zone offset, track skew, cylinder skew).
//
// Inside a zone, physical sectors are numbered in mapping order ("slots": cylinder by cylinder,
// surface by surface in the cylinder's order, sector by sector). The sparing scheme cuts the zone
// into units (a track, a cylinder, a range of cylinders, the whole zone) that each hold a number
// of spare slots; slipped slots hold nothing; data fills the rest in order. Most units are
// regular and mapped by arithmetic; only units with slips are listed slot by slot.
// Cylinders that no zone covers hold no blocks. A layout given as a tree instead of zones
// (HddLayoutTree) is answered by LayoutTree. Built once from the HddLayout message; immutable
// afterwards; owns nothing else.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "blocksim/hdd.pb.h"
#include "models/hdd/layout_tree.hpp"
#include "models/hdd/layout_types.hpp"

namespace blocksim::hdd {

class Layout {
 public:
  // Throws ConfigError (hdd_check.hpp) naming the zone and field when the description is inconsistent.
  explicit Layout(const proto::HddLayout& config);

  std::uint64_t block_count() const { return block_count_; }
  std::uint32_t surfaces() const { return surfaces_; }
  std::uint32_t cylinders() const { return cylinders_; }
  std::uint32_t zone_count() const { return static_cast<std::uint32_t>(zones_.size()); }
  // True when some block lives away from its home (a remapped defect).
  bool has_remaps() const { return has_remaps_; }

  // Where block `lbn` is read or written (a remapped block: its spare's place).
  PhysicalSector locate(std::uint64_t lbn) const;
  // The block stored in a physical sector, if any (not a spare, a slip, a reserved sector or a
  // remapped defect).
  std::optional<std::uint64_t> block_at(const PhysicalSector& where) const;
  // The blocks whose home is this track, in rotation order first to last.
  TrackBlocks track_blocks(const Track& track) const;

  std::uint32_t sectors_per_track(const Track& track) const;
  // Start of physical sector `where.sector` as a fraction of a revolution from the index, [0, 1).
  double sector_angle(const PhysicalSector& where) const;

 private:
  struct Extent {  // data slots [slot, slot + count) hold usable indices [usable, usable + count)
    std::uint64_t slot = 0;
    std::uint64_t usable = 0;
    std::uint64_t count = 0;
  };
  struct IrregularUnit {  // a unit whose data slots are listed
    std::uint64_t unit = 0;
    std::uint64_t first_usable = 0;
    std::uint64_t data = 0;
    std::vector<Extent> extents;
  };
  struct Zone {
    std::uint32_t first_cylinder = 0, last_cylinder = 0, spt = 0;
    std::uint32_t offset = 0, track_skew = 0, cylinder_skew = 0;
    std::uint64_t reserved = 0;
    std::uint64_t first_lbn = 0, blocks = 0;
    std::uint64_t slots = 0;       // cylinders * surfaces * spt
    std::uint64_t unit_slots = 0;  // slots per sparing unit
    std::uint64_t units = 0;
    std::uint64_t unit_spares = 0;
    std::uint64_t regular_data = 0;  // data slots of a unit without slips
    bool spares_in_front = false;
    std::vector<std::uint64_t> slips;           // sorted slot indices (tracks expanded to sectors)
    std::vector<std::uint64_t> skew_slips;      // the slips that push the skew (DiskSim's rule)
    std::vector<IrregularUnit> irregular;       // sorted by unit
    std::vector<std::pair<std::uint64_t, std::uint64_t>> remap;    // defect slot -> spare slot, sorted
    std::vector<std::pair<std::uint64_t, std::uint64_t>> unremap;  // spare slot -> defect slot, sorted
  };

  void build_zone(const proto::HddZone& config, int index, std::uint64_t first_lbn);
  void build_units(Zone& zone, bool slip_to_end) const;
  const Zone& zone_of_lbn(std::uint64_t lbn) const;
  const Zone& zone_of_cylinder(std::uint32_t cylinder) const;
  std::uint64_t usable_to_slot(const Zone& zone, std::uint64_t usable) const;
  std::optional<std::uint64_t> slot_to_usable(const Zone& zone, std::uint64_t slot) const;
  std::uint64_t slot_of(const Zone& zone, const PhysicalSector& where) const;
  PhysicalSector sector_of(const Zone& zone, std::uint64_t slot) const;
  std::uint32_t surface_order(const Zone& zone, std::uint32_t cylinder, std::uint32_t head) const;

  std::uint32_t surfaces_ = 1;
  std::uint32_t cylinders_ = 0;
  proto::HddLayout::Mapping mapping_ = proto::HddLayout::CONVENTIONAL;
  proto::HddLayout::Sparing sparing_ = proto::HddLayout::NO_SPARING;
  std::uint32_t sparing_range_ = 1;
  std::vector<Zone> zones_;
  std::uint64_t block_count_ = 0;
  bool has_remaps_ = false;
  std::optional<LayoutTree> tree_;
};

}  // namespace blocksim::hdd

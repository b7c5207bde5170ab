// A layout given track by track (HddLayoutTree, DiskSim's dm_layout_g4): block slots (blocks plus
// slipped sectors, in mapping order) cut by a tree of indexes whose entries are runs of instances
// of one child on successive cylinders (upward or downward), down to tracks on one surface with
// their own sectors per track and angle. Answers the questions Layout answers, by binary search at
// each level of the tree and in the slip list; nothing is allocated per question. Built once from
// the message; immutable afterwards.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "blocksim/hdd.pb.h"
#include "models/hdd/layout_types.hpp"

namespace blocksim::hdd {

class LayoutTree {
 public:
  // Throws ConfigError (paths from the `tree` message) when the tree is inconsistent.
  LayoutTree(const proto::HddLayoutTree& config, std::uint32_t surfaces);

  std::uint64_t block_count() const { return blocks_; }
  std::uint32_t cylinders() const { return cylinders_; }

  PhysicalSector locate(std::uint64_t lbn) const;
  std::optional<std::uint64_t> block_at(const PhysicalSector& where) const;
  TrackBlocks track_blocks(const Track& track) const;
  // Sectors per track of the track's pattern (1 for a track the tree does not reach).
  std::uint32_t sectors_per_track(const Track& track) const;
  // Start of the sector as a fraction of a revolution, [0, 1) (0 for a track the tree does not reach).
  double sector_angle(const PhysicalSector& where) const;

 private:
  struct Entry {
    std::uint64_t slot = 0, slots = 0, run_slots = 0;
    std::uint32_t cylinder = 0, cylinders = 0, run_cylinders = 0;  // run_cylinders: magnitude
    bool down = false;                                              // instances go to lower cylinders
    double angle = 0, angle_step = 0;
    std::uint32_t child = 0, head = 0;
    std::uint32_t low_cylinder = 0, high_cylinder = 0;  // the cylinders the run covers
  };
  struct Index {
    bool tracks = false;
    std::vector<Entry> entries;              // by slot
    std::vector<std::uint32_t> by_cylinder;  // entry numbers by (head, low_cylinder)
  };
  // One track as the walk from the root finds it: its slots [first, end), place and pattern.
  struct Place {
    std::uint64_t first = 0, end = 0;
    Track track;
    double angle = 0;
    std::uint32_t spt = 1;
  };

  void build_index(const proto::HddLayoutIndex& config, int number, std::uint32_t surfaces);
  // The track holding `slot` (and the slot's sector on it), if the tree covers it.
  std::optional<Place> place_of_slot(std::uint64_t slot, std::uint32_t* sector) const;
  std::optional<Place> place_of_track(const Track& track) const;
  const Entry* entry_for_cylinder(const Index& index, std::uint32_t head, std::uint32_t cylinder) const;

  std::uint64_t slot_of_lbn(std::uint64_t lbn) const;
  std::optional<std::uint64_t> lbn_of_slot(std::uint64_t slot) const;
  // The slip run holding `slot`, if any.
  std::optional<std::size_t> slip_run_at(std::uint64_t slot) const;
  // The first slot at or after / the last at or before `slot` that holds a block.
  std::uint64_t data_slot_from(std::uint64_t slot) const;
  std::optional<std::uint64_t> data_slot_until(std::uint64_t slot) const;

  std::uint64_t blocks_ = 0;
  std::uint32_t cylinders_ = 0;
  std::vector<std::uint32_t> track_sectors_;
  std::vector<Index> indexes_;  // the last is the root
  // Slips: slot ranges [slip_slot_[i], + slip_count_[i]); slipped_after_[i] = slips up to and
  // including range i; slip_lbn_[i] = the first block pushed past range i.
  std::vector<std::uint64_t> slip_slot_, slip_count_, slipped_after_, slip_lbn_;
};

}  // namespace blocksim::hdd

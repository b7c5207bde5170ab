// The shape of the NAND array and how a physical slot number (PSN) names a place in it.
// A slot is one mapping unit (the FTL's logical page, 4 KiB by default) inside a NAND page;
// a page holds `slots_per_page` of them. Dies are numbered so that consecutive dies sit on
// consecutive channels (die d is on channel d % channels), which is how writes are striped.
//
//   plane  = die * planes_per_die + plane_in_die                        (0 .. planes() - 1)
//   block  = plane * blocks_per_plane + block_in_plane                  (0 .. blocks() - 1)
//   psn    = (block * pages_per_block + page) * slots_per_page + slot   (0 .. slots() - 1)
#pragma once

#include <cstdint>

namespace blocksim::ssd {

inline constexpr std::uint32_t kNoSlot = 0xFFFFFFFFu;  // an unmapped logical unit
inline constexpr std::uint32_t kNoBlock = 0xFFFFFFFFu;

struct SsdGeometry {
  std::uint32_t channels = 1;
  std::uint32_t dies_per_channel = 1;
  std::uint32_t planes_per_die = 1;
  std::uint32_t blocks_per_plane = 2;
  std::uint32_t pages_per_block = 1;
  std::uint32_t pages_per_program = 1;  // U_p: pages a program operation writes in one plane
  std::uint32_t slots_per_page = 1;
  std::uint64_t page_bytes = 4096;
  std::uint64_t unit_bytes = 4096;     // the mapping unit
  std::uint64_t logical_units = 0;     // user capacity in mapping units

  std::uint32_t dies() const { return channels * dies_per_channel; }
  std::uint32_t planes() const { return dies() * planes_per_die; }
  std::uint32_t slots_per_block() const { return pages_per_block * slots_per_page; }
  std::uint64_t blocks() const { return static_cast<std::uint64_t>(planes()) * blocks_per_plane; }
  std::uint64_t slots() const { return blocks() * slots_per_block(); }
  // Slots one plane receives in one program operation, and one die over all its planes.
  std::uint32_t plane_program_slots() const { return pages_per_program * slots_per_page; }
  std::uint32_t die_program_slots() const { return plane_program_slots() * planes_per_die; }

  std::uint32_t channel_of_die(std::uint32_t die) const { return die % channels; }
  std::uint32_t die_of_plane(std::uint32_t plane) const { return plane / planes_per_die; }
  std::uint32_t plane_of_block(std::uint32_t block) const { return block / blocks_per_plane; }
  std::uint32_t block_of(std::uint32_t psn) const { return psn / slots_per_block(); }
  std::uint32_t plane_of(std::uint32_t psn) const { return plane_of_block(block_of(psn)); }
  std::uint32_t die_of(std::uint32_t psn) const { return die_of_plane(plane_of(psn)); }
  // The page's index inside its block, and inside its plane: a multi-plane operation takes the
  // same page of the same block number in each of its planes (ONFI's multi-plane addressing).
  std::uint32_t page_in_block(std::uint32_t psn) const { return (psn / slots_per_page) % pages_per_block; }
  std::uint32_t page_in_plane(std::uint32_t psn) const {
    return (psn / slots_per_page) % (blocks_per_plane * pages_per_block);
  }
  // A number for the whole page: psn / slots_per_page.
  std::uint32_t page_of(std::uint32_t psn) const { return psn / slots_per_page; }
  std::uint32_t first_slot(std::uint32_t block) const { return block * slots_per_block(); }
};

}  // namespace blocksim::ssd

#include "models/ssd/ftl.hpp"

#include <algorithm>
#include <cassert>

#include "models/ssd/gc_policy.hpp"

namespace blocksim::ssd {

Ftl::Ftl(const SsdGeometry& geometry, const GcConfig& gc)
    : g_(geometry), gc_(gc), map_(geometry.logical_units), blocks_(geometry), open_block_(geometry.planes(), kNoBlock),
      victim_(geometry.planes(), kNoBlock) {}

std::uint32_t Ftl::owner(std::uint32_t psn) const {
  const std::uint32_t block = g_.block_of(psn);
  if (blocks_.explicit_owners(block))
    return blocks_.owner(block, psn - g_.first_slot(block));
  return layout_ ? layout_->unit_in(psn) : kNoSlot;
}

bool Ftl::is_valid(std::uint32_t psn) const {
  const std::uint32_t block = g_.block_of(psn);
  if (blocks_.explicit_owners(block))
    return blocks_.slot_valid(block, psn - g_.first_slot(block));
  const std::uint32_t lpn = layout_ ? layout_->unit_in(psn) : kNoSlot;
  return lpn != kNoSlot && map_.get(lpn) == psn;
}

std::uint64_t Ftl::writable_slots(std::uint32_t plane) const {
  const std::uint32_t open = open_block_[plane];
  const std::uint64_t in_open = open == kNoBlock ? 0 : g_.slots_per_block() - blocks_.written(open);
  return in_open + static_cast<std::uint64_t>(blocks_.free_count(plane)) * g_.slots_per_block();
}

bool Ftl::has_room(std::uint32_t plane, Writer writer) const {
  const std::uint64_t writable = writable_slots(plane);
  if (writer == Writer::kGc)
    return writable > 0;
  const std::uint32_t victim = victim_[plane];
  const std::uint64_t owed = victim == kNoBlock ? 0 : blocks_.valid(victim);
  return writable >= owed + g_.slots_per_block() + 3ull * g_.plane_program_slots();
}

std::uint32_t Ftl::take_slot(std::uint32_t plane, bool slc) {
  std::uint32_t& open = slc ? slc_open_block_[plane] : open_block_[plane];
  if (open == kNoBlock) {
    assert(blocks_.free_count(plane) > 0);
    open = blocks_.open_free_block(plane, slc);
  }
  const std::uint32_t psn = g_.first_slot(open) + blocks_.written(open);
  blocks_.advance_write_pointer(open);
  ++stamp_;
  if (blocks_.written(open) == blocks_.capacity(open)) {
    blocks_.close(open, stamp_);
    open = kNoBlock;
  }
  return psn;
}

void Ftl::enable_slc(const SlcConfig& slc) {
  slc_ = slc;
  slc_open_block_.assign(g_.planes(), kNoBlock);
  blocks_.set_slc_slots(slc.block_slots);
}

std::uint64_t Ftl::slc_capacity_units() const {
  const std::uint64_t unwritten = g_.logical_units - std::min(mapped_units_, g_.logical_units);
  return slc_.static_units + std::min(slc_.dynamic_units, unwritten / slc_.bits_per_cell);
}

bool Ftl::slc_room(std::uint32_t first, std::uint32_t count) const {
  std::uint64_t to_open = 0;
  for (std::uint32_t plane = first; plane < first + count; ++plane) {
    if (slc_open_block_[plane] != kNoBlock)
      continue;  // an open SLC block always has room for a whole SLC program
    if (blocks_.free_count(plane) <= gc_.background_threshold + 2)
      return false;
    ++to_open;
  }
  return to_open == 0 || blocks_.slc_blocks() + to_open <= slc_allowed_blocks();
}

bool Ftl::slc_over_capacity() const {
  return slc_.enabled && blocks_.slc_blocks() - slc_victims_ > slc_allowed_blocks();
}

void Ftl::map(std::uint32_t lpn, std::uint32_t from, std::uint32_t psn, Writer writer) {
  assert(from == map_.get(lpn));
  if (from != kNoSlot)
    invalidate(from);
  else
    ++mapped_units_;
  map_.set(lpn, psn);
  const std::uint32_t block = g_.block_of(psn);
  blocks_.set_owner(block, psn - g_.first_slot(block), lpn);
  blocks_.set_slot_valid(block, psn - g_.first_slot(block), true);  // a block being written has an owner table
  blocks_.add_valid(block, +1);
  if (writer == Writer::kHost)
    ++counters_.host_slots;
  else
    ++counters_.gc_slots;
}

void Ftl::pad(std::uint32_t /*psn*/) { ++counters_.pad_slots; }

void Ftl::unmap(std::uint32_t lpn) {
  const std::uint32_t old = map_.get(lpn);
  if (old == kNoSlot)
    return;
  invalidate(old);
  map_.set(lpn, kNoSlot);
  --mapped_units_;
  ++counters_.trimmed;
}

bool Ftl::roll_back(std::uint32_t lpn, std::uint32_t older) {
  const std::uint32_t current = map_.get(lpn);
  if (current != kNoSlot)
    invalidate(current);
  bool on_flash = false;
  if (older != kNoSlot) {
    const std::uint32_t block = g_.block_of(older);
    on_flash = blocks_.state(block) != BlockState::kFree && older - g_.first_slot(block) < blocks_.written(block) &&
               owner(older) == lpn;
  }
  map_.set(lpn, on_flash ? older : kNoSlot);
  if (current != kNoSlot && !on_flash)
    --mapped_units_;
  else if (current == kNoSlot && on_flash)
    ++mapped_units_;
  if (on_flash) {
    set_valid(older, true);
    blocks_.add_valid(g_.block_of(older), +1);
  }
  return on_flash;
}

void Ftl::invalidate(std::uint32_t psn) {
  const std::uint32_t block = g_.block_of(psn);
  set_valid(psn, false);
  blocks_.add_valid(block, -1);
  if (blocks_.state(block) == BlockState::kVictim && blocks_.valid(block) == 0 && victim_empty_) {
    Callback listener = victim_empty_;
    listener.arg = block;
    listener();
  }
}

void Ftl::align_open_blocks() {
  for (std::uint32_t plane = 0; plane < g_.planes(); ++plane)
    while (open_block_[plane] != kNoBlock && blocks_.written(open_block_[plane]) % g_.plane_program_slots() != 0)
      pad(take_slot(plane));
}

std::uint32_t Ftl::choose_victim(std::uint32_t plane) {
  const std::uint32_t victim = ssd::choose_victim(blocks_, g_, plane, gc_.policy, stamp_);
  if (victim != kNoBlock)
    mark_victim(victim);
  return victim;
}

void Ftl::mark_victim(std::uint32_t block) {
  const std::uint32_t plane = g_.plane_of_block(block);
  assert(victim_[plane] == kNoBlock);
  victim_[plane] = block;
  slc_victims_ += blocks_.slc(block);
  blocks_.mark_victim(block);
}

void Ftl::erase(std::uint32_t block) {
  assert(blocks_.valid(block) == 0);
  const std::uint32_t plane = g_.plane_of_block(block);
  if (victim_[plane] == block) {
    victim_[plane] = kNoBlock;
    slc_victims_ -= blocks_.slc(block);
  }
  blocks_.erase(block);
  ++counters_.erases;
}

void Ftl::apply_sequential_fill(std::uint64_t units) {
  layout_ = std::make_unique<SequentialLayout>(g_, units);
  mapped_units_ = units;
  map_.set_base(layout_.get());
  const std::uint32_t per_block = g_.slots_per_block();
  for (std::uint32_t plane = 0; plane < g_.planes(); ++plane) {
    std::uint64_t used = layout_->plane_slots_used(plane);
    for (std::uint32_t block = plane * g_.blocks_per_plane; used > 0; ++block) {
      const auto valid = static_cast<std::uint32_t>(std::min<std::uint64_t>(used, per_block));
      blocks_.close_preconditioned(block, valid, stamp_);
      used -= valid;
    }
  }
  blocks_.rebuild_free();
}

}  // namespace blocksim::ssd

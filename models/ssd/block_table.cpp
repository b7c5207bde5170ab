#include "models/ssd/block_table.hpp"

#include <algorithm>
#include <cassert>

namespace blocksim::ssd {

BlockTable::BlockTable(const SsdGeometry& geometry)
    : g_(geometry),
      state_(geometry.blocks(), BlockState::kFree),
      valid_(geometry.blocks(), 0),
      erases_(geometry.blocks(), 0),
      written_(geometry.blocks(), 0),
      closed_at_(geometry.blocks(), 0),
      owners_(geometry.blocks()),
      free_(geometry.planes()),
      bucket_head_(static_cast<std::size_t>(geometry.planes()) * (geometry.slots_per_block() + 1), kNoBlock),
      prev_(geometry.blocks(), kNoBlock),
      next_(geometry.blocks(), kNoBlock),
      lowest_bucket_(geometry.planes(), 0),
      closing_order_(geometry.planes()),
      slc_(geometry.blocks(), 0),
      slc_closing_order_(geometry.planes()) {
  rebuild_free();
}

void BlockTable::rebuild_free() {
  for (std::uint32_t plane = 0; plane < g_.planes(); ++plane) {
    std::vector<FreeEntry> entries;
    const std::uint32_t first = plane * g_.blocks_per_plane;
    for (std::uint32_t b = first; b < first + g_.blocks_per_plane; ++b)
      if (state_[b] == BlockState::kFree)
        entries.emplace_back(erases_[b], b);
    free_[plane] = decltype(free_)::value_type(std::greater<>(), std::move(entries));
  }
}

std::uint32_t BlockTable::open_free_block(std::uint32_t plane, bool slc) {
  assert(!free_[plane].empty());
  assert(!slc || slc_slots_ > 0);
  const std::uint32_t block = free_[plane].top().second;
  free_[plane].pop();
  slc_[block] = slc;
  slc_blocks_ += slc;
  state_[block] = BlockState::kOpen;
  written_[block] = 0;
  valid_[block] = 0;
  if (!spare_owner_tables_.empty()) {
    owners_[block] = std::move(spare_owner_tables_.back());
    spare_owner_tables_.pop_back();
  } else {
    owners_[block] = std::make_unique<std::uint32_t[]>(table_words());
  }
  std::fill_n(owners_[block].get(), g_.slots_per_block(), kNoSlot);
  std::fill(owners_[block].get() + g_.slots_per_block(), owners_[block].get() + table_words(), 0u);
  return block;
}

void BlockTable::close(std::uint32_t block, std::uint64_t stamp) {
  state_[block] = BlockState::kClosed;
  closed_at_[block] = stamp;
  bucket_insert(block);
  closing_order_[g_.plane_of_block(block)].emplace_back(block, stamp);
  if (slc_[block])
    slc_closing_order_[g_.plane_of_block(block)].emplace_back(block, stamp);
}

std::uint32_t BlockTable::oldest_closed_slc(std::uint32_t plane) {
  auto& order = slc_closing_order_[plane];
  while (!order.empty()) {
    const auto [block, stamp] = order.front();
    if (state_[block] == BlockState::kClosed && slc_[block] && closed_at_[block] == stamp)
      return block;
    order.pop_front();  // folded, collected or reused since
  }
  return kNoBlock;
}

void BlockTable::close_preconditioned(std::uint32_t block, std::uint32_t valid, std::uint64_t stamp) {
  valid_[block] = valid;
  written_[block] = g_.slots_per_block();
  close(block, stamp);
}

void BlockTable::add_valid(std::uint32_t block, int delta) {
  const bool listed = state_[block] == BlockState::kClosed;
  if (listed)
    bucket_remove(block);
  valid_[block] = static_cast<std::uint32_t>(static_cast<int>(valid_[block]) + delta);
  if (listed)
    bucket_insert(block);
}

void BlockTable::mark_victim(std::uint32_t block) {
  bucket_remove(block);
  state_[block] = BlockState::kVictim;
}

void BlockTable::erase(std::uint32_t block) {
  if (state_[block] == BlockState::kClosed)
    bucket_remove(block);
  state_[block] = BlockState::kFree;
  slc_blocks_ -= slc_[block];
  slc_[block] = 0;
  valid_[block] = 0;
  written_[block] = 0;
  ++erases_[block];
  if (owners_[block])
    spare_owner_tables_.push_back(std::move(owners_[block]));
  free_[g_.plane_of_block(block)].emplace(erases_[block], block);
}

void BlockTable::bucket_insert(std::uint32_t block) {
  const std::size_t bucket = bucket_index(block);
  prev_[block] = kNoBlock;
  next_[block] = bucket_head_[bucket];
  if (next_[block] != kNoBlock)
    prev_[next_[block]] = block;
  bucket_head_[bucket] = block;
  auto& lowest = lowest_bucket_[g_.plane_of_block(block)];
  lowest = std::min(lowest, valid_[block]);
}

void BlockTable::bucket_remove(std::uint32_t block) {
  if (prev_[block] != kNoBlock)
    next_[prev_[block]] = next_[block];
  else
    bucket_head_[bucket_index(block)] = next_[block];
  if (next_[block] != kNoBlock)
    prev_[next_[block]] = prev_[block];
  prev_[block] = next_[block] = kNoBlock;
}

std::uint32_t BlockTable::fewest_valid_closed(std::uint32_t plane) {
  const std::size_t base = static_cast<std::size_t>(plane) * (g_.slots_per_block() + 1);
  auto& lowest = lowest_bucket_[plane];
  for (; lowest <= g_.slots_per_block(); ++lowest)
    if (bucket_head_[base + lowest] != kNoBlock)
      return bucket_head_[base + lowest];
  lowest = g_.slots_per_block();
  return kNoBlock;
}

std::uint32_t BlockTable::oldest_closed_with_garbage(std::uint32_t plane) {
  auto& order = closing_order_[plane];
  auto stale = [&](const std::pair<std::uint32_t, std::uint64_t>& e) {
    return state_[e.first] != BlockState::kClosed || closed_at_[e.first] != e.second;
  };
  while (!order.empty() && stale(order.front()))
    order.pop_front();
  for (const auto& entry : order)
    if (!stale(entry) && valid_[entry.first] < g_.slots_per_block())
      return entry.first;
  return kNoBlock;
}

std::uint64_t BlockTable::memory_bytes() const {
  std::uint64_t bytes = g_.blocks() * (sizeof(BlockState) + 5 * sizeof(std::uint32_t) + sizeof(std::uint64_t) +
                                       sizeof(owners_[0]));
  bytes += bucket_head_.size() * sizeof(std::uint32_t);
  if (slc_slots_ > 0)
    bytes += slc_.size();  // counted only with an SLC cache: other devices' figures stay as they were
  std::uint64_t tables = spare_owner_tables_.size();
  for (const auto& owners : owners_)
    tables += owners != nullptr;
  bytes += tables * table_words() * sizeof(std::uint32_t);
  for (const auto& heap : free_)
    bytes += heap.size() * sizeof(FreeEntry);
  return bytes;
}

}  // namespace blocksim::ssd

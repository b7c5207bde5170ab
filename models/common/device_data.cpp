#include "models/common/device_data.hpp"

#include <vector>

namespace blocksim {

DeviceData::DeviceData(std::uint32_t block_size, std::uint64_t block_count)
    : block_count_(block_count), media_(block_size), cache_(block_size, BlockStore::ZeroBlocks::kKeep) {}

std::uint64_t DeviceData::range_end(std::uint64_t lba, std::uint64_t nblks) const {
  return nblks == 0 || nblks > block_count_ - lba ? block_count_ : lba + nblks;
}

void DeviceData::read(std::uint64_t lba, std::uint64_t nblks, std::uint8_t* out) const {
  const std::uint32_t size = block_size();
  for (std::uint64_t i = 0; i < nblks; ++i, out += size) {
    if (cache_.contains(lba + i))
      cache_.read(lba + i, out);
    else
      media_.read(lba + i, out);
  }
}

void DeviceData::read_durable(std::uint64_t lba, std::uint64_t nblks, std::uint8_t* out) const {
  for (std::uint64_t i = 0; i < nblks; ++i, out += block_size())
    media_.read(lba + i, out);
}

void DeviceData::write(std::uint64_t lba, std::uint64_t nblks, const std::uint8_t* bytes, Durability durability) {
  const std::uint32_t size = block_size();
  for (std::uint64_t i = 0; i < nblks; ++i) {
    const std::uint8_t* block = bytes ? bytes + i * size : nullptr;
    if (durability == Durability::kVolatile) {
      cache_.put(lba + i, block);
    } else {
      cache_.erase(lba + i);
      media_.put(lba + i, block);
    }
  }
}

void DeviceData::flush(std::uint64_t lba, std::uint64_t nblks) {
  const std::uint64_t end = range_end(lba, nblks);
  std::vector<std::uint64_t> flushed;
  cache_.for_each_in(lba, end - lba, [&](std::uint64_t block, const std::uint8_t* bytes) {
    media_.put(block, bytes);
    flushed.push_back(block);
  });
  for (std::uint64_t block : flushed)
    cache_.erase(block);
}

void DeviceData::discard(std::uint64_t lba, std::uint64_t nblks) {
  cache_.erase_range(lba, nblks);
  media_.erase_range(lba, nblks);
}

void DeviceData::erase_all() {
  cache_.clear();
  media_.clear();
}

std::uint64_t DeviceData::power_cut() {
  const std::uint64_t lost = cache_.size();
  cache_.clear();
  lost_blocks_ += lost;
  cut_ = true;
  return lost;
}

void DeviceData::collect_metrics(std::vector<DeviceMetric>* out) const {
  out->push_back({"data.stored_blocks", static_cast<double>(stored_blocks()), "count"});
  out->push_back({"write_cache.cached_blocks", static_cast<double>(cached_blocks()), "count"});
  if (cut_)
    out->push_back({"power_cut.lost_blocks", static_cast<double>(lost_blocks_), "count"});
}

}  // namespace blocksim

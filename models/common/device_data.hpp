// The bytes a device holds, kept apart by durability: what is on its stable media, and what only
// its volatile write cache holds (completed, not durable). Every model that carries data uses it
// the same way (../shared/reference/driver-api.md §7.2):
//
//   read(lba, n, out)              what the host reads: the cache's copy over the media's
//   write(lba, n, bytes, kVolatile) a write completed into the write cache (lost by a power cut)
//   write(lba, n, bytes, kDurable)  a write that reached stable media: FUA, write-through, or a
//                                   device without an enabled cache; it replaces any cached copy
//   flush(lba, n)                  a cache flush, or a model destaging part of its cache: the
//                                   cached blocks in the range become durable (n 0: to the end)
//   discard(lba, n)                unmap: the blocks read as zeros afterwards
//   power_cut()                    the cache's contents are lost; returns how many blocks
//
// Untouched blocks cost nothing (both halves are sparse BlockStores) and null bytes mean zeros,
// so a model can track durability in runs that move no real data. A model decides when its cache
// destages; this class only keeps the books. One instance per device, owned by the device.
#pragma once

#include <cstdint>
#include <vector>

#include "models/common/block_store.hpp"
#include "sim/device/block_storage_device.hpp"

namespace blocksim {

enum class Durability { kVolatile, kDurable };

class DeviceData {
 public:
  DeviceData(std::uint32_t block_size, std::uint64_t block_count);

  std::uint32_t block_size() const { return media_.block_size(); }
  std::uint64_t block_count() const { return block_count_; }

  void read(std::uint64_t lba, std::uint64_t nblks, std::uint8_t* out) const;
  void write(std::uint64_t lba, std::uint64_t nblks, const std::uint8_t* bytes, Durability durability);
  void flush(std::uint64_t lba = 0, std::uint64_t nblks = 0);
  void discard(std::uint64_t lba, std::uint64_t nblks);
  // Every block reads as zeros (a format).
  void erase_all();
  std::uint64_t power_cut();

  // What a power cut would leave: the media's bytes alone.
  void read_durable(std::uint64_t lba, std::uint64_t nblks, std::uint8_t* out) const;
  std::uint64_t cached_blocks() const { return cache_.size(); }
  std::uint64_t stored_blocks() const { return media_.size(); }
  // Blocks lost by power cuts so far.
  std::uint64_t lost_blocks() const { return lost_blocks_; }
  // The metrics every model that carries data reports: blocks stored and cached, and after a
  // power cut the blocks it lost.
  void collect_metrics(std::vector<DeviceMetric>* out) const;

 private:
  std::uint64_t range_end(std::uint64_t lba, std::uint64_t nblks) const;

  std::uint64_t block_count_;
  BlockStore media_;  // durable
  BlockStore cache_;  // volatile: completed writes not yet on the media (zeros kept: they hide the media)
  std::uint64_t lost_blocks_ = 0;
  bool cut_ = false;
};

}  // namespace blocksim

// The data every model shares: a sparse block store that costs nothing for untouched blocks, and
// the books of a volatile write cache, checked against a hand-worked sequence of writes, flushes
// and a power cut.
#include <gtest/gtest.h>

#include <vector>

#include "models/common/block_store.hpp"
#include "models/common/device_data.hpp"

namespace blocksim {
namespace {

std::vector<std::uint8_t> block_of(std::uint8_t value, std::size_t n = 512) { return std::vector<std::uint8_t>(n, value); }

TEST(BlockStore, UntouchedAndZeroBlocksCostNothing) {
  BlockStore store(512);
  std::vector<std::uint8_t> out(512, 0xFF);
  store.read(123456789, out.data());
  EXPECT_EQ(out, block_of(0));  // never written: zeros
  EXPECT_EQ(store.size(), 0u);
  store.put(7, block_of(3).data());
  store.put(std::uint64_t{1} << 40, block_of(4).data());  // far apart: still two blocks' worth
  EXPECT_EQ(store.size(), 2u);
  store.put(7, block_of(0).data());  // zeros are not kept
  EXPECT_EQ(store.size(), 1u);
  store.put(9, nullptr);
  EXPECT_EQ(store.size(), 1u);
  store.read(std::uint64_t{1} << 40, out.data());
  EXPECT_EQ(out, block_of(4));
}

TEST(BlockStore, AKeepZerosStoreRemembersZeroBlocks) {
  BlockStore cache(512, BlockStore::ZeroBlocks::kKeep);
  cache.put(5, nullptr);
  EXPECT_TRUE(cache.contains(5));
  EXPECT_EQ(cache.find(5), nullptr);
  cache.put(6, block_of(1).data());
  cache.erase_range(0, 6);
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.contains(6));
}

// A hand-worked sequence: what the host reads and what a power cut leaves.
TEST(DeviceData, CompletedAndDurableAreKeptApart) {
  DeviceData data(512, 100);
  std::vector<std::uint8_t> out(512);
  data.write(1, 1, block_of(1).data(), Durability::kDurable);   // block 1: 1, on the media
  data.write(1, 1, block_of(2).data(), Durability::kVolatile);  // block 1: 2, in the cache
  data.write(2, 1, block_of(3).data(), Durability::kVolatile);  // block 2: 3, in the cache
  data.flush(2, 1);                                             // block 2 made durable (range flush)
  data.write(2, 1, block_of(4).data(), Durability::kVolatile);  // block 2: 4, in the cache
  data.write(3, 1, block_of(5).data(), Durability::kVolatile);
  data.write(3, 1, block_of(6).data(), Durability::kDurable);  // FUA over a cached copy
  data.write(4, 1, nullptr, Durability::kVolatile);           // zeros into the cache hide block 4's...
  data.write(4, 1, block_of(7).data(), Durability::kDurable);
  data.write(4, 1, nullptr, Durability::kVolatile);           // ... media bytes until a cut
  data.read(1, 1, out.data());
  EXPECT_EQ(out, block_of(2));
  data.read(4, 1, out.data());
  EXPECT_EQ(out, block_of(0));
  EXPECT_EQ(data.cached_blocks(), 3u);  // blocks 1, 2, 4

  EXPECT_EQ(data.power_cut(), 3u);
  const std::uint8_t after[] = {0, 1, 3, 6, 7};
  for (std::uint64_t b = 0; b < 5; ++b) {
    data.read(b, 1, out.data());
    EXPECT_EQ(out, block_of(after[b])) << b;
  }
  EXPECT_EQ(data.lost_blocks(), 3u);
}

TEST(DeviceData, DiscardAndEraseReadAsZeros) {
  DeviceData data(512, 16);
  data.write(0, 4, std::vector<std::uint8_t>(2048, 9).data(), Durability::kDurable);
  data.write(1, 1, block_of(8).data(), Durability::kVolatile);
  data.discard(1, 2);
  std::vector<std::uint8_t> out(2048);
  data.read(0, 4, out.data());
  EXPECT_EQ(out[0], 9);
  EXPECT_EQ(out[512], 0);
  EXPECT_EQ(out[1024], 0);
  EXPECT_EQ(out[1536], 9);
  data.erase_all();
  EXPECT_EQ(data.stored_blocks() + data.cached_blocks(), 0u);
}

}  // namespace
}  // namespace blocksim

// The DRAM data cache's bookkeeping: a flush waits for exactly the units not on flash when it came;
// a unit rewritten while its program runs stays dirty; a trim releases what waits on a unit; room
// comes from evicting clean units, least recently used first; writes of parts of a unit merge, and
// a unit leaves for flash partial only if its parts never made a whole.
#include <gtest/gtest.h>

#include "models/ssd/data_cache.hpp"

namespace blocksim::ssd {
namespace {

struct Flag {
  int calls = 0;
  static void set(void* self, std::uint64_t) { ++static_cast<Flag*>(self)->calls; }
  Callback callback() { return Callback{&Flag::set, this, 0}; }
};

TEST(SsdDataCache, FlushWaitsForTheUnitsOffFlashWhenItCame) {
  DataCache cache(16);
  ASSERT_TRUE(cache.reserve(2));
  cache.write(1);
  cache.write(2);
  Flag flushed;
  ASSERT_TRUE(cache.flush(flushed.callback()));
  ASSERT_TRUE(cache.reserve(1));
  cache.write(3);  // after the flush: not its business
  DataCache::Taken a, b, c;
  ASSERT_TRUE(cache.take_dirty(&a));
  ASSERT_TRUE(cache.take_dirty(&b));
  ASSERT_TRUE(cache.take_dirty(&c));
  EXPECT_EQ(a.lpn, 1u);
  EXPECT_EQ(c.lpn, 3u);
  cache.programmed(a);
  cache.programmed(c);
  EXPECT_EQ(flushed.calls, 0);
  cache.programmed(b);
  EXPECT_EQ(flushed.calls, 1);
  Flag again;
  EXPECT_FALSE(cache.flush(again.callback())) << "everything is on flash";
}

TEST(SsdDataCache, AUnitRewrittenWhileProgrammingStaysDirty) {
  DataCache cache(16);
  ASSERT_TRUE(cache.reserve(1));
  cache.write(7);
  DataCache::Taken taken;
  ASSERT_TRUE(cache.take_dirty(&taken));
  ASSERT_TRUE(cache.reserve(1));
  cache.write(7);  // new data while the old goes to flash
  Flag durable;
  ASSERT_TRUE(cache.wait_durable(7, durable.callback()));
  EXPECT_TRUE(cache.urgent());
  cache.programmed(taken);
  EXPECT_EQ(durable.calls, 0);
  EXPECT_EQ(cache.dirty(), 1u);
  ASSERT_TRUE(cache.take_dirty(&taken));
  cache.programmed(taken);
  EXPECT_EQ(durable.calls, 1);
  EXPECT_FALSE(cache.urgent());
}

TEST(SsdDataCache, TrimReleasesWaitersAndRoomComesFromCleanUnits) {
  DataCache cache(4);
  ASSERT_TRUE(cache.reserve(4));
  for (std::uint32_t lpn = 0; lpn < 4; ++lpn)
    cache.write(lpn);
  EXPECT_FALSE(cache.reserve(1)) << "full of dirty units";
  Flag durable;
  ASSERT_TRUE(cache.wait_durable(3, durable.callback()));
  cache.drop(3);
  EXPECT_EQ(durable.calls, 1);
  EXPECT_FALSE(cache.contains(3));
  DataCache::Taken taken;
  ASSERT_TRUE(cache.take_dirty(&taken));  // unit 0
  cache.programmed(taken);
  ASSERT_TRUE(cache.take_dirty(&taken));  // unit 1
  cache.programmed(taken);
  cache.touch(0);                         // unit 1 is now the least recently used
  ASSERT_TRUE(cache.reserve(2));          // the free entry (3's) and one eviction
  EXPECT_FALSE(cache.contains(1));
  EXPECT_TRUE(cache.contains(0));
}

// A 4 KiB unit written as 512-byte sectors: sectors 0-3 are its 1/64ths 0-31, sectors 4-7 the rest.
TEST(SsdDataCache, PartsOfAUnitMergeAndOnlyAnIncompleteOneLeavesPartial) {
  const std::uint64_t low = 0xFFFFFFFFull, high = low << 32;
  DataCache cache(16);
  ASSERT_TRUE(cache.reserve(3));
  cache.write(4, low);
  cache.write(4, high);  // the rest of the unit: whole now
  cache.write(5, high);  // half of unit 5 only
  EXPECT_TRUE(cache.holds(4, DataCache::kWholeUnit));
  EXPECT_TRUE(cache.holds(5, high));
  EXPECT_FALSE(cache.holds(5, low)) << "a read of the other half must go to flash";
  DataCache::Taken a, b;
  ASSERT_TRUE(cache.take_dirty(&a));
  ASSERT_TRUE(cache.take_dirty(&b));
  EXPECT_EQ(a.lpn, 4u);
  EXPECT_FALSE(a.partial);
  EXPECT_EQ(b.lpn, 5u);
  EXPECT_TRUE(b.partial) << "the flash writer must merge it with the old data";
  cache.programmed(b);
  EXPECT_TRUE(cache.holds(5, DataCache::kWholeUnit)) << "merged on its way to flash";
}

}  // namespace
}  // namespace blocksim::ssd

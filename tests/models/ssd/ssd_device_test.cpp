// The SSD through its device interface: durability (FUA, write cache off, flush, power-loss
// protection), TRIM and what reads of trimmed blocks return, the SATA tag limit, the cached
// mapping table's cost, wear levelling and background garbage collection. Expected times are
// worked out from the configuration here: a lone 4 KiB read takes tR + t_x(4 KiB) on the channel
// + 4 KiB over the link.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "tests/models/ssd/ssd_rig.hpp"

namespace blocksim {
namespace {

// One channel, one die, one plane: every time below is exact. 16 KiB pages, 4 KiB units.
constexpr const char* kSmall = R"(
  capacity: "256MiB" block_size: "512"
  ssd {
    nand { cell: MLC channels: 1 dies_per_channel: 1 planes_per_die: 1 pages_per_block: 64 page_size: "16KiB"
           read_time: "50us" program_time: "500us" erase_time: "3ms" channel_rate: "400MB/s" }
  })";
constexpr SimTime kRead = 50'000, kProgram = 500'000;
constexpr double kChannel = 400e6, kLink = 8e9;

SimTime ns(double seconds) { return static_cast<SimTime>(seconds * 1e9 + 0.5); }

SimTime latency(const CompletionRecord& r) { return r.complete - r.submit; }

TEST(SsdDevice, WriteBackCompletesAtTheCacheAndFuaAtTheFlash) {
  testing::SsdRig rig(kSmall);
  rig.transfer(true, 0, 8, nullptr);
  rig.transfer(true, 64, 8, nullptr, kIOStorageOptionForceUnitAccess);
  ASSERT_EQ(rig.records().size(), 2u);
  EXPECT_EQ(latency(rig.records()[0]), ns(4096 / kLink)) << "write-back: the link transfer only";
  // FUA: link, then the program (a whole 16 KiB page crosses the channel, then tPROG). The first
  // write's unit goes in the same padded page.
  EXPECT_EQ(latency(rig.records()[1]), ns(4096 / kLink) + ns(16384 / kChannel) + kProgram);
  EXPECT_EQ(rig.records()[1].flags, kFlagFua);
}

TEST(SsdDevice, WriteCacheOffMakesEveryWriteWaitForTheFlash) {
  testing::SsdRig rig(kSmall);
  bool enabled = false;
  ASSERT_EQ(rig.device().getWriteCacheState(&enabled), kIOReturnSuccess);
  EXPECT_TRUE(enabled);
  ASSERT_EQ(rig.device().setWriteCacheState(false), kIOReturnSuccess);
  ASSERT_EQ(rig.device().getWriteCacheState(&enabled), kIOReturnSuccess);
  EXPECT_FALSE(enabled);
  rig.transfer(true, 0, 8, nullptr);
  EXPECT_EQ(latency(rig.records().back()), ns(4096 / kLink) + ns(16384 / kChannel) + kProgram);
}

TEST(SsdDevice, FlushWaitsForWhatTheCacheHolds) {
  testing::SsdRig rig(kSmall);
  rig.transfer(true, 0, 8, nullptr);  // one unit, dirty in the cache
  bool done = false;
  IOStorageCompletion completion{&done, [](void* flag, void*, IOReturn status, std::uint64_t) {
                                   EXPECT_EQ(status, kIOReturnSuccess);
                                   *static_cast<bool*>(flag) = true;
                                 },
                                 nullptr};
  ASSERT_EQ(rig.device().doSynchronize(0, 0, 0, &completion), kIOReturnSuccess);
  EXPECT_FALSE(done);
  rig.engine().run();
  ASSERT_TRUE(done);
  const CompletionRecord& flush = rig.records().back();
  EXPECT_EQ(flush.op, Op::kFlush);
  EXPECT_EQ(latency(flush), ns(16384 / kChannel) + kProgram);
  // Nothing left to write: the next flush is done at once (but never inside the call).
  done = false;
  ASSERT_EQ(rig.device().doSynchronize(0, 0, kIOStorageSynchronizeOptionBarrier, &completion), kIOReturnSuccess);
  EXPECT_FALSE(done);
  rig.engine().run();
  EXPECT_TRUE(done);
  EXPECT_EQ(latency(rig.records().back()), 0);
  EXPECT_EQ(rig.records().back().flags, kFlagBarrier);
}

// Power-loss protection (cache.power_loss_protection): the same drive carrying data, its DRAM
// cache made non-volatile. A write is durable once it is in the cache, so FUA completes there
// (the link transfer only) and a flush at once, and a power cut right after the writes completed,
// with the data still only in DRAM, loses nothing; the same cut without protection loses the
// 8 blocks of the unit the cache holds.
std::string small_carrying_data(bool protection) {
  std::string text = kSmall;
  text = text.substr(0, text.rfind('}'));
  return text + std::string(" cache { power_loss_protection: ") + (protection ? "true" : "false") +
         " } } carry_data: true";
}

TEST(SsdDevice, APowerLossProtectedCacheMakesWritesDurableAtOnce) {
  testing::SsdRig rig(small_carrying_data(true));
  std::vector<std::uint8_t> first(4096, 0x5a), second(4096, 0xa5);
  rig.transfer(true, 0, 8, first.data());
  rig.transfer(true, 64, 8, second.data(), kIOStorageOptionForceUnitAccess);
  ASSERT_EQ(rig.records().size(), 2u);
  EXPECT_EQ(latency(rig.records()[0]), ns(4096 / kLink));
  EXPECT_EQ(latency(rig.records()[1]), ns(4096 / kLink)) << "FUA: durable in the protected cache";
  bool done = false;
  IOStorageCompletion completion{&done, [](void* flag, void*, IOReturn status, std::uint64_t) {
                                   EXPECT_EQ(status, kIOReturnSuccess);
                                   *static_cast<bool*>(flag) = true;
                                 },
                                 nullptr};
  ASSERT_EQ(rig.device().doSynchronize(0, 0, 0, &completion), kIOReturnSuccess);
  rig.engine().run();
  ASSERT_TRUE(done);
  EXPECT_EQ(latency(rig.records().back()), 0) << "a flush has nothing volatile to wait for";
  rig.device().power_cut();
  DeviceData& data = *rig.device().data();
  EXPECT_EQ(data.lost_blocks(), 0u);
  std::vector<std::uint8_t> out(4096);
  data.read_durable(0, 8, out.data());
  EXPECT_EQ(out, first);
  data.read_durable(64, 8, out.data());
  EXPECT_EQ(out, second);
}

TEST(SsdDevice, WithoutProtectionAPowerCutLosesWhatOnlyTheCacheHolds) {
  testing::SsdRig rig(small_carrying_data(false));
  std::vector<std::uint8_t> first(4096, 0x5a);
  rig.transfer(true, 0, 8, first.data());  // one unit: fewer than a program's, it stays in DRAM
  rig.device().power_cut();
  EXPECT_EQ(rig.device().data()->lost_blocks(), 8u);
}

// One request's pages on the two planes of an idle die, at the same page: the controller sends
// them together and the die reads them as one multi-plane read, tR once and both pages over the
// channel, not tR + t_x then tR + t_x again. (Before the array held a request's reads until all
// were queued, an idle die started on the first page alone.) A filled device lays units 0-3 on
// plane 0, page 0, and 4-7 on plane 1, page 0 (4 units a 16 KiB page, die after die).
TEST(SsdDevice, OneRequestsPagesOnTheDiesPlanesGoAsOneMultiPlaneRead) {
  std::string text = kSmall;
  text.replace(text.find("planes_per_die: 1"), 17, "planes_per_die: 2");
  text.replace(text.find("ssd {"), 5, "ssd { precondition { fill: 1 }");
  testing::SsdRig rig(text);
  rig.transfer(false, 0, 64, nullptr);  // units 0-7: 32 KiB
  ASSERT_EQ(rig.records().size(), 1u);
  EXPECT_EQ(latency(rig.records()[0]), kRead + ns(32768 / kChannel) + ns(32768 / kLink));
  std::vector<DeviceMetric> metrics;
  rig.device().collect_metrics(&metrics);
  double multi_plane = -1;
  for (const auto& m : metrics)
    if (m.name == "ssd.multi_plane_reads")
      multi_plane = m.value;
  EXPECT_EQ(multi_plane, 1);
}

TEST(SsdDevice, ReadsOfTrimmedBlocksReturnZeros) {
  testing::SsdRig rig(kSmall);
  std::vector<std::uint8_t> data(64 * 1024, 0xAB);
  rig.transfer(true, 0, 128, data.data());                 // 64 KiB at block 0
  rig.transfer(true, 0, 128, data.data(), kIOStorageOptionForceUnitAccess);  // and on flash
  rig.unmap(0, 64);                                        // the first 32 KiB: 8 whole units
  rig.unmap(80, 1);                                        // 512 bytes inside a unit: kept
  std::vector<std::uint8_t> buffer(96 * 1024, 0x5A);
  rig.transfer(false, 0, 192, buffer.data());
  // Trimmed units read as zeros; units still mapped are not touched here (the model keeps no
  // data of its own); units never written read as zeros.
  EXPECT_TRUE(std::all_of(buffer.begin(), buffer.begin() + 32 * 1024, [](std::uint8_t b) { return b == 0; }));
  EXPECT_TRUE(std::all_of(buffer.begin() + 32 * 1024, buffer.begin() + 64 * 1024,
                          [](std::uint8_t b) { return b == 0x5A; }));
  EXPECT_TRUE(std::all_of(buffer.begin() + 64 * 1024, buffer.end(), [](std::uint8_t b) { return b == 0; }));
  EXPECT_EQ(rig.device().ftl().counters().trimmed, 8u);
  EXPECT_EQ(rig.device().ftl().lookup(0), ssd::kNoSlot);
  EXPECT_NE(rig.device().ftl().lookup(10), ssd::kNoSlot);
}

TEST(SsdDevice, UnmapOutsideTheMediaIsRefusedWithoutCompletion) {
  testing::SsdRig rig(kSmall);
  std::uint64_t max_block = 0;
  rig.device().reportMaxValidBlock(&max_block);
  IOBlockStorageDeviceExtent extent{max_block, 2};
  bool called = false;
  IOStorageCompletion completion{&called, [](void* flag, void*, IOReturn, std::uint64_t) {
                                   *static_cast<bool*>(flag) = true;
                                 },
                                 nullptr};
  EXPECT_EQ(rig.device().doUnmap(&extent, 1, 0, &completion), kIOReturnBadArgument);
  EXPECT_EQ(rig.device().doUnmap(&extent, 1, kIOStorageUnmapOptionReserved, &completion), kIOReturnBadArgument);
  rig.engine().run();
  EXPECT_FALSE(called);
  EXPECT_TRUE(rig.device().characteristics().feature_unmap);
  EXPECT_TRUE(rig.device().characteristics().feature_force_unit_access);
  EXPECT_TRUE(rig.device().characteristics().solid_state);
}

TEST(SsdDevice, SataHoldsAtMostItsNcqTagsInside) {
  testing::SsdRig rig(std::string(kSmall).replace(std::string(kSmall).find("ssd {"), 5,
                                                  "ssd { host_interface { sata { ncq_depth: 32 } }"),
                      "600MB/s");
  rig.random_io(false, 0, 256ull << 20, 4096, 2000, 64, 1);
  // Commands inside the device at any time: +1 at dispatch, -1 at completion.
  std::map<SimTime, int> changes;
  for (const auto& r : rig.records()) {
    ++changes[r.dispatch];
    --changes[r.complete];
  }
  int inside = 0, most = 0;
  for (const auto& [time, change] : changes) {
    inside += change;
    most = std::max(most, inside);
  }
  EXPECT_EQ(most, 32);
  EXPECT_GT(rig.records().back().dispatch, rig.records().back().submit) << "the rest wait on the host";
}

// A lone read of a translation page that is not cached costs one more flash read of a whole
// page before the data read: tR + t_x(16 KiB). With one cached translation page and reads spread
// over the device, nearly every read misses.
TEST(SsdDevice, CachedMappingTableMissesCostAFlashRead) {
  std::string text = kSmall;
  text.replace(text.find("ssd {"), 5, R"(ssd { mapping_cache { capacity: "16KiB" } precondition { fill: 1 })");
  testing::SsdRig rig(text);
  rig.random_io(false, 0, 256ull << 20, 4096, 2000, 1, 3);
  std::vector<DeviceMetric> metrics;
  rig.device().collect_metrics(&metrics);
  double misses = 0;
  for (const auto& m : metrics)
    if (m.name == "ssd.mapping_cache_misses")
      misses = m.value;
  EXPECT_GT(misses, 1900);
  double total = 0;
  for (const auto& r : rig.records())
    total += static_cast<double>(latency(r));
  const double data_read = kRead + 4096 / kChannel * 1e9 + 4096 / kLink * 1e9;
  const double translation_read = kRead + 16384 / kChannel * 1e9;
  const double expected = data_read + misses / 2000 * translation_read;
  EXPECT_NEAR(total / 2000 / expected, 1.0, 0.001);
}

// Writes to a tenth of a full device: without static wear levelling the blocks holding the cold
// nine tenths are never erased, so the erase counts spread without bound; with it they stay
// within the threshold (plus the few erases one migration takes).
std::uint32_t erase_spread_after_hot_writes(std::uint32_t threshold) {
  testing::SsdRig rig(R"(
    capacity: "24MiB" block_size: "4KiB"
    ssd {
      nand { cell: SLC channels: 1 dies_per_channel: 1 planes_per_die: 2 blocks_per_plane: 256 pages_per_block: 16
             page_size: "4KiB" }
      cache { capacity: "256KiB" }
      ftl { wear_leveling { static_threshold: )" + std::to_string(threshold) + R"( } }
      precondition { fill: 1 }
    })");
  rig.random_io(true, 0, (24ull << 20) / 10, 4096, 400'000, 32, 5);
  std::vector<DeviceMetric> metrics;
  rig.device().collect_metrics(&metrics);
  double spread = 0, moves = 0;
  for (const auto& m : metrics) {
    if (m.name == "ssd.erase_count_spread")
      spread = m.value;
    if (m.name == "ssd.wear_levelling_moves")
      moves = m.value;
  }
  std::printf("static threshold %u: erase-count spread %.0f, %.0f wear-levelling moves\n", threshold, spread, moves);
  return static_cast<std::uint32_t>(spread);
}

TEST(SsdDevice, StaticWearLevellingBoundsTheEraseSpread) { EXPECT_LE(erase_spread_after_hot_writes(16), 16u + 4u); }
TEST(SsdDevice, WithoutStaticWearLevellingColdBlocksFallBehind) { EXPECT_GT(erase_spread_after_hot_writes(0), 100u); }

TEST(SsdDevice, BackgroundCollectionRefillsTheFreePoolWhenIdle) {
  testing::SsdRig rig(R"(
    capacity: "100MiB" block_size: "4KiB"
    ssd {
      nand { cell: SLC channels: 1 dies_per_channel: 1 planes_per_die: 2 blocks_per_plane: 256 pages_per_block: 64
             page_size: "4KiB" }
      cache { capacity: "256KiB" }
      ftl { gc { foreground_threshold: 2 background_threshold: 6 } }
      precondition { fill: 1 random_overwrites: 2 }
    })");
  rig.random_io(true, 0, 100ull << 20, 4096, 20'000, 32, 9);
  // The run ends when the device has nothing left to do: idle, it collected up to the
  // background threshold.
  for (std::uint32_t plane = 0; plane < 2; ++plane)
    EXPECT_GT(rig.device().ftl().free_blocks(plane), 6u);
  std::vector<DeviceMetric> metrics;
  rig.device().collect_metrics(&metrics);
  for (const auto& m : metrics) {
    if (m.name == "ssd.gc_background_runs") {
      EXPECT_GT(m.value, 0);
    }
  }
}

}  // namespace
}  // namespace blocksim

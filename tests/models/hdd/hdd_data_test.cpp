// The HDD carrying data (carry_data: true) on the hand-worked test drive (hdd_test_drive.hpp):
// reads return what was written; a write completed from the cache stays volatile until the arm
// has written its segment out, so a power cut loses exactly the writes still only in the cache;
// FUA writes and written-out segments survive; turning the write cache off writes it out.
// Block 1,000,000 lies on cylinder 5000: its write-out ends by 0.1 + 5.999 + 10 + 0.8 = 16.9 ms.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/common/device_base.hpp"
#include "models/device_registry.hpp"
#include "tests/models/hdd/hdd_test_drive.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

constexpr double kMs = 1e6;
constexpr std::uint64_t kFarBlock = 1'000'000;
constexpr std::uint64_t kBlocks = 8;

class HddData : public ::testing::Test {
 protected:
  // The test drive's Device fields, carrying data, with `cache` added to its cache { }.
  void build(const std::string& cache = "") {
    std::string text = testing::hdd_test_device("", cache);
    text = text.substr(text.find('{') + 1);
    text = text.substr(0, text.rfind('}'));
    device_ = h_.make_device(text + " carry_data: true");
    data_ = static_cast<DeviceBase*>(&fault_injector(*device_)->model())->data();
    ASSERT_NE(data_, nullptr);
  }

  // Issues a read or write of kBlocks blocks at `block` at time `t_ms`.
  testing::Io& at(double t_ms, IODirection direction, std::uint64_t block, std::uint8_t seed, bool fua = false) {
    ios_.emplace_back();
    testing::Io& io = ios_.back();
    io.bytes = direction == IODirection::kOut ? testing::StackHarness::pattern(kBlocks * 512, seed)
                                              : std::vector<std::uint8_t>(kBlocks * 512, 0);
    io.buffer = IOMemoryDescriptor{direction, kBlocks * 512, io.bytes.data(), ios_.size()};
    io.attributes.options = fua ? kIOStorageOptionForceUnitAccess : kIOStorageOptionNone;
    h_.engine.at(static_cast<SimTime>(t_ms * kMs), [this, &io, block] {
      IOStorageCompletion done = io.completion();
      io.result.engine = &h_.engine;
      EXPECT_EQ(device_->doAsyncReadWrite(&io.buffer, block, kBlocks, &io.attributes, &done), kIOReturnSuccess);
    });
    return io;
  }

  std::vector<std::uint8_t> durable(std::uint64_t block) const {
    std::vector<std::uint8_t> out(kBlocks * 512);
    data_->read_durable(block, kBlocks, out.data());
    return out;
  }

  testing::StackHarness h_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  DeviceData* data_ = nullptr;
  std::deque<testing::Io> ios_;
};

TEST_F(HddData, APowerCutLosesTheWritesOnlyTheCacheHolds) {
  // Water-mark write-back with a 50 ms idle time: one dirty segment stays in the cache.
  build("destage { policy: WATER_MARK idle: \"50ms\" }");
  at(0, IODirection::kOut, kFarBlock, 1);
  at(0, IODirection::kOut, 0, 2, /*fua=*/true);
  testing::Io& read = at(30, IODirection::kIn, kFarBlock, 0);
  h_.engine.at(static_cast<SimTime>(40 * kMs), [this] { device_->power_cut(); });
  h_.engine.run();
  EXPECT_EQ(read.bytes, testing::StackHarness::pattern(kBlocks * 512, 1));  // from the cache
  EXPECT_EQ(data_->lost_blocks(), kBlocks);
  EXPECT_EQ(durable(kFarBlock), std::vector<std::uint8_t>(kBlocks * 512, 0));
  EXPECT_EQ(durable(0), testing::StackHarness::pattern(kBlocks * 512, 2));  // FUA: on the media
}

TEST_F(HddData, AWrittenOutSegmentIsDurable) {
  build();  // write-out at once
  at(0, IODirection::kOut, kFarBlock, 3);
  std::uint64_t cached_after_completion = 0;
  h_.engine.at(static_cast<SimTime>(0.5 * kMs), [&] { cached_after_completion = data_->cached_blocks(); });
  h_.engine.at(static_cast<SimTime>(40 * kMs), [this] { device_->power_cut(); });
  h_.engine.run();
  EXPECT_EQ(cached_after_completion, kBlocks);  // completed at 0.141 ms, the arm still seeking
  EXPECT_EQ(data_->lost_blocks(), 0u);
  EXPECT_EQ(durable(kFarBlock), testing::StackHarness::pattern(kBlocks * 512, 3));
}

TEST_F(HddData, TurningTheWriteCacheOffWritesItOut) {
  build("destage { policy: WATER_MARK idle: \"50ms\" }");
  at(0, IODirection::kOut, kFarBlock, 4);
  h_.engine.at(static_cast<SimTime>(1 * kMs), [this] { EXPECT_EQ(device_->setWriteCacheState(false), kIOReturnSuccess); });
  // Written out by 1 + 5.999 + 10 + 0.8 ms, long before the idle time would end.
  h_.engine.at(static_cast<SimTime>(30 * kMs), [this] { device_->power_cut(); });
  h_.engine.run();
  EXPECT_EQ(data_->lost_blocks(), 0u);
  EXPECT_EQ(durable(kFarBlock), testing::StackHarness::pattern(kBlocks * 512, 4));
}

// Unreadable sectors (docs/faults.md) on the drive: a read there fails after the drive's retries,
// and a write over them remaps them. (The retries go through the drive's own path, so a retry of
// what the first try left in the segment cache is a cache hit: faults.md lists it as a limit.)
TEST_F(HddData, AWriteOverUnreadableSectorsRemapsThem) {
  build();
  FaultInjector& faults = *fault_injector(*device_);
  faults.add_unreadable(kFarBlock, 4, 2);
  testing::Io& clean = at(0, IODirection::kIn, kFarBlock - kBlocks, 1);
  h_.engine.run();
  testing::Io& bad = at(100, IODirection::kIn, kFarBlock, 2);
  h_.engine.run();
  EXPECT_EQ(clean.result.status, kIOReturnSuccess);
  EXPECT_EQ(bad.result.status, kIOReturnIOError);
  EXPECT_EQ(bad.result.bytes, 0u);
  at(200, IODirection::kOut, kFarBlock, 3, true);
  h_.engine.run();
  std::vector<DeviceMetric> metrics;
  device_->collect_metrics(&metrics);
  double remapped = -1;
  for (const auto& m : metrics)
    if (m.name == "hdd.remapped_blocks")
      remapped = m.value;
  EXPECT_EQ(remapped, 4);
  testing::Io& after = at(300, IODirection::kIn, kFarBlock, 4);
  h_.engine.run();
  EXPECT_EQ(after.result.status, kIOReturnSuccess);
  EXPECT_EQ(after.bytes, testing::StackHarness::pattern(kBlocks * 512, 3));
}

}  // namespace
}  // namespace blocksim

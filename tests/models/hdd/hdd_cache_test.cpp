// The HDD's cache on the hand-worked test drive (hdd_test_drive.hpp): a sequential stream is
// served from the read-ahead at the media's pace, a random one misses; with write-back a write
// completes before the arm has moved and a flush waits for the media; with the write cache off,
// or with FUA, a write waits for the media.
#include <gtest/gtest.h>

#include <vector>

#include "models/device_registry.hpp"
#include "models/hdd/hdd_device.hpp"
#include "tests/models/hdd/hdd_test_drive.hpp"
#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

constexpr double kMs = 1e6;

double mean_latency(const std::vector<CompletionRecord>& records) {
  double sum = 0;
  for (const auto& r : records)
    sum += static_cast<double>(r.complete - r.submit);
  return sum / static_cast<double>(records.size());
}

std::string job(const std::string& pattern, int requests) {
  return "workload { job { read_fraction: 1 pattern: " + pattern + " block_size: \"4KiB\" requests: " +
         std::to_string(requests) + " } }";
}

TEST(HddCache, SequentialReadsComeFromTheReadAheadAtTheMediasPace) {
  // Past the first read the read-ahead stays ahead of the stream, so every read is a hit that
  // waits only for its sectors. A cylinder (200 sectors) passes in 10 + 1 (track skew) + 10 + 2
  // (cylinder skew) = 23 ms, so 8 sectors take 0.92 ms on average.
  const auto records = testing::run_and_record(testing::hdd_test_device() + job("SEQUENTIAL", 4000));
  ASSERT_EQ(records.size(), 4000u);
  const double mean = mean_latency(records);
  EXPECT_NEAR(mean, 0.92 * kMs, 0.05 * kMs);
}

TEST(HddCache, RandomReadsMissTheCache) {
  // Seek: 1 ms + 0.001 ms x (mean distance 10000/3 - 1) = 4.33 ms; half a revolution 5 ms; 8
  // sectors 0.8 ms; 0.1 ms overhead; 4 KiB at 100 MB/s 0.04 ms: 10.27 ms.
  const auto records = testing::run_and_record(testing::hdd_test_device() + job("RANDOM", 3000));
  EXPECT_NEAR(mean_latency(records), 10.27 * kMs, 0.3 * kMs);
}

// A device driven call by call, for writes and flushes.
class HddWrites : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto loaded = testing::scenario_from_text(testing::hdd_test_device() + job("RANDOM", 1));
    DeviceContext context;
    context.engine = &engine_;
    context.dma = engine_.add_endpoint("d", engine_.add_bus("bus", 100e6, 0, true));
    context.sink = &sink_;
    device_ = make_device(context, loaded.scenario.device(0));
  }

  void write(std::uint64_t block, bool fua = false) {
    buffers_.push_back(IOMemoryDescriptor{IODirection::kOut, 4096, nullptr, buffers_.size() + 1});
    IOStorageAttributes attributes;
    attributes.options = fua ? kIOStorageOptionForceUnitAccess : kIOStorageOptionNone;
    ASSERT_EQ(device_->doAsyncReadWrite(&buffers_.back(), block, 8, &attributes, nullptr), kIOReturnSuccess);
  }
  void flush() { ASSERT_EQ(device_->doSynchronize(0, 0, 0, nullptr), kIOReturnSuccess); }
  double completed(Op op) const {
    for (const auto& r : sink_.records)
      if (r.op == op)
        return static_cast<double>(r.complete);
    return -1;
  }

  Engine engine_;
  testing::RecordingSink sink_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  std::deque<IOMemoryDescriptor> buffers_;
};

// Block 1,000,000 lies on cylinder 5000: a 5.999 ms seek from cylinder 0.
constexpr std::uint64_t kFarBlock = 1'000'000;

TEST_F(HddWrites, WriteBackCompletesBeforeTheMediaAndAFlushWaitsForIt) {
  write(kFarBlock);
  engine_.after(static_cast<SimTime>(0.5 * kMs), [this] { flush(); });
  engine_.run();
  // 0.1 ms command overhead + 4096 B at 100 MB/s: done at 0.141 ms, while the arm is still seeking.
  EXPECT_NEAR(completed(Op::kWrite), 0.141 * kMs, 0.002 * kMs);
  // The write-out: overhead 0.1 ms, seek 5.999 ms, up to a revolution, 8 sectors 0.8 ms.
  const double flushed = completed(Op::kFlush);
  EXPECT_GE(flushed, (0.1 + 5.999 + 0.8) * kMs);
  EXPECT_LE(flushed, (0.1 + 5.999 + 10 + 0.8 + 0.1) * kMs);
}

TEST_F(HddWrites, WithTheWriteCacheOffAWriteWaitsForTheMedia) {
  bool enabled = true;
  ASSERT_EQ(device_->getWriteCacheState(&enabled), kIOReturnSuccess);
  EXPECT_TRUE(enabled);
  ASSERT_EQ(device_->setWriteCacheState(false), kIOReturnSuccess);
  write(kFarBlock);
  engine_.run();
  EXPECT_GE(completed(Op::kWrite), (0.1 + 5.999 + 0.8) * kMs);
}

TEST_F(HddWrites, ForceUnitAccessWaitsForTheMedia) {
  write(kFarBlock, true);
  engine_.run();
  EXPECT_GE(completed(Op::kWrite), (0.1 + 5.999 + 0.8) * kMs);
  EXPECT_EQ(sink_.records.front().flags & kFlagFua, kFlagFua);
}

TEST_F(HddWrites, AFlushWithNothingDirtyIsQuick) {
  flush();
  engine_.run();
  EXPECT_LT(completed(Op::kFlush), 0.01 * kMs);
}

}  // namespace
}  // namespace blocksim

// The HDD's cache on the hand-worked test drive (hdd_test_drive.hpp): a sequential stream is
// served from the read-ahead at the media's pace, a random one misses; with write-back a write
// completes before the arm has moved and a flush waits for the media; with the write cache off,
// or with FUA, a write waits for the media; a read of cached blocks is a whole hit, a read that
// runs past them a partial hit that reads only the rest; between water marks, write-out waits
// for the high mark or for idleness; a read-ahead that filled its segment goes on as the port
// empties it; a command that stops a read-ahead positions when its overhead is done and the arm
// free, or, under DiskSim's rule, after its overhead and then what the arm still owed.
#include <gtest/gtest.h>

#include <string>
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

// A device driven call by call, for reads, writes and flushes.
class HddCalls : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto loaded =
        testing::scenario_from_text(testing::hdd_test_device(controller_extra_, cache_extra_) + job("RANDOM", 1));
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
  // Returns the request id.
  std::uint64_t read(std::uint64_t block, std::uint64_t blocks) {
    buffers_.push_back(IOMemoryDescriptor{IODirection::kIn, blocks * 512, nullptr, buffers_.size() + 1});
    EXPECT_EQ(device_->doAsyncReadWrite(&buffers_.back(), block, blocks, nullptr, nullptr), kIOReturnSuccess);
    return buffers_.back().request_id;
  }
  void flush() { ASSERT_EQ(device_->doSynchronize(0, 0, 0, nullptr), kIOReturnSuccess); }
  double completed(Op op) const {
    for (const auto& r : sink_.records)
      if (r.op == op)
        return static_cast<double>(r.complete);
    return -1;
  }
  double completed_id(std::uint64_t id) const {
    for (const auto& r : sink_.records)
      if (r.request_id == id)
        return static_cast<double>(r.complete);
    return -1;
  }
  double metric(const std::string& name) const {
    std::vector<DeviceMetric> metrics;
    device_->collect_metrics(&metrics);
    for (const auto& m : metrics)
      if (m.name == name)
        return m.value;
    return -1;
  }

  std::string controller_extra_;  // set by a derived fixture before SetUp
  std::string cache_extra_;
  Engine engine_;
  testing::RecordingSink sink_;
  std::unique_ptr<IOBlockStorageDevice> device_;
  std::deque<IOMemoryDescriptor> buffers_;
};

using HddWrites = HddCalls;
using HddReadHits = HddCalls;

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

// Write-back between water marks: the test drive has 2 write segments; with `high` 0.75 the
// write-out starts once both are dirty, and a single dirty one waits for 50 ms of idleness.
class HddWaterMarks : public HddCalls {
 protected:
  HddWaterMarks() { cache_extra_ = "destage { policy: WATER_MARK high: 0.75 low: 0.25 idle: \"50ms\" }"; }
  // Issues a flush at `t_ms` and returns how long it took.
  double flush_took_at(double t_ms) {
    engine_.at(static_cast<SimTime>(t_ms * kMs), [this] { flush(); });
    engine_.run();
    return completed(Op::kFlush) - t_ms * kMs;
  }
};

TEST_F(HddWaterMarks, OneDirtySegmentWaitsForTheIdleTime) {
  write(kFarBlock);
  double media_writes_at_20ms = -1;
  engine_.at(static_cast<SimTime>(20 * kMs), [&] { media_writes_at_20ms = metric("hdd.media_writes"); });
  // Written at once it would be on the media by 0.1 + 5.999 + 10 + 0.8 = 16.9 ms at the latest;
  // here nothing has started at 20 ms. The idle time ends at 50.141 ms; the write-out then takes
  // at most 0.1 + 5.999 + 10 + 0.8 ms more (67.1 ms): a flush at 100 ms finds nothing dirty.
  const double took = flush_took_at(100);
  EXPECT_EQ(media_writes_at_20ms, 0);
  EXPECT_EQ(metric("hdd.media_writes"), 1);
  EXPECT_LT(took, 0.01 * kMs);
}

TEST_F(HddWaterMarks, TheHighMarkStartsTheWriteOutAtOnce) {
  // Two writes 200 blocks apart (the next cylinder): both segments dirty, the high mark reached.
  // Both are on the media by (0.1 + 5.999 + 10 + 0.8) + (1 + 10 + 0.8) = 28.7 ms at the latest,
  // long before the idle time would end: a flush at 40 ms finds nothing dirty.
  write(kFarBlock);
  write(kFarBlock + 200);
  const double took = flush_took_at(40);
  EXPECT_EQ(metric("hdd.media_writes"), 2);
  EXPECT_LT(took, 0.01 * kMs);
}

// A drive that queues commands and takes write data before the arm is free (prebuffering), with a
// read on the arm: a write-back write that arrives while another write holds the port waits for
// the port, not for the arm. Found against DiskSim's Maxtor 300 GB (fast write level 2, 8 commands
// queued): the write went to the arm's queue behind the reads and completed 48 ms late, where
// DiskSim acknowledges it as soon as the bus is free.
class HddQueuedWrites : public HddCalls {
 protected:
  HddQueuedWrites() {
    controller_extra_ = "queue_depth: 8";
    cache_extra_ = "write_prebuffering: true";
  }
};

TEST_F(HddQueuedWrites, AWriteArrivingWhileThePortIsBusyWaitsOnlyForThePort) {
  const std::uint64_t far_read = read(kFarBlock, 8);
  engine_.after(static_cast<SimTime>(0.2 * kMs), [this] {
    write(kFarBlock / 2);
    write(kFarBlock + kFarBlock / 2);
  });
  engine_.run();
  std::vector<double> writes;
  for (const auto& r : sink_.records)
    if (r.op == Op::kWrite)
      writes.push_back(static_cast<double>(r.complete));
  ASSERT_EQ(writes.size(), 2u);
  // Each holds the port for 0.1 ms of overhead and 4096 B at 100 MB/s: the second ends 0.141 ms
  // after the first, while the arm is still seeking to the read (5.999 ms).
  EXPECT_NEAR(writes[1] - writes[0], 0.141 * kMs, 0.002 * kMs);
  EXPECT_LT(writes[1], completed_id(far_read));
  EXPECT_LT(writes[1], 1 * kMs);
}

TEST_F(HddWrites, AFlushWithNothingDirtyIsQuick) {
  flush();
  engine_.run();
  EXPECT_LT(completed(Op::kFlush), 0.01 * kMs);
}

// The first read, of blocks [0, 8) at time 0: 0.1 ms overhead, then the platter (at sector 1)
// turns to sector 0 (9.9 ms), 8 sectors (0.8 ms), and read-ahead on to 128 blocks past the
// request: block 99 ends the track at 20 ms, and after the head switch (hidden by the track skew
// of 10 sectors) blocks 100 to 135 lie in sectors 10 to 45 of the second surface: done by 24.6 ms.
// The segment then holds [0, 136).
TEST_F(HddReadHits, AWholeHitComesFromTheSegmentAndAPartialHitReadsOnlyTheRest) {
  read(0, 8);
  std::uint64_t whole = 0, partial = 0;
  engine_.at(static_cast<SimTime>(30 * kMs), [&] { whole = read(16, 8); });
  engine_.at(static_cast<SimTime>(40 * kMs), [&] { partial = read(130, 10); });
  engine_.run();
  // Whole hit: 0.1 ms overhead, 4096 B at 100 MB/s (0.041 ms); the arm does not move.
  EXPECT_NEAR(completed_id(whole), 30.141 * kMs, 0.002 * kMs);
  // Partial hit: blocks 130 to 135 are in the segment; 136 to 139 lie in sectors 46 to 49 of the
  // second surface, where the arm still is. After 0.1 ms overhead the platter is at sector 1:
  // 4.5 ms to sector 46, 0.4 ms for 4 sectors, then the last of the data over the bus.
  EXPECT_NEAR(completed_id(partial), 45.0 * kMs, 0.1 * kMs);
  EXPECT_EQ(metric("hdd.read_hits"), 1);
  EXPECT_EQ(metric("hdd.read_partial_hits"), 1);
  EXPECT_EQ(metric("hdd.read_misses"), 1);
}

// A read-ahead that has filled its segment goes on as soon as the port starts sending what the
// segment holds, not when the transfer ends (DiskSim's segments free each block as it leaves; the
// Seagate ST41601N's single segment lost a revolution on one sequential read in twenty). Hits
// read ahead here. The first read, of [0, 128), reads ahead to the segment's 256 blocks: blocks 0
// to 99 come round from 10 ms, 100 to 199 (second surface, from sector 10) from 21 ms, and after
// the cylinder skew blocks 200 to 255 lie in sectors 30 to 85 of cylinder 1: all in by 38.6 ms.
// The second read, of [0, 200) at 48 ms, is a whole hit that wants 128 blocks beyond it, but the
// segment has no room until its data leaves: it sends from 48.1 ms (0.1 ms overhead), a block
// every 5.12 us. Block 256 (sector 86) comes round at 48.6 ms, when 97
// blocks have left: there is room, so blocks 256 to 263 are in by 49.4 ms and a read of them at
// 50 ms is a whole hit: 50 + 0.1 + 0.041 ms. Had the arm waited for the transfer's end (49.124 ms)
// it would have missed sector 86 and read it a revolution later, after 58.6 ms.
class HddReadAheadOnHits : public HddCalls {
 protected:
  HddReadAheadOnHits() { cache_extra_ = "read_ahead_on_hit: true"; }
};

TEST_F(HddReadAheadOnHits, AReadAheadThatFilledItsSegmentGoesOnAsThePortSends) {
  read(0, 128);
  std::uint64_t second = 0, third = 0;
  engine_.at(static_cast<SimTime>(48 * kMs), [&] { second = read(0, 200); });
  engine_.at(static_cast<SimTime>(50 * kMs), [&] { third = read(256, 8); });
  engine_.run();
  EXPECT_NEAR(completed_id(second), 49.124 * kMs, 0.002 * kMs);
  EXPECT_NEAR(completed_id(third), 50.141 * kMs, 0.002 * kMs);
  EXPECT_EQ(metric("hdd.read_hits"), 2);
}

// A read that stops the read-ahead, on its way to cylinder 51 (51 cylinders from the read-ahead's:
// 1 + 0.001 x 50 = 1.05 ms of seek; its first block lies at sector 30 x 51 mod 100 = 30, and
// sector s passes at s x 0.1 ms, mod 10 ms). The first read, of [0, 8), reads ahead through block
// 99 (sector 99 ends at 20 ms), switches heads (to 20.5 ms) and waits for block 100 (sector 10
// of the second surface, at 21 ms). The second read's overhead is 0.1 ms; the arm, which may not
// stop inside a sector, still owes the read-ahead its switch, its wait or its sector.
// - Overlapped (a drive): the arm leaves when both the overhead and that are done.
// - DiskSim's rule: it leaves after the overhead and then what it still owed.
// The blocks cross the bus as they come off the platter, the last 512 B 5.12 us after its sector.
class HddReadAheadStopped : public HddCalls {
 protected:
  // When a read of 8 blocks from `block`, arriving at `at_ms`, completes.
  double stopping_read_completes(double at_ms, std::uint64_t block) {
    read(0, 8);
    std::uint64_t id = 0;
    engine_.at(static_cast<SimTime>(at_ms * kMs), [&] { id = read(block, 8); });
    engine_.run();
    return completed_id(id);
  }
};
class HddReadAheadStoppedUnderDiskSimsRule : public HddReadAheadStopped {
 protected:
  HddReadAheadStoppedUnderDiskSimsRule() { cache_extra_ = "read_ahead_release_follows_overhead: true"; }
};

// In the head switch, at 20.2 ms, for block 10286 (sector (30 + 86) mod 100 = 16, at 21.6 ms).
// Overlapped: leaves at 20.5, arrives at 21.55, reads from 21.6: in at 22.4 ms.
TEST_F(HddReadAheadStopped, InAHeadSwitchTheArmLeavesAtItsEnd) {
  EXPECT_NEAR(stopping_read_completes(20.2, 10286), 22.40512 * kMs, 0.001 * kMs);
}
// DiskSim: leaves at 20.3 + (20.5 - 20.2) = 20.6, arrives at 21.65, just past sector 16: a
// revolution later, in at 32.4 ms.
TEST_F(HddReadAheadStoppedUnderDiskSimsRule, InAHeadSwitchTheSwitchsRestFollowsTheOverhead) {
  EXPECT_NEAR(stopping_read_completes(20.2, 10286), 32.40512 * kMs, 0.001 * kMs);
}

// Waiting for sector 10 at 20.7 ms, for block 10291 (sector 21, at 22.1 ms). Overlapped: leaves
// at 21.0, arrives at 22.05: in at 22.9 ms.
TEST_F(HddReadAheadStopped, WaitingForASectorTheArmLeavesAsItComes) {
  EXPECT_NEAR(stopping_read_completes(20.7, 10291), 22.90512 * kMs, 0.001 * kMs);
}
// DiskSim: leaves at 20.8 + (21.0 - 20.7) = 21.1, arrives at 22.15: in at 32.9 ms.
TEST_F(HddReadAheadStoppedUnderDiskSimsRule, WaitingForASectorTheWaitsRestFollowsTheOverhead) {
  EXPECT_NEAR(stopping_read_completes(20.7, 10291), 32.90512 * kMs, 0.001 * kMs);
}

// Reading sector 50 (15.0 to 15.1 ms) at 15.02 ms, for block 10232 (sector 62, at 16.2 ms).
// Overlapped: leaves at 15.12 (the overhead), arrives at 16.17: in at 17.0 ms.
TEST_F(HddReadAheadStopped, InASectorTheArmLeavesAtItsEnd) {
  EXPECT_NEAR(stopping_read_completes(15.02, 10232), 17.00512 * kMs, 0.001 * kMs);
}
// DiskSim: leaves at 15.12 + (15.1 - 15.02) = 15.2, arrives at 16.25: in at 27.0 ms.
TEST_F(HddReadAheadStoppedUnderDiskSimsRule, InASectorTheSectorsRestFollowsTheOverhead) {
  EXPECT_NEAR(stopping_read_completes(15.02, 10232), 27.00512 * kMs, 0.001 * kMs);
}

}  // namespace
}  // namespace blocksim

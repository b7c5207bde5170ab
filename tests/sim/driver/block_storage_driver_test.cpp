// IOBlockStorageDriver against driver-api.md §4: prepare's argument checks, Underrun for a short
// success, the device's error return, NoMedia at execute, DMAError when the limits leave no whole
// block, break-up into sequential pieces by block count, byte count and segments, deblocking with
// one read-modify-write at a time, FUA and barriers on their way down, statistics.
#include <gtest/gtest.h>

#include "tests/support/scripted_device.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::ScriptedDevice;
using testing::StackHarness;

class DriverTest : public ::testing::Test {
 protected:
  void build(std::uint64_t block_size = 512, std::uint64_t blocks = 2048) {
    device_ = std::make_unique<ScriptedDevice>(h_.engine, block_size, blocks);
    configure(*device_);
    driver_ = h_.make_driver(*device_);
  }
  virtual void configure(ScriptedDevice&) {}
  testing::Io& read(std::uint64_t offset, std::uint64_t length) {
    testing::Io& io = h_.submit(*driver_, IODirection::kIn, offset, length);
    h_.engine.run();
    return io;
  }
  StackHarness h_;
  std::unique_ptr<ScriptedDevice> device_;
  std::unique_ptr<IOBlockStorageDriver> driver_;
};

TEST_F(DriverTest, ReservedOptionBitsAndFieldsAreBadArgument) {
  build();
  testing::IoResult result;
  IOStorageCompletion done{&result, &testing::IoResult::action, nullptr};
  IOMemoryDescriptor buffer{IODirection::kIn, 512};
  IOStorageAttributes reserved_bit;
  reserved_bit.options = 0x0002;  // inside kIOStorageOptionReserved (0xFFCE)
  driver_->read(0, &buffer, &reserved_bit, &done);
  EXPECT_EQ(result.status, kIOReturnBadArgument);
  IOStorageAttributes reserved_field;
  reserved_field.reserved0024 = 1;
  driver_->read(0, &buffer, &reserved_field, &done);
  EXPECT_EQ(result.status, kIOReturnBadArgument);
  EXPECT_EQ(errno_from_return(result.status), EINVAL);
  EXPECT_TRUE(device_->calls.empty());
}

TEST_F(DriverTest, ShortSuccessIsUnderrun) {
  build();
  device_->answers.push_back({kIOReturnSuccess, kIOReturnSuccess, 256, 1000});
  const auto& io = read(0, 512);
  EXPECT_EQ(io.result.status, kIOReturnUnderrun);
  EXPECT_EQ(io.result.bytes, 256u);
  EXPECT_EQ(errno_from_return(io.result.status), EIO);
}

TEST_F(DriverTest, ADeviceErrorReturnCompletesTheRequestWithIt) {
  build();
  device_->answers.push_back({kIOReturnNotReady});
  const auto& io = read(0, 512);
  EXPECT_EQ(io.result.status, kIOReturnNotReady);
  EXPECT_EQ(io.result.calls, 1);
  EXPECT_EQ(errno_from_return(io.result.status), EBUSY);
}

TEST_F(DriverTest, NoMediaWhenTheMediaIsGoneAtExecute) {
  build();
  device_->removable = true;
  device_->set_media_present(false);  // the user pulls it: the driver forgets its media object
  EXPECT_EQ(driver_->media(), nullptr);
  EXPECT_EQ(read(0, 512).result.status, kIOReturnNoMedia);
}

struct LimitedDriver : DriverTest {
  DeviceCharacteristics limits;
  void configure(ScriptedDevice& d) override { d.limits = limits; }
};

TEST_F(LimitedDriver, LimitsThatLeaveNoWholeBlockAreDMAError) {
  limits.max_byte_count_read = 256;  // less than one 512-byte block
  build();
  EXPECT_EQ(read(0, 4096).result.status, kIOReturnDMAError);
  EXPECT_TRUE(device_->calls.empty());
}

TEST_F(LimitedDriver, BreaksUpByBlockCountIntoSequentialPieces) {
  limits.max_block_count_read = 8;  // 4 KiB of 512-byte blocks
  build();
  const auto& io = read(1024, 10 * 1024);
  EXPECT_EQ(io.result.status, kIOReturnSuccess);
  EXPECT_EQ(io.result.bytes, 10u * 1024);
  const auto reads = device_->calls_of("read");
  ASSERT_EQ(reads.size(), 3u);
  const std::uint64_t sizes[] = {4096, 4096, 2048};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(reads[i].bytes, sizes[i]);
    EXPECT_EQ(reads[i].block, 2 + 8 * i);
    EXPECT_EQ(reads[i].adjusted_offset, static_cast<std::int64_t>(4096 * i));
    EXPECT_EQ(reads[i].parent_id, io.buffer.request_id);  // pieces name the request they came from
    EXPECT_NE(reads[i].request_id, io.buffer.request_id);
  }
  EXPECT_EQ(device_->max_in_flight, 1);  // one piece after another, never in parallel
  EXPECT_LT(reads[0].at, reads[1].at);
}

TEST_F(LimitedDriver, BreaksUpBySegmentsAndBytes) {
  limits.max_segment_count_write = 2;
  build();
  // A buffer in 4 KiB pages of user memory: two segments per piece = 8 KiB.
  std::vector<std::uint8_t> bytes(20 * 1024);
  IOMemoryDescriptor pages{IODirection::kOut, bytes.size(), bytes.data(), h_.ids.next()};
  pages.segment_bytes = 4096;
  testing::IoResult result;
  IOStorageCompletion done{&result, &testing::IoResult::action, nullptr};
  driver_->write(0, &pages, nullptr, &done);
  h_.engine.run();
  EXPECT_EQ(result.status, kIOReturnSuccess);
  const auto writes = device_->calls_of("write");
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[0].bytes, 8192u);
  EXPECT_EQ(writes[1].bytes, 8192u);
  EXPECT_EQ(writes[2].bytes, 4096u);

  // The walk itself (§4.2): a first page holding 2 KiB of the buffer: 2 KiB + 4 KiB.
  BreakUpLimits l;
  l.max_segment_count = 2;
  pages.segment_phase = 2048;
  EXPECT_EQ(break_size(pages, l, 512), 6u * 1024);
  // Segments longer than the max segment byte count split: two 1 KiB segments.
  l.max_segment_byte_count = 1024;
  pages.segment_phase = 0;
  EXPECT_EQ(break_size(pages, l, 512), 2u * 1024);
  // A misaligned segment is split into one-page pieces: the first ends at the page boundary.
  BreakUpLimits aligned;
  aligned.min_segment_alignment = 4096;
  aligned.max_segment_count = 1;
  pages.segment_phase = 1536;
  EXPECT_EQ(break_size(pages, aligned, 512), 2560u);
  // Block and byte caps, truncated to whole blocks.
  BreakUpLimits caps;
  caps.max_block_count = 3;
  caps.max_byte_count = 1000;
  EXPECT_EQ(break_size(pages, caps, 512), 512u);
}

TEST_F(LimitedDriver, AnErrorInAPieceEndsTheChain) {
  limits.max_block_count_read = 8;
  build();
  device_->answers.push_back({});                                          // piece 1 fine
  device_->answers.push_back({kIOReturnSuccess, kIOReturnIOError, 1024, 1000});  // piece 2 fails
  const auto& io = read(0, 16 * 1024);
  EXPECT_EQ(io.result.status, kIOReturnIOError);
  EXPECT_EQ(io.result.bytes, 4096u + 1024u);  // earlier pieces plus the failing piece's count
  EXPECT_EQ(device_->calls_of("read").size(), 2u);
}

TEST_F(DriverTest, OneReadModifyWriteAtATimeAndAlignedWritesOvertake) {
  build();
  auto& first = h_.submit(*driver_, IODirection::kOut, 100, 100);   // within block 0
  auto& second = h_.submit(*driver_, IODirection::kOut, 700, 600);  // blocks 1 and 2, both partial
  auto& aligned = h_.submit(*driver_, IODirection::kOut, 8192, 512);
  h_.engine.run();
  for (auto* io : {&first, &second, &aligned})
    EXPECT_EQ(io->result.status, kIOReturnSuccess);
  EXPECT_EQ(first.result.bytes, 100u);
  EXPECT_EQ(second.result.bytes, 600u);
  // Device calls: first's read of block 0, the aligned write, first's write-back; only then
  // second's reads of blocks 1 and 2 and its write-back of both.
  const auto& c = device_->calls;
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c[0].what, "read");
  EXPECT_EQ(c[0].block, 0u);
  EXPECT_EQ(c[1].what, "write");
  EXPECT_EQ(c[1].block, 16u);  // the aligned write did not wait
  EXPECT_EQ(c[2].what, "write");
  EXPECT_EQ(c[2].block, 0u);
  EXPECT_EQ(c[3].what, "read");
  EXPECT_EQ(c[3].block, 1u);
  EXPECT_GE(c[3].at, first.result.completed_at);  // second's RMW began after first's finished
  EXPECT_EQ(c[4].block, 2u);
  EXPECT_EQ(c[5].what, "write");
  EXPECT_EQ(c[5].nblks, 2u);
}

TEST_F(DriverTest, AFailedPreparatoryReadEndsTheWriteWithNothingDone) {
  build();
  device_->answers.push_back({kIOReturnSuccess, kIOReturnBadMedia, 0, 1000});
  testing::Io& io = h_.submit(*driver_, IODirection::kOut, 10, 20);
  h_.engine.run();
  EXPECT_EQ(io.result.status, kIOReturnBadMedia);
  EXPECT_EQ(io.result.bytes, 0u);
  EXPECT_EQ(errno_from_return(io.result.status), ENXIO);
  EXPECT_TRUE(device_->calls_of("write").empty());
}

TEST_F(DriverTest, FuaReachesTheDevice) {
  build();
  const auto data = StackHarness::pattern(512, 1);
  h_.write(*driver_, 0, data, kIOStorageOptionForceUnitAccess);
  ASSERT_EQ(device_->calls.size(), 1u);
  EXPECT_EQ(device_->calls[0].options & kIOStorageOptionForceUnitAccess, kIOStorageOptionForceUnitAccess);
}

TEST_F(DriverTest, SynchronizeRoundsOutwardAndABarrierBecomesAFullFlush) {
  build();
  h_.command([&](IOStorageCompletion* c) { return driver_->synchronize(100, 1000, 0, c); });
  auto barrier = h_.command(
      [&](IOStorageCompletion* c) { return driver_->synchronize(4096, 8192, kIOStorageSynchronizeOptionBarrier, c); });
  EXPECT_EQ(driver_->synchronize(0, 0, 0x4, nullptr), kIOReturnBadArgument);  // reserved bit
  const auto flushes = device_->calls_of("flush");
  ASSERT_EQ(flushes.size(), 2u);
  EXPECT_EQ(flushes[0].block, 0u);
  EXPECT_EQ(flushes[0].nblks, 3u);  // bytes 100..1100 cover blocks 0, 1, 2
  EXPECT_EQ(flushes[1].block, 0u);  // no "Barrier" feature: the whole device, no options
  EXPECT_EQ(flushes[1].nblks, 0u);
  EXPECT_EQ(flushes[1].sync_options, 0u);
  EXPECT_EQ(barrier.returned, kIOReturnSuccess);
  EXPECT_EQ(barrier.result.status, kIOReturnSuccess);
  EXPECT_FALSE(barrier.result.inside_call);
}

struct BarrierDriver : DriverTest {
  void configure(ScriptedDevice& d) override { d.limits.feature_barrier = true; }
};

TEST_F(BarrierDriver, ADeviceWithBarrierSupportGetsTheBarrier) {
  build();
  h_.command(
      [&](IOStorageCompletion* c) { return driver_->synchronize(4096, 8192, kIOStorageSynchronizeOptionBarrier, c); });
  const auto flushes = device_->calls_of("flush");
  ASSERT_EQ(flushes.size(), 1u);
  EXPECT_EQ(flushes[0].block, 8u);
  EXPECT_EQ(flushes[0].nblks, 16u);
  EXPECT_EQ(flushes[0].sync_options, kIOStorageSynchronizeOptionBarrier);
}

TEST_F(DriverTest, UnmapRoundsInwardAndDropsExtentsWithoutAWholeBlock) {
  build();
  IOStorageExtent extents[] = {{100, 1000}, {2048, 100}};  // blocks [1, 2); nothing whole
  auto c = h_.command([&](IOStorageCompletion* done) { return driver_->unmap(extents, 2, 0, done); });
  EXPECT_EQ(c.result.status, kIOReturnSuccess);
  const auto unmaps = device_->calls_of("unmap");
  ASSERT_EQ(unmaps.size(), 1u);
  EXPECT_EQ(unmaps[0].block, 1u);
  EXPECT_EQ(unmaps[0].nblks, 1u);
  IOStorageExtent nothing[] = {{10, 20}};
  auto none = h_.command([&](IOStorageCompletion* done) { return driver_->unmap(nothing, 1, 0, done); });
  EXPECT_EQ(none.result.status, kIOReturnSuccess);  // success without calling the device
  EXPECT_EQ(device_->calls_of("unmap").size(), 1u);
  EXPECT_EQ(driver_->unmap(extents, 2, 0x2, nullptr), kIOReturnBadArgument);
}

struct RemovableDriver : DriverTest {
  bool write_protected = false;
  void configure(ScriptedDevice& d) override {
    d.removable = true;
    d.ejectable = true;
    d.write_protected = write_protected;
  }
};

TEST_F(RemovableDriver, EjectFlushesFirstThenEjects) {
  build();
  IOMedia* media = driver_->media();
  auto eject = h_.command([&](IOStorageCompletion* c) { return driver_->ejectMedia(c); });
  EXPECT_EQ(eject.returned, kIOReturnSuccess);
  EXPECT_EQ(eject.result.status, kIOReturnSuccess);
  ASSERT_EQ(device_->calls.size(), 2u);
  EXPECT_EQ(device_->calls[0].what, "flush");
  EXPECT_EQ(device_->calls[0].nblks, 0u);  // the whole device
  EXPECT_EQ(device_->calls[1].what, "eject");
  EXPECT_TRUE(media->is_inactive());
  EXPECT_EQ(driver_->getMediaState(), kIOMediaStateOffline);
  // I/O after the eject: the old media object answers NoMedia; the driver has none.
  EXPECT_EQ(h_.submit(*media, IODirection::kIn, 0, 512).result.status, kIOReturnNoMedia);
  EXPECT_EQ(driver_->ejectMedia(nullptr), kIOReturnNoMedia);
}

TEST_F(RemovableDriver, WriteProtectedMediaIsNotFlushedBeforeEject) {
  write_protected = true;
  build();
  h_.command([&](IOStorageCompletion* c) { return driver_->ejectMedia(c); });
  ASSERT_EQ(device_->calls.size(), 1u);
  EXPECT_EQ(device_->calls[0].what, "eject");
}

TEST_F(RemovableDriver, EjectIgnoresAFailedFlush) {
  build();
  device_->flush_status = kIOReturnIOError;
  auto eject = h_.command([&](IOStorageCompletion* c) { return driver_->ejectMedia(c); });
  EXPECT_EQ(eject.result.status, kIOReturnSuccess);
  EXPECT_EQ(device_->calls_of("eject").size(), 1u);
}

TEST_F(RemovableDriver, EjectWhileOpenIsBusy) {
  build();
  ASSERT_TRUE(driver_->media()->open(&h_.client, kIOStorageAccessReader));
  EXPECT_EQ(driver_->ejectMedia(nullptr), kIOReturnBusy);
  EXPECT_EQ(errno_from_return(kIOReturnBusy), EBUSY);
  EXPECT_FALSE(driver_->media()->is_inactive());
  EXPECT_TRUE(device_->calls.empty());
}

TEST_F(DriverTest, AFixedDiskIsCheckedAndParkedButKeepsItsMedia) {
  build();
  auto eject = h_.command([&](IOStorageCompletion* c) { return driver_->ejectMedia(c); });
  EXPECT_EQ(eject.result.status, kIOReturnSuccess);
  EXPECT_NE(driver_->media(), nullptr);
  EXPECT_EQ(device_->calls_of("eject").size(), 1u);
}

TEST_F(DriverTest, FormatReturnsTheDeviceErrorAndTheMediaComesBack) {
  build();
  IOMedia* before = driver_->media();
  EXPECT_EQ(driver_->formatMedia(1 << 20, nullptr), kIOReturnUnsupported);
  EXPECT_EQ(errno_from_return(kIOReturnUnsupported), ENOTSUP);
  ASSERT_NE(driver_->media(), nullptr);
  EXPECT_NE(driver_->media(), before);  // a new media object after the (failed) format
  ASSERT_TRUE(driver_->media()->open(&h_.client, kIOStorageAccessReader));
  EXPECT_EQ(driver_->formatMedia(1 << 20, nullptr), kIOReturnBusy);
  // Media arriving while there is media is refused.
  EXPECT_EQ(driver_->mediaStateHasChanged(kIOMediaStateOnline), kIOReturnBadArgument);
}

TEST_F(DriverTest, StatisticsCountOperationsBytesAndErrors) {
  build();
  read(0, 1024);
  h_.write(*driver_, 0, StackHarness::pattern(512, 1));
  device_->answers.push_back({kIOReturnSuccess, kIOReturnIOError, 0, 1000});
  h_.write(*driver_, 512, StackHarness::pattern(1024, 2));
  EXPECT_EQ(driver_->getStatistics(nullptr, 0), 13u);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsReads), 1u);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsBytesRead), 1024u);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsWrites), 2u);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsSingleBlockWrites), 1u);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsBytesWritten), 512u);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsWriteErrors), 1u);
  EXPECT_EQ(driver_->getStatistic(IOBlockStorageDriver::kStatisticsTotalReadTime), 1000u);  // the device's 1 us
}

// With a device that carries data: deblocked reads return the middle of the blocks, and a
// read-modify-write keeps the bytes around the ones it writes.
TEST(DriverData, DeblockingKeepsTheBytesAroundAnUnalignedWrite) {
  StackHarness h;
  auto device = h.make_device(R"(capacity: "1MiB" block_size: "512" carry_data: true
                                 reference { service { fixed: "10us" } })");
  auto driver = h.make_driver(*device);
  const auto base = StackHarness::pattern(2048, 5);
  ASSERT_EQ(h.write(*driver, 0, base).result.status, kIOReturnSuccess);
  const auto patch = StackHarness::pattern(700, 9);
  auto& w = h.write(*driver, 300, patch);
  EXPECT_EQ(w.result.status, kIOReturnSuccess);
  EXPECT_EQ(w.result.bytes, 700u);
  auto expected = base;
  std::copy(patch.begin(), patch.end(), expected.begin() + 300);
  EXPECT_EQ(h.read(*driver, 0, 2048).bytes, expected);
  auto& middle = h.read(*driver, 250, 800);
  EXPECT_EQ(middle.result.bytes, 800u);
  EXPECT_EQ(middle.bytes, std::vector<std::uint8_t>(expected.begin() + 250, expected.begin() + 1050));
  // Never silently: the unaligned write and read are counted (the aligned ones are not).
  EXPECT_EQ(driver->widened_requests(), 2u);
}

}  // namespace
}  // namespace blocksim

// IOMedia against driver-api.md §3.1: the checks of read and write in the reference's order, each
// completing at once with its code; synchronize and unmap checks; the open-level table; a
// partition's base and bounds.
#include <gtest/gtest.h>

#include "sim/media/partition_scheme.hpp"
#include "tests/support/scripted_device.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::ScriptedDevice;
using testing::StackHarness;

class IOMediaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    device_ = std::make_unique<ScriptedDevice>(h_.engine, 512, 2048);  // 1 MiB
    driver_ = h_.make_driver(*device_);
    media_ = driver_->media();
    ASSERT_NE(media_, nullptr);
  }
  StackHarness h_;
  std::unique_ptr<ScriptedDevice> device_;
  std::unique_ptr<IOBlockStorageDriver> driver_;
  IOMedia* media_ = nullptr;
};

TEST_F(IOMediaTest, ChecksCompleteAtOnceInTheReferenceOrder) {
  // 2: no open at all.
  auto& not_open = h_.submit(*media_, IODirection::kIn, 0, 512);
  EXPECT_EQ(not_open.result.status, kIOReturnNotOpen);
  EXPECT_TRUE(not_open.result.inside_call);  // IOKit completes argument errors inside the call

  // 3: a write through a reader-only open (macOS).
  ASSERT_TRUE(media_->open(&h_.client, kIOStorageAccessReader));
  EXPECT_EQ(h_.submit(*media_, IODirection::kOut, 0, 512).result.status, kIOReturnNotPrivileged);

  // 6, 7: no buffer, wrong direction.
  testing::IoResult none;
  IOStorageCompletion done{&none, &testing::IoResult::action, nullptr};
  media_->read(0, nullptr, nullptr, &done);
  EXPECT_EQ(none.status, kIOReturnBadArgument);
  IOMemoryDescriptor out_buffer{IODirection::kOut, 512};
  media_->read(0, &out_buffer, nullptr, &done);
  EXPECT_EQ(none.status, kIOReturnBadArgument);

  // 8, 9: start past the end, end past the end (1 MiB media).
  EXPECT_EQ(h_.submit(*media_, IODirection::kIn, (1 << 20) + 1, 0).result.status, kIOReturnBadArgument);
  EXPECT_EQ(h_.submit(*media_, IODirection::kIn, (1 << 20) - 512, 1024).result.status, kIOReturnBadArgument);
  EXPECT_TRUE(device_->calls.empty());

  // A zero-length transfer exactly at the end passes IOMedia's checks (the driver then finds no
  // whole block to send: break size 0 is kIOReturnDMAError, §4.2); an unaligned one passes too
  // (IOMedia has no alignment check) and the driver deblocks it.
  auto& at_end = h_.submit(*media_, IODirection::kIn, 1 << 20, 0);
  auto& unaligned = h_.submit(*media_, IODirection::kIn, 100, 10);
  h_.engine.run();
  EXPECT_EQ(at_end.result.status, kIOReturnDMAError);
  EXPECT_EQ(unaligned.result.status, kIOReturnSuccess);
  EXPECT_EQ(unaligned.result.bytes, 10u);

  // 1: a terminated media object.
  driver_->decommissionMedia(true);
  EXPECT_EQ(h_.submit(*media_, IODirection::kIn, 0, 512).result.status, kIOReturnNoMedia);
}

TEST_F(IOMediaTest, WriteToMediaThatBecameWriteProtectedIsLockedWrite) {
  ASSERT_TRUE(media_->open(&h_.client, kIOStorageAccessReaderWriter));
  EXPECT_EQ(h_.write(*media_, 0, StackHarness::pattern(512, 1)).result.status, kIOReturnSuccess);
  // The switch moves: the device reports new parameters, the driver re-inits the media in place.
  device_->set_write_protection(true);
  EXPECT_FALSE(media_->isWritable());
  EXPECT_EQ(h_.write(*media_, 0, StackHarness::pattern(512, 2)).result.status, kIOReturnLockedWrite);
  EXPECT_EQ(media_->synchronize(0, 0, 0, nullptr), kIOReturnLockedWrite);
  // And opening it for writing is refused now.
  EXPECT_FALSE(media_->open(&h_.other, kIOStorageAccessReaderWriter));
}

TEST(IOMediaUnformatted, AOneBlockDeviceHasSizeZero) {
  StackHarness h;
  ScriptedDevice device(h.engine, 512, 1);  // max valid block 0: the driver makes size 0 (§4.5)
  auto driver = h.make_driver(device);
  IOMedia* media = driver->media();
  ASSERT_TRUE(media->open(&h.client, kIOStorageAccessReader));
  EXPECT_EQ(media->getSize(), 0u);
  EXPECT_EQ(h.submit(*media, IODirection::kIn, 0, 0).result.status, kIOReturnUnformattedMedia);
}

TEST_F(IOMediaTest, SynchronizeAndUnmapCheckTheirRanges) {
  EXPECT_EQ(media_->synchronize(0, 0, 0, nullptr), kIOReturnNotOpen);
  ASSERT_TRUE(media_->open(&h_.client, kIOStorageAccessReaderWriter));
  EXPECT_EQ(media_->synchronize((1 << 20) + 1, 0, 0, nullptr), kIOReturnBadArgument);
  EXPECT_EQ(media_->synchronize(512, 1 << 20, 0, nullptr), kIOReturnBadArgument);
  IOStorageExtent extents[2] = {{0, 4096}, {(1 << 20) - 512, 1024}};
  EXPECT_EQ(media_->unmap(extents, 2, 0, nullptr), kIOReturnBadArgument);
  h_.engine.run();
  EXPECT_TRUE(device_->calls.empty());  // nothing was sent
}

TEST_F(IOMediaTest, OpenLevelsFollowTheAccessTable) {
  ASSERT_TRUE(media_->open(&h_.client, kIOStorageAccessReader));
  ASSERT_TRUE(media_->open(&h_.other, kIOStorageAccessReader));  // readers share
  EXPECT_EQ(media_->open_level(), kIOStorageAccessReader);
  // An upgrade to a plain writer while another reader is there is fine; a second writer is not.
  ASSERT_TRUE(media_->open(&h_.client, kIOStorageAccessReaderWriter));
  EXPECT_FALSE(media_->open(&h_.other, kIOStorageAccessReaderWriter));
  EXPECT_TRUE(media_->is_open_by(&h_.other));  // the failed upgrade kept the old level
  EXPECT_EQ(media_->open_level(), kIOStorageAccessReaderWriter);
  // An exclusive open needs the media to itself.
  StackHarness::Client third;
  EXPECT_FALSE(media_->open(&third, kIOStorageAccessReader | kIOStorageAccessExclusiveLock));
  media_->close(&h_.client);
  media_->close(&h_.other);
  EXPECT_FALSE(media_->is_open());
  // Writers that all ask for SharedLock coexist; a plain writer does not join them.
  const IOStorageAccess shared = kIOStorageAccessReaderWriter | kIOStorageAccessSharedLock;
  ASSERT_TRUE(media_->open(&h_.client, shared));
  ASSERT_TRUE(media_->open(&h_.other, shared));
  EXPECT_FALSE(media_->open(&third, kIOStorageAccessReaderWriter));
}

// A partition: its own bounds, its base added, and the plain-writer rule against the scheme.
TEST_F(IOMediaTest, PartitionsRebaseAndCheckTheirOwnBounds) {
  std::vector<PartitionInfo> info = {{1, 64 * 1024, 128 * 1024, "one", ""}, {2, 512 * 1024, 256 * 1024, "two", ""}};
  IOPartitionScheme scheme(h_.context(), *media_, "GPT", info);
  IOMedia* p1 = scheme.partitions()[0];
  IOMedia* p2 = scheme.partitions()[1];
  EXPECT_EQ(p1->name(), "disk0s1");
  ASSERT_TRUE(p1->open(&h_.client, kIOStorageAccessReaderWriter));
  ASSERT_TRUE(p2->open(&h_.other, kIOStorageAccessReaderWriter));  // sibling writers do not exclude
  EXPECT_EQ(media_->open_level(), kIOStorageAccessReaderWriter);  // the scheme holds the disk open

  auto& inside = h_.write(*p1, 4096, StackHarness::pattern(4096, 3));
  EXPECT_EQ(inside.result.status, kIOReturnSuccess);
  ASSERT_EQ(device_->calls.size(), 1u);
  EXPECT_EQ(device_->calls[0].block, (64 * 1024 + 4096) / 512u);
  EXPECT_EQ(h_.submit(*p1, IODirection::kIn, 128 * 1024 - 512, 1024).result.status, kIOReturnBadArgument);

  // A plain writer on the whole disk: refused while the scheme holds it open...
  StackHarness::Client writer;
  EXPECT_FALSE(media_->open(&writer, kIOStorageAccessReaderWriter));
  // ... and, once the partitions are closed, it tears the scheme down: the partitions go.
  p1->close(&h_.client);
  p2->close(&h_.other);
  EXPECT_FALSE(media_->is_open());
  EXPECT_TRUE(media_->open(&writer, kIOStorageAccessReaderWriter));
  EXPECT_TRUE(scheme.is_terminated());
  EXPECT_TRUE(p1->is_inactive());
  EXPECT_EQ(h_.submit(*p1, IODirection::kIn, 0, 512).result.status, kIOReturnNoMedia);
}

TEST_F(IOMediaTest, PartitionsRecordMediaLayerCompletionsAndTheWholeDiskDoesNot) {
  std::vector<PartitionInfo> info = {{1, 64 * 1024, 128 * 1024, "one", ""}};
  IOPartitionScheme scheme(h_.context(), *media_, "MBR", info);
  IOMedia* p1 = scheme.partitions()[0];
  ASSERT_TRUE(p1->open(&h_.client, kIOStorageAccessReader));
  ASSERT_TRUE(media_->open(&h_.other, kIOStorageAccessReader));
  const auto& via_partition = h_.read(*p1, 512, 512);
  const auto& via_disk = h_.read(*media_, 512, 512);
  int media_records = 0;
  for (const auto& r : h_.sink.records) {
    if (r.layer != Layer::kMedia)
      continue;
    ++media_records;
    EXPECT_EQ(r.request_id, via_partition.buffer.request_id);
    EXPECT_EQ(r.lba, 1u);  // partition-relative
    EXPECT_EQ(r.bytes, 512u);
  }
  EXPECT_EQ(media_records, 1);
  EXPECT_EQ(via_disk.result.status, kIOReturnSuccess);
}

}  // namespace
}  // namespace blocksim

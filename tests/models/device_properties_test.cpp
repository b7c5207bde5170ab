// The device calls every model answers from the scenario's common device fields (driver-api.md
// §5): identity strings, removable / ejectable / write-protected media, the write cache's state,
// limits and features, optional calls answering kIOReturnUnsupported when not offered, eject
// and format, and the checks before a transfer (NoMedia, NotWritable, NoPower).
#include <gtest/gtest.h>

#include "models/common/device_base.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::StackHarness;

constexpr char kPlain[] = R"(capacity: "1MiB" block_size: "4KiB" reference { service { fixed: "10us" } })";
constexpr char kDescribed[] = R"(capacity: "1MiB" block_size: "4KiB"
  identity { vendor: "ACME" product: "Brick" revision: "2.1" additional_info: "serial 42" }
  media { removable: true ejectable: true solid_state: true }
  write_cache { present: true enabled: false }
  limits { max_block_count_read: 16 max_byte_count_write: "32KiB" max_segment_count_read: 8
           max_segment_byte_count_write: "8KiB" min_segment_alignment: "512" }
  capabilities { unmap: true barrier: true format: true idle: true force_unit_access: false }
  carry_data: true
  reference { service { fixed: "10us" } })";

TEST(DeviceProperties, APlainDeviceAnswersTheDefaults) {
  StackHarness h;
  auto d = h.make_device(kPlain);
  EXPECT_EQ(d->getVendorString(), "blocksim");
  EXPECT_EQ(d->getProductString(), "reference");
  EXPECT_EQ(d->getRevisionString(), "1.0");
  bool flag = true;
  d->reportRemovability(&flag);
  EXPECT_FALSE(flag);
  d->reportEjectability(&flag);
  EXPECT_FALSE(flag);
  d->reportWriteProtection(&flag);
  EXPECT_FALSE(flag);
  EXPECT_EQ(d->getWriteCacheState(&flag), kIOReturnUnsupported);
  EXPECT_EQ(d->setWriteCacheState(true), kIOReturnUnsupported);
  EXPECT_EQ(d->requestIdle(), kIOReturnUnsupported);
  EXPECT_EQ(d->doFormatMedia(1 << 20, nullptr), kIOReturnUnsupported);
  IOBlockStorageDeviceExtent extent{0, 1};
  EXPECT_EQ(d->doUnmap(&extent, 1, 0, nullptr), kIOReturnUnsupported);
  EXPECT_EQ(d->set_media_present(false), kIOReturnUnsupported);  // not removable
  const DeviceCharacteristics c = d->characteristics();
  EXPECT_TRUE(c.feature_force_unit_access);
  EXPECT_FALSE(c.feature_barrier);
  EXPECT_EQ(c.max_block_count_read, 0u);
  EXPECT_EQ(c.min_segment_alignment, 4u);
}

TEST(DeviceProperties, ADescribedDeviceAnswersWhatTheScenarioSays) {
  StackHarness h;
  auto d = h.make_device(kDescribed);
  EXPECT_EQ(d->getVendorString(), "ACME");
  EXPECT_EQ(d->getProductString(), "Brick");
  EXPECT_EQ(d->getRevisionString(), "2.1");
  EXPECT_EQ(d->getAdditionalDeviceInfoString(), "serial 42");
  bool flag = false;
  d->reportRemovability(&flag);
  EXPECT_TRUE(flag);
  d->reportEjectability(&flag);
  EXPECT_TRUE(flag);
  EXPECT_EQ(d->getWriteCacheState(&flag), kIOReturnSuccess);
  EXPECT_FALSE(flag);
  EXPECT_EQ(d->setWriteCacheState(true), kIOReturnSuccess);
  d->getWriteCacheState(&flag);
  EXPECT_TRUE(flag);
  EXPECT_EQ(d->requestIdle(), kIOReturnSuccess);
  const DeviceCharacteristics c = d->characteristics();
  EXPECT_EQ(c.max_block_count_read, 16u);
  EXPECT_EQ(c.max_byte_count_write, 32u * 1024);
  EXPECT_EQ(c.max_segment_count_read, 8u);
  EXPECT_EQ(c.max_segment_byte_count_write, 8u * 1024);
  EXPECT_EQ(c.min_segment_alignment, 512u);
  EXPECT_TRUE(c.feature_unmap);
  EXPECT_TRUE(c.feature_barrier);
  EXPECT_FALSE(c.feature_force_unit_access);
  EXPECT_TRUE(c.solid_state);
  std::uint64_t capacities[2] = {};
  EXPECT_EQ(d->doGetFormatCapacities(nullptr, 0), 1u);
  EXPECT_EQ(d->doGetFormatCapacities(capacities, 2), 1u);
  EXPECT_EQ(capacities[0], 1u << 20);
  EXPECT_EQ(d->doFormatMedia(12345, nullptr), kIOReturnBadArgument);  // not a capacity it offers
}

TEST(DeviceProperties, TransfersAreCheckedAgainstTheMediaState) {
  StackHarness h;
  auto d = h.make_device(kDescribed);
  std::vector<std::uint8_t> bytes(4096);
  IOMemoryDescriptor write{IODirection::kOut, 4096, bytes.data(), 1};
  IOStorageCompletion none;
  EXPECT_EQ(d->doAsyncReadWrite(&write, 256, 1, nullptr, &none), kIOReturnBadArgument);  // past the end
  d->set_write_protection(true);
  EXPECT_EQ(d->doAsyncReadWrite(&write, 0, 1, nullptr, &none), kIOReturnNotWritable);
  EXPECT_EQ(errno_from_return(kIOReturnNotWritable), EROFS);
  EXPECT_EQ(d->doFormatMedia(1 << 20, nullptr), kIOReturnNotWritable);
  // A software eject takes the media out; transfers then find none.
  EXPECT_EQ(d->doEjectMedia(nullptr), kIOReturnSuccess);
  h.engine.run();
  bool present = true;
  d->reportMediaState(&present, nullptr);
  EXPECT_FALSE(present);
  IOMemoryDescriptor read{IODirection::kIn, 4096, bytes.data(), 2};
  EXPECT_EQ(d->doAsyncReadWrite(&read, 0, 1, nullptr, &none), kIOReturnNoMedia);
  EXPECT_EQ(d->doEjectMedia(nullptr), kIOReturnNoMedia);
  // After a power cut nothing starts.
  d->set_media_present(true);
  d->power_cut();
  EXPECT_EQ(d->doAsyncReadWrite(&read, 0, 1, nullptr, &none), kIOReturnNoPower);
  EXPECT_EQ(d->doSynchronize(0, 0, 0, &none), kIOReturnNoPower);
}

TEST(DeviceProperties, DisablingTheWriteCacheWritesItBackFirst) {
  StackHarness h;
  auto d = h.make_device(R"(capacity: "1MiB" block_size: "512" carry_data: true write_cache { present: true }
                            reference { service { fixed: "10us" } })");
  auto driver = h.make_driver(*d);
  ASSERT_TRUE(driver->media()->open(&h.client, kIOStorageAccessReaderWriter));
  h.write(*driver->media(), 0, StackHarness::pattern(512, 1));
  auto* data = static_cast<DeviceBase*>(d.get())->data();
  EXPECT_EQ(data->cached_blocks(), 1u);
  EXPECT_EQ(d->setWriteCacheState(false), kIOReturnSuccess);
  EXPECT_EQ(data->cached_blocks(), 0u);
  h.write(*driver->media(), 512, StackHarness::pattern(512, 2));
  EXPECT_EQ(data->cached_blocks(), 0u);  // write-through now
  EXPECT_EQ(data->power_cut(), 0u);
}

}  // namespace
}  // namespace blocksim

// The DriverKit-shaped device end to end, through the shim and the driver: its data reads back,
// the driver never sends it more than maxIOSize per command nor more than numOfOutstandingIOs at
// once, and its write cache loses what it held at a power cut, except FUA writes.
#include <gtest/gtest.h>

#include "models/dext/dext_device.hpp"
#include "sim/device/user_block_storage_shim.hpp"
#include "tests/support/stack_harness.hpp"

namespace blocksim {
namespace {

using testing::StackHarness;

TEST(DextDevice, CarriesDataWithinItsLimits) {
  StackHarness h;
  auto device = h.make_device(R"(capacity: "64MiB" block_size: "4KiB" carry_data: true
      dext { outstanding_ios: 3 max_io_size: "64KiB" latency: "20us" media_rate: "1GB/s" })");
  auto driver = h.make_driver(*device);
  IOMedia* media = driver->media();
  ASSERT_TRUE(media->open(&h.client, kIOStorageAccessReaderWriter));
  const auto data = StackHarness::pattern(300 * 1024, 7);
  std::vector<testing::Io*> writes;
  for (int i = 0; i < 4; ++i)
    writes.push_back(&h.submit(*media, IODirection::kOut, 1024 * 1024 * static_cast<std::uint64_t>(i), data.size(),
                               0, &data));
  h.engine.run();
  for (auto* w : writes)
    EXPECT_EQ(w->result.status, kIOReturnSuccess);
  EXPECT_EQ(h.read(*media, 2 * 1024 * 1024, data.size()).bytes, data);
  SimTime last = 0;
  for (const auto& r : h.sink.records) {
    if (r.layer != Layer::kDevice)
      continue;
    EXPECT_LE(r.bytes, 64u * 1024);
    EXPECT_LE(r.queue_depth, 3u + 4u);  // at most 3 at the dext, the rest waiting in the shim
    last = std::max(last, r.complete);
  }
  EXPECT_GT(last, 0);
  auto& shim = static_cast<UserBlockStorageShim&>(fault_injector(*device)->model());
  EXPECT_EQ(shim.records_in_use(), 0u);
}

TEST(DextDevice, ItsWriteCacheLosesWhatItHeldButNotFuaWrites) {
  StackHarness h;
  auto device = h.make_device(R"(capacity: "8MiB" block_size: "4KiB" carry_data: true write_cache { present: true }
      dext { outstanding_ios: 4 })");
  auto driver = h.make_driver(*device);
  IOMedia* media = driver->media();
  ASSERT_TRUE(media->open(&h.client, kIOStorageAccessReaderWriter));
  h.write(*media, 0, StackHarness::pattern(4096, 1));
  h.write(*media, 4096, StackHarness::pattern(4096, 2), kIOStorageOptionForceUnitAccess);
  auto& shim = static_cast<UserBlockStorageShim&>(fault_injector(*device)->model());
  auto* data = static_cast<DextDeviceModel&>(shim.dext()).data();
  EXPECT_EQ(data->cached_blocks(), 1u);
  device->power_cut();
  std::vector<std::uint8_t> block(4096);
  data->read(0, 1, block.data());
  EXPECT_EQ(block, std::vector<std::uint8_t>(4096, 0));  // lost
  data->read(1, 1, block.data());
  EXPECT_EQ(block, StackHarness::pattern(4096, 2));  // FUA: on the media
}

}  // namespace
}  // namespace blocksim

// A block device written as a DriverKit extension (IOUserBlockStorageDevice, driver-api.md §6),
// to show and test that shape end to end. Its hardware is deliberately simple: up to
// numOfOutstandingIOs commands run at once, each taking a fixed latency plus its bytes over the
// media rate, and its data crosses the device's bus (after the media for a read, before it for a
// write). It carries data and honours a volatile write cache like any model (DeviceData), and
// finishes every request with CompleteIO / Complete. The kernel shim above it
// (sim/device/user_block_storage_shim.hpp) records its completions and enforces the request limit.
#pragma once

#include <cstdint>
#include <memory>

#include "blocksim/dext_device.pb.h"
#include "blocksim/device.pb.h"
#include "models/common/device_context.hpp"
#include "models/common/device_data.hpp"
#include "models/common/device_profile.hpp"
#include "sim/core/slot_pool.hpp"
#include "sim/device/user_block_storage_device.hpp"

namespace blocksim {

class DextDeviceModel final : public IOUserBlockStorageDevice {
 public:
  DextDeviceModel(const DeviceContext& context, const proto::Device& config);

  kern_return_t GetDeviceParams(DeviceParams* deviceParams) override;
  kern_return_t DoAsyncReadWrite(bool isRead, std::uint32_t requestID, std::uint64_t dmaAddr, std::uint64_t size,
                                 std::uint64_t lba, std::uint64_t numOfBlocks, IOUserStorageOptions options) override;
  kern_return_t DoAsyncSynchronize(std::uint32_t requestID, std::uint64_t lba, std::uint64_t numOfBlocks) override;
  kern_return_t DoAsyncUnmapPriv(std::uint32_t requestID, const BlockRange* ranges, std::uint32_t numOfRanges) override;
  kern_return_t DoAsyncEjectMedia(std::uint32_t requestID) override;
  kern_return_t GetVendorString(DeviceString* vendor) override;
  kern_return_t GetProductString(DeviceString* product) override;
  kern_return_t GetRevisionString(DeviceString* revision) override;
  kern_return_t GetAdditionalInfoString(DeviceString* info) override;
  kern_return_t ReportEjectability(bool* isEjectable) override;
  kern_return_t ReportRemovability(bool* isRemovable) override;
  kern_return_t ReportWriteProtection(bool* isWriteProtected) override;

  void collect_metrics(std::vector<DeviceMetric>* out) const override;
  void power_cut() override;

  DeviceData* data() const { return data_.get(); }

 private:
  struct Command {
    std::uint32_t request_id = 0;
    bool is_read = false;
    Durability durability = Durability::kDurable;
    std::uint64_t dma_address = 0;
    std::uint64_t size = 0;
    std::uint64_t lba = 0;
    std::uint64_t blocks = 0;
  };

  SimTime media_time(std::uint64_t bytes) const;
  void media_done(std::uint64_t slot);
  void finish(std::uint64_t slot);

  DeviceContext context_;
  proto::Device config_;
  DeviceProfile profile_;
  SimTime latency_;
  double ns_per_byte_;
  SimTime flush_time_;
  std::unique_ptr<DeviceData> data_;
  SlotPool<Command> commands_;
  bool powered_off_ = false;
};

}  // namespace blocksim

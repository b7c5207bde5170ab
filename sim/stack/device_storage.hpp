// The thinnest driver over a device: whole-block byte requests go straight to doAsyncReadWrite,
// and a device's error return becomes the completion's status, delivered at once as IOKit does.
// Misaligned or out-of-range requests complete with kIOReturnBadArgument. No deblocking, no
// break-up by device limits, no media state: that is IOBlockStorageDriver's work.
#pragma once

#include "sim/core/block_storage_device.hpp"
#include "sim/stack/io_storage.hpp"

namespace blocksim {

class DeviceStorage final : public IOStorage {
 public:
  explicit DeviceStorage(IOBlockStorageDevice& device);

  void read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
            IOStorageCompletion* completion) override;
  void write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
             IOStorageCompletion* completion) override;
  IOReturn synchronize(std::uint64_t byteStart, std::uint64_t byteCount, IOStorageSynchronizeOptions options,
                       IOStorageCompletion* completion) override;

  std::uint64_t size_bytes() const override { return block_size_ * block_count_; }
  std::uint64_t block_size() const override { return block_size_; }

 private:
  void transfer(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                IOStorageCompletion* completion);

  IOBlockStorageDevice& device_;
  std::uint64_t block_size_ = 0;
  std::uint64_t block_count_ = 0;
};

}  // namespace blocksim

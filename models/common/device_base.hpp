// The part every device model shares: geometry from the scenario (block size, capacity), the
// identity strings, the argument checks of doAsyncReadWrite, and reporting a completion to the
// run's sink. A model derives from it and implements the data path.
#pragma once

#include <cstdint>
#include <string>

#include "blocksim/scenario.pb.h"
#include "models/common/device_context.hpp"
#include "sim/core/block_storage_device.hpp"

namespace blocksim {

class DeviceBase : public IOBlockStorageDevice {
 public:
  DeviceBase(const DeviceContext& context, const proto::Device& config, std::string model_name);

  std::string getProductString() const override { return product_; }
  IOReturn reportBlockSize(std::uint64_t* blockSize) const override;
  IOReturn reportMaxValidBlock(std::uint64_t* maxBlock) const override;

  std::uint64_t block_size() const { return block_size_; }
  std::uint64_t block_count() const { return block_count_; }
  const std::string& name() const { return context_.name; }

 protected:
  // The checks a device makes before it starts a transfer: a buffer whose length is exactly the
  // block range, a non-empty range, and a range inside the media (else kIOReturnBadArgument).
  IOReturn check_transfer(const IOMemoryDescriptor* buffer, std::uint64_t block, std::uint64_t nblks) const;
  void report(const CompletionRecord& record) const {
    if (context_.sink)
      context_.sink->record(record);
  }
  Engine& engine() const { return *context_.engine; }
  const DeviceContext& context() const { return context_; }

 private:
  DeviceContext context_;
  std::string product_;
  std::uint64_t block_size_;
  std::uint64_t block_count_;
};

}  // namespace blocksim

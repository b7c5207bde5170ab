#include "models/common/device_base.hpp"

#include "sim/core/units.hpp"

namespace blocksim {

DeviceBase::DeviceBase(const DeviceContext& context, const proto::Device& config, std::string model_name)
    : context_(context),
      product_(std::move(model_name)),
      block_size_(units::bytes(config.block_size())),
      block_count_(units::bytes(config.capacity()) / block_size_) {}

IOReturn DeviceBase::reportBlockSize(std::uint64_t* blockSize) const {
  *blockSize = block_size_;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::reportMaxValidBlock(std::uint64_t* maxBlock) const {
  *maxBlock = block_count_ - 1;
  return kIOReturnSuccess;
}

IOReturn DeviceBase::check_transfer(const IOMemoryDescriptor* buffer, std::uint64_t block,
                                    std::uint64_t nblks) const {
  if (buffer == nullptr || nblks == 0)
    return kIOReturnBadArgument;
  if (block >= block_count_ || nblks > block_count_ - block)
    return kIOReturnBadArgument;
  if (buffer->length != nblks * block_size_)
    return kIOReturnBadArgument;
  return kIOReturnSuccess;
}

}  // namespace blocksim

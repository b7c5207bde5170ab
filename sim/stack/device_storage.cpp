#include "sim/stack/device_storage.hpp"

namespace blocksim {

DeviceStorage::DeviceStorage(IOBlockStorageDevice& device) : device_(device) {
  std::uint64_t max_block = 0;
  device_.reportBlockSize(&block_size_);
  device_.reportMaxValidBlock(&max_block);
  block_count_ = max_block + 1;
}

void DeviceStorage::read(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                         IOStorageCompletion* completion) {
  transfer(byteStart, buffer, attributes, completion);
}

void DeviceStorage::write(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                          IOStorageCompletion* completion) {
  transfer(byteStart, buffer, attributes, completion);
}

void DeviceStorage::transfer(std::uint64_t byteStart, IOMemoryDescriptor* buffer, IOStorageAttributes* attributes,
                             IOStorageCompletion* completion) {
  const IOStorageCompletion done = completion ? *completion : IOStorageCompletion{};
  if (buffer == nullptr || byteStart % block_size_ != 0 || buffer->length % block_size_ != 0) {
    complete(done, kIOReturnBadArgument);
    return;
  }
  const IOReturn status =
      device_.doAsyncReadWrite(buffer, byteStart / block_size_, buffer->length / block_size_, attributes, completion);
  if (status != kIOReturnSuccess)
    complete(done, status);
}

IOReturn DeviceStorage::synchronize(std::uint64_t byteStart, std::uint64_t byteCount,
                                    IOStorageSynchronizeOptions options, IOStorageCompletion* completion) {
  const std::uint64_t first = byteStart / block_size_;
  const std::uint64_t end = byteCount == 0 ? block_count_ : (byteStart + byteCount + block_size_ - 1) / block_size_;
  return device_.doSynchronize(first, end - first, options, completion);
}

}  // namespace blocksim

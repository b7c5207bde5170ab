#include "sim/device/block_storage_device.hpp"

namespace blocksim {

std::uint32_t IOBlockStorageDevice::doGetFormatCapacities(std::uint64_t* capacities,
                                                          std::uint32_t capacitiesMaxCount) const {
  std::uint64_t block_size = 0;
  std::uint64_t max_block = 0;
  if (reportBlockSize(&block_size) != kIOReturnSuccess ||
      reportMaxValidBlock(&max_block) != kIOReturnSuccess)
    return 0;
  if (capacities && capacitiesMaxCount > 0)
    capacities[0] = (max_block + 1) * block_size;
  return 1;
}

}  // namespace blocksim

#include "models/dext/dext_entry.hpp"

#include <stdexcept>

#include "models/dext/dext_device.hpp"
#include "sim/device/user_block_storage_shim.hpp"

namespace blocksim {

namespace {

// A model written in the DriverKit shape, behind the kernel shim that serves it to the driver.
std::unique_ptr<IOBlockStorageDevice> build(const DeviceContext& context, const proto::Device& config) {
  auto shim = std::make_unique<UserBlockStorageShim>(*context.engine, std::make_unique<DextDeviceModel>(context, config),
                                                     context.sink, context.index);
  if (shim->start() != kIOReturnSuccess)
    throw std::invalid_argument("device \"" + context.name + "\": the DriverKit device refused to start");
  return shim;
}

}  // namespace

DeviceModelInfo dext_model_entry() {
  return {"dext", "a device in the DriverKit shape (IOUserBlockStorageDevice) behind the kernel shim", nullptr,
          &build};
}

}  // namespace blocksim

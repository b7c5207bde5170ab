#include "models/device_registry.hpp"

#include <stdexcept>

#include "models/dext/dext_device.hpp"
#include "models/hdd/hdd_device.hpp"
#include "models/reference/reference_device.hpp"
#include "models/ssd/ssd_device.hpp"
#include "sim/core/user_block_storage_shim.hpp"

namespace blocksim {

namespace {

template <class Model>
std::unique_ptr<IOBlockStorageDevice> build(const DeviceContext& context, const proto::Device& config) {
  return std::make_unique<Model>(context, config);
}

// A model written in the DriverKit shape, behind the kernel shim that serves it to the driver.
template <class Dext>
std::unique_ptr<IOBlockStorageDevice> build_dext(const DeviceContext& context, const proto::Device& config) {
  auto shim = std::make_unique<UserBlockStorageShim>(*context.engine, std::make_unique<Dext>(context, config),
                                                     context.sink, context.index);
  if (shim->start() != kIOReturnSuccess)
    throw std::invalid_argument("device \"" + context.name + "\": the DriverKit device refused to start");
  return shim;
}

}  // namespace

const std::vector<DeviceModelInfo>& device_models() {
  static const std::vector<DeviceModelInfo> models = {
      {"reference", "controller queue, media with fixed/exponential/per-byte service, DMA over a bus",
       &build<ReferenceDeviceModel>},
      {"hdd", "hard disk: zones, seek curve, rotation, command queue and scheduler, segmented cache, bus", &build<HddModel>},
      {"dext", "a device in the DriverKit shape (IOUserBlockStorageDevice) behind the kernel shim",
       &build_dext<DextDeviceModel>},
      {"ssd", "NVMe or SATA SSD: queues, DRAM cache, NAND dies and channels, page-mapped FTL with GC, TRIM, wear levelling",
       &build<SsdDeviceModel>},
  };
  return models;
}

std::string device_model_name(const proto::Device& config) {
  const auto* field = proto::Device::descriptor()->FindFieldByNumber(static_cast<int>(config.model_case()));
  if (field == nullptr)
    throw std::invalid_argument("device \"" + config.name() + "\" names no model");
  return field->name();
}

std::unique_ptr<IOBlockStorageDevice> make_device(const DeviceContext& context, const proto::Device& config) {
  const std::string name = device_model_name(config);
  for (const auto& model : device_models())
    if (model.name == name)
      return model.factory(context, config);
  throw std::invalid_argument("device model \"" + name + "\" is not registered");
}

}  // namespace blocksim

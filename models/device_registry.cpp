#include "models/device_registry.hpp"

#include <stdexcept>

#include "models/reference/reference_device.hpp"
#include "models/ssd/ssd_device.hpp"

namespace blocksim {

namespace {

template <class Model>
std::unique_ptr<IOBlockStorageDevice> build(const DeviceContext& context, const proto::Device& config) {
  return std::make_unique<Model>(context, config);
}

}  // namespace

const std::vector<DeviceModelInfo>& device_models() {
  static const std::vector<DeviceModelInfo> models = {
      {"reference", "controller queue, media with fixed/exponential/per-byte service, DMA over a bus",
       &build<ReferenceDeviceModel>},
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

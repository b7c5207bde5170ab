#include "models/device_registry.hpp"

#include <stdexcept>

#include "models/common/power_managed_device.hpp"
#include "models/dext/dext_entry.hpp"
#include "models/hdd/hdd_entry.hpp"
#include "models/reference/reference_entry.hpp"
#include "models/ssd/ssd_entry.hpp"

namespace blocksim {

namespace {

const DeviceModelInfo& model_of(const proto::Device& config) {
  const std::string name = device_model_name(config);
  for (const auto& model : device_models())
    if (model.name == name)
      return model;
  throw std::invalid_argument("device model \"" + name + "\" is not registered");
}

}  // namespace

const std::vector<DeviceModelInfo>& device_models() {
  static const std::vector<DeviceModelInfo> models = {
      reference_model_entry(),
      hdd_model_entry(),
      dext_model_entry(),
      ssd_model_entry(),
  };
  return models;
}

std::string device_model_name(const proto::Device& config) {
  const auto* field = proto::Device::descriptor()->FindFieldByNumber(static_cast<int>(config.model_case()));
  if (field == nullptr)
    throw std::invalid_argument("device \"" + config.name() + "\" names no model");
  return field->name();
}

std::optional<ConfigProblem> check_device(const proto::Device& config) {
  const DeviceModelInfo& model = model_of(config);
  if (auto problem = check_power_states(config))
    return problem;
  return model.check ? model.check(config) : std::nullopt;
}

std::unique_ptr<IOBlockStorageDevice> make_device(const DeviceContext& context, const proto::Device& config) {
  const DeviceModelInfo& model = model_of(config);
  auto injector = std::make_unique<FaultInjector>(*context.engine, context.sink);
  DeviceContext inside = context;
  inside.sink = injector.get();  // the model's records pass through the injector
  std::vector<PowerStateSpec> states = power_state_specs(config);
  if (states.empty()) {
    injector->adopt(model.factory(inside, config));
    return injector;
  }
  // Low-power states: their filter between the injector and the model (power_managed_device.hpp).
  auto power = std::make_unique<PowerManagedDevice>(*context.engine, injector.get(), std::move(states));
  inside.sink = power.get();
  power->adopt(model.factory(inside, config));
  injector->adopt(std::move(power));
  return injector;
}

FaultInjector* fault_injector(IOBlockStorageDevice& device) { return dynamic_cast<FaultInjector*>(&device); }

}  // namespace blocksim

// The device models a scenario can name, each registered once with a name, a one-line description
// and a factory. A proto::Device message picks its model through its `model` oneof; the oneof field's
// name is the registry key. `blocksim models` lists them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "blocksim/scenario.pb.h"
#include "models/common/device_context.hpp"
#include "models/common/fault_injector.hpp"
#include "sim/core/block_storage_device.hpp"

namespace blocksim {

using DeviceFactory = std::unique_ptr<IOBlockStorageDevice> (*)(const DeviceContext&, const proto::Device&);

struct DeviceModelInfo {
  std::string name;  // the proto::Device.model oneof field
  std::string description;
  DeviceFactory factory;
};

const std::vector<DeviceModelInfo>& device_models();

// The model the proto::Device message names; throws std::invalid_argument when it names none.
std::string device_model_name(const proto::Device& config);
// The model, behind the FaultInjector every device has (models/common/fault_injector.hpp).
std::unique_ptr<IOBlockStorageDevice> make_device(const DeviceContext& context, const proto::Device& config);
// The injector in front of a device make_device built (null for any other device).
FaultInjector* fault_injector(IOBlockStorageDevice& device);

}  // namespace blocksim

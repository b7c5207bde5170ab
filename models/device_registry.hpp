// The device models a scenario can name, each registered whole (models/common/model_entry.hpp):
// name, description, checks and factory. A proto::Device message picks its model through its
// `model` oneof; the oneof field's name is the registry key. `blocksim models` lists them.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blocksim/device.pb.h"
#include "models/common/device_context.hpp"
#include "models/common/fault_injector.hpp"
#include "models/common/model_entry.hpp"
#include "sim/device/block_storage_device.hpp"

namespace blocksim {

const std::vector<DeviceModelInfo>& device_models();

// The model the proto::Device message names; throws std::invalid_argument when it names none.
std::string device_model_name(const proto::Device& config);
// The first problem the model of `config` finds in it (paths from the Device message), if any.
std::optional<ConfigProblem> check_device(const proto::Device& config);
// The model, behind the FaultInjector every device has (models/common/fault_injector.hpp).
std::unique_ptr<IOBlockStorageDevice> make_device(const DeviceContext& context, const proto::Device& config);
// The injector in front of a device make_device built (null for any other device).
FaultInjector* fault_injector(IOBlockStorageDevice& device);

}  // namespace blocksim

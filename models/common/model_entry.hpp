// What the registry (models/device_registry.cpp) holds of one device model, so that a model is
// registered whole: its name (the Device.model oneof field), a line for `blocksim models`, the
// checks its message needs beyond the schema, and a factory that resolves the message into the
// model's typed parameters (units parsed once) and builds the model. Each model folder defines
// its entry in a <model>_entry.cpp; adding a model is its folder, its proto and one registry line.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "blocksim/device.pb.h"
#include "models/common/config_problem.hpp"
#include "models/common/device_context.hpp"
#include "sim/device/block_storage_device.hpp"

namespace blocksim {

using DeviceCheck = std::optional<ConfigProblem> (*)(const proto::Device&);
using DeviceFactory = std::unique_ptr<IOBlockStorageDevice> (*)(const DeviceContext&, const proto::Device&);

struct DeviceModelInfo {
  std::string name;
  std::string description;
  DeviceCheck check = nullptr;  // null: the schema's checks are all it needs
  DeviceFactory factory = nullptr;
};

}  // namespace blocksim

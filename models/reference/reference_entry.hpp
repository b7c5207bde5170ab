// The reference model's registry entry (models/common/model_entry.hpp): its checks and its factory.
#pragma once

#include "models/common/model_entry.hpp"

namespace blocksim {

DeviceModelInfo reference_model_entry();

}  // namespace blocksim

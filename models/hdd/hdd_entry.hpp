// The hdd model's registry entry (models/common/model_entry.hpp): its checks and its factory.
#pragma once

#include "models/common/model_entry.hpp"

namespace blocksim {

DeviceModelInfo hdd_model_entry();

}  // namespace blocksim

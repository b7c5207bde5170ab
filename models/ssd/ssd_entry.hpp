// The ssd model's registry entry (models/common/model_entry.hpp): its checks and its factory.
#pragma once

#include "models/common/model_entry.hpp"

namespace blocksim {

DeviceModelInfo ssd_model_entry();

}  // namespace blocksim

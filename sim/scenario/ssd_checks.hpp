// The SSD model's cross-field rules (models/ssd/ssd_config.cpp), reported at the offending field's
// line and column.
#pragma once

#include "blocksim/scenario.pb.h"
#include "sim/scenario/source_map.hpp"

namespace blocksim {

// `at` is the path of the Device message, e.g. {{"device", 0}}.
void check_ssd_device(const proto::Device& device, const FieldPath& at, const SourceMap& source);

}  // namespace blocksim

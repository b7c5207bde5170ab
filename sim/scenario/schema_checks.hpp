// Checks a parsed message against what its schema declares (sim/proto/blocksim/options.proto):
// quantities parse in their unit, numbers and quantities lie within (min) and (max), and
// (required) fields are present. Works on any message through reflection, so a field added to
// the schema is checked without code here. Throws the first ScenarioError found.
#pragma once

#include <google/protobuf/message.h>

#include "sim/scenario/source_map.hpp"

namespace blocksim {

void check_schema(const google::protobuf::Message& message, const SourceMap& source, const FieldPath& path,
                  bool check_required);

}  // namespace blocksim

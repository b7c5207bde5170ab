// The scenario checks of a `replay` workload that need no file: a known format, map entries that
// name the scenario's devices. Called from check_scenario with the workload's path.
#pragma once

#include "blocksim/scenario.pb.h"
#include "sim/scenario/source_map.hpp"

namespace blocksim {

void check_replay(const proto::Replay& replay, const FieldPath& at, const proto::Scenario& scenario,
                  const SourceMap& source);

}  // namespace blocksim

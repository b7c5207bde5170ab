// The checks of a scenario's faults (docs/faults.md): an event has a time or a request count (the
// count only for faults on a device), a fault names a device or bus that exists and a block
// range inside the device, and a die slow-down names a die the SSD has.
#pragma once

#include <string>

#include "blocksim/scenario.pb.h"
#include "sim/scenario/source_map.hpp"

namespace blocksim {

// The index of the device called `name`, or -1.
int scenario_device_index(const proto::Scenario& scenario, const std::string& name);
// `at` or `after_requests`, exactly one, and the count only where a device can count.
void check_event_trigger(const proto::Scenario& scenario, int event, const SourceMap& source);
// Checks event `event` if its action is a fault; false if it is not one.
bool check_fault(const proto::Scenario& scenario, int event, const SourceMap& source);

}  // namespace blocksim

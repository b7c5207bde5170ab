// The checks that span fields, made after profiles are merged: names are unique and refer to
// things that exist, every device has a model and a bus, sizes are whole blocks of the device
// they go to and fit in it, and every job has a way to stop.
#pragma once

#include "blocksim/scenario.pb.h"
#include "sim/scenario/source_map.hpp"

namespace blocksim {

void check_scenario(const proto::Scenario& scenario, const SourceMap& source);

// The name a device goes by: its own, or "disk<index>".
std::string device_name(const proto::Scenario& scenario, int index);
// The index of the device a workload drives (default: the first); -1 if it names none.
int workload_device(const proto::Scenario& scenario, const proto::Workload& workload);
// The name of what a workload drives: a device, a partition or a RAID set (default: the first device).
std::string workload_target(const proto::Scenario& scenario, const proto::Workload& workload);
// The index of the bus a device sits on (default: the first); kPrivateBus when it gets a bus of
// its own at its interface_rate; -1 if none.
inline constexpr int kPrivateBus = -2;
int device_bus(const proto::Scenario& scenario, const proto::Device& device);

}  // namespace blocksim

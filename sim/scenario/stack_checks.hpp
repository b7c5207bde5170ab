// The checks of a scenario's stack description (partition tables, RAID sets, events) and the
// names it gives a workload to aim at: every device, every partition the tables will create
// ("disk0s1"), every RAID set and its partitions, with the geometry each will have. Tables go on
// devices (or RAID sets) that carry data; RAID members are defined before the set, used once, and
// share a block size; events name things that can undergo them.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "blocksim/scenario.pb.h"
#include "sim/scenario/source_map.hpp"

namespace blocksim {

struct TargetInfo {
  std::uint64_t block_size = 0;
  std::uint64_t capacity = 0;  // bytes
  bool carries_data = false;
  int device = -1;  // the device it lies on (the first member's, for a RAID set)
};

// Checks the stack fields and returns every target name; throws a ScenarioError at the first problem.
std::map<std::string, TargetInfo> check_stack(const proto::Scenario& scenario, const SourceMap& source);

}  // namespace blocksim

// The device profile a replay runs on (`replay --device`, `profile calibrate`): a Device message
// in text format that gives the device a bus of its own.
#pragma once

#include <string>

#include "blocksim/device.pb.h"

namespace blocksim::cli {

// Reads and parses the profile at `path`, and checks that it has an interface_rate (the rate of
// the private bus a replay gives the device) and names no shared bus. Throws ScenarioError naming
// the file, line and field.
proto::Device load_replay_profile(const std::string& path);

}  // namespace blocksim::cli

#include "sim/cli/replay_profile.hpp"

#include <fstream>
#include <memory>
#include <sstream>

#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/scenario/source_map.hpp"

namespace blocksim::cli {

proto::Device load_replay_profile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ScenarioError(path, 0, 0, "", "cannot read the device profile");
  std::ostringstream text;
  text << in.rdbuf();
  proto::Device device;
  auto tree = std::make_shared<google::protobuf::TextFormat::ParseInfoTree>();
  parse_text_format(text.str(), path, &device, tree.get());
  const SourceMap source(path, tree, proto::Device::descriptor());
  if (device.has_bus())
    throw source.error({{"bus", -1}}, "a replay builds no shared bus for a profile to name; give the device an "
                                      "interface_rate instead, and it gets a private bus at that rate");
  if (!device.has_interface_rate())
    throw source.error({}, "the profile has no interface_rate; a replay gives the device a private bus at that rate "
                           "(add one, e.g. interface_rate: \"6Gb/s\")");
  return device;
}

}  // namespace blocksim::cli

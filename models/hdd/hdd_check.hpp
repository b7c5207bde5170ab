// What the schema alone cannot check in an HddDevice: zones that overlap or hold no data, spares
// that leave no room, seek tables out of order, a capacity beyond the layout. Each problem names
// the field it is about as a path of (field, index) steps from the Device message, so that the
// scenario checks can point at its line and column.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "blocksim/device.pb.h"
#include "models/common/config_problem.hpp"

namespace blocksim::hdd {

class ConfigError : public std::invalid_argument {
 public:
  ConfigError(ConfigPath path, const std::string& what) : std::invalid_argument(what), path_(std::move(path)) {}
  const ConfigPath& path() const { return path_; }
  // The same problem seen from an enclosing message.
  ConfigError within(ConfigPath prefix) const {
    prefix.insert(prefix.end(), path_.begin(), path_.end());
    return ConfigError(std::move(prefix), what());
  }

 private:
  ConfigPath path_;
};

// The first problem of `device.hdd()`, if any; its path starts at the Device message.
std::optional<ConfigError> check_hdd_device(const proto::Device& device);

}  // namespace blocksim::hdd

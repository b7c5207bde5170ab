#include "models/hdd/hdd_check.hpp"

#include "models/hdd/hdd_settings.hpp"
#include "models/hdd/layout.hpp"
#include "models/hdd/mechanics.hpp"
#include "sim/core/units.hpp"

namespace blocksim::hdd {

std::optional<ConfigError> check_hdd_device(const proto::Device& device) {
  const auto& hdd = device.hdd();
  std::optional<Layout> layout;
  try {
    layout.emplace(hdd.layout());
  } catch (const ConfigError& e) {
    return e.within({{"hdd", -1}, {"layout", -1}});
  }
  try {
    Mechanics mechanics(hdd.mechanics(), *layout);
  } catch (const ConfigError& e) {
    return e.within({{"hdd", -1}, {"mechanics", -1}});
  }
  try {
    read_settings(hdd);
  } catch (const ConfigError& e) {
    return e.within({{"hdd", -1}});
  }
  if (hdd.host_interface().never_disconnect() && hdd.controller().queue_depth() > 1)
    return ConfigError({{"hdd", -1}, {"host_interface", -1}, {"never_disconnect", -1}},
                       "a drive that never disconnects holds the bus for one command at a time: set queue_depth 1");
  const std::uint64_t block = units::bytes(device.block_size());
  const std::uint64_t blocks = units::bytes(device.capacity()) / block;
  if (blocks > layout->block_count())
    return ConfigError({{"capacity", -1}}, std::to_string(blocks) + " blocks do not fit in the layout's " +
                                               std::to_string(layout->block_count()));
  return std::nullopt;
}

}  // namespace blocksim::hdd

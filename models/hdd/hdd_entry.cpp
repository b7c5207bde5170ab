#include "models/hdd/hdd_entry.hpp"

#include "models/hdd/hdd_check.hpp"
#include "models/hdd/hdd_device.hpp"

namespace blocksim {

namespace {

std::optional<ConfigProblem> check(const proto::Device& device) {
  if (const auto problem = hdd::check_hdd_device(device))
    return ConfigProblem{problem->path(), problem->what()};
  return std::nullopt;
}

std::unique_ptr<IOBlockStorageDevice> build(const DeviceContext& context, const proto::Device& config) {
  return std::make_unique<HddModel>(context, config);
}

}  // namespace

DeviceModelInfo hdd_model_entry() {
  return {"hdd", "hard disk: zones, seek curve, rotation, command queue and scheduler, segmented cache, bus", &check,
          &build};
}

}  // namespace blocksim

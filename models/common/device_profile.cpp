#include "models/common/device_profile.hpp"

#include "sim/core/units.hpp"

namespace blocksim {

DeviceProfile::DeviceProfile(const proto::Device& config, std::string model_name)
    : block_size(units::bytes(config.block_size())),
      block_count(units::bytes(config.capacity()) / block_size),
      vendor(config.identity().vendor()),
      product(config.identity().has_product() ? config.identity().product() : std::move(model_name)),
      revision(config.identity().revision()),
      additional_info(config.identity().additional_info()),
      removable(config.media().removable()),
      ejectable(config.media().removable() && config.media().ejectable()),
      honours_fua(config.capabilities().force_unit_access()) {}

}  // namespace blocksim

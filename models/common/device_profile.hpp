// What a device tells about itself, read once from the scenario's common Device fields:
// geometry, identity strings, whether its media is removable and ejectable, and whether a write
// may stay in its volatile cache. DeviceBase answers IOKit's report calls from it and the
// DriverKit model (models/dext) its Get*String / Report* calls, so the two device shapes cannot
// answer differently. A value each model owns; it keeps no reference to the message.
#pragma once

#include <cstdint>
#include <string>

#include "blocksim/device.pb.h"
#include "models/common/device_data.hpp"

namespace blocksim {

struct DeviceProfile {
  // `model_name` is the product string when the scenario names none.
  DeviceProfile(const proto::Device& config, std::string model_name);

  std::uint64_t block_size;
  std::uint64_t block_count;
  std::string vendor;
  std::string product;
  std::string revision;
  std::string additional_info;
  bool removable;
  bool ejectable;  // only removable media can be ejected
  bool honours_fua;
};

// Where a write must be before it completes: kDurable when it must reach the media (no enabled
// write cache, or FUA on a device that honours it; the stack does not emulate FUA, §7.2).
inline Durability write_durability(const DeviceProfile& profile, bool cache_enabled, bool fua) {
  return cache_enabled && !(fua && profile.honours_fua) ? Durability::kVolatile : Durability::kDurable;
}

// A non-empty block range inside the media.
inline bool valid_range(const DeviceProfile& profile, std::uint64_t block, std::uint64_t nblks) {
  return nblks != 0 && block < profile.block_count && nblks <= profile.block_count - block;
}

}  // namespace blocksim

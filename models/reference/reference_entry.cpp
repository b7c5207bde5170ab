#include "models/reference/reference_entry.hpp"

#include "models/reference/reference_device.hpp"

namespace blocksim {

namespace {

// A reference device without a service time would serve everything in zero time: refused rather
// than read as "fixed: 0".
std::optional<ConfigProblem> check_reference(const proto::Device& device) {
  const char* give = "give one of: fixed: \"100us\", exponential: \"100us\" (the mean), "
                     "fixed_plus_per_byte { fixed: \"100us\" rate: \"500MB/s\" }";
  const proto::ReferenceDevice& reference = device.reference();
  if (!reference.has_service())
    return ConfigProblem{{{"reference", -1}}, std::string("has no service time; add service { ... } and ") + give};
  if (reference.service().distribution_case() == proto::ServiceTime::DISTRIBUTION_NOT_SET)
    return ConfigProblem{{{"reference", -1}, {"service", -1}}, std::string("is empty; ") + give};
  if (reference.has_write_service() &&
      reference.write_service().distribution_case() == proto::ServiceTime::DISTRIBUTION_NOT_SET)
    return ConfigProblem{{{"reference", -1}, {"write_service", -1}}, std::string("is empty; ") + give};
  return std::nullopt;
}

std::unique_ptr<IOBlockStorageDevice> build(const DeviceContext& context, const proto::Device& config) {
  return std::make_unique<ReferenceDeviceModel>(context, config);
}

}  // namespace

DeviceModelInfo reference_model_entry() {
  return {"reference", "controller queue, media with fixed/exponential/per-byte service, DMA over a bus",
          &check_reference, &build};
}

}  // namespace blocksim

#include "sim/scenario/ssd_checks.hpp"

#include "models/ssd/ssd_config.hpp"

namespace blocksim {

void check_ssd_device(const proto::Device& device, const FieldPath& at, const SourceMap& source) {
  const ssd::SsdConfigProblem problem = ssd::check_ssd_config(device);
  if (problem.field.empty())
    return;
  FieldPath path = at;
  for (const std::string& field : problem.field)
    path.push_back({field, -1});
  throw source.error(path, problem.message);
}

}  // namespace blocksim

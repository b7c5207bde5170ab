#include "models/ssd/ssd_entry.hpp"

#include "models/ssd/ssd_config.hpp"
#include "models/ssd/ssd_device.hpp"

namespace blocksim {

namespace {

std::optional<ConfigProblem> check(const proto::Device& device) {
  ssd::SsdConfigProblem problem = ssd::check_ssd_config(device);
  if (problem.field.empty())
    return std::nullopt;
  ConfigProblem found{{}, std::move(problem.message)};
  for (std::string& field : problem.field)
    found.path.push_back({std::move(field), -1});
  return found;
}

std::unique_ptr<IOBlockStorageDevice> build(const DeviceContext& context, const proto::Device& config) {
  return std::make_unique<SsdDeviceModel>(context, config, ssd::resolve_ssd_config(config));
}

}  // namespace

DeviceModelInfo ssd_model_entry() {
  return {"ssd",
          "NVMe or SATA SSD: queues, DRAM cache, NAND dies and channels, page-mapped FTL with GC, TRIM, wear levelling",
          &check, &build};
}

}  // namespace blocksim

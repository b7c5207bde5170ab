// blocksim models: the device models a scenario can name.
#include <iostream>

#include "models/device_registry.hpp"
#include "sim/cli/arguments.hpp"
#include "sim/cli/command.hpp"

namespace blocksim::cli {

extern const char kModelsUsage[] = R"(usage: blocksim models

Lists the device models a scenario's device can name, with a line on each.
)";

int models_main(const std::vector<std::string>& args) {
  Arguments parsed(args, {}, {});
  if (!parsed.positional().empty())
    throw UsageError("models takes no arguments");
  for (const auto& model : device_models())
    std::cout << model.name << "\t" << model.description << "\n";
  return kExitOk;
}

}  // namespace blocksim::cli

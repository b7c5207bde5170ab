#include "sim/cli/run_result.hpp"

#include <iostream>
#include <sstream>

#include "sim/cli/command.hpp"

namespace blocksim::cli {

std::optional<proto::TransferEngine> engine_option(const Arguments& parsed) {
  if (!parsed.has("--engine"))
    return std::nullopt;
  return choose<proto::TransferEngine>(parsed, "--engine", {{"fast", proto::FAST}, {"simgrid-only", proto::SIMGRID_ONLY}},
                                       proto::FAST);
}

int print_run_result(const Simulation& simulation, const RunSummary& summary, OutputFormat format,
                     const std::string& command, const std::string& input, const std::string& said,
                     const std::function<void(std::ostream&)>& warnings) {
  if (format == OutputFormat::kJson) {
    std::ostringstream report;
    report << said;
    simulation.print_source_reports(report);
    if (warnings)
      warnings(report);
    print_json_summary(std::cout, summary, simulation_context(simulation, command, input, report.str()));
  } else {
    summary.print(std::cout);
    simulation.print_source_reports(std::cout);
    for (const auto& metric : simulation.metrics())
      std::cout << metric.name << ": " << metric.value << (metric.unit.empty() ? "" : " " + metric.unit) << "\n";
    if (warnings)
      warnings(std::cout);
    if (!simulation.scenario().output().trace().empty())
      std::cout << "trace: " << simulation.scenario().output().trace() << "\n";
  }
  std::cout.flush();  // the result before any report of lost requests
  return simulation.check_contract(std::cerr) ? kExitOk : kExitFailed;
}

}  // namespace blocksim::cli

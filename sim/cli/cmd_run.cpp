// blocksim run SCENARIO: runs a scenario file and prints the summary table.
#include <unistd.h>

#include <iostream>

#include "sim/cli/arguments.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/run_result.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_error.hpp"

namespace blocksim::cli {

extern const char kRunUsage[] = R"(usage: blocksim run SCENARIO [--trace FILE] [--seed N] [--output-format text|json] [--no-progress]
                    [--engine fast|simgrid-only] [--simgrid-logs]

Runs the scenario file SCENARIO (protobuf text format, see docs/scenario_format.md) and prints
requests, errors, IOPS, MB/s and latency (mean, p50, p99, p99.9, max) per layer and operation.

  --trace FILE     write the protobuf trace of every completion to FILE (overrides output.trace)
  --seed N         seed for every random stream (overrides the scenario's seed)
  --no-progress    no progress line, even on a terminal
  --output-format F text (the table, the default) or json (one JSON document with every figure of
                   the table and more: min, stdev, p1 ... p99.99, queueing and service time;
                   docs/trace_format.md)
  --engine E       who times a DMA transfer that shares no link with another: fast (the engine,
                   exactly; the default) or simgrid-only (SimGrid times every transfer: the same
                   trace, slower); overrides the scenario's engine
  --simgrid-logs   let SimGrid print its own log lines
  --help           this text

Exit status: 0 done, 1 the run failed, 2 bad input (usage or scenario errors).
)";

int run_main(const std::vector<std::string>& args) {
  Arguments parsed(args, {"--trace", "--seed", "--output-format", "--engine"}, {"--no-progress", "--simgrid-logs"});
  const OutputFormat format = output_format(parsed);
  if (parsed.positional().size() != 1)
    throw UsageError("run takes one scenario file");
  RunOptions options;
  options.trace_path = parsed.value("--trace");
  options.seed = parsed.unsigned_value("--seed");
  options.show_progress = !parsed.has("--no-progress") && ::isatty(STDERR_FILENO);
  options.simgrid_logs = parsed.has("--simgrid-logs");
  options.engine = engine_option(parsed);

  const LoadedScenario loaded = load_scenario_file(parsed.positional()[0]);
  Simulation simulation(loaded, options);
  const RunSummary& summary = simulation.run();
  if (format == OutputFormat::kText) {
    std::cout << "scenario: " << loaded.path;
    if (simulation.scenario().has_name())
      std::cout << " (" << simulation.scenario().name() << ")";
    std::cout << ", seed " << simulation.scenario().seed() << "\n";
  }
  return print_run_result(simulation, summary, format, "run", loaded.path, "");
}

}  // namespace blocksim::cli

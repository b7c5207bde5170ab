// The summary in the form asked for with --output-format: the text table (the default) or one
// JSON document on stdout (docs/trace_format.md, "The JSON summary"), for `run`, `replay` and
// `trace summary`. In JSON mode nothing else goes to stdout, so the output parses as it is.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/cli/arguments.hpp"
#include "sim/device/block_storage_device.hpp"
#include "sim/run/simulation.hpp"
#include "sim/trace/json_writer.hpp"
#include "sim/trace/run_summary.hpp"

namespace blocksim::cli {

enum class OutputFormat { kText, kJson };

// The value of --output-format (text or json; text when absent); a usage error for anything else.
OutputFormat output_format(const Arguments& parsed);

// What the JSON document says besides the summary rows.
struct JsonSummaryContext {
  std::string command;   // "run", "replay", "trace summary"
  std::string input;     // the scenario, or the trace read
  std::string scenario;  // the scenario's name ("" when it has none)
  std::uint64_t seed = 0;
  std::string trace;     // the trace written, "" when none
  std::vector<DeviceMetric> metrics;
  std::string report;    // the text lines the text form prints after the table, kept line by line
  // Writes the "workloads" array (a replay's mapping and comparison); none when empty.
  std::function<void(JsonWriter&)> workloads;
};

void print_json_summary(std::ostream& out, const RunSummary& summary, const JsonSummaryContext& context);

// The context of a simulation that has run (`run`, `replay`): its scenario, seed, trace, metrics
// and workloads; `report` holds the text lines said on the way.
JsonSummaryContext simulation_context(const Simulation& simulation, const std::string& command,
                                      const std::string& input, std::string report);

}  // namespace blocksim::cli

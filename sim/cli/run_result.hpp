// How `run` and `replay` end: the result of a simulation that has run, as the summary table with
// the sources' reports, the device metrics and the trace written, or as one JSON document; then
// the request contract is checked, after stdout is flushed so that the result comes first.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "sim/cli/summary_output.hpp"
#include "sim/run/simulation.hpp"

namespace blocksim::cli {

// --engine fast|simgrid-only, shared by `run` and `replay`; nothing when absent.
std::optional<proto::TransferEngine> engine_option(const Arguments& parsed);

// Returns the command's exit status. `said` holds the lines the command said on the way (in JSON
// mode only: the text form has printed them already); `warnings`, when given, prints the
// command's warnings after the metrics (into the document's report in JSON mode).
int print_run_result(const Simulation& simulation, const RunSummary& summary, OutputFormat format,
                     const std::string& command, const std::string& input, const std::string& said,
                     const std::function<void(std::ostream&)>& warnings = {});

}  // namespace blocksim::cli

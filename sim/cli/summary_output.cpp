#include "sim/cli/summary_output.hpp"

#include <sstream>
#include <utility>

#include "sim/trace/summary_json.hpp"

namespace blocksim::cli {

OutputFormat output_format(const Arguments& parsed) {
  const auto value = parsed.value("--output-format");
  if (!value || *value == "text")
    return OutputFormat::kText;
  if (*value == "json")
    return OutputFormat::kJson;
  throw UsageError("option --output-format takes text or json, got \"" + *value + "\"");
}

void print_json_summary(std::ostream& out, const RunSummary& summary, const JsonSummaryContext& context) {
  JsonWriter json(out);
  json.begin_object();
  json.integer("format_version", 1);
  json.string("command", context.command);
  json.string("input", context.input);
  json.string("scenario", context.scenario);
  json.integer("seed", context.seed);
  write_summary_fields(json, summary);
  json.begin_array("metrics");
  for (const auto& metric : context.metrics) {
    json.begin_object();
    json.string("name", metric.name);
    json.number("value", metric.value, 6);
    json.string("unit", metric.unit);
    json.end_object();
  }
  json.end_array();
  if (context.workloads)
    context.workloads(json);
  else {
    json.begin_array("workloads");
    json.end_array();
  }
  json.begin_array("report");
  std::istringstream lines(context.report);
  for (std::string line; std::getline(lines, line);)
    json.string("", line);
  json.end_array();
  if (!context.trace.empty())
    json.string("trace", context.trace);
  json.end_object();
}

JsonSummaryContext simulation_context(const Simulation& simulation, const std::string& command,
                                      const std::string& input, std::string report) {
  JsonSummaryContext context;
  context.command = command;
  context.input = input;
  context.scenario = simulation.scenario().name();
  context.seed = simulation.scenario().seed();
  context.trace = simulation.scenario().output().trace();
  context.metrics = simulation.metrics();
  context.report = std::move(report);
  context.workloads = [&simulation](JsonWriter& json) { simulation.write_source_reports_json(json); };
  return context;
}

}  // namespace blocksim::cli

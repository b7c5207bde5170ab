// blocksim trace summary FILE: the run's summary table again, from its trace.
#include <iostream>

#include "sim/cli/arguments.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/summary_output.hpp"
#include "sim/trace/run_summary.hpp"
#include "sim/trace/trace_format.hpp"
#include "sim/trace/trace_reader.hpp"

namespace blocksim::cli {

extern const char kTraceSummaryUsage[] = R"(usage: blocksim trace summary FILE [--output-format text|json]

Reads a blocksim trace (plain or gzip-compressed) and prints the same table `blocksim run`
printed for the run, with the number of completion records.

  --output-format F  text (the table, the default) or json (one JSON document with every figure of
                     the table and more: min, stdev, p1 ... p99.99, queueing and service time;
                     docs/trace_format.md)

Exit status: 0 done, 2 the file is not a readable trace.
)";

int trace_summary_main(const std::vector<std::string>& args) {
  Arguments parsed(args, {"--output-format"}, {});
  const OutputFormat format = output_format(parsed);
  if (parsed.positional().size() != 1)
    throw UsageError("trace summary takes one trace file");
  TraceReader reader(parsed.positional()[0]);
  RunSummary summary;
  proto::TraceRecord record;
  proto::RunEnd end;
  while (reader.next(&record)) {
    if (record.has_completion())
      summary.add(from_proto(record.completion()));
    else if (record.has_end())
      end = record.end();
  }
  if (format == OutputFormat::kJson) {
    JsonSummaryContext context;
    context.command = "trace summary";
    context.input = parsed.positional()[0];
    context.scenario = reader.header().scenario().name();
    context.seed = reader.header().scenario().seed();
    for (const auto& metric : end.metric())
      context.metrics.push_back({metric.name(), metric.value(), metric.unit()});
    print_json_summary(std::cout, summary, context);
    return kExitOk;
  }
  std::cout << "trace: " << parsed.positional()[0];
  if (reader.header().scenario().has_name())
    std::cout << " (" << reader.header().scenario().name() << ")";
  std::cout << ", seed " << reader.header().scenario().seed() << "\n";
  std::cout << "records: " << summary.records() << "\n";
  summary.print(std::cout);
  for (const auto& metric : end.metric())
    std::cout << metric.name() << ": " << metric.value() << (metric.unit().empty() ? "" : " " + metric.unit()) << "\n";
  return kExitOk;
}

}  // namespace blocksim::cli

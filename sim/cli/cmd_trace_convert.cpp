// blocksim trace convert IN OUT: any trace format blocksim reads to blocksim's protobuf trace, or
// to blocksim's request CSV (OUT ending in .csv, or --to csv). Streams: one pass to learn the
// devices (the protobuf header lists them first), one to convert.
#include <filesystem>
#include <iostream>

#include "sim/cli/arguments.hpp"
#include "sim/cli/command.hpp"
#include "sim/replay/format_registry.hpp"
#include "sim/replay/request_csv.hpp"
#include "sim/replay/skipped_lines.hpp"
#include "sim/replay/trace_survey.hpp"
#include "sim/trace/trace_format.hpp"
#include "sim/trace/trace_writer.hpp"

#ifndef BLOCKSIM_VERSION
#define BLOCKSIM_VERSION "0.0.0"
#endif

namespace blocksim::cli {

extern const char kTraceConvertUsage[] =
    R"(usage: blocksim trace convert IN OUT [--format F] [--to blocksim|csv] [--skip-bad] [--issue-at Q|D]

Reads the trace IN in any format `blocksim replay` reads (--format, default auto: detected and
printed) and writes its requests to OUT:
  blocksim  blocksim's protobuf trace (the default, unless OUT ends in .csv): one completion
            record a request, submit_ns its arrival from the earliest one, lba and blocks in bytes
            (devices of block size 1 and model "recorded"), complete_ns only where the trace
            measured a latency (and dispatch_ns = submit_ns when it was measured from dispatch);
  csv       time_ns,device,op,offset,bytes,latency_ns,latency_from,idle_ns,source_line
Both read back with `blocksim replay` and `trace convert`. See docs/replay.md.

  --skip-bad      count and skip malformed lines instead of stopping at the first
  --issue-at Q|D  blkparse traces: a request is a Q event (bios as queued) or a D event (as
                  dispatched); default D when the trace has D events, else Q

Exit status: 0 done, 2 bad input (usage, or a trace line: file:line: what).
)";

namespace {

proto::Op to_proto_op(Op op) { return static_cast<proto::Op>(static_cast<int>(op)); }

proto::TraceHeader converted_header(const std::string& in, const std::string& format, const TraceSurvey& survey) {
  proto::TraceHeader header;
  header.set_format_version(kTraceFormatVersion);
  header.set_blocksim_version(BLOCKSIM_VERSION);
  header.set_scenario_path(in);
  auto* scenario = header.mutable_scenario();
  scenario->set_name("converted from " + std::filesystem::path(in).filename().string() + " (" + format + ")");
  auto* replay = scenario->add_workload()->mutable_replay();
  replay->set_path(in);
  replay->set_format(format);
  for (std::size_t i = 0; i < survey.devices.size(); ++i) {
    auto* device = header.add_device();
    device->set_index(static_cast<std::uint32_t>(i));
    device->set_name(survey.devices[i]);
    device->set_model("recorded");
    device->set_block_size(1);
    device->set_capacity_bytes(survey.extents.at(survey.devices[i]));
  }
  return header;
}

void fill_record(const TraceRequest& request, std::uint64_t id, SimTime origin, proto::TraceRecord* record) {
  proto::Completion* c = record->mutable_completion();
  c->Clear();
  const auto submit = static_cast<std::uint64_t>(request.time - origin);
  c->set_request_id(id);
  c->set_device(request.device);
  c->set_op(to_proto_op(request.op));
  c->set_lba(request.offset);
  c->set_blocks(request.bytes);
  c->set_bytes(request.bytes);
  c->set_submit_ns(submit);
  c->set_layer(proto::LAYER_DEVICE);
  if (request.measured >= 0) {
    if (request.measured_from == MeasuredFrom::kDispatch)
      c->set_dispatch_ns(submit);
    c->set_complete_ns(submit + static_cast<std::uint64_t>(request.measured));
  }
}

// Where converted requests go: blocksim's protobuf trace or the request CSV.
class ConvertedOutput {
 public:
  ConvertedOutput(const std::string& in, const std::string& out, const std::string& format, bool csv,
                  const ReaderOptions& options, bool skip_bad) {
    if (csv) {
      csv_ = std::make_unique<RequestCsvWriter>(out);
      return;
    }
    const TraceSurvey survey = survey_trace(in, format, options, skip_bad);  // the header lists the devices
    origin_ = survey.earliest;
    trace_ = std::make_unique<TraceWriter>(out, converted_header(in, format, survey));
  }

  void write(const TraceRequest& request, const std::vector<std::string>& devices) {
    ++written_;
    if (csv_) {
      csv_->write(request, devices);
      return;
    }
    fill_record(request, written_, origin_, &record_);
    const auto& c = record_.completion();
    end_ = std::max(end_, std::max(c.submit_ns(), c.complete_ns()));
    trace_->write(record_);
  }

  void finish() {
    if (csv_) {
      csv_->finish();
      return;
    }
    proto::RunEnd run_end;
    run_end.set_end_ns(end_);
    run_end.set_completions(written_);
    trace_->finish(run_end);
  }

  std::uint64_t written() const { return written_; }

 private:
  std::unique_ptr<RequestCsvWriter> csv_;
  std::unique_ptr<TraceWriter> trace_;
  proto::TraceRecord record_;
  SimTime origin_ = 0;
  std::uint64_t end_ = 0;
  std::uint64_t written_ = 0;
};

std::string resolve_format(const Arguments& parsed, const std::string& in) {
  std::string format = parsed.value("--format").value_or("auto");
  if (format == "auto") {
    const DetectedFormat detected = detect_trace_format(in);
    std::cout << "format: " << detected.format->name << " (detected: " << detected.reason << ")\n";
    return detected.format->name;
  }
  if (find_trace_format(format) == nullptr)
    throw UsageError("unknown format \"" + format + "\"; known: " + trace_format_names() + ", auto");
  return format;
}

}  // namespace

int trace_convert_main(const std::vector<std::string>& args) {
  Arguments parsed(args, {"--format", "--to", "--issue-at"}, {"--skip-bad"});
  if (parsed.positional().size() != 2)
    throw UsageError("trace convert takes an input and an output file");
  const std::string in = parsed.positional()[0];
  const std::string out = parsed.positional()[1];
  const bool skip_bad = parsed.has("--skip-bad");
  const std::string to = parsed.value("--to").value_or(out.ends_with(".csv") ? "csv" : "blocksim");
  if (to != "csv" && to != "blocksim")
    throw UsageError("--to takes blocksim or csv, got \"" + to + "\"");
  ReaderOptions options;
  if (const auto issue_at = parsed.value("--issue-at")) {
    if (*issue_at != "Q" && *issue_at != "D")
      throw UsageError("--issue-at takes Q or D, got \"" + *issue_at + "\"");
    options.issue_at = *issue_at == "D" ? proto::Replay::DISPATCH : proto::Replay::QUEUE;
  }
  const std::string format = resolve_format(parsed, in);

  ConvertedOutput output(in, out, format, to == "csv", options, skip_bad);
  auto reader = open_trace(in, format, options);
  SkippedLines skipped;
  TraceRequest request;
  while (read_request(*reader, &request, skip_bad, &skipped))
    output.write(request, reader->devices());
  output.finish();
  std::cout << "converted: " << output.written() << " requests from " << in << " (" << format << ") to " << out
            << " (" << to << ")\n";
  skipped.print(std::cout);
  return kExitOk;
}

}  // namespace blocksim::cli

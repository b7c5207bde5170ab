// blocksim replay TRACE --device PROFILE: replays a recorded trace on a simulated device, built as
// a scenario (one device per trace device with --map each) whose workload is the replay, so that
// `blocksim run` with the same scenario gives the same result.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

#include "sim/cli/arguments.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/replay_jobs.hpp"
#include "sim/cli/replay_profile.hpp"
#include "sim/cli/run_result.hpp"
#include "sim/cli/summary_output.hpp"
#include "sim/replay/format_registry.hpp"
#include "sim/replay/replay_timing.hpp"
#include "sim/replay/trace_survey.hpp"
#include "sim/run/simulation.hpp"

namespace blocksim::cli {

extern const char kReplayUsage[] =
    R"(usage: blocksim replay TRACE --device PROFILE [--format F] [--timing MODE] [--trace OUT]
         [--map one|each] [--lba reject|wrap|scale] [--skip-bad] [--issue-at Q|D]
         [--precondition none|fill=F[,overwrites=K]] [--repeat N] [--requests N] [--seed N]
         [--skip-requests N] [--jobs N] [--output-format text|json] [--no-progress]
         [--engine fast|simgrid-only]

Replays the recorded I/O trace TRACE (plain or gzip-compressed, read as it goes) on a simulated
device, and prints the summary, how the trace's devices were mapped, what was skipped, and, where
the trace recorded latencies, how the simulated ones compare:
  measured vs simulated: mean error X %, demerit Y ms (Z % of mean)
with the percentiles of both (demerit: the RMS horizontal distance between the two latency CDFs,
binned as DiskSim bins them). See docs/replay.md.

  --device PROFILE  a device profile: a Device message in text format (docs/scenario_format.md);
                    it needs an interface_rate, the rate of the private bus the device gets
  --format F        msr, umass, blkparse, fio-iolog, disksim-ascii, disksim-validate, mqsim,
                    blocksim (a blocksim trace), csv (as `trace convert` writes), or auto
                    (the default: detected from the first lines, and the choice is printed)
  --timing MODE     as-recorded (open loop at the trace's times), scaled:F (times x F),
                    closed:N (N outstanding, as fast as the device goes) or validate (one at a
                    time, next = previous completion + recorded idle gap); default: validate for
                    disksim-validate traces, as-recorded otherwise
  --map one|each    every trace device onto one simulated device (default), or each onto a
                    device of its own built from PROFILE, in order of first appearance
  --lba POLICY      requests past the end of the device: reject (default: reported as a bad
                    line), wrap (offset modulo the capacity) or scale (offsets x capacity / the
                    trace device's extent)
  --skip-bad        count and skip malformed or unservable lines instead of stopping at the first
  --issue-at Q|D    blkparse traces: issue at Q events (bios as queued) or D events (requests
                    as the kernel merged and dispatched them); default D when the trace has D
                    events, else Q with a note
  --precondition P  SSD profiles: the state the drive starts in. Default: the profile's own
                    ssd.precondition, else fill=1 (every logical block written once, in order),
                    since the drive a trace was recorded on held data. none: a fresh drive
                    (reads of never-written blocks cost no flash read, and are warned about);
                    fill=F[,overwrites=K]: a share F written, then K x that in random overwrites
  --repeat N        replay the trace N times, each pass after the previous
  --requests N      stop after N requests
  --skip-requests N read the trace's first N requests without replaying them (with validate
                    timing the next one is issued at once): with --requests, any part of a trace
  --trace OUT       write the protobuf trace of the replay to OUT
  --jobs N          with --map each, timing as-recorded or scaled:F and two or more trace
                    devices: share the devices out among N processes (default: the number of
                    cores), with the same summary, report and trace as one process; other
                    replays run in one process (a note says why when --jobs asks for more)
  --seed N          seed for the device's random streams (default 1)
  --no-progress     no progress: on a terminal a line refreshed four times a second (share of the
                    trace read by bytes, ETA, requests, simulated time, IOPS and mean latency at
                    the device lately), else one such line at the end; both on stderr
  --output-format F text (the table, the default) or json (one JSON document with every figure of
                    the table and more: min, stdev, p1 ... p99.99, queueing and service time;
                    docs/trace_format.md)
  --engine E        who times a DMA transfer that shares no link with another: fast (the
                    engine, exactly; the default) or simgrid-only (SimGrid times every transfer:
                    the same trace, slower)

Exit status: 0 done, 1 the run failed, 2 bad input (usage, profile, or a trace line, reported as
file:line: what).
)";

namespace {

std::string absolute(const std::string& path) { return std::filesystem::absolute(path).lexically_normal().string(); }

// --precondition: none, fill=F or fill=F,overwrites=K.
proto::SsdPrecondition parse_precondition(const std::string& text) {
  proto::SsdPrecondition precondition;
  if (text == "none") {
    precondition.set_fill(0);
    return precondition;
  }
  const auto bad = [&](const std::string& why) {
    return UsageError("--precondition takes none, fill=F or fill=F,overwrites=K (F from 0 to 1, K from 0 to 100); " +
                      why + " in \"" + text + "\"");
  };
  std::size_t start = 0;
  bool have_fill = false;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos)
      throw bad("\"" + item + "\" is not name=value");
    const std::string name = item.substr(0, equals);
    const std::string value = item.substr(equals + 1);
    std::size_t used = 0;
    double number = 0;
    try {
      number = std::stod(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != value.size() || !(number >= 0))
      throw bad("\"" + value + "\" is not a number from 0");
    if (name == "fill" && number <= 1) {
      precondition.set_fill(number);
      have_fill = true;
    } else if (name == "overwrites" && number <= 100) {
      precondition.set_random_overwrites(number);
    } else {
      throw bad("\"" + item + "\" is not fill=F (0..1) or overwrites=K (0..100)");
    }
    start = comma + 1;
  }
  if (!have_fill)
    throw bad("fill=F is missing");
  return precondition;
}

std::string describe(const proto::SsdPrecondition& precondition) {
  if (precondition.fill() == 0)
    return "none";
  std::ostringstream text;
  text << "fill=" << precondition.fill();
  if (precondition.random_overwrites() > 0)
    text << ",overwrites=" << precondition.random_overwrites();
  return text.str();
}

// The state the replay's SSD starts in, and why; false for a device that is no SSD.
bool choose_precondition(const Arguments& parsed, const proto::Device& profile, proto::SsdPrecondition* out,
                         std::string* why) {
  const auto option = parsed.value("--precondition");
  if (!profile.has_ssd()) {
    if (option)
      throw UsageError("--precondition applies to SSD profiles; this profile's device is no SSD (a hard disk "
                       "holds its data from the start)");
    return false;
  }
  if (option) {
    *out = parse_precondition(*option);
    *why = "--precondition";
  } else if (profile.ssd().has_precondition()) {
    *out = profile.ssd().precondition();
    *why = "the profile's ssd.precondition";
  } else {
    out->set_fill(1);
    *why = "the default: the drive a trace was recorded on held data";
  }
  return true;
}

proto::Replay replay_options(const Arguments& parsed, const std::string& trace, const std::string& format) {
  proto::Replay replay;
  replay.set_path(trace);
  replay.set_format(format);
  if (const auto timing = parsed.value("--timing")) {
    std::string error;
    if (!parse_timing(*timing, &replay, &error))
      throw UsageError("--timing: " + error);
  }
  replay.set_lba(choose<proto::Replay::LbaPolicy>(
      parsed, "--lba", {{"reject", proto::Replay::REJECT}, {"wrap", proto::Replay::WRAP}, {"scale", proto::Replay::SCALE}},
      proto::Replay::REJECT));
  replay.set_issue_at(choose<proto::Replay::IssueAt>(
      parsed, "--issue-at", {{"Q", proto::Replay::QUEUE}, {"D", proto::Replay::DISPATCH}}, proto::Replay::AUTO));
  replay.set_skip_bad(parsed.has("--skip-bad"));
  if (const auto repeat = parsed.unsigned_value("--repeat")) {
    if (*repeat == 0 || *repeat > UINT32_MAX)
      throw UsageError("--repeat needs a count from 1");
    replay.set_repeat(static_cast<std::uint32_t>(*repeat));
  }
  if (const auto requests = parsed.unsigned_value("--requests")) {
    if (*requests == 0)
      throw UsageError("--requests needs a count from 1");
    replay.set_requests(*requests);
  }
  if (const auto skip = parsed.unsigned_value("--skip-requests"))
    replay.set_skip_requests(*skip);
  return replay;
}

// The device a metric "DEVICE<suffix>" is about, or "" if the metric does not end in `suffix`.
std::string device_of(const DeviceMetric& metric, const std::string& suffix) {
  if (metric.name.size() <= suffix.size() ||
      metric.name.compare(metric.name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return "";
  return metric.name.substr(0, metric.name.size() - suffix.size());
}

// Warnings from what the devices and drivers counted: reads that found no data, requests widened.
void print_device_warnings(const std::vector<DeviceMetric>& metrics, std::ostream& out) {
  for (const auto& metric : metrics) {
    if (metric.value <= 0)
      continue;
    const auto count = static_cast<std::uint64_t>(metric.value);
    if (const std::string device = device_of(metric, ".ssd.unwritten_unit_reads"); !device.empty())
      out << "warning: never-written reads: " << count << " units read on " << device
          << " held no data (never written in this run nor by preconditioning, or trimmed) and were served as "
             "zeros without a flash read, faster than the recorded drive would be; --precondition fill=1 (the "
             "default) starts from a drive that holds data\n";
    if (const std::string device = device_of(metric, ".driver.widened_requests"); !device.empty())
      out << "warning: widened by the driver: " << count << " requests to " << device
          << " were not whole blocks and were read-modify-written or read whole\n";
  }
}

}  // namespace

int replay_main(const std::vector<std::string>& args) {
  Arguments parsed(args,
                   {"--device", "--format", "--timing", "--trace", "--map", "--lba", "--issue-at", "--repeat",
                    "--requests", "--skip-requests", "--seed", "--precondition", "--output-format", "--engine",
                    "--jobs"},
                   {"--skip-bad", "--no-progress", "--simgrid-logs"});
  if (parsed.positional().size() != 1)
    throw UsageError("replay takes one trace file");
  const OutputFormat output = output_format(parsed);
  // In JSON mode stdout is the document alone: the lines said on the way go into its "report".
  std::ostringstream said;
  std::ostream& notes = output == OutputFormat::kJson ? static_cast<std::ostream&>(said) : std::cout;
  const auto profile_arg = parsed.value("--device");
  if (!profile_arg)
    throw UsageError("replay needs --device PROFILE");
  const std::string trace = absolute(parsed.positional()[0]);
  const std::string profile = absolute(*profile_arg);
  const proto::Device profile_device = load_replay_profile(profile);
  proto::SsdPrecondition precondition;
  std::string precondition_why;
  const bool is_ssd = choose_precondition(parsed, profile_device, &precondition, &precondition_why);
  const bool each = choose<bool>(parsed, "--map", {{"one", false}, {"each", true}}, false);

  std::string format = parsed.value("--format").value_or("auto");
  if (format == "auto") {
    const DetectedFormat detected = detect_trace_format(trace);
    format = detected.format->name;
    notes << "format: " << format << " (detected: " << detected.reason << ")\n";
  } else if (find_trace_format(format) == nullptr) {
    throw UsageError("unknown format \"" + format + "\"; known: " + trace_format_names() + ", auto");
  }

  proto::Scenario scenario;
  scenario.set_name("replay of " + std::filesystem::path(trace).filename().string());
  proto::Replay replay = replay_options(parsed, trace, format);
  RunOptions options;
  std::size_t devices = 1;
  std::optional<TraceSurvey> survey;
  if (each) {
    ReaderOptions reader_options;
    reader_options.issue_at = replay.issue_at();
    survey = survey_trace(trace, format, reader_options, replay.skip_bad());
    devices = std::max<std::size_t>(1, survey->devices.size());
    replay.set_mapping(proto::Replay::EACH);
  }
  const ReplayJobsPlan plan =
      plan_replay_jobs(parsed.unsigned_value("--jobs"), replay, format, survey ? &*survey : nullptr, notes);
  for (std::size_t i = 0; i < devices; ++i) {
    auto* device = scenario.add_device();
    device->set_name("disk" + std::to_string(i));
    device->set_profile(profile);
    if (is_ssd)
      *device->mutable_ssd()->mutable_precondition() = precondition;
  }
  auto* workload = scenario.add_workload();
  workload->set_name("replay");
  *workload->mutable_replay() = replay;

  options.trace_path = parsed.value("--trace");
  options.seed = parsed.unsigned_value("--seed");
  options.show_progress = !parsed.has("--no-progress") && ::isatty(STDERR_FILENO);
  options.final_progress_line = !parsed.has("--no-progress") && !options.show_progress;
  options.simgrid_logs = parsed.has("--simgrid-logs");
  options.engine = engine_option(parsed);
  const LoadedScenario loaded = check_scenario_message(scenario, "replay", "");
  const std::string trace_out = options.trace_path.value_or("");
  std::unique_ptr<ReplayJobs> jobs;
  if (plan.jobs > 1) {
    jobs = std::make_unique<ReplayJobs>(plan, trace_out);
    jobs->start(&options);
  }
  std::optional<Simulation> simulation;
  RunSummary summary;
  int status = kExitOk;
  try {
    simulation.emplace(loaded, options);
    notes << "device: " << devices << " x " << profile << "\n";
    if (is_ssd)
      notes << "precondition: " << describe(precondition) << " (" << precondition_why << ")\n";
    summary = simulation->run();
    if (jobs && jobs->is_part()) {
      jobs->hand_over(*simulation, summary);
      if (trace_out.empty())
        jobs->leave(simulation->check_contract(std::cerr) ? kExitOk : kExitFailed);
    }
    if (jobs && !jobs->is_part())
      status = jobs->finish(*simulation, &summary);
  } catch (...) {
    simulation.reset();  // its trace written out, for the other parts' records to join it
    if (jobs && !jobs->is_part())
      jobs->salvage();
    throw;
  }
  if (status != kExitOk && status != kExitFailed)
    return status;  // a part stopped on bad input, and said so
  const int printed = print_run_result(*simulation, summary, output, "replay", trace, said.str(),
                                       [&](std::ostream& out) { print_device_warnings(simulation->metrics(), out); });
  return status != kExitOk ? status : printed;
}

}  // namespace blocksim::cli

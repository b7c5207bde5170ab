// blocksim profile calibrate PROFILE TRACE --output NEW: fits five timing parameters of a hard
// disk profile to the service times a trace measured on the real drive (the fit itself:
// sim/replay/profile_calibration.hpp; each replay in a child process: calibration_replay.hpp), and
// writes the calibrated profile with the original's header comments and what was fitted.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "models/hdd/import/profile_printer.hpp"
#include "sim/cli/arguments.hpp"
#include "sim/cli/calibration_replay.hpp"
#include "sim/cli/command.hpp"
#include "sim/cli/replay_profile.hpp"
#include "sim/replay/format_registry.hpp"
#include "sim/replay/profile_calibration.hpp"
#include "sim/replay/skipped_lines.hpp"

namespace blocksim::cli {

extern const char kProfileCalibrateUsage[] =
    R"(usage: blocksim profile calibrate PROFILE TRACE --output NEW [--format F] [--requests A:B]

Fits five timing parameters of the hard disk profile PROFILE to the service times the real drive
measured for TRACE, and writes the calibrated profile to NEW. Each candidate profile is judged by
replaying TRACE on it as `blocksim replay TRACE --device PROFILE` does (one process per replay;
validate timing for disksim-validate traces) and comparing the simulated latencies with the
measured ones; the fit minimises
  demerit (ms) + 10 x max(0, |simulated mean - measured mean| - 0.5 % of the measured mean) (ms)
which holds the mean error within 0.5 % while it lowers the demerit. The parameters and their bounds
(x: the profile's value):
  read overhead scale   multiplies hdd.controller.overheads.read_{hit,miss}_after_{read,write}
                        (0.5 .. 2)
  write overhead scale  multiplies hdd.controller.overheads.write_{hit,miss}_after_{read,write}
                        (0.5 .. 2)
  head switch           hdd.mechanics.head_switch, ms (0 .. max(2x, x + 1 ms))
  write settle          hdd.mechanics.write_settle, ms (min(0, 2x) .. max(2x, x + 1 ms))
  seek scale            hdd.mechanics.seek_scale, multiplies every seek time (0.5x .. 2x)
The optimiser is coordinate descent from the profile's values: in each sweep every parameter in
turn takes one step up, or else one down, when that lowers the figure; after a sweep where none
did, every step halves (from 0.16, or 0.16 ms, down to 0.0025; at most 160 replays). The same
inputs give the same output, byte for byte.

Prints the figures before and after (mean error %, demerit in ms and % of the measured mean), and
each fitted value with its old value and the change. NEW holds PROFILE's header comments, lines
saying what was calibrated, on which trace and requests, then the profile (docs/hdd.md,
"Calibration").

  --output NEW      where to write the calibrated profile (required)
  --format F        the trace's format, as for `blocksim replay` (default auto: detected)
  --requests A:B    fit on the trace's requests A to B - 1 (0-based, in trace order; A: or :B
                    leave an end open); default all. Fit on one part and judge on another with
                    `blocksim replay --skip-requests N --requests M`

Exit status: 0 done, 1 a replay failed, 2 bad input: usage, a profile that is no hard disk, a
trace without measured latencies, a bad trace line (file:line: what).
)";

namespace {

struct RequestRange {
  std::uint64_t first = 0;
  std::optional<std::uint64_t> end;  // one past the last; none: the trace's end
};

std::uint64_t whole_number(const std::string& text, const std::string& all) {
  std::size_t used = 0;
  std::uint64_t value = 0;
  try {
    value = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (text.empty() || used != text.size() || text[0] == '-')
    throw UsageError("--requests takes A:B (0-based request numbers, A below B), got \"" + all + "\"");
  return value;
}

RequestRange parse_range(const std::optional<std::string>& text) {
  RequestRange range;
  if (!text)
    return range;
  const std::size_t colon = text->find(':');
  if (colon == std::string::npos)
    throw UsageError("--requests takes A:B (0-based request numbers, A below B), got \"" + *text + "\"");
  const std::string first = text->substr(0, colon);
  const std::string end = text->substr(colon + 1);
  if (!first.empty())
    range.first = whole_number(first, *text);
  if (!end.empty())
    range.end = whole_number(end, *text);
  if (range.end && *range.end <= range.first)
    throw UsageError("--requests A:B needs A below B, got \"" + *text + "\"");
  return range;
}

// What the trace holds in the range: its request count, those with a measured latency, and the
// line of the range's first request.
struct RangeSurvey {
  std::uint64_t requests = 0;  // in the whole trace
  std::uint64_t measured = 0;  // in the range
  std::uint64_t first_line = 0;
};

RangeSurvey survey_range(const std::string& trace, const std::string& format, const RequestRange& range) {
  RangeSurvey survey;
  auto reader = open_trace(trace, format, ReaderOptions{});
  TraceRequest request;
  while (read_request(*reader, &request, false)) {
    const std::uint64_t index = survey.requests++;
    if (index < range.first || (range.end && index >= *range.end))
      continue;
    if (index == range.first)
      survey.first_line = request.line;
    if (request.measured >= 0)
      ++survey.measured;
  }
  return survey;
}

// The comment lines heading a profile file (up to its first line of fields).
std::string header_comments(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::string header;
  while (std::getline(in, line)) {
    const std::size_t start = line.find_first_not_of(" \t");
    if (start != std::string::npos && line[start] != '#')
      break;
    if (start != std::string::npos)
      header += line + "\n";
  }
  return header;
}

std::string format(const char* pattern, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, pattern, value);
  return buffer;
}

std::string figures_text(const ReplayFigures& figures) {
  return "mean error " + format("%+.2f", figures.mean_error_percent) + " %, demerit " +
         format("%.4f", figures.demerit_ms) + " ms (" + format("%.2f", figures.demerit_percent()) +
         " % of mean), objective " + format("%.4f", calibration_objective(figures));
}

std::string value_text(const CalibrationParameter& parameter, double value) {
  return parameter.is_scale ? format("%.4f", value) : format("%.4f", value) + " ms";
}

std::string change_text(const CalibrationParameter& parameter, double before, double after) {
  if (std::abs(after - before) < 5e-7)
    return parameter.is_scale ? "0 %" : "0 ms";
  if (parameter.is_scale)
    return before != 0 ? format("%+.2f", (after - before) / before * 100) + " %" : "";
  return format("%+.4f", after - before) + " ms";
}

std::string model_name(const proto::Device& device) {
  const auto* model = proto::Device::descriptor()->FindOneofByName("model");
  const auto* field = device.GetReflection()->GetOneofFieldDescriptor(device, model);
  return field != nullptr ? field->name() : "none";
}

}  // namespace

int profile_calibrate_main(const std::vector<std::string>& args) {
  Arguments parsed(args, {"--output", "--format", "--requests"}, {});
  if (parsed.positional().size() != 2)
    throw UsageError("calibrate takes a profile and a trace");
  const auto output = parsed.value("--output");
  if (!output)
    throw UsageError("calibrate needs --output NEW");
  const RequestRange range = parse_range(parsed.value("--requests"));
  const std::string profile_path = parsed.positional()[0];
  const std::string trace_path = parsed.positional()[1];
  const std::string trace = std::filesystem::absolute(trace_path).lexically_normal().string();

  const proto::Device profile = load_replay_profile(profile_path);
  if (!profile.has_hdd()) {
    std::cerr << "error: " << profile_path << ": the profile's device is not a hard disk (model: "
              << model_name(profile) << "); profile calibrate fits hard disk (hdd) profiles only\n";
    return kExitBadInput;
  }
  std::string trace_format = parsed.value("--format").value_or("auto");
  if (trace_format == "auto")
    trace_format = detect_trace_format(trace).format->name;
  else if (find_trace_format(trace_format) == nullptr)
    throw UsageError("unknown format \"" + trace_format + "\"; known: " + trace_format_names() + ", auto");

  const RangeSurvey survey = survey_range(trace, trace_format, range);
  const std::uint64_t end = range.end.value_or(survey.requests);
  if (end > survey.requests || range.first >= end)
    throw UsageError("--requests " + std::to_string(range.first) + ":" + std::to_string(end) + ": " + trace_path +
                     " has " + std::to_string(survey.requests) + " requests");
  if (survey.measured == 0) {
    std::cerr << "error: " << trace_path;
    if (survey.first_line > 0)
      std::cerr << ":" << survey.first_line;
    std::cerr << ": no request " << (range.first > 0 || range.end ? "in the range " : "")
              << "has a measured latency (format " << trace_format
              << "); calibration needs the real drive's service times, as a disksim-validate trace has them\n";
    return kExitBadInput;
  }

  proto::Replay replay;
  replay.set_path(trace);
  replay.set_format(trace_format);
  if (range.first > 0)
    replay.set_skip_requests(range.first);
  replay.set_requests(end - range.first);
  const std::string range_text = std::to_string(range.first) + ":" + std::to_string(end);
  const std::string trace_name = std::filesystem::path(trace_path).filename().string();
  std::cout << "calibrating " << profile_path << " on " << trace_path << " (" << trace_format << "), requests "
            << range_text << " (" << survey.measured << " with measured latencies)\n";
  std::cout.flush();

  CalibrationResult result;
  try {
    result = calibrate_profile(profile,
                               [&](const proto::Device& candidate) { return replay_in_child(candidate, replay); });
  } catch (const CalibrationReplayFailed& failed) {
    std::cerr << "blocksim profile calibrate: " << failed.what() << "\n";
    return failed.status();
  }

  std::ostringstream report;
  report << "before: " << figures_text(result.before) << "\n";
  report << "after:  " << figures_text(result.after) << "\n";
  report << "replays: " << result.evaluations << "\n";
  std::cout << report.str();
  std::ostringstream fitted;
  char line[256];
  std::snprintf(line, sizeof line, "%-21s %-12s %-12s %s\n", "parameter", "old", "fitted", "change");
  std::cout << line;
  for (std::size_t i = 0; i < result.parameters.size(); ++i) {
    const auto& parameter = result.parameters[i];
    const double old_value = parameter.initial;
    std::snprintf(line, sizeof line, "%-21s %-12s %-12s %s\n", parameter.name.c_str(),
                  value_text(parameter, old_value).c_str(), value_text(parameter, result.values[i]).c_str(),
                  change_text(parameter, old_value, result.values[i]).c_str());
    std::cout << line;
    fitted << "#   " << parameter.name << " (" << parameter.field << "): " << value_text(parameter, old_value)
           << " -> " << value_text(parameter, result.values[i]) << "\n";
  }

  std::ostringstream text;
  text << header_comments(profile_path);
  text << "# calibrated: blocksim profile calibrate on " << trace_name << " (" << trace_format << "), requests "
       << range_text << " (" << survey.measured << " with measured latencies), " << result.evaluations
       << " replays\n";
  text << "#   before: " << figures_text(result.before) << "\n";
  text << "#   after:  " << figures_text(result.after) << "\n";
  text << fitted.str();
  text << print_profile(result.profile);
  std::ofstream out(*output);
  if (!(out << text.str())) {
    std::cerr << "error: cannot write \"" << *output << "\"\n";
    return kExitFailed;
  }
  std::cout << "wrote " << *output << "\n";
  return kExitOk;
}

}  // namespace blocksim::cli

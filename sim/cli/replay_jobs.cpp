#include "sim/cli/replay_jobs.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>
#include <thread>

#include "sim/cli/arguments.hpp"
#include "sim/cli/child_exit.hpp"
#include "sim/cli/command.hpp"
#include "sim/replay/replay_part.hpp"
#include "sim/replay/replay_source.hpp"
#include "sim/replay/replay_timing.hpp"
#include "sim/run/run_recorder.hpp"
#include "sim/trace/part_trace_merge.hpp"
#include "sim/trace/run_summary_message.hpp"

namespace blocksim::cli {

std::uint64_t replay_work(std::uint64_t requests, std::uint64_t bytes) {
  constexpr std::uint64_t kBytesPerRequestOfWork = 8192;
  return std::max<std::uint64_t>(1, requests + bytes / kBytesPerRequestOfWork);
}

ReplayJobsPlan plan_replay_jobs(std::optional<std::uint64_t> asked, const proto::Replay& replay,
                                const std::string& format, const TraceSurvey* survey, std::ostream& notes) {
  if (asked && *asked == 0)
    throw UsageError("--jobs needs a count from 1");
  ReplayJobsPlan plan;
  const std::size_t wanted =
      asked ? static_cast<std::size_t>(*asked) : std::max(1U, std::thread::hardware_concurrency());
  if (wanted <= 1)
    return plan;
  const char* why = nullptr;
  const ReplayTiming timing = ReplayTiming::from(replay, format);
  if (survey == nullptr)
    why = "every trace device goes to the one simulated device (--map one)";
  else if (survey->devices.size() < 2)
    why = "the trace has one device";
  else if (timing.mode == ReplayTiming::Mode::kClosed)
    why = "closed:N keeps N requests outstanding over all the devices together, so each device's timing depends "
          "on the others'";
  else if (timing.mode == ReplayTiming::Mode::kValidate)
    why = "validate timing issues one request at a time over all the devices, so each device's timing depends on "
          "the others'";
  if (why != nullptr) {
    if (asked)
      notes << "jobs: 1 process: " << why << "\n";
    return plan;
  }
  // The busiest devices first, each to the part with the least work so far.
  const std::size_t devices = survey->devices.size();
  plan.jobs = std::min(wanted, devices);
  std::vector<std::uint64_t> work(devices);
  for (std::size_t i = 0; i < devices; ++i)
    work[i] = replay_work(survey->device_requests[i], i < survey->device_bytes.size() ? survey->device_bytes[i] : 0);
  std::vector<std::size_t> order(devices);
  for (std::size_t i = 0; i < devices; ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return work[a] > work[b]; });
  std::vector<std::uint64_t> load(plan.jobs, 0);
  plan.part_of_device.assign(devices, 0);
  for (std::size_t device : order) {
    const auto part = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    plan.part_of_device[device] = part;
    load[part] += work[device];
  }
  return plan;
}

ReplayJobs::ReplayJobs(ReplayJobsPlan plan, std::string trace_out)
    : plan_(std::move(plan)), trace_out_(std::move(trace_out)) {
  std::string folder = (std::filesystem::temp_directory_path() / "blocksim-jobs-XXXXXX").string();
  if (::mkdtemp(folder.data()) == nullptr)
    throw std::runtime_error(folder + ": cannot make a folder for the replay's parts: " + std::strerror(errno));
  folder_ = folder;
}

ReplayJobs::~ReplayJobs() {
  close_sockets();
  if (part_ != 0)
    return;  // a part: the folder and the other parts are the parent's
  for (pid_t& child : children_)
    if (child > 0) {
      ::kill(child, SIGTERM);
      ::waitpid(child, nullptr, 0);
      child = 0;
    }
  std::error_code ignored;
  std::filesystem::remove_all(folder_, ignored);
}

std::string ReplayJobs::part_file(std::size_t part, const char* what) const {
  return folder_ + "/part" + std::to_string(part) + "." + what;
}

std::vector<std::string> ReplayJobs::part_files(const char* what) const {
  std::vector<std::string> files;
  for (std::size_t part = 0; part < plan_.jobs; ++part)
    files.push_back(part_file(part, what));
  return files;
}

void ReplayJobs::configure(std::size_t part, RunOptions* options) {
  options->owned_devices.assign(plan_.part_of_device.size(), false);
  for (std::size_t device = 0; device < plan_.part_of_device.size(); ++device)
    options->owned_devices[device] = plan_.part_of_device[device] == part;
  options->part_log = part_file(part, "log");
  if (trace_out_.empty())
    options->trace_path.reset();  // the part hands over its summary instead (hand_over)
  else
    options->trace_path = part_file(part, "trace");
  options->show_progress = false;
  options->final_progress_line = false;
  options->agree_end = [this](SimTime mine) { return agree_end(mine); };
}

namespace {
bool send_time(int socket, SimTime time) {
  return ::send(socket, &time, sizeof time, MSG_NOSIGNAL) == static_cast<ssize_t>(sizeof time);
}
bool receive_time(int socket, SimTime* time) {
  return ::recv(socket, time, sizeof *time, MSG_WAITALL) == static_cast<ssize_t>(sizeof *time);
}
}  // namespace

// A part that failed before it ran to the end sends nothing: the others go on without its end.
SimTime ReplayJobs::agree_end(SimTime mine) {
  if (part_ != 0) {
    SimTime latest = mine;
    if (sockets_.empty() || !send_time(sockets_[0], mine) || !receive_time(sockets_[0], &latest))
      return mine;
    return latest;
  }
  SimTime latest = mine;
  for (int socket : sockets_) {
    SimTime theirs = 0;
    if (receive_time(socket, &theirs))
      latest = std::max(latest, theirs);
  }
  for (int socket : sockets_)
    send_time(socket, latest);
  return latest;
}

void ReplayJobs::start(RunOptions* options) {
  // Forked before any engine exists: each part builds its own, from the same scenario.
  std::cout.flush();
  std::cerr.flush();
  for (std::size_t part = 1; part < plan_.jobs; ++part) {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
      throw std::runtime_error(std::string("cannot connect to a part of the replay: ") + std::strerror(errno));
    const pid_t child = ::fork();
    if (child < 0)
      throw std::runtime_error(std::string("cannot start a process for a part of the replay: ") + std::strerror(errno));
    if (child == 0) {
      // The part's summary is the parent's to print; what it says on stderr is relayed if it fails.
      part_ = part;
      children_.clear();
      close_sockets();  // the parent's, to the parts before this one
      ::close(pair[0]);
      sockets_.push_back(pair[1]);
      const int out = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
      const int err = ::open(part_file(part, "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (out < 0 || err < 0 || ::dup2(out, STDOUT_FILENO) < 0 || ::dup2(err, STDERR_FILENO) < 0)
        ::_exit(kExitFailed);
      configure(part, options);
      return;
    }
    ::close(pair[1]);
    sockets_.push_back(pair[0]);
    children_.push_back(child);
  }
  configure(0, options);
}

// Waits for every part; returns the first failed part's exit status (128 + signal if killed),
// having relayed what it said when `relay`, or 0.
void ReplayJobs::close_sockets() {
  for (int socket : sockets_)
    ::close(socket);
  sockets_.clear();
}

int ReplayJobs::wait_all(bool relay) {
  close_sockets();  // a part still waiting for the end of the run (this process failed) goes on
  int first_failure = 0;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    if (children_[i] <= 0)
      continue;
    const int code = wait_for_exit(children_[i]);
    children_[i] = 0;
    if (code == 0 || first_failure != 0)
      continue;
    first_failure = code;
    if (!relay)
      continue;
    std::ifstream said(part_file(i + 1, "err"));
    std::cerr << said.rdbuf();
    std::cerr << "blocksim replay: part " << i + 1 << " of " << plan_.jobs << " (--jobs) ended with exit status "
              << code << "\n";
  }
  return first_failure;
}

namespace {
// The metric of part `part` named `name`, found where part 0 has it or by name.
std::optional<double> metric_value(const proto::RunEnd& end, std::size_t index, const std::string& name) {
  if (index < static_cast<std::size_t>(end.metric_size()) && end.metric(static_cast<int>(index)).name() == name)
    return end.metric(static_cast<int>(index)).value();
  for (const auto& metric : end.metric())
    if (metric.name() == name)
      return metric.value();
  return std::nullopt;
}
}  // namespace

void ReplayJobs::salvage() {
  wait_all(false);  // this process failed too, and said why: every part reads the same trace
  if (trace_out_.empty())
    return;
  PartTraceMerge merge(part_files("trace"), plan_.part_of_device, true);
  if (merge.header() == nullptr)
    return;
  TraceWriter writer(trace_out_, *merge.header());
  merge.merge(&writer, nullptr);  // no run end: as one process leaves a trace it stopped writing
}

void ReplayJobs::hand_over(const Simulation& simulation, const RunSummary& summary) const {
  if (!trace_out_.empty())
    return;
  proto::PartSummary message;
  summary_to_message(summary, &message);
  *message.mutable_end() = make_run_end(simulation.end_time(), summary.records(), simulation.metrics());
  const std::string path = part_file(part_, "summary");
  std::ofstream out(path, std::ios::binary);
  if (!message.SerializeToOstream(&out) || !out.flush())
    throw std::runtime_error(path + ": cannot write the replay part's summary: " + std::strerror(errno));
}

void ReplayJobs::leave(int status) const {
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  ::_exit(status);
}

std::vector<std::optional<proto::RunEnd>> ReplayJobs::merge_summaries(RunSummary* summary) const {
  std::vector<std::optional<proto::RunEnd>> ends(plan_.jobs);
  for (std::size_t part = 1; part < plan_.jobs; ++part) {
    const std::string path = part_file(part, "summary");
    std::ifstream in(path, std::ios::binary);
    proto::PartSummary message;
    if (!in || !message.ParseFromIstream(&in))
      throw std::runtime_error(path + ": the replay part's summary is missing or damaged");
    summary->merge(summary_from_message(message));
    ends[part] = message.end();
  }
  return ends;
}

int ReplayJobs::finish(Simulation& simulation, RunSummary* summary) {
  const int status = wait_all(true);
  if (status != 0 && status != kExitFailed) {
    salvage();
    return status;
  }
  // The replay's report, from every part's log.
  const MergedReplayParts merged = merge_replay_parts(part_files("log"));
  const proto::Scenario& scenario = simulation.scenario();
  std::map<std::string, double> source_metrics;
  for (std::size_t i = 0; i < simulation.sources().size(); ++i) {
    RequestSource& source = *simulation.sources()[i];
    adopt_replay_parts(source, merged);
    std::vector<DeviceMetric> metrics;
    source.collect_metrics(&metrics);
    const auto& workload = scenario.workload(static_cast<int>(i));
    for (const auto& metric : metrics)
      source_metrics[(workload.has_name() ? workload.name() : "workload" + std::to_string(i)) + "." + metric.name] =
          metric.value;
  }
  // The summary: part 0's with the others' summaries, or rebuilt from every part's trace as the
  // trace is merged.
  std::vector<std::optional<proto::RunEnd>> ends;
  std::unique_ptr<PartTraceMerge> merge;
  std::unique_ptr<TraceWriter> writer;
  if (trace_out_.empty()) {
    ends = merge_summaries(summary);
  } else {
    merge = std::make_unique<PartTraceMerge>(part_files("trace"), plan_.part_of_device);
    writer = std::make_unique<TraceWriter>(trace_out_, *merge->header());
    *summary = RunSummary();
    merge->merge(writer.get(), summary);
    ends = merge->ends();
  }
  // The metrics: a device's from the part that replayed it, the replay's as merged.
  std::vector<DeviceMetric> metrics = simulation.metrics();
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    DeviceMetric& metric = metrics[i];
    if (const auto it = source_metrics.find(metric.name); it != source_metrics.end()) {
      metric.value = it->second;
      continue;
    }
    for (int d = 0; d < scenario.device_size() && static_cast<std::size_t>(d) < plan_.part_of_device.size(); ++d) {
      const std::string prefix = scenario.device(d).name() + ".";
      const std::size_t part = plan_.part_of_device[static_cast<std::size_t>(d)];
      if (part == 0 || metric.name.compare(0, prefix.size(), prefix) != 0 || !ends[part])
        continue;
      if (const auto value = metric_value(*ends[part], i, metric.name))
        metric.value = *value;
    }
  }
  if (writer) {
    std::uint64_t end_ns = 0;
    for (const auto& part_end : ends)
      if (part_end)
        end_ns = std::max(end_ns, part_end->end_ns());
    writer->finish(make_run_end(static_cast<SimTime>(end_ns), merge->completions(), metrics));
  }
  simulation.adopt_merged(std::move(metrics), trace_out_);
  return status;
}

}  // namespace blocksim::cli

#include "sim/cli/calibration_replay.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "sim/cli/child_exit.hpp"
#include "sim/cli/command.hpp"
#include "sim/replay/replay_source.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/trace/latency_comparison.hpp"
#include "sim/trace/trace_reader.hpp"

namespace blocksim::cli {

namespace {

// In the child: the replay, as `blocksim replay --device` builds it, and its figures.
ReplayFigures run_replay(const proto::Device& device, const proto::Replay& replay) {
  proto::Scenario scenario;
  scenario.set_name("calibration replay");
  auto* disk = scenario.add_device();
  *disk = device;
  disk->set_name("disk0");
  auto* workload = scenario.add_workload();
  workload->set_name("replay");
  *workload->mutable_replay() = replay;
  const LoadedScenario loaded = check_scenario_message(scenario, "calibration replay", "");
  Simulation simulation(loaded, RunOptions{});
  simulation.run();
  const LatencyComparison* comparison = replay_comparison(*simulation.sources().front());
  ReplayFigures figures;
  if (comparison != nullptr && comparison->count() > 0) {
    figures.count = comparison->count();
    figures.measured_mean_ms = comparison->measured().mean() / 1e6;
    figures.mean_error_percent = comparison->mean_error_percent();
    figures.demerit_ms = comparison->demerit_ms();
  }
  return figures;
}

// The child's whole life: never returns.
[[noreturn]] void child(int out, const proto::Device& device, const proto::Replay& replay) {
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null < 0 || ::dup2(null, STDOUT_FILENO) < 0)
    ::_exit(kExitFailed);
  int status = kExitOk;
  try {
    const ReplayFigures figures = run_replay(device, replay);
    if (::write(out, &figures, sizeof figures) != static_cast<ssize_t>(sizeof figures))
      status = kExitFailed;
  } catch (const ScenarioError& e) {
    std::cerr << "error: " << e.what() << "\n";
    status = kExitBadInput;
  } catch (const TraceFormatError& e) {
    std::cerr << "error: " << e.what() << "\n";
    status = kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "blocksim profile calibrate: replay: " << e.what() << "\n";
    status = kExitFailed;
  }
  std::cerr.flush();
  ::_exit(status);
}

}  // namespace

ReplayFigures replay_in_child(const proto::Device& device, const proto::Replay& replay) {
  int pipe_ends[2];
  if (::pipe2(pipe_ends, O_CLOEXEC) < 0)
    throw std::runtime_error(std::string("cannot make a pipe for a replay: ") + std::strerror(errno));
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(pipe_ends[0]);
    ::close(pipe_ends[1]);
    throw std::runtime_error(std::string("cannot start a process for a replay: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::close(pipe_ends[0]);
    child(pipe_ends[1], device, replay);
  }
  ::close(pipe_ends[1]);
  ReplayFigures figures;
  std::size_t got = 0;
  auto* bytes = reinterpret_cast<char*>(&figures);
  while (got < sizeof figures) {
    const ssize_t n = ::read(pipe_ends[0], bytes + got, sizeof figures - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += static_cast<std::size_t>(n);
  }
  ::close(pipe_ends[0]);
  const int code = wait_for_exit(pid);
  if (code != kExitOk)
    throw CalibrationReplayFailed(code, "a replay ended with exit status " + std::to_string(code));
  if (got != sizeof figures)
    throw CalibrationReplayFailed(kExitFailed, "a replay sent back no figures");
  return figures;
}

}  // namespace blocksim::cli

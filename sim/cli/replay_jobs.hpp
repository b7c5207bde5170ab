// `replay --jobs N`: a replay whose trace devices each have a device of their own on a private
// bus (`--map each`) and arrive open loop (as recorded or scaled) replays each device exactly as
// it would beside the others, so the devices are shared out among N processes (SimGrid runs one
// engine per process). This process replays the first part itself; the others are forked from it
// before any engine exists and go on as it does, with their own devices. Afterwards the parts'
// summaries are merged into the summary a single process gives (or, when a trace is asked for,
// their traces into the one trace and summary), and the parts' replay logs into its report
// (replay_part.hpp). docs/replay.md, "Replays across cores", says when a replay splits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <sys/types.h>
#include <vector>

#include "blocksim/replay.pb.h"
#include "sim/replay/trace_survey.hpp"
#include "sim/run/simulation.hpp"

namespace blocksim::cli {

// How a replay is shared out: the part of each device (by index), and the number of parts.
struct ReplayJobsPlan {
  std::size_t jobs = 1;
  std::vector<std::size_t> part_of_device;
};

// A device's share of a replay's work, for sharing devices out evenly: its requests, and its
// bytes at 8 KiB to a request (bigger requests cross the port in more bursts and keep more
// segments dirty). On the 14-device DiskSim trace on the 7200 rpm disk, sharing by requests alone
// left the part with the larger requests running about 9 % longer than the other; by this
// measure, 3 %.
std::uint64_t replay_work(std::uint64_t requests, std::uint64_t bytes);

// The plan for `--jobs` (`asked`; absent: the number of cores) on a replay with `devices` devices
// (`survey` their request counts when each trace device has its own). Says on `notes` why a replay
// stays in one process when --jobs asked for more.
ReplayJobsPlan plan_replay_jobs(std::optional<std::uint64_t> asked, const proto::Replay& replay,
                                const std::string& format, const TraceSurvey* survey, std::ostream& notes);

// The processes of one split replay. Owns a temporary folder for the parts' traces, summaries and
// logs, removed at the end; processes still running when it is destroyed are stopped.
class ReplayJobs {
 public:
  // `trace_out`: the trace the replay writes ("": none, and the parts hand over summaries only).
  ReplayJobs(ReplayJobsPlan plan, std::string trace_out);
  ~ReplayJobs();
  ReplayJobs(const ReplayJobs&) = delete;
  ReplayJobs& operator=(const ReplayJobs&) = delete;

  // Forks parts 1 .. N-1 and sets `options` up for the part this process runs: part 0 in the
  // parent; in a child (is_part()), its own, with stdout discarded and stderr kept for relaying.
  void start(RunOptions* options);
  // Whether this process is a forked part, which only runs: the parent merges and prints.
  bool is_part() const { return part_ != 0; }
  // In a part, after its run: hands the parent its summary and run end (when no trace is asked
  // for; otherwise its trace holds them). Throws std::runtime_error when it cannot write them.
  void hand_over(const Simulation& simulation, const RunSummary& summary) const;
  // In a part that has handed over its summary: ends the process with `status` at once. Tearing
  // its engine and devices down would only keep the parent waiting (40 ms on the DiskSim trace).
  [[noreturn]] void leave(int status) const;
  // After part 0 has run in `simulation`, `summary` its own: waits for the other parts and
  // merges everything into `simulation`, `summary` and the trace. Returns the exit status of the
  // first part that failed (its message relayed to stderr), or 0.
  int finish(Simulation& simulation, RunSummary* summary);
  // After part 0 failed: waits for the others and keeps what every part recorded in the trace.
  void salvage();

 private:
  std::string part_file(std::size_t part, const char* what) const;
  std::vector<std::string> part_files(const char* what) const;  // every part's, in order
  void configure(std::size_t part, RunOptions* options);
  int wait_all(bool relay);
  // Every part's summary merged into `summary` (part 0's); each part's run end (none for part 0).
  std::vector<std::optional<proto::RunEnd>> merge_summaries(RunSummary* summary) const;

  // Every part ends its run when the last one does (RunOptions::agree_end): a part sends the parent
  // its end and takes back the latest; the parent answers once it has every part's.
  SimTime agree_end(SimTime mine);
  void close_sockets();

  ReplayJobsPlan plan_;
  std::string trace_out_;
  std::string folder_;
  std::vector<pid_t> children_;  // part k + 1; 0 once waited for
  std::vector<int> sockets_;     // to part k + 1 (in the parent), or the one to the parent (in a part)
  std::size_t part_ = 0;         // the part this process runs
};

}  // namespace blocksim::cli

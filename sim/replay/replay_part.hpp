// One process's share of a replay split across processes by device (`replay --jobs`,
// docs/replay.md "Replays across cores"). Each part replays only its devices, but what the replay
// reports is about all of them: requests in flight at once, the first and last arrival, the
// comparison with measured latencies. So each part logs its issues and completions as they
// happen (ReplayPartLog, a binary file of compact events, in the part's own order), and the
// parent merges every part's log by time into the figures one process would have counted
// (merge_replay_parts), with the counters that simply add.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/core/sim_time.hpp"
#include "sim/replay/replay_load.hpp"

namespace blocksim {

// What one event of a part's log holds. An issue has `time` only; a completion has the measured
// and simulated latencies when the request is compared (measured >= 0), and `dispatch_measured`
// when it was compared from dispatch.
struct ReplayPartEvent {
  std::int64_t time = 0;
  std::int64_t measured = -1;
  std::int64_t simulated = 0;
  std::uint32_t kind = 0;  // kIssue or kComplete
  std::uint32_t dispatch_measured = 0;
  static constexpr std::uint32_t kIssue = 0;
  static constexpr std::uint32_t kComplete = 1;
};

// The counters of a part that add up across parts.
struct ReplayPartTally {
  std::uint64_t issued = 0;
  std::uint64_t completed = 0;
  std::uint64_t failed = 0;
  std::uint64_t unmaps = 0;
  std::uint64_t unmaps_unsupported = 0;
};

// Writes a part's log: events as they happen, the tally at the end (into PATH.tally). Throws
// std::runtime_error naming the file when it cannot write.
class ReplayPartLog {
 public:
  explicit ReplayPartLog(const std::string& path);
  ~ReplayPartLog();
  ReplayPartLog(const ReplayPartLog&) = delete;
  ReplayPartLog& operator=(const ReplayPartLog&) = delete;

  void add(const ReplayPartEvent& event);
  void finish(const ReplayPartTally& tally);

 private:
  void write_pending();

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<std::uint64_t> pending_;  // events added, encoded, not yet written
};

// What one process would have counted over all parts.
struct MergedReplayParts {
  ReplayPartTally tally;
  ReplayLoad load;
};

// Reads the logs `paths` (each with its .tally) and merges them by time; at equal times
// completions go before issues, and parts in order. Throws std::runtime_error for a log that
// cannot be read.
MergedReplayParts merge_replay_parts(const std::vector<std::string>& paths);

}  // namespace blocksim

// One replay of `profile calibrate`: the trace replayed on a candidate device profile, in a child
// process forked for it (SimGrid allows one engine per process, so the calibrating process never
// builds one; as `replay --jobs` does, it forks before any engine exists). The child runs the
// replay as `blocksim replay` would, with its stdout discarded and its stderr kept, and writes the
// comparison's figures back over a pipe.
#pragma once

#include <stdexcept>

#include "blocksim/device.pb.h"
#include "blocksim/replay.pb.h"
#include "sim/replay/profile_calibration.hpp"

namespace blocksim::cli {

// A replay that failed in its child: the child said why on stderr; `status` is its exit status.
class CalibrationReplayFailed : public std::runtime_error {
 public:
  CalibrationReplayFailed(int status, const std::string& what) : std::runtime_error(what), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// Replays `replay` (a Replay workload: trace, format, requests) on `device` in a child process and
// returns the figures of the measured against the simulated latencies. Throws
// CalibrationReplayFailed when the child fails (exit status 2: bad input, such as a trace line).
ReplayFigures replay_in_child(const proto::Device& device, const proto::Replay& replay);

}  // namespace blocksim::cli

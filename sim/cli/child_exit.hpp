// Waiting for a forked child of the command line (replay parts, calibration replays): its exit
// status, or 128 + the signal that killed it, as a shell reports it.
#pragma once

#include <sys/types.h>

namespace blocksim::cli {

int wait_for_exit(pid_t child);

}  // namespace blocksim::cli

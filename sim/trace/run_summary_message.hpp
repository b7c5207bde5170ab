// A RunSummary as a message (run_summary.proto) and back, exactly: the parts of a replay split
// across processes write theirs, and the parent merges them into the summary one process gives.
#pragma once

#include "blocksim/run_summary.pb.h"
#include "sim/trace/run_summary.hpp"

namespace blocksim {

void summary_to_message(const RunSummary& summary, proto::PartSummary* out);
// Throws std::runtime_error when the message names a layer or operation that does not exist.
RunSummary summary_from_message(const proto::PartSummary& message);

}  // namespace blocksim

// A trace replay as a workload: reads a recorded trace as the run goes (one request read ahead;
// memory follows the requests in flight, not the trace's length), maps each request onto a
// simulated device (device_mapping.hpp) and issues it when the timing mode says:
//   as recorded  open loop, at the trace's times from its first request;
//   scaled       open loop, at those times multiplied by a factor;
//   closed       as fast as the device goes, `queue_depth` requests outstanding;
//   validate     one at a time, the next at the previous completion plus the recorded idle gap.
// Where the trace carries measured latencies it compares them with the simulated ones, interval
// for interval (latency_comparison.hpp). Bad input stops the replay at the end of the run with
// file, line and reason (finish() throws it), or, with skip_bad, is counted and reported. Trims
// go down as unmaps; what may make the replay unlike the recorded drive (widened requests, a
// queue that grew without bound, a device too small, unmaps refused) is warned about in the
// report and counted in its metrics.
// The source owns its reader and in-flight requests; the engine and targets outlive it.
#pragma once

#include <memory>

#include "blocksim/scenario.pb.h"
#include "sim/workload/request_source.hpp"

namespace blocksim {

class LatencyComparison;

// Builds the replay a Workload with a `replay` source describes. Throws TraceInputError for a
// trace that cannot be opened or detected, std::invalid_argument for a mapping naming no device.
std::unique_ptr<RequestSource> make_replay_source(const proto::Workload& workload, const WorkloadContext& context);

struct MergedReplayParts;
// A replay split across processes by device (replay_part.hpp): gives `source`, this process's
// part, the figures of all parts; false if `source` is not a replay.
bool adopt_replay_parts(RequestSource& source, const MergedReplayParts& merged);

// The comparison a replay source made, or null if `source` is not a replay.
const LatencyComparison* replay_comparison(const RequestSource& source);

}  // namespace blocksim

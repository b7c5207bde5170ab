// The kinds of workload a scenario can name, each registered once: the Workload message's
// `source` oneof case and the factory that builds its RequestSource. Lives above sim/workload and
// sim/replay so that neither includes the other (a replay is a RequestSource; the synthetic job
// and the aio application know nothing of replays).
#pragma once

#include <memory>

#include "blocksim/scenario.pb.h"
#include "sim/workload/request_source.hpp"

namespace blocksim {

using WorkloadFactory = std::unique_ptr<RequestSource> (*)(const proto::Workload&, const WorkloadContext&);

struct WorkloadKind {
  proto::Workload::SourceCase source;
  WorkloadFactory factory;
};

// Builds the source a Workload message describes. Throws std::invalid_argument for a workload
// the scenario checks should have refused.
std::unique_ptr<RequestSource> make_request_source(const proto::Workload& workload, const WorkloadContext& context);

}  // namespace blocksim

#include "sim/workload/request_source.hpp"

#include <stdexcept>

#include "sim/replay/replay_source.hpp"
#include "sim/workload/aio_application.hpp"
#include "sim/workload/synthetic_job.hpp"

namespace blocksim {

std::unique_ptr<RequestSource> make_request_source(const proto::Workload& workload, const WorkloadContext& context) {
  IOStorage* target = context.target(context.default_target);
  if (target == nullptr)
    throw std::invalid_argument("workload \"" + workload.name() + "\": no target named \"" + context.default_target +
                                "\"");
  switch (workload.source_case()) {
    case proto::Workload::kJob:
      return std::make_unique<SyntheticJob>(*context.engine, *target, workload.job(), context.seed, context.stream,
                                            *context.ids);
    case proto::Workload::kReplay:
      return make_replay_source(workload, context);
    case proto::Workload::kPython:
      if (!context.python_source)
        throw std::invalid_argument("workload \"" + workload.name() +
                                    "\" takes its requests from Python: run it with blocksim.run() (docs/python.md)");
      return context.python_source(workload, context);
    case proto::Workload::kAio:
      return std::make_unique<AioApplication>(StackContext{context.engine, context.ids, context.sink, nullptr},
                                              *target, workload.aio(), context.seed, context.stream);
    case proto::Workload::SOURCE_NOT_SET:
      break;
  }
  throw std::invalid_argument("workload \"" + workload.name() + "\" has no source");
}

}  // namespace blocksim

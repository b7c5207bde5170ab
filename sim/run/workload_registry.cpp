#include "sim/run/workload_registry.hpp"

#include <array>
#include <stdexcept>

#include "sim/replay/replay_source.hpp"
#include "sim/workload/aio_application.hpp"
#include "sim/workload/synthetic_job.hpp"

namespace blocksim {

namespace {

IOStorage& default_target(const proto::Workload& workload, const WorkloadContext& context) {
  IOStorage* target = context.target(context.default_target);
  if (target == nullptr)
    throw std::invalid_argument("workload \"" + workload.name() + "\": no target named \"" + context.default_target +
                                "\"");
  return *target;
}

std::unique_ptr<RequestSource> make_job(const proto::Workload& workload, const WorkloadContext& context) {
  return std::make_unique<SyntheticJob>(*context.engine, default_target(workload, context), workload.job(),
                                        context.seed, context.stream, *context.ids);
}

std::unique_ptr<RequestSource> make_python(const proto::Workload& workload, const WorkloadContext& context) {
  default_target(workload, context);
  if (!context.python_source)
    throw std::invalid_argument("workload \"" + workload.name() +
                                "\" takes its requests from Python: run it with blocksim.run() (docs/python.md)");
  return context.python_source(workload, context);
}

std::unique_ptr<RequestSource> make_aio(const proto::Workload& workload, const WorkloadContext& context) {
  return std::make_unique<AioApplication>(StackContext{context.engine, context.ids, context.sink, nullptr},
                                          default_target(workload, context), workload.aio(), context.seed,
                                          context.stream);
}

std::unique_ptr<RequestSource> make_replay(const proto::Workload& workload, const WorkloadContext& context) {
  default_target(workload, context);
  return make_replay_source(workload, context);
}

constexpr std::array<WorkloadKind, 4> kWorkloadKinds = {{
    {proto::Workload::kJob, &make_job},
    {proto::Workload::kReplay, &make_replay},
    {proto::Workload::kPython, &make_python},
    {proto::Workload::kAio, &make_aio},
}};

}  // namespace

std::unique_ptr<RequestSource> make_request_source(const proto::Workload& workload, const WorkloadContext& context) {
  for (const WorkloadKind& kind : kWorkloadKinds)
    if (kind.source == workload.source_case())
      return kind.factory(workload, context);
  throw std::invalid_argument("workload \"" + workload.name() + "\" has no source");
}

}  // namespace blocksim

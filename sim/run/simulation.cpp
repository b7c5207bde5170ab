#include "sim/run/simulation.hpp"

#include "models/device_registry.hpp"
#include "sim/core/units.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/stack/device_storage.hpp"
#include "sim/trace/trace_format.hpp"

#ifndef BLOCKSIM_VERSION
#define BLOCKSIM_VERSION "0.0.0"
#endif

namespace blocksim {

namespace {
// Random streams: devices use (index << 8 | n), jobs use kJobStreamBase + index.
constexpr std::uint64_t kJobStreamBase = 1ULL << 40;
}  // namespace

Simulation::Simulation(const LoadedScenario& loaded, const RunOptions& options) : scenario_(loaded.scenario) {
  if (options.seed)
    scenario_.set_seed(*options.seed);
  if (options.trace_path)
    scenario_.mutable_output()->set_trace(*options.trace_path);

  std::unique_ptr<TraceWriter> writer;
  if (!scenario_.output().trace().empty())
    writer = std::make_unique<TraceWriter>(scenario_.output().trace(), make_header(loaded.path));
  std::uint64_t expected = 0;
  for (const auto& workload : scenario_.workload())
    expected += workload.job().requests();
  recorder_ = std::make_unique<RunRecorder>(std::move(writer), options.show_progress, expected);

  EngineOptions engine_options;
  engine_options.simgrid_logs = options.simgrid_logs;
  engine_ = std::make_unique<Engine>(engine_options);

  std::vector<BusHandle> buses;
  for (const auto& bus : scenario_.bus())
    buses.push_back(engine_->add_bus(bus.name(), units::bandwidth(bus.bandwidth()), units::duration_ns(bus.latency()),
                                     bus.full_duplex()));

  for (int i = 0; i < scenario_.device_size(); ++i) {
    const proto::Device& config = scenario_.device(i);
    DeviceContext context;
    context.engine = engine_.get();
    context.index = static_cast<std::uint32_t>(i);
    context.name = device_name(scenario_, i);
    context.sink = recorder_.get();
    context.seed = scenario_.seed();
    const double own_rate = config.has_dma_rate() ? units::bandwidth(config.dma_rate()) : 0;
    context.dma = engine_->add_endpoint(context.name, buses.at(static_cast<std::size_t>(device_bus(scenario_, config))),
                                        own_rate);
    devices_.push_back(make_device(context, config));
    storages_.push_back(std::make_unique<DeviceStorage>(*devices_.back()));
  }

  for (int i = 0; i < scenario_.workload_size(); ++i) {
    const proto::Workload& workload = scenario_.workload(i);
    const int target = workload_device(scenario_, workload);
    jobs_.push_back(std::make_unique<SyntheticJob>(*engine_, *storages_.at(static_cast<std::size_t>(target)),
                                                   workload.job(), scenario_.seed(),
                                                   kJobStreamBase + static_cast<std::uint64_t>(i), request_ids_));
  }
}

Simulation::~Simulation() {
  // Jobs and devices refer to the engine: they go first.
  jobs_.clear();
  storages_.clear();
  devices_.clear();
  engine_.reset();
}

proto::TraceHeader Simulation::make_header(const std::string& scenario_path) const {
  proto::TraceHeader header;
  header.set_format_version(kTraceFormatVersion);
  header.set_blocksim_version(BLOCKSIM_VERSION);
  *header.mutable_scenario() = scenario_;
  // Where the trace was written is not part of what ran: leaving it out keeps the same scenario
  // and seed giving byte-identical traces wherever they are written.
  header.mutable_scenario()->mutable_output()->clear_trace();
  header.set_scenario_path(scenario_path);
  for (int i = 0; i < scenario_.device_size(); ++i) {
    const proto::Device& config = scenario_.device(i);
    auto* device = header.add_device();
    device->set_index(static_cast<std::uint32_t>(i));
    device->set_name(device_name(scenario_, i));
    device->set_model(device_model_name(config));
    const auto block = units::bytes(config.block_size());
    device->set_block_size(static_cast<std::uint32_t>(block));
    device->set_capacity_bytes(units::bytes(config.capacity()) / block * block);
  }
  return header;
}

const RunSummary& Simulation::run() {
  for (auto& job : jobs_)
    job->start();
  engine_->run();
  end_time_ = engine_->now();
  recorder_->finish(end_time_);
  return recorder_->summary();
}

std::uint64_t Simulation::requests_failed() const {
  std::uint64_t failed = 0;
  for (const auto& job : jobs_)
    failed += job->failed();
  return failed;
}

}  // namespace blocksim

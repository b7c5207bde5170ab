#include "sim/run/simulation.hpp"
#include "sim/run/workload_registry.hpp"

#include <iostream>

#include "models/device_registry.hpp"
#include "sim/core/units.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/trace/json_writer.hpp"
#include "sim/trace/trace_format.hpp"

#ifndef BLOCKSIM_VERSION
#define BLOCKSIM_VERSION "0.0.0"
#endif

namespace blocksim {

namespace {
// Random streams: devices use (index << 8 | n), workloads kWorkloadStreamBase + index.
constexpr std::uint64_t kWorkloadStreamBase = 1ULL << 40;
}  // namespace

Simulation::Simulation(const LoadedScenario& loaded, const RunOptions& options)
    : scenario_(loaded.scenario), agree_end_(options.agree_end) {
  if (options.seed)
    scenario_.set_seed(*options.seed);
  if (options.engine && *options.engine != scenario_.engine())
    scenario_.set_engine(*options.engine);
  if (options.trace_path)
    scenario_.mutable_output()->set_trace(*options.trace_path);
  for (int i = 0; i < scenario_.workload_size(); ++i)
    if (scenario_.workload(i).has_python() && !options.python_source)
      throw ScenarioError(loaded.path, 0, 0, "workload[" + std::to_string(i) + "].python",
                          "takes its requests from Python; run this scenario with blocksim.run() (docs/python.md)");

  std::unique_ptr<TraceWriter> writer;
  if (!scenario_.output().trace().empty())
    writer = std::make_unique<TraceWriter>(scenario_.output().trace(), make_header(loaded.path));
  recorder_ = std::make_unique<RunRecorder>(
      std::move(writer),
      options.show_progress ? Progress::kTerminal : options.final_progress_line ? Progress::kFinalLine : Progress::kOff, 0);

  EngineOptions engine_options;
  engine_options.simgrid_logs = options.simgrid_logs;
  engine_options.transfers =
      scenario_.engine() == proto::SIMGRID_ONLY ? TransferTiming::kSimGridOnly : TransferTiming::kFast;
  engine_ = std::make_unique<Engine>(engine_options);
  ledger_ = std::make_unique<RequestLedger>(engine_.get());
  std::vector<std::string> names;
  for (int d = 0; d < scenario_.device_size(); ++d)
    names.push_back(device_name(scenario_, d));
  ledger_->name_devices(std::move(names));
  // A second completion is reported the moment it happens, named, while the run goes on.
  ledger_->set_violation_handler([](const std::string& text) { std::cerr << "error: " << text << "\n"; });
  stack_ = std::make_unique<DeviceStack>(*engine_, scenario_, recorder_.get(), request_ids_, ledger_.get());

  std::uint64_t expected = 0;
  for (int i = 0; i < scenario_.workload_size(); ++i) {
    const proto::Workload& workload = scenario_.workload(i);
    WorkloadContext context;
    context.engine = engine_.get();
    context.ids = &request_ids_;
    context.seed = scenario_.seed();
    context.stream = kWorkloadStreamBase + static_cast<std::uint64_t>(i);
    context.target = [this](const std::string& name) { return ledgered_target(name); };
    context.default_target = workload_target(scenario_, workload);
    context.scenario_folder = loaded.folder;
    for (int d = 0; d < scenario_.device_size(); ++d)
      context.devices.push_back(device_name(scenario_, d));
    context.observe = [this](CompletionSink* observer) { recorder_->add_observer(observer); };
    context.python_source = options.python_source;
    context.sink = recorder_.get();
    context.owned_devices = options.owned_devices;
    context.part_log = options.part_log;
    sources_.push_back(make_request_source(workload, context));
    expected += sources_.back()->request_limit();
  }
  recorder_->set_expected(expected);
  recorder_->set_input_progress([this] {
    std::pair<std::uint64_t, std::uint64_t> sum{0, 0};
    for (const auto& source : sources_) {
      const auto [read, total] = source->input_progress();
      sum.first += read;
      sum.second += total;
    }
    return sum;
  });
}

Simulation::~Simulation() {
  // Sources and devices refer to the engine: they go first.
  sources_.clear();
  workload_targets_.clear();
  stack_.reset();
  engine_.reset();
}

// The workloads' view of a target: the stack's, with every request entered in the ledger. One
// per target however many workloads use it.
IOStorage* Simulation::ledgered_target(const std::string& name) {
  IOStorage* storage = stack_->target(name);
  if (storage == nullptr)
    return nullptr;
  for (const auto& target : workload_targets_)
    if (&target->inner() == storage)
      return target.get();
  workload_targets_.push_back(std::make_unique<LedgeredStorage>(*storage, *ledger_, *engine_));
  return workload_targets_.back().get();
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
  for (auto& source : sources_)
    source->start();
  if (const auto cut = stack_->power_cut_time()) {
    // The run ends at the power cut: what is in flight then never completes.
    engine_->run_until(*cut);
    stack_->power_cut();
    power_cut_ = true;
  } else {
    engine_->run();
  }
  end_time_ = engine_->now();
  if (agree_end_) {
    const SimTime end = agree_end_(end_time_);
    if (end > end_time_) {
      engine_->run_until(end);
      end_time_ = end;
    }
  }
  for (auto& source : sources_)
    source->finish();
  std::vector<DeviceMetric> metrics;
  for (std::size_t i = 0; i < stack_->device_count(); ++i) {
    std::vector<DeviceMetric> device_metrics;
    stack_->device(i).collect_metrics(&device_metrics);
    for (auto& metric : device_metrics) {
      metric.name = device_name(scenario_, static_cast<int>(i)) + "." + metric.name;
      metrics.push_back(std::move(metric));
    }
  }
  stack_->collect_metrics(&metrics);
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    std::vector<DeviceMetric> source_metrics;
    sources_[i]->collect_metrics(&source_metrics);
    const auto& workload = scenario_.workload(static_cast<int>(i));
    for (auto& metric : source_metrics) {
      metric.name = (workload.has_name() ? workload.name() : "workload" + std::to_string(i)) + "." + metric.name;
      metrics.push_back(std::move(metric));
    }
  }
  recorder_->finish(end_time_, metrics);
  return recorder_->summary();
}

void Simulation::adopt_merged(std::vector<DeviceMetric> metrics, const std::string& trace) {
  recorder_->set_metrics(std::move(metrics));
  scenario_.mutable_output()->set_trace(trace);
}

void Simulation::print_source_reports(std::ostream& out) const {
  for (const auto& source : sources_)
    source->print_report(out);
}

void Simulation::write_source_reports_json(JsonWriter& json) const {
  json.begin_array("workloads");
  for (const auto& source : sources_)
    source->write_json_report(json);
  json.end_array();
}

std::uint64_t Simulation::requests_failed() const {
  std::uint64_t failed = power_cut_ ? 0 : ledger_->outstanding_from_workloads();
  for (const auto& source : sources_)
    failed += source->failed();
  return failed;
}

bool Simulation::contract_kept() const { return ledger_->kept(power_cut_); }

bool Simulation::check_contract(std::ostream& out) const {
  if (contract_kept())
    return true;
  out << "error: the run broke the completion contract (every request completes exactly once):\n";
  ledger_->report(out);
  out << "The summary and trace hold what did complete. A device the scenario stops from answering, with "
         "no driver timeout (driver { timeout }) to end its requests, leaves them so; anything else is a "
         "defect in the model or the stack: please report it with the scenario and seed.\n";
  return false;
}

}  // namespace blocksim

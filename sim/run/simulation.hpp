// One run of a scenario: builds the engine, buses, devices and workloads the scenario describes,
// runs them to the end, and records every completion. One Simulation per process (SimGrid allows
// one engine per process). The Simulation owns everything it builds.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "sim/core/engine.hpp"
#include "sim/device/request_ledger.hpp"
#include "sim/run/device_stack.hpp"
#include "sim/run/run_recorder.hpp"
#include "sim/media/ledgered_storage.hpp"
#include "sim/scenario/scenario_loader.hpp"
#include "sim/core/request_ids.hpp"
#include "sim/workload/request_source.hpp"

namespace blocksim {

struct RunOptions {
  std::optional<std::string> trace_path;  // overrides the scenario's output.trace
  std::optional<std::uint64_t> seed;      // overrides the scenario's seed
  bool show_progress = false;       // a progress line refreshed on stderr (a terminal)
  bool final_progress_line = false;  // else one line at the end (stderr is not a terminal)
  bool simgrid_logs = false;
  std::optional<proto::TransferEngine> engine;  // overrides the scenario's engine
  // Builds the source of the scenario's `python` workload; the Python package's runner sets it.
  // Without it a scenario with such a workload is refused as bad input.
  PythonSourceFactory python_source;
  // One part of a replay split across processes by device (`replay --jobs`): the devices whose
  // requests this process issues (by index; empty: all) and the file its replay logs to.
  std::vector<bool> owned_devices;
  std::string part_log;
  // Given when this process's run ended, the time the whole replay ends (the last of its parts):
  // the run goes on to it before its metrics are taken, since time-based figures (an SSD die's
  // busy share) are over the whole run, as in one process.
  std::function<SimTime(SimTime)> agree_end;
};

class Simulation {
 public:
  Simulation(const LoadedScenario& loaded, const RunOptions& options);
  ~Simulation();

  // Hands every completion to `observer` too (not owned; it must outlive the run).
  void add_observer(CompletionSink* observer) { recorder_->add_observer(observer); }
  Engine& engine() { return *engine_; }

  // Runs to the end; returns the summary.
  const RunSummary& run();

  const proto::Scenario& scenario() const { return scenario_; }
  SimTime end_time() const { return end_time_; }
  const std::vector<DeviceMetric>& metrics() const { return recorder_->metrics(); }
  // Requests that completed with an error, and those a workload issued that never completed.
  std::uint64_t requests_failed() const;
  // The completion contract (driver-api.md): every request issued or passed down completed exactly
  // once. A run ended by a power cut may leave requests outstanding; violations still count.
  bool contract_kept() const;
  // Whether the contract was kept; when not, says on `out` what broke it: the number
  // outstanding, the first few, the violations.
  bool check_contract(std::ostream& out) const;
  const RequestLedger& ledger() const { return *ledger_; }
  // The workloads' sources, in scenario order (a split replay's parent merges into them).
  const std::vector<std::unique_ptr<RequestSource>>& sources() const { return sources_; }
  // After a replay split across processes, the result of all its parts in place of this one's:
  // the merged metrics and the trace they were merged into ("" when none was asked for).
  void adopt_merged(std::vector<DeviceMetric> metrics, const std::string& trace);
  // What the workloads have to say after the summary (a replay's mapping and comparison).
  void print_source_reports(std::ostream& out) const;
  // The same as the JSON summary's "workloads" array.
  void write_source_reports_json(JsonWriter& json) const;

 private:
  proto::TraceHeader make_header(const std::string& scenario_path) const;
  IOStorage* ledgered_target(const std::string& name);

  proto::Scenario scenario_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<RequestLedger> ledger_;
  std::unique_ptr<RunRecorder> recorder_;
  std::unique_ptr<DeviceStack> stack_;
  RequestIds request_ids_;
  std::vector<std::unique_ptr<LedgeredStorage>> workload_targets_;  // what the workloads call
  std::vector<std::unique_ptr<RequestSource>> sources_;
  bool power_cut_ = false;
  SimTime end_time_ = 0;
  std::function<SimTime(SimTime)> agree_end_;  // RunOptions::agree_end
};

}  // namespace blocksim

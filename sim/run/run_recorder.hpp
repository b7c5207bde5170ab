// Where every completion of a run goes: the summary, the trace file when there is one, and a
// progress line on a terminal for runs that take more than a second of wall time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/core/block_storage_device.hpp"
#include "sim/core/completion_record.hpp"
#include "sim/trace/run_summary.hpp"
#include "sim/trace/trace_writer.hpp"

namespace blocksim {

class RunRecorder final : public CompletionSink {
 public:
  // `writer` may be null; `expected` (0 if unknown) sizes the progress line.
  RunRecorder(std::unique_ptr<TraceWriter> writer, bool show_progress, std::uint64_t expected);

  void record(const CompletionRecord& completion) override;
  void event(const EventRecord& event) override;
  std::uint64_t events() const { return events_; }
  void set_expected(std::uint64_t expected) { expected_ = expected; }
  // Also hands every completion to `observer` (not owned; it outlives the run).
  void add_observer(CompletionSink* observer) { observers_.push_back(observer); }
  // Writes the run's end (and the devices' metrics) to the trace and clears the progress line.
  void finish(SimTime end, const std::vector<DeviceMetric>& metrics);
  const std::vector<DeviceMetric>& metrics() const { return metrics_; }

  const RunSummary& summary() const { return summary_; }
  std::uint64_t completions() const { return completions_; }
  std::uint64_t device_completions() const { return device_completions_; }

 private:
  void show_progress(SimTime now);

  RunSummary summary_;
  std::vector<DeviceMetric> metrics_;
  std::vector<CompletionSink*> observers_;
  std::unique_ptr<TraceWriter> writer_;
  bool progress_;
  bool progress_shown_ = false;
  std::uint64_t expected_;
  std::uint64_t completions_ = 0;
  std::uint64_t device_completions_ = 0;
  std::uint64_t events_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_progress_;
};

}  // namespace blocksim

// Where every completion of a run goes: the summary, the trace file when there is one, and
// progress: on a terminal a line refreshed four times a second (the share of the input read, by
// bytes, and an ETA when the run reads a file; requests, simulated time, and the IOPS and mean
// latency at the device since the last refresh), or, asked for when stderr is not a terminal,
// one line at the end.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "sim/device/block_storage_device.hpp"
#include "sim/device/completion_record.hpp"
#include "sim/trace/run_summary.hpp"
#include "sim/trace/trace_writer.hpp"

namespace blocksim {

enum class Progress { kOff, kTerminal, kFinalLine };

// The trace's last record: when the run ended, how many completions it recorded, and its metrics.
proto::RunEnd make_run_end(SimTime end, std::uint64_t completions, const std::vector<DeviceMetric>& metrics);

class RunRecorder final : public CompletionSink {
 public:
  // `writer` may be null; `expected` (0 if unknown) sizes the progress line.
  RunRecorder(std::unique_ptr<TraceWriter> writer, Progress progress, std::uint64_t expected);
  // Bytes of the run's input read so far and in all, for the progress line.
  void set_input_progress(std::function<std::pair<std::uint64_t, std::uint64_t>()> input) {
    input_ = std::move(input);
  }

  void record(const CompletionRecord& completion) override;
  void event(const EventRecord& event) override;
  std::uint64_t events() const { return events_; }
  void set_expected(std::uint64_t expected) { expected_ = expected; }
  // Also hands every completion to `observer` (not owned; it outlives the run).
  void add_observer(CompletionSink* observer) { observers_.push_back(observer); }
  // Writes the run's end (and the devices' metrics) to the trace and clears the progress line.
  void finish(SimTime end, const std::vector<DeviceMetric>& metrics);
  const std::vector<DeviceMetric>& metrics() const { return metrics_; }
  // Replaces the metrics finish() was given (a split replay's parent, with those of all parts).
  void set_metrics(std::vector<DeviceMetric> metrics) { metrics_ = std::move(metrics); }

  const RunSummary& summary() const { return summary_; }
  std::uint64_t completions() const { return completions_; }
  std::uint64_t device_completions() const { return device_completions_; }

 private:
  void show_progress(SimTime now);
  void print_final_line(SimTime end) const;

  RunSummary summary_;
  std::vector<DeviceMetric> metrics_;
  std::vector<CompletionSink*> observers_;
  std::unique_ptr<TraceWriter> writer_;
  Progress progress_;
  bool progress_shown_ = false;
  std::function<std::pair<std::uint64_t, std::uint64_t>()> input_;
  // The device's completions since the last refresh: for live IOPS and mean latency.
  std::uint64_t window_requests_ = 0;
  std::uint64_t window_latency_ns_ = 0;
  SimTime window_start_ = 0;
  std::uint64_t device_latency_ns_ = 0;  // all of the run's, for the final line
  std::uint64_t expected_;
  std::uint64_t completions_ = 0;
  std::uint64_t device_completions_ = 0;
  std::uint64_t events_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_progress_;
};

}  // namespace blocksim
